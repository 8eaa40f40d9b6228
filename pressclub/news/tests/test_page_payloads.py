"""The article page shows cheat-sheet XSS payloads typed into any of its fields as text.

Each of the 62 payloads is every text field of one story (headline, dek, kicker, byline, dateline,
lead image alt text, caption and credit, sign-off, wire outlet and bylines, a body paragraph typed
in the editor) and a body HTML block (imported HTML, through the sanitiser). The rendered page
must show each field as typed, carry it unchanged in its JSON-LD and OpenGraph tags, and hold no
element or attribute a payload could create beyond those of the same page with plain words.
"""

import json

from django.utils.html import escape
from lxml import html as lxml_html

from pressclub.core.tests.xss import ALL, dangerous_nodes
from pressclub.people.models import Author
from pressclub.testing.factories import publish_article, utc

SITE = "Valley Press Club News"


def story(section, n, text):
    """Publish a story whose every text field is ``text`` (cut to each field's length)."""
    author = Author.objects.create(name=text, slug=f"author-{n}")
    return publish_article(
        section, title=text, slug=f"story-{n}", when=utc(2026, 2, 1 + n // 60, minute=n % 60), authors=[author],
        dek=text, kicker=text[:80], byline_credit=text, dateline=text[:100], sign_off=text,
        lead_image_url="https://images.example.net/lead.jpg", lead_image_alt=text, lead_image_caption=text,
        lead_image_credit=text, source_outlet=text, original_bylines=text,
        original_url="https://wire.example.net/story", body=[("paragraph", f"<p>{escape(text)}</p>"), ("html", text)],
    )


def test_article_page_shows_every_payload_as_text(client, section):
    baseline_page = lxml_html.fromstring(client.get(story(section, 99, "Plain words").url).content)
    baseline = dangerous_nodes(lxml_html.tostring(baseline_page, encoding="unicode"))
    # The page's own: <body>, the footer's language form (its four buttons and the hidden "next"),
    # three <link>s (stylesheet, icon, canonical), 15 <meta>s, the JSON-LD.
    assert baseline == ["body", *["button"] * 4, "form", "input", "link", "link", "link", *["meta"] * 15, "script"]
    checked = 0
    for n, payload in enumerate(ALL):
        response = client.get(story(section, n, payload).url)
        assert response.status_code == 200, payload
        page = response.content.decode()
        doc = lxml_html.fromstring(page)
        assert dangerous_nodes(page) == baseline, payload

        def text(xpath, doc=doc):
            return [el.text_content() for el in doc.xpath(xpath)]

        assert text("//h1") == [payload]
        assert text("//title") == [f"{payload} — {SITE}"]
        assert text("//p[@class='dek']") == [payload]
        assert text("//p[@class='kicker']") == [payload[:80]]
        assert text("//p[@class='byline']") == [f"By {payload} {payload}"]
        assert text("//p[@class='dateline']/strong") == [payload[:100]]
        assert text("//p[@class='signoff']") == [payload]
        assert text("//figcaption") == [payload + payload]
        assert doc.xpath("//figure/img/@alt") == [payload]
        assert text("//p[@class='wire']/a") == [payload]
        assert text("//div[@class='body']/p[not(@class)][1]") == [payload]
        data = json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)
        assert (data["headline"], data["description"], data["author"][0]["name"]) == (payload, payload, payload)
        assert data["isBasedOn"]["publisher"]["name"] == payload
        meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.xpath("//meta[@content]")}
        assert [meta[k] for k in ("og:title", "og:description", "twitter:title", "twitter:description",
                                  "description")] == [payload] * 5
        checked += 1
    assert checked == 62
