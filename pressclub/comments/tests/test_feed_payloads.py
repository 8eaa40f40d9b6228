"""The comment feeds show cheat-sheet XSS payloads in commenters' names, comment bodies and page
titles as text, parsed as a reader parses them (feedparser)."""

import feedparser

from pressclub.core.tests.xss import ALL, dangerous_nodes, elements, html_text
from pressclub.members.names import display_name_clean

# Bodies are Markdown: these three payloads legitimately become a line break, two paragraphs
# and a plain https link. Every other body shows exactly as typed.
MARKDOWN = {
    "<img\nsrc=x\nonerror=alert(1)>": ["p", "br", "br"],
    "[ref][x]\n\n[x]: javascript:alert(1)": ["p", "p"],
    '[a](https://example.org/"onmouseover="alert(1))': ["p", "a"],
}
PAGE_TITLE = '<img src=x onerror=alert(1)> "Seti" & <b>bridge</b>'


def shown(detail):
    """Return the text a reader shows for a feedparser ``*_detail`` dict; fail if it holds markup."""
    if detail["type"] == "text/html":
        assert elements(detail["value"]) == [], detail
        return html_text(detail["value"])
    assert detail["type"] == "text/plain", detail
    return detail["value"]


def test_comment_feeds_show_every_payload_as_text(client, article, make_comment, settings):
    settings.PRESSCLUB_FEED_ITEMS = len(ALL)
    article.title = PAGE_TITLE
    article.save_revision().publish()
    for n, payload in enumerate(ALL):
        make_comment(author_name=payload[:80], body=payload, minutes=n + 1)
    newest_first = list(reversed(ALL))
    checked = 0
    for url in ("/comments/feed/", "/comments/feed/atom/", f"/comments/feed/{article.pk}/",
                f"/comments/feed/{article.pk}/atom/"):
        feed = feedparser.parse(client.get(url).content)
        assert feed.bozo == 0, url
        assert len(feed.entries) == 62, url
        if str(article.pk) in url:
            assert shown(feed.feed.title_detail) == f"Comments on “{PAGE_TITLE}”"
        for entry, payload in zip(feed.entries, newest_first, strict=True):
            # A commenter's name holds 80 characters, shown without invisible or bidi-control ones.
            name = display_name_clean(payload[:80])
            assert shown(entry.title_detail) == f"{name} on “{PAGE_TITLE}”", url
            assert entry.author == name, url
            body = entry.summary
            assert entry.summary_detail.type == "text/html"
            assert dangerous_nodes(body, fragment=True) == [], (url, payload)
            assert elements(body) == MARKDOWN.get(payload, ["p"]), (url, payload)
            if payload not in MARKDOWN:
                assert html_text(body).strip() == payload, url
            checked += 1
    assert checked == 4 * 62
