"""A page's comment thread: which comments a reader sees, in what order, its HTML, and its cache.

One reader's thread is built in four steps, each a function here and each called once by
:func:`thread_for_reader` (the comment section's template tag asks only that):

1. the rows: :func:`visible_comments` (approved, plus the reader's own pending ones; one query);
2. the tree: :func:`build_thread` orders them as shown, nesting replies three levels deep;
3. the HTML: :func:`render_thread` writes the ``<ol>`` in Python (see below why);
4. the cache: the approved comments rendered once per page (:class:`ThreadFragment`), kept in
   Django's cache under a version that :func:`thread_forget` increases, with each reader's own
   Edit and Delete links spliced in (:func:`personal_thread_html`).

What a reader may do (reply, edit, delete, flag) is decided by :mod:`pressclub.comments.policy`;
this module only shows the links those answers allow.

A Django template loop costs about 180 µs of CPU per comment here (each ``{{ }}`` and ``{% if %}``
resolves through the context stack); the article page with 200 comments must render in a few
milliseconds, so the thread's markup is written with :func:`django.utils.html.escape` instead.
Every value that comes from a reader is escaped here; ``body_html`` was sanitised by nh3 when it
was saved (``text.render_body``) and is shown with e-mail addresses masked (``Comment.public_html``). The section around the thread stays a template
(``comments/comment_section.html``); the styles are in ``css/site.css`` (``.thread``).

The markup is kept small (the page with 200 comments must stay under 70 KB)::

    <ol class="thread">
      <li id="comment-7"><h3>Name</h3> <a href="#comment-7"><time datetime="2026-03-15T08:10Z">15 March
      2026, 08:10 UTC</time></a>BODY<p class="act"><a href="?replyto=7#respond">Reply</a> …</p>
        <ol class="thread">…replies…</ol></li>
    </ol>

Each comment is a list item whose id is its permalink, with the author's name as a level-3
heading (so screen readers can move from comment to comment), and actions only for what the
reader may do.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy

from pressclub.core.cache import cached_until_purge, cached_until_purge_keys, page_cache_renew_scopes
from pressclub.core.compiled import CompiledQuery, primary_key
from pressclub.core.numerals import DIGIT_TABLES, zone_name

from .models import Comment, CommentStatus, HoldReason
from .policy import edit_permission

MAX_DEPTH = 3  # levels shown nested; deeper replies are shown at the third level, "in reply to <name>"
# Seconds Django's cache keeps the pages where a member has comments awaiting moderation (each
# change renews them at once: pending_changed); a bound in case a change bypassed the model signals.
PENDING_CACHE_SECONDS = 300
THREAD_CACHE_SECONDS = 600  # a renamed member's threads are forgotten at once (tasks.purge_renamed_member_pages)
COMMENTS_PER_PAGE = 100  # a page of the thread holds whole top-level threads, at most this many comments
# A thread up to this size stays whole on the story (200 comments are about 80 KB of HTML, 7 KB
# gzipped): readers, and search engines, see every comment with the story, as on Blogger and
# WordPress. Only a larger, viral thread is split into pages.
ONE_PAGE_UP_TO = 300
# (unless one top-level comment has more replies than that: it then fills a page alone)
PAGE_PARAMETER = "comments"  # ?comments=2 shows the thread's second page


# --- 1. the rows ---------------------------------------------------------------------------------


def visible_comments(page, *, user=None, own_ids=()) -> list[Comment]:
    """Return the rows a reader sees on ``page`` in one query: approved, plus their own pending ones."""
    wanted = Q(status=CommentStatus.APPROVED)
    if getattr(user, "is_authenticated", False):
        wanted |= Q(status=CommentStatus.PENDING, user=user)
    if own_ids:
        wanted |= Q(status=CommentStatus.PENDING, pk__in=list(own_ids))
    rows = Comment.objects.for_page(page).filter(wanted).select_related("user")
    return list(rows.order_by("created_at", "pk"))


# --- 2. the tree ---------------------------------------------------------------------------------


@dataclass
class CommentNode:
    """One comment as the thread shows it.

    ``depth`` is the nesting level shown (0–2); ``in_reply_to`` is the parent when the reply is
    shown flattened below its real depth; ``opens`` says replies follow nested inside this item;
    ``closes`` counts the nested lists that end after it (a range, for the template's loop).
    """

    comment: Comment
    depth: int = 0
    in_reply_to: Comment | None = None
    opens: bool = False
    closes: range = field(default_factory=lambda: range(0))
    own: bool = False
    pending: bool = False
    unconfirmed: bool = False
    can_edit: bool = False
    name: str = ""
    url: str = ""


def _safe_web_url(url: str) -> str:
    return url if url[:8].lower().startswith(("http://", "https://")) else ""


def build_thread(comments: list[Comment], *, user=None, own_ids=(), now=None) -> tuple[list[CommentNode], int]:
    """Return the thread in display order and the number of approved comments in it.

    ``comments`` are one page's visible rows (approved, plus the reader's own pending ones),
    oldest first. Deleted comments stay as placeholders only while they have shown replies; a reply
    whose parent is not shown is listed at the top level. No query is made here.
    """
    now = now or timezone.now()
    by_id = {c.pk: c for c in comments}
    children: dict[int | None, list[Comment]] = defaultdict(list)
    for c in comments:
        children[c.parent_id if c.parent_id in by_id else None].append(c)

    # Keep a deleted comment only if something below it is shown (post-order, without recursion).
    shown: dict[int, bool] = {}
    for c in reversed(_preorder(children)):
        shown[c.pk] = not c.is_deleted or any(shown[k.pk] for k in children.get(c.pk, ()))

    nodes: list[CommentNode] = []
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    stack = [(c, 0) for c in reversed(children[None])]
    while stack:
        c, true_depth = stack.pop()
        if not shown[c.pk]:
            continue
        own = bool(user_id and c.user_id == user_id) or c.pk in own_ids
        node = CommentNode(
            comment=c,
            depth=min(true_depth, MAX_DEPTH - 1),
            in_reply_to=by_id.get(c.parent_id) if true_depth >= MAX_DEPTH else None,
            own=own,
            pending=c.status == CommentStatus.PENDING,
            unconfirmed=c.is_held_for(HoldReason.EMAIL_UNCONFIRMED),
            can_edit=bool(user_id) and edit_permission(user=user, comment=c, now=now).allowed,
            name=c.display_name,
            url=_safe_web_url(c.author_url),
        )
        nodes.append(node)
        stack.extend((k, true_depth + 1) for k in reversed(children.get(c.pk, ())))
    for i, node in enumerate(nodes):
        next_depth = nodes[i + 1].depth if i + 1 < len(nodes) else 0
        node.opens = next_depth > node.depth
        node.closes = range(0 if node.opens else node.depth - next_depth)
    count = sum(1 for c in comments if c.status == CommentStatus.APPROVED and not c.is_deleted)
    return nodes, count


def _preorder(children) -> list[Comment]:
    out, stack = [], list(reversed(children[None]))
    while stack:
        c = stack.pop()
        out.append(c)
        stack.extend(reversed(children.get(c.pk, ())))
    return out


# --- 2b. the pages ------------------------------------------------------------------------------


def split_pages(sizes, per_page: int = COMMENTS_PER_PAGE) -> list[int]:
    """Return the page number (1, 2 …) of each top-level thread, given each one's size in comments.

    Threads are never split: a page is closed when the next thread would take it past ``per_page``
    comments (a thread larger than ``per_page`` gets a page of its own). ``sizes`` are in display
    order (oldest first). ``split_pages([60, 30, 20, 150, 5, 100]) == [1, 1, 2, 3, 4, 5]``; a thread of
    at most ``ONE_PAGE_UP_TO`` comments is one page (``split_pages([60, 30]) == [1, 1]``).
    """
    if sum(sizes) <= ONE_PAGE_UP_TO:
        return [1] * len(sizes)
    pages, page, filled = [], 1, 0
    for size in sizes:
        if filled and filled + size > per_page:
            page, filled = page + 1, 0
        pages.append(page)
        filled += size
    return pages


def pages_of_rows(rows, per_page: int = COMMENTS_PER_PAGE) -> dict[int, int]:
    """Return ``{comment id: page number}`` for one page's approved comments, as the thread splits them.

    ``rows`` are ``(id, parent_id, is_deleted)`` tuples, oldest first (one ``values_list`` query);
    the tree is the one :func:`build_thread` shows (a deleted comment counts only while a shown
    reply hangs below it). Comments not shown are absent from the result. The one answer to "which
    page shows this comment": links (:func:`comment_link`, feeds, purges) and the rendered thread's
    pages (:func:`build_fragment`) both take it from here.
    """
    ids = {pk for pk, _, _ in rows}
    children: dict[int | None, list[int]] = defaultdict(list)
    deleted = {}
    for pk, parent_id, is_deleted in rows:
        children[parent_id if parent_id in ids else None].append(pk)
        deleted[pk] = is_deleted
    groups = []
    for root in children[None]:
        if root not in children:  # a comment without replies (most): its own group when shown
            if not deleted[root]:
                groups.append((root,))
            continue
        order, stack = [], [root]
        while stack:
            pk = stack.pop()
            order.append(pk)
            stack.extend(reversed(children.get(pk, ())))
        shown: dict[int, bool] = {}
        for pk in reversed(order):
            shown[pk] = not deleted[pk] or any(shown[k] for k in children.get(pk, ()))
        members = [pk for pk in order if shown[pk]]
        if members:
            groups.append(members)
    out = {}
    for members, page in zip(groups, split_pages([len(g) for g in groups], per_page), strict=True):
        out.update(dict.fromkeys(members, page))
    return out


# One page's approved comments as pages_of_rows takes them, compiled once per process
# (core.compiled): the purge after each comment and the author's link read them.
_page_rows = CompiledQuery(
    lambda _shape, page_id: Comment.objects.approved().filter(page_id=page_id).order_by("created_at", "pk")
    .values_list("pk", "parent_id", "is_deleted"),
    model=Comment, slots={"page_id": primary_key()},
)


def comment_pages(page_ids) -> dict[int, dict[int, int]]:
    """Return ``{page id: {comment id: thread page number}}`` for ``page_ids`` (a page without
    approved comments is left out), in one query."""
    page_ids = list(page_ids)
    if len(page_ids) == 1:
        page_rows = _page_rows.rows(page_id=page_ids[0])
        return {page_ids[0]: pages_of_rows(page_rows)} if page_rows else {}
    rows: dict[int, list] = defaultdict(list)
    approved = Comment.objects.approved().filter(page_id__in=page_ids).order_by("created_at", "pk")
    for page_id, pk, parent_id, is_deleted in approved.values_list("page_id", "pk", "parent_id", "is_deleted"):
        rows[page_id].append((pk, parent_id, is_deleted))
    return {page_id: pages_of_rows(page_rows) for page_id, page_rows in rows.items()}


def thread_page_of(comment, pages: dict[int, int]) -> int:
    """Return the thread page that shows ``comment``, given its page's ``{comment id: page}`` map.

    A comment not yet approved shows beside its parent when it is a reply, else on the last page
    (it is the newest).
    """
    if comment.pk in pages:
        return pages[comment.pk]
    if comment.parent_id in pages:
        return pages[comment.parent_id]
    return max(pages.values(), default=1)


def comment_link(page_url: str, comment, pages: dict[int, int] | None = None) -> str:
    """Return the link to ``comment`` on its page: ``<page url>#comment-<id>`` on the thread's first
    page, ``<page url>?comments=<n>#comment-<id>`` on a later one.

    ``pages`` is the page's ``{comment id: page}`` map (:func:`comment_pages`); when not given it is
    read (one query).
    """
    if pages is None:
        pages = comment_pages([comment.page_id]).get(comment.page_id, {})
    number = thread_page_of(comment, pages)
    query = f"?{PAGE_PARAMETER}={number}" if number > 1 else ""
    return f"{page_url}{query}#comment-{comment.pk}"


# --- 3. the HTML ---------------------------------------------------------------------------------

# The thread's fixed words, translated into the active language each time a thread is rendered.
DELETED = gettext_lazy("This comment was deleted by its author.")
PENDING = gettext_lazy("Your comment is awaiting moderation.")
UNCONFIRMED = gettext_lazy("Confirm your e-mail address with the link we sent you.")


def _url_pattern(name: str) -> str:
    # reverse() once with a sentinel id, then substitute: reversing per comment is slow.
    return reverse(f"comments:{name}", args=[999999999]).replace("999999999", "{}")


class ActionLinks:
    """Builds the ``<p class="act">`` line of one comment: Reply, Edit, Delete, Flag.

    The URL patterns are reversed once per instance, not per comment.
    """

    def __init__(self):
        self.edit, self.delete, self.flag = (_url_pattern(n) for n in ("edit", "delete", "flag"))
        self.words = {"Reply": escape(gettext("Reply")), "Edit": escape(gettext("Edit")),
                      "Delete": escape(gettext("Delete")), "Flag": escape(gettext("Flag"))}

    def html(self, pk: int, *, reply: bool, edit: bool = False, delete: bool = False, flag: bool = False) -> str:
        """Return the action line of comment ``pk`` with the links asked for ("" when none)."""
        links = []
        if reply:
            links.append(f'<a href="?replyto={pk}#respond">{self.words["Reply"]}</a>')
        if edit:
            links.append(f'<a href="{self.edit.format(pk)}">{self.words["Edit"]}</a>')
        if delete:
            links.append(f'<a href="{self.delete.format(pk)}">{self.words["Delete"]}</a>')
        if flag:
            links.append(f'<a href="{self.flag.format(pk)}">{self.words["Flag"]}</a>')
        return f'<p class="act">{" ".join(links)}</p>' if links else ""


def render_thread(nodes, *, reply_allowed: bool, can_flag: bool, spans: dict | None = None,
                  starts: list | None = None) -> SafeString:
    """Return the ``<ol>`` of a thread built by :func:`build_thread`.

    ``reply_allowed`` shows "Reply" links (the reader may comment); ``can_flag`` shows "Flag" on
    others' shown comments (the reader is a member). Empty string for an empty thread.

    When ``spans`` is a dict, it receives ``{comment id: (start, end)}``, the character offsets of
    the action line of every shown comment written by an account, so that a cached copy of the
    thread can be given a reader's own Edit and Delete links (see :func:`personal_thread_html`).
    When ``starts`` is a list, it receives the offset where each node's markup starts (one per node).
    """
    if not nodes:
        return mark_safe("")
    actions = ActionLinks()
    # "j F Y, H:i T" by hand: django.utils.dateformat costs 40 µs a call, most of a comment's time.
    months = {number: str(name) for number, name in MONTHS.items()}
    digits = DIGIT_TABLES.get((get_language() or "en").split("-")[0])
    deleted = f'<p class="comment-deleted"><em>{escape(DELETED)}</em></p>'
    pending_text, unconfirmed_text = escape(PENDING), escape(UNCONFIRMED)
    in_reply_to, edited_word = escape(gettext("in reply to")), escape(gettext("edited"))
    out = ['<ol class="thread">']
    append = out.append
    length = len(out[0])  # characters written so far, for ``spans``
    for node in nodes:
        c = node.comment
        pk = c.pk
        if starts is not None:
            starts.append(length)
        if c.is_deleted:
            part = f'<li id="comment-{pk}">{deleted}'
        else:
            name = escape(node.name)  # in its own <h3>: a right-to-left name cannot reorder what follows
            if node.url:
                name = f'<a href="{escape(node.url)}" rel="nofollow ugc noopener">{name}</a>'
            reply_to = ""
            if node.in_reply_to is not None:
                reply_to = (f' <span>{in_reply_to} <a href="#comment-{node.in_reply_to.pk}">'
                            f"<bdi>{escape(node.in_reply_to.display_name)}</bdi></a></span>")
            when = timezone.localtime(c.created_at)
            utc = c.created_at.astimezone(dt.UTC)
            edited = f" · <span>{edited_word}</span>" if c.edited_at else ""
            pending = ""
            if node.pending:
                extra = f" {unconfirmed_text}" if node.unconfirmed else ""
                pending = f'<p class="comment-status">{pending_text}{extra}</p>'
            shown = f"{when.day} {months[when.month]} {when.year}, {when:%H:%M} {zone_name(when)}"
            if digits:
                shown = shown.translate(digits)
            part = (
                f'<li id="comment-{pk}"><h3>{name}</h3>{reply_to} <a href="#comment-{pk}"><time datetime='
                f'"{utc:%Y-%m-%dT%H:%M}Z">{shown}</time></a>'
                f"{edited}{pending}{c.public_html}"
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


# --- 4. the cache ---------------------------------------------------------------------------------
# The approved comments of a page look the same to every reader who may (or may not) reply and
# flag, so their rendered thread is kept in Django's cache, per page, under a version number that
# every change to a shown comment increases (``signal_handlers``). What differs per reader — their
# own Edit/Delete links — is spliced in at the offsets recorded when the thread was rendered; a
# reader with comments awaiting moderation gets the thread rendered afresh.

def _version_key(page_id: int) -> str:
    return f"pressclub:comments:thread-version:{page_id}"


def thread_version(page_id: int) -> int:
    """Return the version of ``page_id``'s cached thread (an int that :func:`thread_forget` increases)."""
    version = cache.get(_version_key(page_id))
    if version is None:
        cache.add(_version_key(page_id), _fresh_version(), timeout=None)
        version = cache.get(_version_key(page_id), 0)
    return version


def _next_version(page_id: int) -> None:
    try:
        cache.incr(_version_key(page_id))
    except ValueError:  # no version yet (or it was evicted): start from one never used before
        cache.add(_version_key(page_id), _fresh_version(), timeout=None)


def thread_forget(*, page_id: int) -> None:
    """Make the next reader of page ``page_id`` render its comment thread afresh (its comments changed).

    The thread is forgotten now (so this request and the tests see the change) and again once the
    current transaction commits (so a reader who cached the old thread in between does not keep
    it). Code that writes comments without the services (a bulk import) calls this per page.
    """
    _next_version(page_id)
    transaction.on_commit(lambda: _next_version(page_id))


def _fresh_version() -> int:
    # Milliseconds since the epoch: a version key evicted from the cache never comes back as a
    # number that an older, still cached thread was stored under.
    return int(time.time() * 1000)


@dataclass(frozen=True)
class Owned:
    """What the policy needs to know of a cached comment to answer "may its author edit it?"."""

    user_id: int
    created_at: dt.datetime
    status: str = CommentStatus.APPROVED
    is_deleted: bool = False


@dataclass
class ThreadFragment:
    """The approved comments of a page rendered once, as kept in the cache.

    ``html`` is the thread; ``count`` the approved comments in it; ``names`` the display names of
    the comments one may reply to, by id; ``owners`` maps the id of each shown comment written by
    an account to its :class:`Owned` facts; ``spans`` the offsets of those comments' action lines
    in ``html`` (see :func:`render_thread`); ``pages`` the character range, inside the outer
    ``<ol>``, of each page of the thread (:func:`split_pages`); ``page_of`` the page number of each
    shown comment, by id.
    """

    html: str
    count: int
    names: dict[int, str]
    owners: dict[int, Owned]
    spans: dict[int, tuple[int, int]]
    pages: list[tuple[int, int]] = field(default_factory=list)
    page_of: dict[int, int] = field(default_factory=dict)

    def page_count(self) -> int:
        """Return the number of pages of the thread (1 for an empty thread)."""
        return max(len(self.pages), 1)


def _node_groups(nodes) -> list[list[int]]:
    """Return the indexes of ``nodes`` grouped by top-level thread (a group starts at depth 0)."""
    groups: list[list[int]] = []
    for i, node in enumerate(nodes):
        if node.depth == 0 or not groups:
            groups.append([])
        groups[-1].append(i)
    return groups


def _fragment_key(page, *, reply_allowed: bool, can_flag: bool) -> str:
    variant = f"{int(reply_allowed)}{int(can_flag)}:{timezone.get_current_timezone_name()}:{get_language()}"
    return f"pressclub:comments:thread:{page.pk}:{thread_version(page.pk)}:{variant}"


def build_fragment(approved: list[Comment], *, reply_allowed: bool, can_flag: bool) -> ThreadFragment:
    """Render ``approved`` (one page's approved comments, oldest first) as every reader sees them."""
    nodes, count = build_thread(approved)
    spans: dict[int, tuple[int, int]] = {}
    starts: list[int] = []
    html = str(render_thread(nodes, reply_allowed=reply_allowed, can_flag=can_flag, spans=spans, starts=starts))
    shown = [n.comment for n in nodes if not n.comment.is_deleted]
    # The page numbers the links use too (see pages_of_rows).
    page_of = pages_of_rows([(c.pk, c.parent_id, c.is_deleted) for c in approved])
    first_node: dict[int, int] = {}  # page number: index of its first node
    for i, node in enumerate(nodes):
        first_node.setdefault(page_of[node.comment.pk], i)
    ends = [starts[first_node[n + 1]] for n in range(1, len(first_node))] + [len(html) - len("</ol>")]
    pages = [(starts[first_node[n]], ends[n - 1]) for n in range(1, len(first_node) + 1)]
    return ThreadFragment(
        html=html,
        count=count,
        names={c.pk: c.display_name for c in shown},
        owners={c.pk: Owned(c.user_id, c.created_at) for c in shown if c.user_id},
        spans=spans,
        pages=pages,
        page_of=page_of,
    )


def personal_thread_html(fragment: ThreadFragment, *, user, reply_allowed: bool, now=None,
                         number: int = 1) -> SafeString:
    """Return page ``number`` of ``fragment``'s thread with Edit/Delete (and no Flag) on ``user``'s
    own comments. ``number`` must be between 1 and ``fragment.page_count()``."""
    if not fragment.pages:
        return mark_safe(fragment.html)
    first, last = fragment.pages[number - 1]
    user_id = user.pk if user is not None and user.is_authenticated else None
    own = [pk for pk, owned in fragment.owners.items() if owned.user_id == user_id] if user_id else []
    own = [pk for pk in own if first <= fragment.spans[pk][0] < last]
    now = now or timezone.now()
    links = ActionLinks()
    html, pieces, done = fragment.html, ['<ol class="thread">'], first
    for pk in sorted(own, key=lambda pk: fragment.spans[pk][0]):
        start, end = fragment.spans[pk]
        may_edit = edit_permission(user=user, comment=fragment.owners[pk], now=now).allowed
        pieces += [html[done:start], links.html(pk, reply=reply_allowed, edit=may_edit, delete=True)]
        done = end
    pieces += [html[done:last], "</ol>"]
    return mark_safe("".join(pieces))


def reader_has_pending(page, *, user) -> bool:
    """Return True when signed-in ``user`` has comments awaiting moderation on ``page`` (one query)."""
    return Comment.objects.for_page(page).filter(status=CommentStatus.PENDING, user=user).exists()


def pending_scope(user_id) -> str:
    """Return the cache scope of the pages where account ``user_id`` has comments awaiting moderation."""
    return f"comments-pending:{user_id}"


def reader_pending_pages(user_id) -> frozenset:
    """Return the ids of the pages where account ``user_id`` has comments awaiting moderation.

    For members' shared pages (``member_holes``): read from Django's cache when it holds them (no
    query), else with one query, and kept ``PENDING_CACHE_SECONDS`` at most. Any comment of the
    account saved or deleted renews them once it commits (:func:`pending_changed`).
    """
    def pages():
        rows = Comment.objects.filter(status=CommentStatus.PENDING, user_id=user_id).values_list("page_id", flat=True)
        return frozenset(rows)

    return cached_until_purge(pending_key(user_id), pages, timeout=PENDING_CACHE_SECONDS,
                              scope=pending_scope(user_id))


def pending_key(user_id) -> str:
    """Return the cache key of :func:`reader_pending_pages` for account ``user_id``."""
    return f"pressclub:comments-pending:{user_id}"


def pending_read_ahead_keys(user_id) -> list[str]:
    """Return the cache keys :func:`reader_pending_pages` reads for account ``user_id`` (read ahead
    with a member's page: ``core.member_pages.register_read_ahead``)."""
    return cached_until_purge_keys(pending_key(user_id), pending_scope(user_id))


def pending_changed(user_ids) -> None:
    """Forget the pages :func:`reader_pending_pages` keeps for the accounts ``user_ids`` once the
    transaction commits (a comment of theirs was posted, held, approved, edited or deleted)."""
    scopes = [pending_scope(pk) for pk in set(user_ids) if pk is not None]
    if scopes:
        transaction.on_commit(lambda: page_cache_renew_scopes(scopes), robust=True)


def _cached_fragment(page, *, reply_allowed: bool, can_flag: bool) -> ThreadFragment:
    # The page's approved thread from the cache, rendered (one query) and kept when missing.
    key = _fragment_key(page, reply_allowed=reply_allowed, can_flag=can_flag)
    fragment = cache.get(key)
    if fragment is None:
        approved = [c for c in visible_comments(page) if c.status == CommentStatus.APPROVED]
        fragment = build_fragment(approved, reply_allowed=reply_allowed, can_flag=can_flag)
        cache.set(key, fragment, THREAD_CACHE_SECONDS)
    return fragment


def shared_thread(page, *, reply_allowed: bool, can_flag: bool, number: int, hole) -> ReaderThread:
    """Return page ``number`` of ``page``'s thread as every signed-in reader of one kind shares it.

    Made for a member's shared copy of the page (``core.member_pages``): ``hole(name, html, data)``
    returns the marker of a hole. The thread is wrapped in the holes ``thread-start`` (data:
    ``(page id, reply_allowed, can_flag, number)``; a reader with comments awaiting moderation
    gets their own thread there) and ``thread-end``; the action line of each comment written by an
    account is the hole ``comment-actions`` (data: ``(id, author's user id, created_at,
    reply_allowed, the line as others see it)``), where its author gets Edit and Delete.
    """
    fragment = _cached_fragment(page, reply_allowed=reply_allowed, can_flag=can_flag)
    pages = fragment.page_count()
    number = min(max(number, 1), pages)
    if not fragment.pages:
        body = fragment.html
    else:
        first, last = fragment.pages[number - 1]
        html, pieces, done = fragment.html, ['<ol class="thread">'], first
        owned = [pk for pk in fragment.owners if first <= fragment.spans[pk][0] < last]
        for pk in sorted(owned, key=lambda pk: fragment.spans[pk][0]):
            start, end = fragment.spans[pk]
            owner = fragment.owners[pk]
            data = (pk, owner.user_id, owner.created_at, reply_allowed, html[start:end])
            pieces += [html[done:start], hole("comment-actions", html[start:end], data)]
            done = end
        pieces += [html[done:last], "</ol>"]
        body = "".join(pieces)
    start = hole("thread-start", "", (page.pk, reply_allowed, can_flag, number))
    html = mark_safe(f"{start}{body}{hole('thread-end', '', None)}")
    return ReaderThread(html=html, count=fragment.count, names=fragment.names, number=number, pages=pages)


# --- one reader's thread -----------------------------------------------------------------------------


@dataclass
class ReaderThread:
    """A page's thread as one reader sees it: ``html`` (page ``number`` of ``pages``), the approved
    ``count``, and ``names`` (the display names of the comments one may reply to, by id, on every page)."""

    html: SafeString
    count: int
    names: dict[int, str]
    number: int = 1
    pages: int = 1


def thread_for_reader(page, *, user, own_ids=(), reply_allowed: bool, can_flag: bool, number: int = 1,
                      has_pending: bool | None = None) -> ReaderThread:
    """Return page ``number`` of ``page``'s thread for ``user`` (a User or AnonymousUser).

    ``has_pending`` is whether a signed-in ``user`` has comments awaiting moderation on the page,
    when the caller has asked already (None: ask here).

    ``number`` past the last page gives the last page, below 1 the first.

    ``own_ids`` are the ids of pending comments an anonymous reader posted in this session;
    ``reply_allowed`` (the policy lets them comment) shows "Reply", ``can_flag`` (the policy lets
    them flag) shows "Flag" on others' shown comments. Costs, when the page's thread is cached,
    no query for an anonymous reader and one for a signed-in reader (have they comments awaiting
    moderation here?), plus one for the rows if they have; when it is not cached, one query.
    """
    signed_in = bool(user is not None and user.is_authenticated)
    key = _fragment_key(page, reply_allowed=reply_allowed, can_flag=can_flag)
    fragment = cache.get(key)
    rows = None  # the reader's visible rows, when they had to be read
    if fragment is None or own_ids:
        rows = visible_comments(page, user=user, own_ids=own_ids)
    elif signed_in and (has_pending if has_pending is not None else reader_has_pending(page, user=user)):
        rows = visible_comments(page, user=user)
    if fragment is None:
        approved = [c for c in rows if c.status == CommentStatus.APPROVED]
        fragment = build_fragment(approved, reply_allowed=reply_allowed, can_flag=can_flag)
        cache.set(key, fragment, THREAD_CACHE_SECONDS)
    pages = fragment.page_count()
    number = min(max(number, 1), pages)
    if rows is not None and any(c.status != CommentStatus.APPROVED for c in rows):
        # The reader's own held comments sit inside the thread: render it for them alone, each
        # top-level thread on the page the approved thread puts it (a new one on the last page).
        nodes, _ = build_thread(rows, user=user, own_ids=own_ids)
        chosen = [
            i for group in _node_groups(nodes)
            if fragment.page_of.get(nodes[group[0]].comment.pk, pages) == number for i in group
        ]
        html = render_thread([nodes[i] for i in chosen], reply_allowed=reply_allowed, can_flag=can_flag)
    else:
        html = personal_thread_html(fragment, user=user, reply_allowed=reply_allowed, number=number)
    return ReaderThread(html=html, count=fragment.count, names=fragment.names, number=number, pages=pages)
