"""Write a post's Blogger comments: threading, statuses, names, sanitised bodies."""

from __future__ import annotations

import hashlib

from django.db import transaction

from pressclub.comments.models import Comment, CommentStatus, Hold, HoldReason
from pressclub.comments.services import thread_forget
from pressclub.core.text import strip_control_chars

from .html import comment_body
from .parser import BloggerComment
from .report import ImportReport

# Blogger comment states → ours. Anything not shown at Blogger stays out of sight here too.
COMMENT_STATUS = {
    "live": CommentStatus.APPROVED,
    "spam": CommentStatus.SPAM,
    "ghosted": CommentStatus.REMOVED,
    "removed": CommentStatus.REMOVED,
    "trashed": CommentStatus.REMOVED,
}
# Why a hidden comment is hidden, as the moderators read it.
HOLDS = {
    "spam": [Hold(HoldReason.IMPORTED, "marked as spam on Blogger").as_json()],
    "ghosted": [Hold(HoldReason.IMPORTED, "hidden (ghosted) on Blogger").as_json()],
    "removed": [Hold(HoldReason.IMPORTED, "content removed on Blogger").as_json()],
    "trashed": [Hold(HoldReason.IMPORTED, "deleted on Blogger").as_json()],
}
# Part of every comment's fingerprint. Bump it whenever the cleaning of an imported comment changes
# its output: Blogger HTML conversion (.html.comment_body), the allow-list of core/sanitize.py, the
# links' rel, the length cut. The next import then cleans every comment again instead of keeping
# what an older cleaner left.
COMMENT_CLEANING_VERSION = 1


def save_comment_batch(*, groups: list[tuple[int, list[BloggerComment]]], report: ImportReport) -> None:
    """Write the comments of a batch of pages (``groups`` as for :func:`save_comments`) at once; if
    that fails, page by page, so a page's comments are saved all together or not at all. The
    comments of a page that still fails are listed in ``report.skipped`` with the error."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                save_comments(groups=groups, report=report)
            return
        except Exception:  # one page's comments spoil the batch: redo it page by page
            pass
        for page_id, comments in groups:
            try:
                with transaction.atomic():
                    save_comments(groups=[(page_id, comments)], report=report)
            except Exception as exc:  # all of one page's comments or none of them
                for comment in comments:
                    report.skipped.append((comment.id, f"{type(exc).__name__}: {exc}"))


def save_comments(*, groups: list[tuple[int, list[BloggerComment]]], report: ImportReport) -> None:
    """Write the comments of several pages, ``groups`` = ``[(page id, comments), …]``, and count
    them in ``report``: new ones in bulk, parents before replies.

    A reply whose parent is neither among the same page's comments nor already imported on that
    page becomes top-level and is listed in ``report.orphan_replies``. Comments imported before keep
    their status (moderators own it); their text, name and time are refreshed, and cleaned again
    only when what the export holds for them, or the way comments are cleaned, differs from what
    was imported (:func:`comment_fingerprint`). Run it inside a transaction: the counts are only
    added once every write went through.
    """
    comments = [comment for _page_id, page_comments in groups for comment in page_comments]
    page_of = {comment.id: page_id for page_id, page_comments in groups for comment in page_comments}
    by_id = {comment.id: comment for comment in comments}
    fingerprints = {comment.id: comment_fingerprint(comment) for comment in comments}
    # Comments imported before, read without their text, which only a changed one needs.
    existing = {
        c.source_id: c
        for c in _by_source_ids(Comment.objects.only("source_id", "page", "parent", "source_fingerprint"), list(by_id))
    }
    stale = [source_id for source_id, c in existing.items() if c.source_fingerprint != fingerprints[source_id]]
    existing.update({c.source_id: c for c in _by_source_ids(Comment.objects.all(), stale)})
    saved: dict[str, int] = {source_id: c.pk for source_id, c in existing.items()}

    def parent_here(comment: BloggerComment) -> bool:
        return comment.parent_id in by_id and page_of[comment.parent_id] == page_of[comment.id]

    outside = {c.parent_id for c in comments if c.parent_id and not parent_here(c)}
    # Parents imported earlier (from another file) count when they sit on the same page.
    earlier = {c.source_id: c for c in _by_source_ids(Comment.objects.only("source_id", "page"), list(outside))}
    orphans = set()
    for comment in comments:
        if comment.parent_id and not parent_here(comment):
            parent = earlier.get(comment.parent_id)
            if parent is not None and parent.page_id == page_of[comment.id]:
                saved[comment.parent_id] = parent.pk
            else:
                orphans.add(comment.id)
    # Parents before replies: create level by level so every reply's parent has a pk.
    pending = list(comments)
    changed: list[Comment] = []  # text refreshed (rows read whole)
    moved: list[Comment] = []  # same text, another page or parent
    marked: list[Comment] = []  # same values, fingerprint recorded (imported before fingerprints were)
    created = 0
    while pending:
        ready = [
            c for c in pending
            if not c.parent_id or c.id in orphans or c.parent_id in saved
        ]
        if not ready:  # a cycle of replies: break it by making them top-level
            orphans.update(c.id for c in pending)
            continue
        new = []
        for comment in ready:
            parent_pk = None if (comment.id in orphans or not comment.parent_id) else saved[comment.parent_id]
            page_id = page_of[comment.id]
            fingerprint = fingerprints[comment.id]
            current = existing.get(comment.id)
            if current is None:
                values = comment_values(comment, page_id, parent_pk)
                new.append(Comment(source_id=comment.id, source_fingerprint=fingerprint, **values))
            elif current.source_fingerprint == fingerprint:
                # The text was imported from this very input: only its place may have changed.
                if (current.page_id, current.parent_id) != (page_id, parent_pk):
                    current.page_id, current.parent_id = page_id, parent_pk
                    moved.append(current)
            else:
                values = comment_values(comment, page_id, parent_pk)
                # Moderators own the status once a comment is here; only the text is refreshed.
                values.pop("status")
                values.pop("holds")
                current.source_fingerprint = fingerprint
                if any(getattr(current, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(current, name, value)
                    changed.append(current)
                else:
                    marked.append(current)
        for obj in Comment.objects.bulk_create(new):
            saved[obj.source_id] = obj.pk
        created += len(new)
        ready_ids = {c.id for c in ready}
        pending = [c for c in pending if c.id not in ready_ids]
    if changed:
        Comment.objects.bulk_update(
            changed,
            ["page", "parent", "author_name", "author_url", "body", "body_html", "created_at", "source_fingerprint"],
        )
    if moved:
        Comment.objects.bulk_update(moved, ["page", "parent"])
    if marked:
        Comment.objects.bulk_update(marked, ["source_fingerprint"])
    if created or changed or moved:
        # Bulk writes bypass the services that post comments one by one, which drop the cached threads.
        for page_id in {page_of[c.id] for c in comments}:
            thread_forget(page_id=page_id)
    # Counted only now that every write of this post's comments went through.
    report.comments_created += created
    report.comments_updated += len(changed) + len(moved)
    for comment in comments:
        if COMMENT_STATUS.get(comment.status, CommentStatus.PENDING) == CommentStatus.APPROVED:
            report.comments += 1
        else:
            report.hidden_comments += 1
        if comment.parent_id and comment.id not in orphans:
            report.replies += 1
    report.orphan_replies.extend(sorted(orphans))


def comment_fingerprint(comment: BloggerComment) -> str:
    """Return the hex SHA-256 of what a Blogger comment's text, name, address and time are made
    from (its HTML, author name and URI, publication time) and of how they are cleaned
    (:data:`COMMENT_CLEANING_VERSION`), as stored in ``Comment.source_fingerprint``."""
    author = comment.author
    parts = (
        COMMENT_CLEANING_VERSION,
        comment.content_html,
        author.name if author else "",
        author.uri if author else "",
        comment.published.isoformat(),
    )
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _by_source_ids(queryset, source_ids: list[str], *, size: int = 900):
    """Yield the rows of ``queryset`` whose ``source_id`` is in ``source_ids``, querying in slices
    (SQLite limits the parameters of one query)."""
    for start in range(0, len(source_ids), size):
        yield from queryset.filter(source_id__in=source_ids[start:start + size])


def comment_values(comment: BloggerComment, page_id: int, parent_pk: int | None) -> dict:
    """Return the ``Comment`` field values of a Blogger comment (no e-mail address is kept)."""
    text, html = comment_body(comment.content_html)
    name = strip_control_chars(comment.author.name if comment.author else "").strip()[:80]
    uri = (comment.author.uri if comment.author else "").strip()
    return {
        "page_id": page_id,
        "parent_id": parent_pk,
        "author_name": name,
        "author_url": uri[:500] if uri.startswith(("http://", "https://")) else "",
        "body": text,
        "body_html": html,
        "created_at": comment.published,
        "status": COMMENT_STATUS.get(comment.status, CommentStatus.PENDING),
        "holds": HOLDS.get(comment.status, []),
    }
