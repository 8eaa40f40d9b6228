"""Template tags that put comments on pages: ``{% comment_section page %}`` and the most-commented list.

The news app knows nothing of comments; its templates include ``includes/comments_placeholder.html``
and ``includes/most_commented.html``, which call these tags.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django import template
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from pressclub.members.permissions import is_member

from ..forms import SESSION_OWN_COMMENTS, CommentForm
from ..models import Comment, CommentStatus
from ..moderation import CommentPolicy, comment_permission
from ..rendering import THREAD_CACHE_SECONDS, ActionLinks, render_thread, thread_version
from ..services import EDIT_WINDOW, EMAIL_UNCONFIRMED

register = template.Library()

MAX_DEPTH = 3  # levels shown nested; deeper replies are shown at the third level, "in reply to <name>"


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


def response_count_label(count: int) -> str:
    """Return "1 Response" or "<count> Responses"."""
    return "1 Response" if count == 1 else f"{count} Responses"


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
            unconfirmed=EMAIL_UNCONFIRMED in c.hold_reason,
            can_edit=bool(user_id and c.user_id == user_id and not c.is_deleted and now - c.created_at <= EDIT_WINDOW),
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


def visible_comments(page, *, user=None, own_ids=()) -> list[Comment]:
    """Return the rows a reader sees on ``page`` in one query: approved, plus their own pending ones."""
    wanted = Q(status=CommentStatus.APPROVED)
    if getattr(user, "is_authenticated", False):
        wanted |= Q(status=CommentStatus.PENDING, user=user)
    if own_ids:
        wanted |= Q(status=CommentStatus.PENDING, pk__in=list(own_ids))
    rows = Comment.objects.for_page(page).filter(wanted).select_related("user")
    return list(rows.order_by("created_at", "pk"))


@dataclass
class ThreadFragment:
    """The approved comments of a page rendered once, as kept in the cache.

    ``html`` is the thread; ``count`` the approved comments in it; ``names`` the display names of
    the comments one may reply to, by id; ``owners`` maps the id of each shown comment written by
    an account to ``(user id, created_at)``; ``spans`` the offsets of those comments' action lines
    in ``html`` (see ``rendering.render_thread``).
    """

    html: str
    count: int
    names: dict[int, str]
    owners: dict[int, tuple[int, dt.datetime]]
    spans: dict[int, tuple[int, int]]


@dataclass(frozen=True)
class ReplyTarget:
    """The comment a reader is replying to, as the form shows it ("Replying to <name>")."""

    pk: int
    display_name: str


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
        owners={c.pk: (c.user_id, c.created_at) for c in shown if c.user_id},
        spans=spans,
    )


def personal_thread_html(fragment: ThreadFragment, *, user, reply_allowed: bool, now=None) -> SafeString:
    """Return ``fragment``'s thread with Edit/Delete (and no Flag) on ``user``'s own comments."""
    user_id = user.pk if user is not None and user.is_authenticated else None
    own = [pk for pk, (owner, _) in fragment.owners.items() if owner == user_id] if user_id else []
    if not own:
        return mark_safe(fragment.html)
    now = now or timezone.now()
    links = ActionLinks()
    html, pieces, done = fragment.html, [], 0
    for pk in sorted(own, key=lambda pk: fragment.spans[pk][0]):
        start, end = fragment.spans[pk]
        created_at = fragment.owners[pk][1]
        pieces += [html[done:start],
                   links.html(pk, reply=reply_allowed, edit=now - created_at <= EDIT_WINDOW, delete=True)]
        done = end
    pieces.append(html[done:])
    return mark_safe("".join(pieces))


def policy_settings_key(site_id) -> str:
    """Return the cache key of site ``site_id``'s ``CommentPolicySettings``."""
    return f"pressclub:comments:policy-settings:{site_id}"


def site_policy_settings(request):
    """Return the ``CommentPolicySettings`` of ``request``'s site, kept in Django's cache.

    None without a request or a site (``CommentPolicy.for_page`` then looks it up itself). Saving
    or deleting the setting forgets the cached copy (``signal_handlers``); it is kept
    ``THREAD_CACHE_SECONDS`` at most in any case.
    """
    from wagtail.models import Site

    from ..models import CommentPolicySettings

    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return None
    key = policy_settings_key(site.pk)
    found = cache.get(key)
    if found is None:
        found = CommentPolicySettings.for_site(site)
        cache.set(key, found, THREAD_CACHE_SECONDS)
    return found


@register.inclusion_tag("comments/comment_section.html", takes_context=True)
def comment_section(context, page):
    """Render a page's comment section: "N Responses to <headline>", the thread, "Post a Comment".

    Costs a fixed number of queries whatever the number of comments: the policy setting (cached
    on the request), the reader's standing (plus one for "first comment" moderation), then one
    query for the reader's visible comments when the thread is not cached (kept per page,
    :func:`rendering.thread_version`, links shown, time zone and language for
    ``rendering.THREAD_CACHE_SECONDS``); when it is, none for an anonymous reader and one for a
    signed-in reader (have they comments awaiting moderation here?), plus one for the rows if they have.
    Renders nothing when the page's comments are hidden.
    """
    request = context.get("request")
    if getattr(page, "pk", None) is None:  # a preview of a page not saved yet has no comments
        return {"visible": False}
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    policy = CommentPolicy.for_page(page, request=request, site_settings=site_policy_settings(request))
    decision = comment_permission(user=user, page=page, policy=policy)
    if not decision.section_visible:
        return {"visible": False}
    session = getattr(request, "session", None)
    own_ids = tuple(session.get(SESSION_OWN_COMMENTS, ())) if session is not None and not signed_in else ()
    can_flag = signed_in and is_member(user)
    reply_allowed = decision.allowed
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
    count, names = fragment.count, fragment.names
    if rows is not None and any(c.status != CommentStatus.APPROVED for c in rows):
        # The reader's own held comments sit inside the thread: render it for them alone.
        nodes, _ = build_thread(rows, user=user, own_ids=own_ids)
        thread_html = render_thread(nodes, reply_allowed=reply_allowed, can_flag=can_flag)
    else:
        thread_html = personal_thread_html(fragment, user=user, reply_allowed=reply_allowed)
    form = reply_to = None
    if decision.allowed:
        reply_to = _reply_target(request, names)
        form = CommentForm(
            anonymous=not signed_in,
            initial={"parent": reply_to.pk if reply_to else None},
            notify_default=bool(getattr(user, "notify_replies", False)) if signed_in else False,
        )
    return {
        "visible": True,
        "page": page,
        "request": request,
        "headline": page.title,
        "count": count,
        "count_label": response_count_label(count),
        "thread_html": thread_html,
        "decision": decision,
        "form": form,
        "reply_to": reply_to,
    }


def _reply_target(request, names: dict[int, str]) -> ReplyTarget | None:
    raw = request.GET.get("replyto", "") if request is not None else ""
    if not raw.isdigit() or int(raw) not in names:
        return None
    return ReplyTarget(int(raw), names[int(raw)])


@register.simple_tag
def most_commented_articles(pages, limit: int = 5, days: int | None = None):
    """Return up to ``limit`` of ``pages`` with the most approved comments, most first.

    ``pages`` is a queryset of pages the reader may see, from the template that calls this tag
    (the front page passes its published stories, so this app need not know the page types).
    Each page gets ``comment_total``. ``days`` counts only comments of the last N days
    (default ``PRESSCLUB_MOST_COMMENTED_DAYS``, 30; 0 counts all). One query; none, and an empty
    list, when the template has no ``pages`` to give.
    """
    if not hasattr(pages, "annotate"):  # a missing template variable arrives as ""
        return []
    days = settings.PRESSCLUB_MOST_COMMENTED_DAYS if days is None else days
    counted = Q(reader_comments__status=CommentStatus.APPROVED, reader_comments__is_deleted=False)
    if days:
        counted &= Q(reader_comments__created_at__gte=timezone.now() - dt.timedelta(days=days))
    articles = (
        pages.annotate(comment_total=Count("reader_comments", filter=counted))
        .filter(comment_total__gt=0)
        .order_by("-comment_total", "-first_published_at", "-pk")
    )
    return list(articles[:limit])
