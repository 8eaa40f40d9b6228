"""The digest: for each follower, the stories published since their last one that match what they follow.

``digests_send`` is run by ``pressclub send-digests`` (and so by the worker's schedule, daily and
weekly). It reads the candidate stories once for all followers (one query for the stories, one each
for their labels and bylines), then writes one e-mail per follower into the outbox with the
idempotency key ``follows:digest:<follower id>:<period>``: a run killed mid-way and run again, or two
runs of the same period, put each follower's digest into the outbox once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from .models import Follow, Follower, FollowKind, Frequency

logger = logging.getLogger(__name__)


@dataclass
class Story:
    """A story as a digest shows it: headline and dek in the story's own language, byline, link."""

    pk: int
    headline: str
    dek: str
    language: str
    url: str
    byline: list[str]
    byline_credit: str
    published_at: dt.datetime
    section_id: int | None
    label_ids: set[int] = field(default_factory=set)
    author_ids: set[int] = field(default_factory=set)


@dataclass
class DigestReport:
    """What one ``digests_send`` run did: digests put into the outbox, followers with nothing new, and
    followers whose digest for this period had gone already."""

    period: str
    sent: int = 0
    nothing_new: int = 0
    already_sent: int = 0


def digest_period(frequency: str, now: dt.datetime) -> str:
    """Return the period a digest sent at ``now`` belongs to, in the site's time zone.

    Daily: the date, ``"2026-12-06"``; weekly: the ISO week, ``"2026-W49"``. Raise ValueError for
    another frequency.
    """
    local = timezone.localtime(now)
    if frequency == Frequency.DAILY:
        return local.date().isoformat()
    if frequency == Frequency.WEEKLY:
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    raise ValueError(f"Unknown digest frequency {frequency!r} (daily or weekly).")


def stories_since(since: dt.datetime, until: dt.datetime) -> list[Story]:
    """Return the live public stories first published in (``since``, ``until``], newest first.

    Wire stories that point their canonical URL elsewhere are stories of the site too and are kept.
    """
    from wagtail.models import Page

    from pressclub.core.links import absolute_url
    from pressclub.news.models import ArticleAuthor, ArticleLabel, ArticlePage, SectionPage

    pages = list(
        ArticlePage.objects.published()
        .filter(first_published_at__gt=since, first_published_at__lte=until)
        .only("pk", "title", "dek", "language", "url_path", "path", "depth", "first_published_at", "byline_credit")
    )
    if not pages:
        return []
    sections = {p.path: p.pk for p in SectionPage.objects.only("pk", "path")}
    ids = [p.pk for p in pages]
    labels, authors, names = defaultdict(set), defaultdict(set), defaultdict(list)
    for page_id, tag_id in ArticleLabel.objects.filter(content_object_id__in=ids).values_list("content_object_id", "tag_id"):
        labels[page_id].add(tag_id)
    bylines = ArticleAuthor.objects.filter(page_id__in=ids).order_by("page_id", "sort_order", "pk")
    for page_id, author_id, name in bylines.values_list("page_id", "author_id", "author__name"):
        authors[page_id].add(author_id)
        names[page_id].append(name)
    site_root = None
    stories = []
    for page in pages:
        url = page.get_url()  # relative to the page's site; absolute below
        if site_root is None:
            site_root = absolute_url("/", page=page).rstrip("/")
        stories.append(Story(
            pk=page.pk, headline=page.title, dek=page.dek, language=page.language or settings.LANGUAGE_CODE,
            url=url if url.startswith("http") else site_root + url, byline=names[page.pk],
            byline_credit=page.byline_credit, published_at=page.first_published_at,
            section_id=sections.get(page.path[: len(page.path) - Page.steplen]),
            label_ids=labels[page.pk], author_ids=authors[page.pk],
        ))  # fmt: skip
    return stories


def _matches(story: Story, follows: list[tuple[str, int | None, dt.datetime]]) -> bool:
    for kind, target, window_start in follows:
        if story.published_at <= window_start:
            continue
        if kind == FollowKind.SITE:
            return True
        if kind == FollowKind.SECTION and story.section_id == target:
            return True
        if kind == FollowKind.LABEL and target in story.label_ids:
            return True
        if kind == FollowKind.AUTHOR and target in story.author_ids:
            return True
    return False


def digests_send(*, frequency: str, now: dt.datetime | None = None) -> DigestReport:
    """Put into the outbox the ``frequency`` digest of every active follower with something new.

    A follower's digest gathers their confirmed follows of that ``frequency`` (each topic has its
    own): the stories first published after a follow's ``digest_since`` and up to ``now`` that match
    it, newest first, at most ``PRESSCLUB_DIGEST_MAX_STORIES``; nothing when there are none (the
    windows then stay open). A follower one of whose follows of that frequency carried this period's
    digest already counts as sent. Digests are written with those follows' new ``digest_since`` and
    ``last_period`` in transactions of ``PRESSCLUB_DIGEST_BATCH`` followers. Raise ValueError for an
    unknown ``frequency``.
    """
    from .emails import DigestWriter

    now = now or timezone.now()
    period = digest_period(frequency, now)
    report = DigestReport(period=period)
    followers = list(Follower.objects.with_digest(frequency).order_by("pk"))
    if not followers:
        return report
    follows, follow_ids, done = defaultdict(list), defaultdict(list), set()
    rows = Follow.objects.filter(
        confirmed_at__isnull=False, frequency=frequency, follower__unsubscribed_at=None
    ).values_list("pk", "follower_id", "kind", "section_id", "label_id", "author_id", "digest_since", "last_period")
    since = now
    for pk, follower_id, kind, section_id, label_id, author_id, window, last in rows.iterator(chunk_size=5000):
        follows[follower_id].append((kind, section_id or label_id or author_id, window or now))
        follow_ids[follower_id].append(pk)
        since = min(since, window or now)
        if last == period:
            done.add(follower_id)
    stories = stories_since(since, now)
    most = settings.PRESSCLUB_DIGEST_MAX_STORIES
    batch = settings.PRESSCLUB_DIGEST_BATCH
    writer = DigestWriter()
    outbox = get_connection()
    for start in range(0, len(followers), batch):
        # One transaction per batch: the digests and their follows' new windows are written
        # together (a failure leaves the whole batch to the next run), with one commit, not one per
        # mail; the outbox stores the batch at once and delivers it over one SMTP connection.
        with transaction.atomic():
            messages, sent = [], []
            for follower in followers[start : start + batch]:
                if follower.pk in done:
                    report.already_sent += 1
                    continue
                chosen = [s for s in stories if _matches(s, follows[follower.pk])]
                if not chosen:
                    report.nothing_new += 1
                    continue
                messages.append(writer.digest(follower=follower, stories=chosen[:most], period=period))
                sent.extend(follow_ids[follower.pk])
            if messages:
                outbox.send_messages(messages)
            Follow.objects.filter(pk__in=sent).update(digest_since=now, last_period=period)
        report.sent += len(messages)
    return report
