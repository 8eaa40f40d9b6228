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

from pressclub.core.numerals import DIGIT_TABLES, zone_name

from .models import Comment, CommentStatus, HoldReason
from .policy import edit_permission

MAX_DEPTH = 3  # levels shown nested; deeper replies are shown at the third level, "in reply to <name>"
THREAD_CACHE_SECONDS = 600  # also bounds how long a changed display name may show its old spelling


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


def render_thread(nodes, *, reply_allowed: bool, can_flag: bool, spans: dict | None = None) -> SafeString:
    """Return the ``<ol>`` of a thread built by :func:`build_thread`.

    ``reply_allowed`` shows "Reply" links (the reader may comment); ``can_flag`` shows "Flag" on
    others' shown comments (the reader is a member). Empty string for an empty thread.

    When ``spans`` is a dict, it receives ``{comment id: (start, end)}``, the character offsets of
    the action line of every shown comment written by an account, so that a cached copy of the
    thread can be given a reader's own Edit and Delete links (see :func:`personal_thread_html`).
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
    in ``html`` (see :func:`render_thread`).
    """

    html: str
    count: int
    names: dict[int, str]
    owners: dict[int, Owned]
    spans: dict[int, tuple[int, int]]


def _fragment_key(page, *, reply_allowed: bool, can_flag: bool) -> str:
    variant = f"{int(reply_allowed)}{int(can_flag)}:{timezone.get_current_timezone_name()}:{get_language()}"
    return f"pressclub:comments:thread:{page.pk}:{thread_version(page.pk)}:{variant}"


def build_fragment(approved: list[Comment], *, reply_allowed: bool, can_flag: bool) -> ThreadFragment:
    """Render ``approved`` (one page's approved comments, oldest first) as every reader sees them."""
    nodes, count = build_thread(approved)
    spans: dict[int, tuple[int, int]] = {}
    html = render_thread(nodes, reply_allowed=reply_allowed, can_flag=can_flag, spans=spans)
    shown = [n.comment for n in nodes if not n.comment.is_deleted]
    return ThreadFragment(
        html=str(html),
        count=count,
        names={c.pk: c.display_name for c in shown},
        owners={c.pk: Owned(c.user_id, c.created_at) for c in shown if c.user_id},
        spans=spans,
    )


def personal_thread_html(fragment: ThreadFragment, *, user, reply_allowed: bool, now=None) -> SafeString:
    """Return ``fragment``'s thread with Edit/Delete (and no Flag) on ``user``'s own comments."""
    user_id = user.pk if user is not None and user.is_authenticated else None
    own = [pk for pk, owned in fragment.owners.items() if owned.user_id == user_id] if user_id else []
    if not own:
        return mark_safe(fragment.html)
    now = now or timezone.now()
    links = ActionLinks()
    html, pieces, done = fragment.html, [], 0
    for pk in sorted(own, key=lambda pk: fragment.spans[pk][0]):
        start, end = fragment.spans[pk]
        may_edit = edit_permission(user=user, comment=fragment.owners[pk], now=now).allowed
        pieces += [html[done:start], links.html(pk, reply=reply_allowed, edit=may_edit, delete=True)]
        done = end
    pieces.append(html[done:])
    return mark_safe("".join(pieces))


# --- one reader's thread -----------------------------------------------------------------------------


@dataclass
class ReaderThread:
    """A page's thread as one reader sees it: ``html``, the approved ``count``, and ``names`` (the
    display names of the comments one may reply to, by id)."""

    html: SafeString
    count: int
    names: dict[int, str]


def thread_for_reader(page, *, user, own_ids=(), reply_allowed: bool, can_flag: bool) -> ReaderThread:
    """Return ``page``'s thread for ``user`` (a User or AnonymousUser).

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
    elif signed_in and Comment.objects.for_page(page).filter(status=CommentStatus.PENDING, user=user).exists():
        rows = visible_comments(page, user=user)
    if fragment is None:
        approved = [c for c in rows if c.status == CommentStatus.APPROVED]
        fragment = build_fragment(approved, reply_allowed=reply_allowed, can_flag=can_flag)
        cache.set(key, fragment, THREAD_CACHE_SECONDS)
    if rows is not None and any(c.status != CommentStatus.APPROVED for c in rows):
        # The reader's own held comments sit inside the thread: render it for them alone.
        nodes, _ = build_thread(rows, user=user, own_ids=own_ids)
        html = render_thread(nodes, reply_allowed=reply_allowed, can_flag=can_flag)
    else:
        html = personal_thread_html(fragment, user=user, reply_allowed=reply_allowed)
    return ReaderThread(html=html, count=fragment.count, names=fragment.names)
