"""Invented demo members and a decent, realistic comment thread for the demo site.

Keys (``DemoComment.key``) become ``Comment.source_id`` values prefixed ``demo:``, which makes
loading idempotent. Times are minutes after the story was first published. So that the moderator's
and the editor's work can be tried, one comment waits in the moderation queue, one carries members'
flags, and one reader's request to join waits for an editor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from pressclub.comments.models import Comment, CommentFlag, CommentStatus, Hold, HoldReason, holds_to_json
from pressclub.comments.text import render_body
from pressclub.core.text import slugify
from pressclub.members.models import Membership, MembershipStatus
from pressclub.news.models import ArticlePage

DEMO_PASSWORD = "pressclub demo"  # noqa: S105 - a published demo password


@dataclass(frozen=True)
class DemoMember:
    """A demo reader: an active member of the club, or one whose request to join waits (``note``)."""

    key: str
    email: str
    display_name: str
    bio: str = ""
    status: str = MembershipStatus.ACTIVE
    note: str = ""


@dataclass(frozen=True)
class DemoComment:
    """One demo comment; ``parent`` names the key of the comment it replies to."""

    key: str
    article: str  # the story's slug
    author: str  # a DemoMember key
    minutes: int
    body: str
    parent: str = ""
    status: str = CommentStatus.APPROVED
    holds: tuple[Hold, ...] = ()
    flags: tuple[tuple[str, str], ...] = ()  # (member key, reason)


MEMBERS = [
    DemoMember("sunita", "sunita.rai@example.org", "Sunita Rai", "Runs the tea stall at the top of the steps."),
    DemoMember("rajesh", "rajesh.koirala@example.org", "Rajesh Koirala", "Retired engineer, Ward 4."),
    DemoMember("priya", "priya.sharma@example.org", "Priya Sharma", "Teacher and weekend trekker."),
    DemoMember("arif", "arif.hossain@example.org", "Arif Hossain", "Drives the Ridge Road jeep twice a day."),
    DemoMember("kiran", "kiran.gurung@example.org", "Kiran Gurung", "Student at the district campus.",
               status=MembershipStatus.REQUESTED, note="I write for the campus wall magazine and read you every day."),
]

STEPS = "council-votes-to-rebuild-the-stone-steps-to-bhotechaur-market"
RIDGE = "landslide-closes-ridge-road-for-a-second-week"
LIBRARY = slugify("कालिमगाउँमा सामुदायिक पुस्तकालय खुल्यो")

COMMENTS = [
    DemoComment("steps-1", STEPS, "sunita", 95,
                "Good news at last. Half the stalls at the top lose customers every monsoon because older "
                "people simply cannot manage the broken steps.\n\nMy one worry is the **three months** of "
                "closure. Will there be a temporary path?"),
    DemoComment("steps-2", STEPS, "rajesh", 140,
                "The council's plan (page 6) mentions a timber stair along the east wall while each section "
                "is relaid. It was done that way in 1989 and it worked well enough.", parent="steps-1"),
    DemoComment("steps-3", STEPS, "sunita", 162,
                "Thank you, I had not seen page 6. A timber stair would be fine if it has a handrail.",
                parent="steps-2"),
    DemoComment("steps-4", STEPS, "priya", 300,
                "Could the new steps have a ramp section for handcarts? Porters carry everything up on their "
                "backs today.\n\n> relaid before the festival season\n\nThat seems ambitious for 212 steps."),
    DemoComment("steps-5", STEPS, "rajesh", 330,
                "A ramp needs about twice the length at that slope, so probably not on the main flight. "
                "The side lane by the school might work, though.", parent="steps-4"),
    DemoComment("ridge-1", RIDGE, "arif", 60,
                "The detour through Chisapani took us two and a half hours this morning, not two. The bend "
                "below the monastery is down to one lane after dark, so please drive slowly there."),
    DemoComment("ridge-2", RIDGE, "priya", 85,
                "Thank you for the warning. Is the morning bus to the district hospital still running?",
                parent="ridge-1"),
    DemoComment("ridge-3", RIDGE, "arif", 97,
                "Yes, it leaves at 6:30 from the lower bazaar and goes round by Chisapani. Take water, "
                "there is nothing to buy on the way.", parent="ridge-2"),
    DemoComment("ridge-4", RIDGE, "rajesh", 410,
                "Two weeks of closure twice in three years. The retaining wall needs drainage behind it, not "
                "another layer of gabions. I hope the follow-up story asks the roads office about that."),
    DemoComment("ridge-5", RIDGE, "arif", 430,
                "Road reports every morning: https://example.org/ridge-road, https://example.org/detour-map "
                "and https://example.org/bus-times.",
                status=CommentStatus.PENDING,
                holds=(Hold(HoldReason.TOO_MANY_LINKS, "3 (the limit is 2)"),)),
    DemoComment("steps-6", STEPS, "arif", 360,
                "Another year, another promise. The council has no money and everyone knows it.",
                flags=(("sunita", "Off topic: the story says the budget is approved."),
                       ("priya", "Off topic"))),
    DemoComment("library-1", LIBRARY, "priya", 120,
                "धेरै राम्रो काम! बेलुकासम्म खुला हुने भएकाले विद्यार्थीलाई सजिलो हुन्छ। 📚"),
    DemoComment("library-2", LIBRARY, "sunita", 180,
                "I can give about forty English and Hindi novels. Who should I contact?", parent="library-1"),
    DemoComment("library-3", LIBRARY, "priya", 200,
                "युवा क्लबको कार्यालयमा शनिबार बिहान किताब बुझाउन सकिन्छ। धन्यवाद, सुनिता दिदी!",
                parent="library-2"),
]


@transaction.atomic
def demo_comments_load() -> dict[str, int]:
    """Create the demo members and comments that are missing; return counts of what was created.

    Returns ``{"members": n, "requests": n, "comments": n, "articles": n}``: ``members`` counts the
    readers created with an active membership, ``requests`` those created with a waiting request to
    join, and ``articles`` the demo stories found on the site. Members get a verified address and their membership (active, or a
    waiting request); comments keep their status, hold reasons, members' flags and the replies'
    threading.
    """
    user_model = get_user_model()
    created = {"members": 0, "requests": 0, "comments": 0}
    users = {}
    for demo in MEMBERS:
        user = user_model.objects.filter(email__iexact=demo.email).first()
        if user is None:
            user = user_model.objects.create_user(
                email=demo.email, password=DEMO_PASSWORD, display_name=demo.display_name, bio=demo.bio
            )
            created["members" if demo.status == MembershipStatus.ACTIVE else "requests"] += 1
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        Membership.objects.get_or_create(
            user=user, defaults={"status": demo.status, "request_note": demo.note, "requested_at": user.date_joined}
        )
        users[demo.key] = user

    articles = {a.slug: a for a in ArticlePage.objects.filter(slug__in={c.article for c in COMMENTS})}
    saved = {c.source_id.removeprefix("demo:"): c for c in Comment.objects.filter(source_id__startswith="demo:")}
    for demo in COMMENTS:
        article = articles.get(demo.article)
        if article is None or demo.key in saved:
            continue
        published = article.first_published_at or article.latest_revision_created_at
        saved[demo.key] = Comment.objects.create(
            page=article,
            parent=saved.get(demo.parent),
            user=users[demo.author],
            body=demo.body,
            body_html=render_body(demo.body),
            status=demo.status,
            holds=holds_to_json(demo.holds),
            flag_count=len(demo.flags),
            created_at=published + dt.timedelta(minutes=demo.minutes),
            notify_on_reply=True,
            source_id=f"demo:{demo.key}",
        )
        for member, reason in demo.flags:
            CommentFlag.objects.create(comment=saved[demo.key], user=users[member], reason=reason)
        created["comments"] += 1
    return {**created, "articles": len(articles)}
