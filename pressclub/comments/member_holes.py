"""The comment section's holes in a member's shared copy of a page (see ``core.member_pages``).

The comment section of an article is the same for every signed-in reader of one kind (what the
policy lets them do) but for:

- ``comment-actions``: the action line of a comment written by an account: its author gets Edit
  (within the edit window) and Delete instead of Flag; others get the line as stored;
- ``thread-start`` / ``thread-end``: the thread; a reader with comments awaiting moderation on the
  page gets the thread rendered for them (their held comments in it), as
  :func:`~pressclub.comments.thread.thread_for_reader` renders it; one query asks whether they have any;
- ``notify``: the "e-mail me replies" checkbox, ticked as the reader's account says;
- ``idempotency`` and ``started``: the form's one-time token and signed "form shown at" time,
  new for each page served, as a full render makes them.

Each fill gives exactly what a full render of the page would give the reader.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape

from pressclub.core.member_pages import register_hole, register_read_ahead

from .policy import edit_permission
from .thread import ActionLinks, Owned, pending_read_ahead_keys, reader_pending_pages, thread_for_reader
from .tokens import started_token


@dataclass(frozen=True)
class PageRef:
    """A page known by its id alone: all the thread functions read of a page."""

    pk: int


def fill_comment_actions(request, data, state) -> str:
    """Return the action line of one comment for ``request``'s reader (Edit/Delete on their own)."""
    pk, owner_id, created_at, reply_allowed, shared_line = data
    if owner_id != state["reader_id"]:
        return shared_line
    user = request.user
    if "links" not in state:
        state["links"], state["now"] = ActionLinks(), timezone.now()
    may_edit = edit_permission(user=user, comment=Owned(owner_id, created_at), now=state["now"]).allowed
    return state["links"].html(pk, reply=reply_allowed, edit=may_edit, delete=True)


def fill_thread_start(request, data, state) -> str:
    """Return "" (the shared thread follows), or the reader's own thread when they have held comments.

    Whether they have comments awaiting moderation on the page comes from the cache
    (:func:`~pressclub.comments.thread.reader_pending_pages`, one query when it is not kept); two
    queries more when they have.
    """
    page_id, reply_allowed, can_flag, number = data
    if page_id not in reader_pending_pages(state["reader_id"]):
        return ""
    page = PageRef(page_id)
    thread = thread_for_reader(page, user=request.user, reply_allowed=reply_allowed, can_flag=can_flag,
                               number=number, has_pending=True)
    state["skip"] = "thread-end"
    return str(thread.html)


def fill_thread_end(request, data, state) -> str:
    """Return "": the end of the thread region."""
    return ""


def notify_default(user) -> bool:
    """Return whether the comment form's "e-mail me replies" box starts ticked for signed-in ``user``."""
    return bool(getattr(user, "notify_replies", False))


def fill_notify(request, data, state) -> str:
    """Return the checkbox as ``request``'s reader gets it (``data``: ``{ticked: html}``)."""
    return data[notify_default(request.user)]


def fill_idempotency(request, data, state) -> str:
    """Return a new one-time form token (as ``CommentForm`` makes one)."""
    return uuid.uuid4().hex


def fill_started(request, data, state) -> str:
    """Return the signed time the form is shown (now, in whole seconds).

    Signed once per second in each process: every page served within one second gets the same
    value, as it would from ``started_token`` (which signs the second and the signer's clock).
    """
    return _started_html(int(time.time()), settings.SECRET_KEY)


@functools.lru_cache(maxsize=1)
def _started_html(second: int, secret: str) -> str:
    # ``secret`` is part of the cache key: a changed SECRET_KEY signs anew.
    return escape(started_token(dt.datetime.fromtimestamp(second, tz=dt.UTC)))


def register() -> None:
    """Register the comment section's holes with ``core.member_pages``."""
    register_hole("comment-actions", fill_comment_actions)
    register_hole("thread-start", fill_thread_start)
    register_hole("thread-end", fill_thread_end)
    register_hole("notify", fill_notify)
    register_hole("idempotency", fill_idempotency)
    register_hole("started", fill_started)
    register_read_ahead(pending_read_ahead_keys)
