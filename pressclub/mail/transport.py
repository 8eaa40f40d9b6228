"""The outbox's SMTP transport: Django's SMTP backend that encodes each distinct message body once.

A digest run hands the worker thousands of messages that differ only in their headers (To,
Message-ID, Date, List-Unsubscribe) and in the few links of their text that are the recipient's own
(unsubscribe, manage). Django's backend builds and encodes every message whole (the MIME tree, each
header folded, each part encoded): most of the worker's time per message. ``MessageEncoder``
encodes the parts of each distinct body once, with stand-ins for the recipient's own strings (those
``models.PERSONAL_HEADER`` lists, else the List-Unsubscribe URL), and gives each message Django's own
header block followed by those parts with its strings put back: the bytes Django's backend would
send, but for the Date and the MIME boundary (both differ between any two sendings;
``tests/test_transport.py`` compares the two paths). A message the shortcut cannot give exactly
(attachments, no alternatives, lines its strings would take past SMTP's 998 octets, strings outside
ASCII) is encoded Django's way.

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
    the boundary occurs in them, and for each line holding a stand-in its length in octets and how
    many of each stand-in it holds (the personal strings put back must keep it within 998 octets)."""

    head: bytes
    data: bytes
    boundary: str
    boundary_count: int
    lines: tuple[tuple[int, tuple[int, ...]], ...]


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
        """Return ``message`` as Django's SMTP backend sends it (``message.message().as_bytes(linesep="\\r\\n")``).

        The strings of its text that are its recipient's own are ``message.personal`` (a list, set by
        ``OutgoingMail.message`` from ``models.PERSONAL_HEADER``), else the URL of its
        List-Unsubscribe header.
        """
        personal = sorted(set(getattr(message, "personal", None) or _unsubscribe_urls(message)), key=lambda s: (-len(s), s))
        key = self._key(message, personal)
        parts = None
        if key is not None:
            parts = self._parts.get(key)
            if parts is None and key not in self._parts:
                parts = self._encode(message, key)
            else:
                self._parts.move_to_end(key)
        data = parts and self._personal_data(parts, personal)
        headers = data and self._headers(message)
        if not headers:  # Django's way: this body cannot be shared, or not by this message
            return message.message().as_bytes(linesep=CRLF)
        self.reused += 1
        return parts.head + headers + data

    def _stand_ins(self, count: int) -> list[str]:
        return [f"{self._stand_in}-{i:03d}" for i in range(count)]

    def _personal_data(self, parts: _Parts, personal: list[str]) -> bytes | None:
        """Return ``parts``' bytes with the stand-ins replaced by ``personal``; None when they would
        not be the bytes Django gives (a line past 998 octets, the boundary in a personal string)."""
        deltas = [len(value.encode()) - len(stand_in) for value, stand_in in zip(personal, self._stand_ins(len(personal)), strict=True)]
        for length, counts in parts.lines:
            if length + sum(c * d for c, d in zip(counts, deltas, strict=True)) > RFC5322_EMAIL_LINE_LENGTH_LIMIT:
                return None
        data = parts.data
        for value, stand_in in zip(personal, self._stand_ins(len(personal)), strict=True):
            data = data.replace(stand_in.encode(), value.encode())
        if data.count(b"--" + parts.boundary.encode()) != parts.boundary_count:
            return None  # a personal string holds the boundary (never seen)
        return data

    def _key(self, message: EmailMessage, personal: list[str]) -> tuple | None:
        """Return what the message's encoded parts depend on, with its personal strings replaced by
        stand-ins; None when the shortcut does not apply to ``message``."""
        # Exactly Django's class: a subclass may build its MIME tree differently.
        if type(message) is not EmailMultiAlternatives or message.attachments or not message.alternatives:
            return None
        if not all(value.isascii() and value for value in personal) or len(personal) > 16:
            return None

        def shared(text):
            if isinstance(text, str):
                for value, stand_in in zip(personal, self._stand_ins(len(personal)), strict=True):
                    text = text.replace(value, stand_in)
            return text

        return (
            len(personal), message.encoding or settings.DEFAULT_CHARSET, message.content_subtype,
            message.alternative_subtype, shared(message.body),
            tuple((shared(content), mimetype) for content, mimetype in message.alternatives),
        )  # fmt: skip

    def _encode(self, message: EmailMessage, key: tuple) -> _Parts | None:
        template = copy.copy(message)
        template.body = key[4]
        template.alternatives = []
        for content, mimetype in key[5]:
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
            stand_ins = [stand_in.encode() for stand_in in self._stand_ins(key[0])]
            lines = tuple(
                (len(line), tuple(line.count(stand_in) for stand_in in stand_ins))
                for line in body.split(b"\r\n") if self._stand_in.encode() in line
            )  # fmt: skip
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


def _unsubscribe_urls(message: EmailMessage) -> list[str]:
    """Return the URLs of ``message``'s List-Unsubscribe header ("<https://…>, <mailto:…>")."""
    value = next((str(v) for k, v in message.extra_headers.items() if k.lower() == "list-unsubscribe"), "")
    return _BRACKETED.findall(value)


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
