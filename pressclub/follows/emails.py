"""The e-mails of the follows app: the confirmation link and the digest.

Each is written in the follower's interface language (``Follower.language``, taken with
``get_language()`` when they asked to follow) while headlines and deks stay in their story's own
language and script. Every mail carries the one-click unsubscribe of ``core.links`` (RFC 8058
headers and a link in the text) and an idempotency key for the outbox.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Site

from pressclub.core.links import absolute_url, unsubscribe_headers, unsubscribe_token
from pressclub.core.numerals import local_digits
from pressclub.mail.delivery import IDEMPOTENCY_HEADER

from .models import Follow, Follower

#: The kind of e-mail the unsubscribe token of a follower's mail stops.
UNSUBSCRIBE_KIND = "follows"


def site_name() -> str:
    """Return the name the mails sign with: the default site's name, else ``PRESSCLUB_SITE_NAME``."""
    site = Site.objects.filter(is_default_site=True).only("site_name").first()
    return (site and site.site_name) or settings.PRESSCLUB_SITE_NAME


def unsubscribe_url(email: str) -> str:
    """Return the absolute one-click unsubscribe URL for ``email``'s follows."""
    return absolute_url(reverse("follows:unsubscribe", args=[unsubscribe_token(email=email, kind=UNSUBSCRIBE_KIND)]))


def _headers(email: str, key: str) -> dict[str, str]:
    return {IDEMPOTENCY_HEADER: key, **unsubscribe_headers(unsubscribe_url(email))}


def confirmation_send(*, follow: Follow, token: str, key: str) -> int:
    """Mail ``follow``'s address the link that confirms it, under the outbox idempotency ``key`` (one
    per request, so a task run twice mails once); return the mails sent (1)."""
    follower = follow.follower
    with translation.override(follower.language):
        context = {
            "site_name": site_name(),
            "target": follow.target_name,
            "confirm_url": absolute_url(reverse("follows:confirm", args=[token])),
            "unsubscribe_url": unsubscribe_url(follower.email),
        }
        subject = _("Confirm you want to follow %(target)s on %(site)s") % {
            "target": context["target"], "site": context["site_name"]}  # fmt: skip
        body = render_to_string("follows/email/confirm.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200], body=body, to=[follower.email],
        headers=_headers(follower.email, key),
    )  # fmt: skip
    return message.send()


class DigestWriter:
    """Write and send digests, rendering each story once per language however many followers get it.

    One writer serves one ``digests_send`` run: the site's name is read once, and each story's text
    and HTML block (headline, dek, byline, link) is rendered once per interface language and shared
    by every digest in that language.
    """

    def __init__(self):
        self.site_name = site_name()
        self.manage_url = absolute_url(reverse("follows:follow"))
        self._blocks: dict[tuple[str, int], tuple[str, str]] = {}

    def _block(self, story, language: str) -> tuple[str, str]:
        key = (language, story.pk)
        if key not in self._blocks:
            context = {"story": story}
            self._blocks[key] = (
                render_to_string("follows/email/digest_story.txt", context).strip("\n") + "\n",
                mark_safe(render_to_string("follows/email/digest_story.html", context)),  # noqa: S308 - rendered, escaped
            )
        return self._blocks[key]

    def send(self, *, follower: Follower, stories: list, period: str) -> int:
        """Mail ``follower`` the digest of ``stories`` (``digests.Story``) for ``period``; return 1.

        Plain text and HTML, in the follower's language; the subject is "<site>: 3 new stories", the
        count in the language's digits ("<site>: ३ नयाँ समाचार"). The idempotency key
        ``follows:digest:<follower id>:<period>`` makes a second digest of the same period add nothing
        to the outbox.
        """
        with translation.override(follower.language):
            blocks = [self._block(story, follower.language) for story in stories]
            context = {
                "site_name": self.site_name,
                "site_language": follower.language,
                "text_blocks": [text for text, _html in blocks],
                "html_blocks": [html for _text, html in blocks],
                "unsubscribe_url": unsubscribe_url(follower.email),
                "manage_url": self.manage_url,
            }
            subject = ngettext("%(site)s: %(count)s new story", "%(site)s: %(count)s new stories", len(stories)) % {
                "site": self.site_name, "count": local_digits(len(stories))}  # fmt: skip
            text = render_to_string("follows/email/digest.txt", context)
            html = render_to_string("follows/email/digest.html", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split())[:200], body=text, to=[follower.email],
            headers=_headers(follower.email, f"follows:digest:{follower.pk}:{period}"),
        )  # fmt: skip
        message.attach_alternative(html, "text/html")
        return message.send()


def digest_send(*, follower: Follower, stories: list, period: str) -> int:
    """Mail ``follower`` the digest of ``stories`` for ``period`` (see :meth:`DigestWriter.send`); return 1."""
    return DigestWriter().send(follower=follower, stories=stories, period=period)


def breaking_news_send(*, page, writer: DigestWriter | None = None) -> int:
    """Mail the breaking story ``page`` (an ArticlePage) at once to every active follower who asked
    for breaking news; return the mails put into the outbox.

    The subject is "Breaking news: <headline>"; the body is the story's digest block. The key
    ``follows:breaking:<follower id>:<page id>:<breaking_until>`` mails each follower once per
    banner, however often the story is published again while it runs.
    """
    from .digests import stories_since

    story = next((s for s in stories_since(page.first_published_at - dt.timedelta(seconds=1),
                                           page.first_published_at) if s.pk == page.pk), None)
    if story is None:
        return 0
    writer = writer or DigestWriter()
    sent = 0
    for follower in Follower.objects.active().filter(breaking=True).order_by("pk"):
        with translation.override(follower.language):
            text, html = writer._block(story, follower.language)
            subject = _("Breaking news: %(headline)s") % {"headline": story.headline}
            context = {"site_name": writer.site_name, "site_language": follower.language,
                       "text_blocks": [text], "html_blocks": [html], "manage_url": writer.manage_url,
                       "unsubscribe_url": unsubscribe_url(follower.email)}
            body = render_to_string("follows/email/digest.txt", context)
            alternative = render_to_string("follows/email/digest.html", context)
        key = f"follows:breaking:{follower.pk}:{page.pk}:{page.breaking_until.isoformat()}"
        message = EmailMultiAlternatives(subject=" ".join(subject.split())[:200], body=body, to=[follower.email],
                                         headers=_headers(follower.email, key))
        message.attach_alternative(alternative, "text/html")
        sent += message.send()
    return sent
