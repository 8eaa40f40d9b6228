"""HTML of a comment thread, built in Python for speed.

A Django template loop costs about 180 µs of CPU per comment here (each ``{{ }}`` and ``{% if %}``
resolves through the context stack); the article page with 200 comments must render in a few
milliseconds, so the thread's markup is written with :func:`django.utils.html.escape` instead.
Every value that comes from a reader is escaped here; ``body_html`` was sanitised by nh3 when it
was saved (``text.render_body``). The section around the thread stays a template
(``comments/comment_section.html``); the styles are in ``css/site.css`` (``.thread``).

The markup is kept small (the page with 200 comments must stay under 70 KB)::

    <ol class="thread">
      <li id="comment-7"><h3>Name</h3> <a href="#comment-7"><time datetime="2026-03-15T08:10Z">15 March
      2026, 08:10</time></a>BODY<p class="act"><a href="?replyto=7#respond">Reply</a> …</p>
        <ol class="thread">…replies…</ol></li>
    </ol>

Each comment is a list item whose id is its permalink, with the author's name as a level-3
heading (so screen readers can move from comment to comment), and actions only for what the
reader may do.
"""

from __future__ import annotations

import datetime as dt
import time

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

DELETED = '<p class="comment-deleted"><em>This comment was deleted by its author.</em></p>'
PENDING = '<p class="comment-status">Your comment is awaiting moderation.{}</p>'
UNCONFIRMED = " Confirm your e-mail address with the link we sent you."


def _url_pattern(name: str) -> str:
    # reverse() once with a sentinel id, then substitute: reversing per comment is slow.
    return reverse(f"comments:{name}", args=[999999999]).replace("999999999", "{}")


class ActionLinks:
    """Builds the ``<p class="act">`` line of one comment: Reply, Edit, Delete, Flag.

    The URL patterns are reversed once per instance, not per comment.
    """

    def __init__(self):
        self.edit, self.delete, self.flag = (_url_pattern(n) for n in ("edit", "delete", "flag"))

    def html(self, pk: int, *, reply: bool, edit: bool = False, delete: bool = False, flag: bool = False) -> str:
        """Return the action line of comment ``pk`` with the links asked for ("" when none)."""
        links = []
        if reply:
            links.append(f'<a href="?replyto={pk}#respond">Reply</a>')
        if edit:
            links.append(f'<a href="{self.edit.format(pk)}">Edit</a>')
        if delete:
            links.append(f'<a href="{self.delete.format(pk)}">Delete</a>')
        if flag:
            links.append(f'<a href="{self.flag.format(pk)}">Flag</a>')
        return f'<p class="act">{" ".join(links)}</p>' if links else ""


def render_thread(nodes, *, reply_allowed: bool, can_flag: bool, spans: dict | None = None) -> SafeString:
    """Return the ``<ol>`` of a thread built by ``templatetags.comments_tags.build_thread``.

    ``reply_allowed`` shows "Reply" links (the reader may comment); ``can_flag`` shows "Flag" on
    others' shown comments (the reader is a member). Empty string for an empty thread.

    When ``spans`` is a dict, it receives ``{comment id: (start, end)}``, the character offsets of
    the action line of every shown comment written by an account, so that a cached copy of the
    thread can be given a reader's own Edit and Delete links (see ``comments_tags``).
    """
    if not nodes:
        return mark_safe("")
    actions = ActionLinks()
    # "j F Y, H:i" by hand: django.utils.dateformat costs 40 µs a call, most of a comment's time.
    months = {number: str(name) for number, name in MONTHS.items()}
    out = ['<ol class="thread">']
    append = out.append
    length = len(out[0])  # characters written so far, for ``spans``
    for node in nodes:
        c = node.comment
        pk = c.pk
        if c.is_deleted:
            part = f'<li id="comment-{pk}">{DELETED}'
        else:
            name = escape(node.name)
            if node.url:
                name = f'<a href="{escape(node.url)}" rel="nofollow ugc noopener">{name}</a>'
            reply_to = ""
            if node.in_reply_to is not None:
                reply_to = (f' <span>in reply to <a href="#comment-{node.in_reply_to.pk}">'
                            f"{escape(node.in_reply_to.display_name)}</a></span>")
            when = timezone.localtime(c.created_at)
            utc = c.created_at.astimezone(dt.UTC)
            edited = " · <span>edited</span>" if c.edited_at else ""
            pending = PENDING.format(UNCONFIRMED if node.unconfirmed else "") if node.pending else ""
            part = (
                f'<li id="comment-{pk}"><h3>{name}</h3>{reply_to} <a href="#comment-{pk}"><time datetime='
                f'"{utc:%Y-%m-%dT%H:%M}Z">{when.day} {months[when.month]} {when.year}, {when:%H:%M}</time></a>'
                f"{edited}{pending}{c.body_html}"
            )
            line = actions.html(
                pk,
                reply=reply_allowed and not node.pending,
                edit=node.can_edit,
                delete=node.own and bool(c.user_id),
                flag=can_flag and not node.own and not node.pending,
            )
            if spans is not None and c.user_id:
                start = length + len(part)
                spans[pk] = (start, start + len(line))
            part += line
        part += '<ol class="thread">' if node.opens else "</li>" + "</ol></li>" * len(node.closes)
        append(part)
        length += len(part)
    append("</ol>")
    return mark_safe("".join(out))


# --- The cached thread -----------------------------------------------------------------------------
# The approved comments of a page look the same to every reader who may (or may not) reply and
# flag, so their rendered thread is kept in Django's cache, per page, under a version number that
# every change to a shown comment increases (``signal_handlers``). What differs per reader — their
# own Edit/Delete links — is spliced in at the offsets recorded when the thread was rendered; a
# reader with comments awaiting moderation gets the thread rendered afresh.

THREAD_CACHE_SECONDS = 600  # also bounds how long a changed display name may show its old spelling


def _version_key(page_id: int) -> str:
    return f"pressclub:comments:thread-version:{page_id}"


def thread_version(page_id: int) -> int:
    """Return the version of ``page_id``'s cached thread (an int that :func:`forget_thread` increases)."""
    from django.core.cache import cache

    version = cache.get(_version_key(page_id))
    if version is None:
        cache.add(_version_key(page_id), _fresh_version(), timeout=None)
        version = cache.get(_version_key(page_id), 0)
    return version


def forget_thread(page_id: int) -> None:
    """Make the next reader of ``page_id`` render its comment thread afresh (a comment was changed)."""
    from django.core.cache import cache

    try:
        cache.incr(_version_key(page_id))
    except ValueError:  # no version yet (or it was evicted): start from one never used before
        cache.add(_version_key(page_id), _fresh_version(), timeout=None)


def _fresh_version() -> int:
    # Milliseconds since the epoch: a version key evicted from the cache never comes back as a
    # number that an older, still cached thread was stored under.
    return int(time.time() * 1000)
