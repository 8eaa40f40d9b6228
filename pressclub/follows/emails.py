"""The e-mails of the follows app: the confirmation link, the digest and breaking news.

Each is written in the follower's interface language (``Follower.language``, taken with
``get_language()`` when they asked to follow) while headlines and deks stay in their story's own
language and script. Every mail carries the one-click unsubscribe of ``core.links`` (RFC 8058
headers and a link in the text) and an idempotency key for the outbox.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Site

from pressclub.core.links import absolute_url, unsubscribe_headers, unsubscribe_token
from pressclub.core.numerals import local_digits
from pressclub.mail.delivery import IDEMPOTENCY_HEADER
from pressclub.mail.models import PERSONAL_HEADER

from .models import Follow, Follower
from .services import manage_token

#: The kind of e-mail the unsubscribe token of a follower's mail stops.
UNSUBSCRIBE_KIND = "follows"


def site_name() -> str:
    """Return the name the mails sign with: the default site's name, else ``PRESSCLUB_SITE_NAME``."""
    site = Site.objects.filter(is_default_site=True).only("site_name").first()
    return (site and site.site_name) or settings.PRESSCLUB_SITE_NAME


def unsubscribe_url(email: str, *, root: str | None = None) -> str:
    """Return the absolute one-click unsubscribe URL for ``email``'s follows (its token signed once).

    ``root`` is the site's root URL without the final slash ("https://news.example.org"), for a
    caller that mails many followers and has read it once; else it comes from ``absolute_url``.
    """
    path = reverse("follows:unsubscribe", args=[unsubscribe_token(email=email, kind=UNSUBSCRIBE_KIND)])
    return absolute_url(path) if root is None else root + path


def manage_url(email: str, *, root: str | None = None) -> str:
    """Return the absolute URL of the page where ``email`` manages its follows (``services.manage_token``,
    60 days); ``root`` as for ``unsubscribe_url``."""
    path = reverse("follows:manage_link", args=[manage_token(email=email)])
    return absolute_url(path) if root is None else root + path


def _headers(key: str, unsubscribe: str) -> dict[str, str]:
    return {IDEMPOTENCY_HEADER: key, **unsubscribe_headers(unsubscribe)}


def confirmation_send(*, follow: Follow, token: str, key: str) -> int:
    """Mail ``follow``'s address the link that confirms it, under the outbox idempotency ``key`` (one
    per request, so a task run twice mails once); return the mails sent (1)."""
    follower = follow.follower
    unsubscribe = unsubscribe_url(follower.email)
    with translation.override(follower.language):
        context = {
            "site_name": site_name(),
            "target": follow.target_name,
            "confirm_url": absolute_url(reverse("follows:confirm", args=[token])),
            "unsubscribe_url": unsubscribe,
        }
        subject = _("Confirm you want to follow %(target)s on %(site)s") % {
            "target": context["target"], "site": context["site_name"]}  # fmt: skip
        body = render_to_string("follows/email/confirm.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200], body=body, to=[follower.email], headers=_headers(key, unsubscribe)
    )
    return message.send()


class DigestWriter:
    """Write followers' digests and breaking-news mails (one mail, two subjects), rendering each
    distinct mail once however many followers get it.

    One writer serves one run (``digests_send``, ``breaking_news_send``): the site's name and root URL
    are read once; each story's text and HTML block (headline, dek, byline, link) is rendered once
    per interface language; a whole mail (subject, text, HTML) once per language, kind and list of
    stories, with stand-ins for the unsubscribe and manage links that each follower's own (signed once)
    replace.
    At most ``RENDERED_MAILS`` rendered mails are kept.
    """

    RENDERED_MAILS = 256

    def __init__(self):
        self.site_name = site_name()
        self.root = absolute_url("/").rstrip("/")
        self._blocks: dict[tuple[str, int], tuple[str, str]] = {}
        self._mails: dict[tuple, tuple[str, str, str]] = {}
        # Letters, digits and hyphens: the same once HTML-escaped, and never in a story's text.
        self._unsubscribe_stand_in = f"unsubscribe-{uuid.uuid4().hex}"
        self._manage_stand_in = f"manage-{uuid.uuid4().hex}"
        # The manage page's URL with the stand-in for the token: reversed once, not once a mail.
        self._manage_url = self.root + reverse("follows:manage_link", args=[self._manage_stand_in])

    def digest(self, *, follower: Follower, stories: list, period: str) -> EmailMultiAlternatives:
        """Return ``follower``'s digest of ``stories`` (``digests.Story``, newest first) for ``period``.

        Plain text and HTML, in the follower's language; the subject is "<site>: 3 new stories", the
        count in the language's digits ("<site>: ३ नयाँ समाचार"). The idempotency key
        ``follows:digest:<follower id>:<period>`` makes a second digest of the same period add nothing
        to the outbox.
        """
        return self._message(follower=follower, stories=stories, breaking=False,
                             key=f"follows:digest:{follower.pk}:{period}")  # fmt: skip

    def breaking(self, *, follower: Follower, story, until: dt.datetime) -> EmailMultiAlternatives:
        """Return the breaking-news mail of ``story`` (a ``digests.Story``) for ``follower``: subject
        "Breaking news: <headline>", the story's digest block as body. The key
        ``follows:breaking:<follower id>:<story id>:<until>`` (``until``: the banner's end) mails each
        follower once per banner."""
        return self._message(follower=follower, stories=[story], breaking=True,
                             key=f"follows:breaking:{follower.pk}:{story.pk}:{until.isoformat()}")  # fmt: skip

    def _message(self, *, follower: Follower, stories: list, breaking: bool, key: str) -> EmailMultiAlternatives:
        subject, text, html = self._rendered(follower.language, stories, breaking)
        unsubscribe = unsubscribe_url(follower.email, root=self.root)
        manage = self._manage_url.replace(self._manage_stand_in, manage_token(email=follower.email))
        text = text.replace(self._unsubscribe_stand_in, unsubscribe).replace(self._manage_stand_in, manage)
        html = html.replace(self._unsubscribe_stand_in, escape(unsubscribe)).replace(self._manage_stand_in, escape(manage))
        message = EmailMultiAlternatives(
            subject=subject, body=text, to=[follower.email],
            # The two links are the follower's own: the outbox's transport encodes the rest once.
            headers={**_headers(key, unsubscribe), PERSONAL_HEADER: f"{unsubscribe} {manage}"},
        )  # fmt: skip
        message.attach_alternative(html, "text/html")
        return message

    def _rendered(self, language: str, stories: list, breaking: bool) -> tuple[str, str, str]:
        key = (language, breaking, tuple(story.pk for story in stories))
        if key not in self._mails:
            if len(self._mails) >= self.RENDERED_MAILS:
                self._mails.clear()
            with translation.override(language):
                blocks = [self._block(story, language) for story in stories]
                context = {
                    "site_name": self.site_name,
                    "site_language": language,
                    "text_blocks": [text for text, _html in blocks],
                    "html_blocks": [html for _text, html in blocks],
                    "unsubscribe_url": self._unsubscribe_stand_in,
                    "manage_url": self._manage_stand_in,
                }
                if breaking:
                    subject = _("Breaking news: %(headline)s") % {"headline": stories[0].headline}
                else:
                    subject = ngettext("%(site)s: %(count)s new story", "%(site)s: %(count)s new stories",
                                       len(stories)) % {"site": self.site_name, "count": local_digits(len(stories))}
                self._mails[key] = (
                    " ".join(subject.split())[:200],
                    render_to_string("follows/email/digest.txt", context),
                    render_to_string("follows/email/digest.html", context),
                )
        return self._mails[key]

    def _block(self, story, language: str) -> tuple[str, str]:
        key = (language, story.pk)
        if key not in self._blocks:
            context = {"story": story}
            self._blocks[key] = (
                render_to_string("follows/email/digest_story.txt", context).strip("\n") + "\n",
                mark_safe(render_to_string("follows/email/digest_story.html", context)),  # noqa: S308 - rendered, escaped
            )
        return self._blocks[key]


def breaking_news_send(*, page, writer: DigestWriter | None = None) -> int:
    """Mail the breaking story ``page`` (an ArticlePage) at once to every active follower who asked
    for breaking news; return the mails put into the outbox.

    The mail is ``DigestWriter.breaking``'s: one per follower and banner, however often the story is
    published again while it runs. Mails go to the outbox ``PRESSCLUB_DIGEST_BATCH`` at a time.
    """
    from .digests import stories_since

    story = next((s for s in stories_since(page.first_published_at - dt.timedelta(seconds=1),
                                           page.first_published_at) if s.pk == page.pk), None)
    if story is None:
        return 0
    writer = writer or DigestWriter()
    outbox = get_connection()
    batch, sent = [], 0
    for follower in Follower.objects.active().filter(breaking=True).order_by("pk"):
        batch.append(writer.breaking(follower=follower, story=story, until=page.breaking_until))
        if len(batch) >= settings.PRESSCLUB_DIGEST_BATCH:
            sent += outbox.send_messages(batch)
            batch = []
    if batch:
        sent += outbox.send_messages(batch)
    return sent
