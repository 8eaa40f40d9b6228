"""Template tags that put comments on pages: ``{% comment_section page %}`` and the most-commented list.

The news app knows nothing of comments; its templates include ``includes/comments_placeholder.html``
and ``includes/most_commented.html``, which call these tags. The thread itself is
:func:`pressclub.comments.thread.thread_for_reader`'s; what the reader may do is the policy's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from pressclub.core.member_pages import capturing, hole
from pressclub.core.models import CommentModeration
from pressclub.core.numerals import local_digits

from ..forms import SESSION_OWN_COMMENTS, CommentForm
from ..member_holes import notify_default
from ..models import Comment, CommentStatus
from ..policy import CommentPolicy, comment_permission, flag_permission, site_policy_settings
from ..thread import PAGE_PARAMETER, shared_thread, thread_for_reader

register = template.Library()


def response_count_label(count: int) -> str:
    """Return "No responses yet" (0), "1 Response" or "<count> Responses", in the active language and its digits."""
    if count == 0:
        return gettext("No responses yet")
    return ngettext("%(n)s Response", "%(n)s Responses", count) % {"n": local_digits(count)}


@dataclass(frozen=True)
class ReplyTarget:
    """The comment a reader is replying to, as the form shows it ("Replying to <name>")."""

    pk: int
    display_name: str


@register.inclusion_tag("comments/comment_section.html", takes_context=True)
def comment_section(context, page):
    """Render a page's comment section: "N Responses to <headline>", the thread, "Post a Comment".

    Costs a fixed number of queries whatever the number of comments: the policy setting (cached),
    the reader's standing (plus one for "first comment" moderation), then what
    :func:`~pressclub.comments.thread.thread_for_reader` costs (none to two). Renders nothing
    when the page's comments are hidden.
    """
    request = context.get("request")
    if getattr(page, "pk", None) is None:  # a preview of a page not saved yet has no comments
        return {"visible": False}
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    policy = CommentPolicy.for_page(page, request=request, site_settings=site_policy_settings(request))
    decision = comment_permission(user=user, page=page, policy=policy, request=request)
    if not decision.section_visible:
        return {"visible": False}
    session = getattr(request, "session", None)
    own_ids = tuple(session.get(SESSION_OWN_COMMENTS, ())) if session is not None and not signed_in else ()
    can_flag = signed_in and flag_permission(user=user).allowed
    capture = capturing(request)
    initial = {}
    if capture is not None:
        # A member's shared copy of the page (core.member_pages): their parts become holes.
        if policy.moderation == CommentModeration.FIRST:
            capture.refuse("first-comment moderation depends on the reader's earlier comments")
        thread = shared_thread(page, reply_allowed=decision.allowed, can_flag=can_flag, number=_thread_page(request),
                               hole=lambda name, html, data: hole(request, name, html, data))
        initial = {"idempotency_key": capture.marker("idempotency"), "started": capture.marker("started")}
    else:
        thread = thread_for_reader(
            page, user=user, own_ids=own_ids, reply_allowed=decision.allowed,
            can_flag=can_flag, number=_thread_page(request),
        )
    form = reply_to = None
    if decision.allowed and thread.number == 1:
        reply_to = _reply_target(request, thread.names)
        form = CommentForm(
            anonymous=not signed_in,
            initial={"parent": reply_to.pk if reply_to else None, **initial},
            notify_default=notify_default(user) if signed_in else False,
        )
    page_url = page.get_url(request)
    return {
        "visible": True,
        "page": page,
        "request": request,
        "headline": page.title,
        "count": thread.count,
        "count_label": response_count_label(thread.count),
        "thread_html": thread.html,
        "thread_page": thread.number,
        "thread_pages": thread.pages,
        "older_url": _thread_page_url(page_url, thread.number - 1) if thread.number > 1 else "",
        "newer_url": _thread_page_url(page_url, thread.number + 1) if thread.number < thread.pages else "",
        "decision": decision,
        "form": form,
        "reply_to": reply_to,
        # The masthead's identity (base.html's ``site_info``) names the comment policy page.
        "policy_url": (context.get("site_info") or {}).get("policy_url", ""),
    }


@register.simple_tag(takes_context=True)
def notify_checkbox(context, form):
    """Render the comment form's "e-mail me replies" checkbox (``form.notify_on_reply``).

    In a member's shared copy of the page (``core.member_pages``) it is the ``notify`` hole, with
    both renderings kept so each member gets the box as their account sets it.
    """
    field = form["notify_on_reply"]
    html = str(field)
    request = context.get("request")
    if capturing(request) is None or form.is_bound or form.anonymous:
        return html
    initial = {name: value for name, value in form.initial.items() if name != "notify_on_reply"}
    variants = {
        ticked: str(CommentForm(anonymous=False, notify_default=ticked, initial=dict(initial))["notify_on_reply"])
        for ticked in (True, False)
    }
    return hole(request, "notify", html, variants)


def _thread_page(request) -> int:
    """Return the thread page asked for by ``?comments=N`` (1 when absent or not a number)."""
    raw = request.GET.get(PAGE_PARAMETER, "") if request is not None else ""
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


def _thread_page_url(page_url: str, number: int) -> str:
    """Return the link to page ``number`` of the thread under ``page_url`` (the first page has no query)."""
    return f"{page_url}?{PAGE_PARAMETER}={number}#comments" if number > 1 else f"{page_url}#comments"


def _reply_target(request, names: dict[int, str]) -> ReplyTarget | None:
    raw = request.GET.get("replyto", "") if request is not None else ""
    if not raw.isdigit() or int(raw) not in names:
        return None
    return ReplyTarget(int(raw), names[int(raw)])


#: Stories the front page's "Most commented" list shows.
MOST_COMMENTED_LIMIT = 5


@register.simple_tag
def most_commented_articles(pages, limit: int = MOST_COMMENTED_LIMIT, days: int | None = None):
    """Return up to ``limit`` of ``pages`` with the most approved comments, most first.

    ``pages`` is a queryset of pages the reader may see, from the template that calls this tag
    (the front page passes its published stories, so this app need not know the page types).
    Each page gets ``comment_total``. ``days`` counts only comments of the last N days
    (default ``PRESSCLUB_MOST_COMMENTED_DAYS``, 30; 0 counts all). One query; none, and an empty
    list, when the template has no ``pages`` to give.
    """
    if not hasattr(pages, "annotate"):  # a missing template variable arrives as ""
        return []
    return list(_most_commented(pages, most_commented_since(days))[:limit])


def most_commented_totals(pages, limit: int = MOST_COMMENTED_LIMIT, days: int | None = None) -> list[tuple[int, int]]:
    """Return ``(page id, comment total)`` of the pages :func:`most_commented_articles` lists, in its order.

    For code that needs the ranking, not the pages (the purge after a comment): one query that
    groups by the page's id alone, where the tag's reads, and groups by, every field of each page.
    """
    return list(most_commented_ranking(pages, since=most_commented_since(days))[:limit])


def most_commented_since(days: int | None = None) -> dt.datetime | None:
    """Return when the window of "Most commented" starts: ``days`` (default
    ``PRESSCLUB_MOST_COMMENTED_DAYS``) before now, an aware datetime; None when ``days`` is 0 (all time)."""
    days = settings.PRESSCLUB_MOST_COMMENTED_DAYS if days is None else days
    return timezone.now() - dt.timedelta(days=days) if days else None


def most_commented_ranking(pages, *, since: dt.datetime | None):
    """Return the ``(page id, comment total)`` rows of :func:`most_commented_totals` as a queryset, not
    sliced, counting the comments posted from ``since`` on (None: all of them).

    For code that compiles the query once and runs it with other values (``core.compiled``).
    """
    return _most_commented(pages.values("pk"), since).values_list("pk", "comment_total")


def _most_commented(pages, since: dt.datetime | None):
    # ``pages`` with at least one counted comment, annotated with ``comment_total``, most first.
    # (Grouped by what ``pages`` selects: every field, or the id alone after ``values("pk")``.)
    counted = Q(reader_comments__status=CommentStatus.APPROVED, reader_comments__is_deleted=False)
    if since is not None:
        counted &= Q(reader_comments__created_at__gte=since)
        # Only pages with a comment in the window are counted: the window's comments come from the
        # (status, is_deleted, created_at) index, instead of every comment of every story being
        # grouped (50 ms at 100,000 stories and 450,000 comments on a busy machine, against a second).
        recent = Comment.objects.filter(status=CommentStatus.APPROVED, is_deleted=False, created_at__gte=since)
        pages = pages.filter(pk__in=recent.values("page_id"))
    return (
        pages.annotate(comment_total=Count("reader_comments", filter=counted))
        .filter(comment_total__gt=0)
        .order_by("-comment_total", "-first_published_at", "-pk")
    )
