"""The outbox's SMTP transport: Django's SMTP backend that encodes each distinct message body once.

A digest run hands the worker thousands of messages that differ only in their headers (To,
Message-ID, Date, List-Unsubscribe) and in the unsubscribe link their text repeats. Django's
backend builds and encodes every message whole (the MIME tree, each header folded, each part
encoded): most of the worker's time per message. ``MessageEncoder`` encodes the parts of each
distinct body once, with a stand-in for the message's own List-Unsubscribe URL, and gives each
message Django's own header block followed by those parts with its URL put back: the bytes Django's
backend would send, but for the Date and the MIME boundary (both differ between any two sendings;
``tests/test_transport.py`` compares the two paths). A message the shortcut cannot give exactly
(attachments, no alternatives, lines the URL would take past SMTP's 998 octets, a URL outside ASCII)
is encoded Django's way.

Set ``PRESSCLUB_MAIL_TRANSPORT = "pressclub.mail.transport.EmailBackend"`` (production does for an
``smtp://`` ``EMAIL_URL``); it reads Django's ``EMAIL_*`` settings as Django's SMTP backend does.
"""

from __future__ import annotations

import copy
import re
import smtplib
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, sanitize_address

CRLF = "\r\n"
_BRACKETED = re.compile(r"<([^<>\s]+)>")


@dataclass(frozen=True)
class _Parts:
    """A distinct body encoded once: the top-level Content-Type and MIME-Version lines (they name the
    boundary), the bytes after the top-level header block, the boundary between its parts, how often
    the boundary occurs in them, and for each line holding the stand-in its length in octets and its
    stand-ins (a URL put back there must keep it within 998 octets)."""

    head: bytes
    data: bytes
    boundary: str
    boundary_count: int
    lines: tuple[tuple[int, int], ...]


class MessageEncoder:
    """Turn Django e-mail messages into the bytes an SMTP server is sent (lines ending in CRLF),
    encoding each distinct body once.

    Keeps the ``size`` bodies used last (a digest run has a few dozen: one per language and list of
    stories). Not thread-safe: one per connection, as Django's backends are.
    """

    def __init__(self, size: int = 64):
        self.size = size
        self._parts: OrderedDict[tuple, _Parts | None] = OrderedDict()
        # Letters, digits and hyphens: never folded, escaped or encoded, and in no message's text.
        self._stand_in = f"pressclub-personal-{uuid.uuid4().hex}"
        self.encoded = self.reused = 0  # bodies encoded, messages that took an encoded body

    def as_bytes(self, message: EmailMessage) -> bytes:
        """Return ``message`` as Django's SMTP backend sends it (``message.message().as_bytes(linesep="\\r\\n")``)."""
        url = _unsubscribe_url(message)
        key = self._key(message, url)
        if key is None:
            return message.message().as_bytes(linesep=CRLF)
        parts = self._parts.get(key)
        if parts is None and key not in self._parts:
            parts = self._encode(message, key)
        else:
            self._parts.move_to_end(key)
        if parts is None:  # this body cannot be shared; Django's way
            return message.message().as_bytes(linesep=CRLF)
        data = parts.data
        if url:
            delta = len(url) - len(self._stand_in)
            if any(length + count * delta > RFC5322_EMAIL_LINE_LENGTH_LIMIT for length, count in parts.lines):
                return message.message().as_bytes(linesep=CRLF)
            data = data.replace(self._stand_in.encode(), url.encode())
            if data.count(b"--" + parts.boundary.encode()) != parts.boundary_count:
                return message.message().as_bytes(linesep=CRLF)  # the URL holds the boundary (never seen)
        headers = self._headers(message)
        if headers is None:
            return message.message().as_bytes(linesep=CRLF)
        self.reused += 1
        return parts.head + headers + data

    def _key(self, message: EmailMessage, url: str) -> tuple | None:
        """Return what the message's encoded parts depend on, with its URL replaced by the stand-in;
        None when the shortcut does not apply to ``message``."""
        # Exactly Django's class: a subclass may build its MIME tree differently.
        if type(message) is not EmailMultiAlternatives or message.attachments or not message.alternatives:
            return None
        if not url.isascii():
            return None

        def personal(text):
            return text.replace(url, self._stand_in) if url and isinstance(text, str) else text

        return (
            message.encoding or settings.DEFAULT_CHARSET, message.content_subtype,
            message.alternative_subtype, personal(message.body),
            tuple((personal(content), mimetype) for content, mimetype in message.alternatives),
        )  # fmt: skip

    def _encode(self, message: EmailMessage, key: tuple) -> _Parts | None:
        template = copy.copy(message)
        template.body = key[3]
        template.alternatives = []
        for content, mimetype in key[4]:
            template.attach_alternative(content, mimetype)
        mime = template.message()
        data = mime.as_bytes(linesep=CRLF)
        boundary = mime.get_boundary()
        _, blank, body = data.partition((CRLF + CRLF).encode())
        parts = None
        # Only 7bit and 8bit parts are the same bytes once the URL is put back (quoted-printable and
        # base64 would wrap or encode it differently).
        encodings = re.findall(rb"(?im)^content-transfer-encoding:\s*(\S+)", body)
        head = list(mime.raw_items())[:2]
        if (
            blank and boundary and [name for name, _ in head] == ["Content-Type", "MIME-Version"]
            and all(e.lower() in (b"7bit", b"8bit") for e in encodings)
        ):  # fmt: skip
            stand_in = self._stand_in.encode()
            lines = tuple((len(line), line.count(stand_in)) for line in body.split(b"\r\n") if stand_in in line)
            head = b"".join(_fold(name, value) for name, value in head)
            parts = _Parts(head, body, boundary, body.count(b"--" + boundary.encode()), lines)
        self._parts[key] = parts
        self.encoded += 1
        if len(self._parts) > self.size:
            self._parts.popitem(last=False)
        return parts

    def _headers(self, message: EmailMessage) -> bytes | None:
        """Return the top-level headers Django gives ``message`` after Content-Type and MIME-Version,
        and the blank line after them; None if Django's message was not as expected.

        Django builds them (subject, addresses, Date, Message-ID, the message's own headers) for the
        message with no text at all, a single part whose first three headers are its Content-Type,
        MIME-Version and Content-Transfer-Encoding.
        """
        shell = copy.copy(message)
        shell.body = ""
        shell.alternatives = []
        items = list(shell.message().raw_items())
        if [name for name, _ in items[:3]] != ["Content-Type", "MIME-Version", "Content-Transfer-Encoding"]:
            return None
        return b"".join(_fold(name, value) for name, value in items[3:]) + CRLF.encode()


@lru_cache(maxsize=512)
def _fold(name: str, value: str) -> bytes:
    """Return the header line ``name: value`` as the e-mail generator writes it (compat32, CRLF)."""
    return _POLICY.fold_binary(name, value)


def _unsubscribe_url(message: EmailMessage) -> str:
    """Return the URL of ``message``'s List-Unsubscribe header when it names exactly one, else ""."""
    value = next((str(v) for k, v in message.extra_headers.items() if k.lower() == "list-unsubscribe"), "")
    urls = _BRACKETED.findall(value)
    return urls[0] if len(urls) == 1 else ""


class EmailBackend(SMTPBackend):
    """Django's SMTP backend, same settings and failures, whose messages are encoded by
    ``MessageEncoder`` (one per connection object, so a batch's digests share their encoded bodies)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.encoder = MessageEncoder()

    def _send(self, email_message):
        """Send ``email_message`` over the open connection; return True if it went (Django's ``_send``)."""
        if not email_message.recipients():
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = _sanitized_sender(email_message.from_email, encoding)
        recipients = [sanitize_address(addr, encoding) for addr in email_message.recipients()]
        data = self.encoder.as_bytes(email_message)
        try:
            self.connection.sendmail(from_email, recipients, data)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True


@lru_cache(maxsize=16)
def _sanitized_sender(address: str, encoding: str) -> str:
    # A run's messages share their sender: sanitized once.
    return sanitize_address(address, encoding)


def _policy():
    from email.policy import compat32

    return compat32.clone(linesep=CRLF)


_POLICY = _policy()
