"""Every feed's items, shown as a feed reader shows them, create no element from a payload.

The 62 cheat-sheet payloads are the headlines and deks of 62 stories and the names and bodies of
62 comments. Each of the twelve feeds (site, section, label and author feeds of articles, the
site's and one page's comment feeds; RSS and Atom) is read the way a careless reader reads it:
every RSS title and description, and every Atom element typed ``html``, goes into the page as
HTML; Atom ``text`` and plain elements go in as text. Debian's chromium renders the page; nothing
a payload tried to create may be there, and no script may run.
"""

import html

import pytest
from lxml import etree

from pressclub.core.tests.xss import ALL
from pressclub.people.models import Author

pytestmark = pytest.mark.browser

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


def reader_fields(xml: bytes) -> list[tuple[str, str, str]]:
    """Return ``(element, "html" | "text", value)`` for each field a reader shows, feed head included."""
    root = etree.fromstring(xml)
    fields = []
    if root.tag == "rss":
        channel = root.find("channel")
        for element in (channel.find("title"), channel.find("description")):
            fields.append((element.tag, "html", element.text or ""))
        for item in channel.iter("item"):
            for name in ("title", "description"):
                element = item.find(name)
                if element is not None:
                    fields.append((f"item {name}", "html", element.text or ""))
            for element in [*item.iter("category"), *item.iter(f"{DC}creator")]:
                fields.append(("item " + etree.QName(element).localname, "text", element.text or ""))
        return fields
    for element in root.iter(f"{ATOM}title", f"{ATOM}subtitle", f"{ATOM}summary", f"{ATOM}content", f"{ATOM}name"):
        fields.append((etree.QName(element).localname, element.get("type", "text"), element.text or ""))
    for element in root.iter(f"{ATOM}category"):
        fields.append(("category", "text", element.get("term")))
    return fields


def reader_page(feeds: dict[str, bytes]) -> str:
    """Return one HTML page holding every field of every feed, as a naive feed reader builds it."""
    parts = ["<!doctype html><html><head><title>Reader</title></head><body>"]
    for url, xml in feeds.items():
        parts.append(f'<section data-feed="{html.escape(url)}">')
        for name, kind, value in reader_fields(xml):
            shown = value if kind in ("html", "xhtml") else html.escape(value)
            parts.append(f'<div class="field" data-name="{html.escape(name)}">{shown}</div>')
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)


FIND_CREATED = """() => {
  const created = [];
  for (const field of document.querySelectorAll('.field')) {
    const feed = field.closest('section').dataset.feed;
    const comment = feed.startsWith('/comments/') && ['description', 'summary', 'item description'].includes(field.dataset.name);
    for (const el of field.querySelectorAll('*')) {
      const markdown = comment && ['P', 'BR', 'A'].includes(el.tagName)
        && [...el.attributes].every(a => a.name === 'rel' || (a.name === 'href' && a.value.startsWith('https://')));
      if (!markdown) created.push(feed + ' ' + field.dataset.name + ': <' + el.tagName.toLowerCase() + '>');
    }
  }
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on') || a.name === 'data-xss') created.push('[' + a.name + '] on <' + el.tagName + '>');
    }
  }
  return {created, ran: window.__ran, fields: document.querySelectorAll('.field').length};
}"""


def test_feed_items_shown_in_a_reader_create_no_element(chromium, client, section, article, settings):
    from pressclub.comments.models import Comment
    from pressclub.comments.text import render_body
    from pressclub.testing.factories import publish_article, utc

    settings.PRESSCLUB_FEED_ITEMS = len(ALL)
    byline = Author.objects.create(name='<img src=x onerror=alert(1)> "Desk"', slug="desk")
    for n, payload in enumerate(ALL):
        publish_article(section, title=payload, slug=f"payload-{n}", dek=payload, authors=[byline],
                        labels=["Payloads"], when=utc(2026, 1, 1 + n // 60, minute=n % 60))
        Comment.objects.create(page=article, author_name=payload[:80], body=payload, body_html=render_body(payload),
                               status="approved", created_at=utc(2026, 3, 15 + n // 60, minute=n % 60))
    urls = [
        "/feeds/rss/", "/feeds/atom/", "/feeds/section/local/rss/", "/feeds/section/local/atom/",
        "/feeds/label/payloads/rss/", "/feeds/label/payloads/atom/", "/feeds/author/desk/rss/",
        "/feeds/author/desk/atom/", "/comments/feed/", "/comments/feed/atom/",
        f"/comments/feed/{article.pk}/", f"/comments/feed/{article.pk}/atom/",
    ]
    feeds = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        feeds[url] = response.content

    context = chromium.new_context()
    # A payload that became an element would fetch from afar: nothing leaves the page.
    context.route("**/*", lambda route: route.abort())
    context.add_init_script(
        "window.__ran = []; for (const f of ['alert', 'confirm', 'prompt', 'print'])"
        " window[f] = (...a) => window.__ran.push(f + '(' + a.join(',') + ')');"
    )
    page = context.new_page()
    page.set_content(reader_page(feeds), wait_until="load")
    page.wait_for_timeout(500)  # event handlers such as onerror and ontoggle fire after load
    result = page.evaluate(FIND_CREATED)
    context.close()
    # Each feed: 2 head fields (title, description or subtitle); per item, 4 fields in the 8 article
    # feeds (headline, dek, author, label) and 3 in the 4 comment feeds (title, body, name).
    assert result["fields"] == sum(len(reader_fields(xml)) for xml in feeds.values())
    assert result["fields"] == 8 * (2 + 62 * 4) + 4 * (2 + 62 * 3) == 2752
    assert result["created"] == []
    assert result["ran"] == []
