"""The e-mails the comments app sends (the signed links in them come from ``tokens``).

Every e-mail is plain text (names and comment text stay inert) and carries a one-click
unsubscribe: a signed link in the body and the ``List-Unsubscribe`` / ``List-Unsubscribe-Post``
headers of RFC 2369 and RFC 8058. The functions here build and send; ``tasks.py`` runs them in the
background.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from pressclub.core.language import recipient_language, supported_language
from pressclub.core.links import absolute_url, unsubscribe_headers
from pressclub.mail.delivery import IDEMPOTENCY_HEADER
from pressclub.members.session_user import accounts_changed

from .admin_permissions import moderators
from .models import Comment, CommentStatus, NotificationKind, NotificationOptOut
from .tokens import confirm_token, moderation_approve_url, unsubscribe_token


def unsubscribe(*, email: str, kind: str) -> None:
    """Stop ``kind`` e-mail to ``email``: for replies the account's ``notify_replies`` is turned off too."""
    NotificationOptOut.objects.get_or_create(email=email.lower(), kind=kind)
    if kind == NotificationKind.REPLIES:
        accounts = get_user_model().objects.filter(email__iexact=email)
        ids = list(accounts.values_list("pk", flat=True))
        accounts.update(notify_replies=False)
        accounts_changed(ids)  # the row members' pages read from the cache


def opted_out(email: str, kind: str) -> bool:
    """Return True if ``email`` stopped ``kind`` e-mail through an unsubscribe link."""
    return NotificationOptOut.objects.filter(email=email.lower(), kind__in=[kind, NotificationKind.ALL]).exists()


def _send(*, to: str, subject: str, template: str, context: dict, kind: str | None, page, key: str) -> int:
    # The idempotency key names this e-mail for this comment and address: a task that runs twice
    # (its worker was killed) puts it into the outbox once.
    headers = {IDEMPOTENCY_HEADER: f"comments:{key}:{to.lower()}"}
    if kind:
        url = absolute_url(reverse("comments:unsubscribe", args=[unsubscribe_token(email=to, kind=kind)]), page=page)
        context = {**context, "unsubscribe_url": url}
        headers |= unsubscribe_headers(url)
    body = render_to_string(template, context)
    subject = " ".join(subject.split())[:200]
    return EmailMessage(subject=subject, body=body, to=[to], headers=headers).send()


def _admin_url(name: str) -> str:
    try:
        return absolute_url(reverse(name), admin=True)
    except NoReverseMatch:  # the moderation queue is not installed
        return absolute_url(reverse("wagtailadmin_home"), admin=True)


def _comment_email(comment: Comment) -> str:
    if comment.user_id:
        return comment.user.email if comment.user.is_active else ""
    return comment.author_email


def reply_notification_send(comment_id: int) -> int:
    """E-mail the parent comment's author about the approved reply ``comment_id``; return mails sent.

    Sent only when the parent asked for it (``notify_on_reply``), its author's account wants reply
    e-mail (``notify_replies``), the address did not unsubscribe, and the reply is by someone else.
    """
    reply = Comment.objects.select_related("page", "user", "parent__user").filter(pk=comment_id).first()
    if reply is None or reply.parent is None or reply.status != CommentStatus.APPROVED:
        return 0
    parent = reply.parent
    if not parent.notify_on_reply or parent.is_deleted:
        return 0
    if parent.user_id and (parent.user_id == reply.user_id or not getattr(parent.user, "notify_replies", True)):
        return 0
    to = _comment_email(parent)
    if not to or (not parent.user_id and parent.status != CommentStatus.APPROVED):
        return 0
    if opted_out(to, NotificationKind.REPLIES):
        return 0
    page = reply.page.specific
    with translation.override(recipient_language(parent.user if parent.user_id else None)):
        return _send(
            to=to,
            subject=_("%(name)s replied to your comment on “%(title)s”") % {"name": reply.display_name, "title": page.title},
            template="comments/email/reply_notification.txt",
            context={"reply": reply, "parent": parent, "page": page,
                     "reply_url": absolute_url(reply.get_absolute_url(), page=page)},
            kind=NotificationKind.REPLIES,
            page=page,
            key=f"reply:{reply.pk}",
        )


def moderator_notification_send(comment_id: int) -> int:
    """E-mail everyone who may moderate about the held ``comment_id``; return the mails sent.

    The moderators are ``admin_permissions.moderators()``. Each e-mail names the page, the author, the hold reason and the text, with a signed approve
    link (``tokens.moderation_approve_url``) and the queue's address. Addresses that
    unsubscribed from moderation e-mail are skipped, and an address shared by two accounts gets one.
    """
    comment = Comment.objects.select_related("page", "user").filter(pk=comment_id).first()
    if comment is None or comment.status != CommentStatus.PENDING:
        return 0
    page = comment.page.specific
    opted = set(
        NotificationOptOut.objects.filter(
            kind__in=[NotificationKind.MODERATION, NotificationKind.ALL]
        ).values_list("email", flat=True)
    )
    context = {
        "comment": comment,
        "page": page,
        "page_url": page.full_url,
        "approve_url": moderation_approve_url(comment),
        "queue_url": _admin_url("comments_queue:list"),
    }
    sent = 0
    for moderator in moderators():
        address = moderator.email.lower()
        if address in opted:
            continue
        opted.add(address)  # one e-mail per address
        with translation.override(recipient_language(moderator)):
            sent += _send(
                to=moderator.email,
                subject=_("Comment awaiting moderation on “%(title)s”") % {"title": page.title},
                template="comments/email/moderator_notification.txt",
                context={**context, "moderator": moderator},
                kind=NotificationKind.MODERATION,
                page=page,
                # A comment held again (edited, flagged) is a new notice.
                key=f"moderation:{comment.pk}:{comment.edited_at and comment.edited_at.timestamp()}:{comment.flag_count}",
            )
    return sent


def confirmation_send(comment_id: int, *, language: str = "") -> int:
    """E-mail an anonymous commenter the link that confirms their address; return mails sent (0 or 1).

    In ``language`` (the one they read the page in when they posted), else the site's default.
    """
    comment = Comment.objects.select_related("page").filter(pk=comment_id, user=None).first()
    if comment is None or not comment.author_email or comment.status != CommentStatus.PENDING:
        return 0
    if opted_out(comment.author_email, NotificationKind.ALL):
        return 0
    page = comment.page.specific
    with translation.override(supported_language(language) or recipient_language(None)):
        return _send(
            to=comment.author_email,
            subject=_("Confirm your comment on “%(title)s”") % {"title": page.title},
            template="comments/email/confirm_comment.txt",
            context={"comment": comment, "page": page,
                     "confirm_url": absolute_url(reverse("comments:confirm", args=[confirm_token(comment)]), page=page)},
            kind=NotificationKind.ALL,
            page=page,
            key=f"confirm:{comment.pk}",
        )
