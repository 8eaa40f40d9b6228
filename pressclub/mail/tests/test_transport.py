"""The SMTP transport sends the bytes Django's SMTP backend would, encoding each distinct body once."""

import re

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection

from pressclub.follows.digests import digests_send
from pressclub.follows.models import Follow, Follower
from pressclub.mail.models import OutgoingMail
from pressclub.mail.transport import MessageEncoder
from pressclub.testing.factories import publish_article, utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 12, 6, 7, 0)


def _django_bytes(message) -> bytes:
    """Return ``message`` as Django's SMTP backend encodes it."""
    return message.message().as_bytes(linesep="\r\n")


def _comparable(data: bytes, *, message_id: bool = False) -> bytes:
    """Return ``data`` with its Date header and its MIME boundary (both new at every sending) fixed,
    and with ``message_id`` its Message-ID (new at every sending when the message has none)."""
    data = re.sub(rb"\r\nDate: [^\r]+\r\n", b"\r\nDate: (date)\r\n", data, count=1)
    if message_id:
        data = re.sub(rb"\r\nMessage-ID: [^\r]+\r\n", b"\r\nMessage-ID: (id)\r\n", data, count=1)
    boundary = re.search(rb'boundary="([^"]+)"', data)
    return data.replace(boundary.group(1), b"(boundary)") if boundary else data


def _digests(settings, section) -> list[EmailMultiAlternatives]:
    """Write the daily digests of six followers (two English, two Nepali, two Bengali, each pair with
    different follows) and return them as the outbox hands them to the transport."""
    settings.EMAIL_BACKEND = "pressclub.mail.backends.OutboxBackend"
    settings.PRESSCLUB_MAIL_TRANSPORT = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRESSCLUB_BASE_URL = "https://news.example.org"
    since = utc(2026, 12, 5, 7, 0)
    publish_article(section, title="पोखरामा नयाँ पुल", language="ne", dek="वडा अध्यक्षले भने।", when=utc(2026, 12, 5, 9, 0))
    publish_article(section, title="Council approves the bridge", when=utc(2026, 12, 5, 10, 0))
    for i, language in enumerate(["en", "en", "ne", "ne", "bn", "bn"]):
        follower = Follower.objects.create(email=f"reader{i}@example.org", confirmed_at=since, language=language)
        follows = {"kind": "site"} if i % 2 else {"kind": "section", "section": section}
        Follow.objects.create(follower=follower, confirmed_at=since, digest_since=since, **follows)
    assert digests_send(frequency="daily", now=NOW).sent == 6
    return [row.message() for row in OutgoingMail.objects.order_by("pk")]


def test_digests_get_the_bytes_djangos_backend_gives_each_body_encoded_once(settings, section):
    messages = _digests(settings, section)
    encoder = MessageEncoder()

    sent = [encoder.as_bytes(message) for message in messages * 2]

    assert [_comparable(data) for data in sent] == [_comparable(_django_bytes(m)) for m in messages * 2]
    # Each follower's own address, unsubscribe and manage links, in the headers and in both parts.
    for message, data in zip(messages, sent[:6], strict=True):
        url = re.fullmatch(r"<(\S+)>", message.extra_headers["List-Unsubscribe"]).group(1)
        unsubscribe, manage = message.personal
        assert (unsubscribe, "/follow/manage/" in manage) == (url, True)
        assert f"\r\nTo: {message.to[0]}\r\n".encode() in data
        assert (data.count(url.encode()), data.count(manage.encode())) == (3, 2)
        assert b"X-Pressclub" not in data
    # Six followers, three languages, the same stories: three bodies, each encoded once.
    assert (encoder.encoded, encoder.reused) == (3, 12)


@pytest.mark.parametrize(
    "message",
    [
        # Names and a subject outside ASCII, Cc and Reply-To, a header of its own.
        EmailMultiAlternatives(
            "पोखरामा नयाँ पुल", "Read it: https://news.example.org/u/abc/\n", "समाचार <desk@example.org>",
            ["রাহুল <reader@example.org>"], cc=["Editor <editor@example.org>"], reply_to=["desk@example.org"],
            headers={"List-Unsubscribe": "<https://news.example.org/u/abc/>", "X-Campaign": "digest"},
            alternatives=[('<a href="https://news.example.org/u/abc/">Unsubscribe</a>', "text/html")],
        ),
        # No List-Unsubscribe: the body is shared as it is.
        EmailMultiAlternatives("Digest", "Plain text", "desk@example.org", ["reader@example.org"],
                               alternatives=[("<p>HTML</p>", "text/html")]),
        # A line the URL takes past 998 octets: quoted-printable, Django's way.
        EmailMultiAlternatives(
            "Digest", "x" * 960 + " https://news.example.org/u/" + "a" * 40 + "/\n", "desk@example.org",
            ["reader@example.org"], headers={"List-Unsubscribe": "<https://news.example.org/u/" + "a" * 40 + "/>"},
            alternatives=[("<p>HTML</p>", "text/html")],
        ),
        # One part only, and a message of another class: Django's way.
        EmailMessage("Sign-in code", "123456", "desk@example.org", ["reader@example.org"]),
        EmailMultiAlternatives("Digest", "Plain", "desk@example.org", ["reader@example.org"]),
    ],
    ids=["headers", "no-unsubscribe", "long-line", "one-part", "no-alternatives"],
)
def test_any_message_gets_the_bytes_djangos_backend_gives(message):
    encoder = MessageEncoder()

    for _ in range(2):  # encoding the body, then taking it encoded
        assert _comparable(encoder.as_bytes(message), message_id=True) == _comparable(
            _django_bytes(message), message_id=True
        )


def test_a_url_taking_a_line_past_998_octets_is_left_to_django():
    short, long = (
        EmailMultiAlternatives("Digest", "x" * 940 + f" {url}\n", "desk@example.org", ["reader@example.org"],
                               headers={"List-Unsubscribe": f"<{url}>"}, alternatives=[("<p>HTML</p>", "text/html")])
        for url in ("https://news.example.org/u/a/", "https://news.example.org/u/" + "a" * 40 + "/")
    )  # fmt: skip
    encoder = MessageEncoder()

    assert b"Content-Transfer-Encoding: 7bit" in encoder.as_bytes(short)  # a line of 970 octets
    assert b"Content-Transfer-Encoding: quoted-printable" in encoder.as_bytes(long)  # 1009
    assert (encoder.encoded, encoder.reused) == (1, 1)  # one body, which the long one could not take


def test_backend_sends_over_smtp(outbox_to_smtp, settings, django_capture_on_commit_callbacks):
    server = outbox_to_smtp()
    settings.PRESSCLUB_MAIL_TRANSPORT = "pressclub.mail.transport.EmailBackend"
    messages = [
        EmailMultiAlternatives("Digest", f"Unsubscribe: https://news.example.org/u/{i}/\n", "Desk <desk@example.org>",
                               [f"reader{i}@example.org"], headers={"List-Unsubscribe": f"<https://news.example.org/u/{i}/>"},
                               alternatives=[(f'<a href="https://news.example.org/u/{i}/">Unsubscribe</a>', "text/html")])
        for i in range(3)
    ]  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        assert get_connection().send_messages(messages) == 3

    assert [(m["To"], m["From"], m.get_payload(0).get_payload()) for m in server.messages] == [
        (f"reader{i}@example.org", "Desk <desk@example.org>", f"Unsubscribe: https://news.example.org/u/{i}/\r\n")
        for i in range(3)
    ]
    assert [m.get_payload(1).get_payload() for m in server.messages] == [
        f'<a href="https://news.example.org/u/{i}/">Unsubscribe</a>' for i in range(3)
    ]
    assert mail.outbox == []
