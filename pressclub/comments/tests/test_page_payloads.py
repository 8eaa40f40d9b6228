"""The comment section and the moderators' e-mail show cheat-sheet XSS payloads as typed.

The 62 payloads are commenters' names and comment bodies under one story whose headline is a
payload too. The story's page must show every name and body as text and hold no element or
attribute a payload could create beyond those of the page with plain comments; the e-mail that
asks moderators to look at a held comment is plain text with the name, body and headline as typed.
"""

from django.core import mail
from django.core.cache import cache
from lxml import html as lxml_html

from pressclub.core.tests.xss import ALL, dangerous_nodes, elements
from pressclub.members.names import display_name_clean

from .test_feed_payloads import MARKDOWN, PAGE_TITLE


def thread(client, article):
    page = client.get(article.url).content.decode()
    doc = lxml_html.fromstring(page)
    return page, {int(li.get("id").split("-")[1]): li for li in doc.xpath("//li[starts-with(@id, 'comment-')]")}


def test_comment_section_shows_every_payload_as_text(client, article, make_comment):
    article.title = PAGE_TITLE
    article.save_revision().publish()
    plain = [make_comment(author_name=f"Reader {n}", body="Plain words.", minutes=n + 1) for n in range(62)]
    page, _ = thread(client, article)
    baseline = dangerous_nodes(page)
    for comment in plain:
        comment.delete()
    cache.clear()  # rows written directly: the cached thread is not told
    comments = [make_comment(author_name=p[:80], body=p, minutes=n + 1) for n, p in enumerate(ALL)]
    page, items = thread(client, article)
    assert dangerous_nodes(page) == baseline
    assert len(items) == 62
    for comment, payload in zip(comments, ALL, strict=True):
        item = items[comment.pk]
        assert item.xpath("h3")[0].text_content() == display_name_clean(payload[:80])  # no bidi controls
        body = item.xpath("h3/following-sibling::*[not(self::a) and not(@class='act')]")
        body_html = "".join(lxml_html.tostring(el, encoding="unicode") for el in body)
        assert elements(body_html) == MARKDOWN.get(payload, ["p"]), payload
        if payload not in MARKDOWN:
            assert "".join(el.text_content() for el in body).strip() == payload
    assert lxml_html.fromstring(page).xpath("//h2[@id='comments-title']")[0].text_content() == (
        f"62 Responses to “{PAGE_TITLE}”"
    )


def test_moderators_email_shows_every_payload_as_typed(article, make_comment, moderator):
    from pressclub.comments.notifications import moderator_notification_send

    article.title = PAGE_TITLE
    article.save_revision().publish()
    for payload in ALL:
        mail.outbox.clear()
        comment = make_comment(author_name=payload[:80], body=payload, status="pending")
        assert moderator_notification_send(comment.pk) == 1
        message = mail.outbox[0]
        assert (message.content_subtype, getattr(message, "alternatives", [])) == ("plain", [])
        assert message.subject == f"Comment awaiting moderation on “{PAGE_TITLE}”"
        assert payload in message.body and payload[:80] in message.body
        assert PAGE_TITLE in message.body
