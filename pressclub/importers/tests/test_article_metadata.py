"""Outlet names: which of a page's names wins, which are rejected, the domain as a last resort."""

import lxml.html
import pytest

from pressclub.importers.article.metadata import plausible_outlet, read_metadata, registrable_domain


def page(head: str, body: str = "<h1>Bridge reopens after floods</h1>") -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


LD = (
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Bridge reopens after floods",'
    ' "publisher": {"@type": "Organization", "name": "%s"}}</script>'
)


@pytest.mark.parametrize(
    ("head", "outlet"),
    [
        (LD % "The Valley Ledger" + '<meta property="og:site_name" content="Ledger Online">', "The Valley Ledger"),
        (LD % "News" + '<meta property="og:site_name" content="Ledger Online">', "Ledger Online"),
        (
            '<meta property="article:publisher" content="Hill Press"><meta property="og:site_name" content="World">',
            "Hill Press",
        ),
        (
            '<meta property="article:publisher" content="https://www.facebook.com/hillpress">'
            '<meta property="og:site_name" content="Hill Press Club News">',
            "Hill Press Club News",
        ),
        ('<meta property="og:site_name" content="U.S.">', ""),
        ('<meta property="og:site_name" content="Hosted">', ""),
        ('<meta property="og:site_name" content="Ledger_">', ""),
        ('<meta property="og:site_name" content="www.valleyledger.example">', "valleyledger.example"),
    ],
)
def test_the_first_plausible_name_wins(head, outlet):
    assert read_metadata(page(head)).source_outlet == outlet


def test_the_registrable_domain_is_kept_for_the_last_resort():
    meta = read_metadata(
        page('<link rel="canonical" href="https://wire.ledger.co.uk/2026/bridge"><meta property="og:site_name" content="U.S.">')
    )
    assert (meta.source_outlet, meta.site_domain) == ("", "ledger.co.uk")


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("  The  Valley Ledger ", "The Valley Ledger"),
        ("Business", ""),
        ("Business Standard", "Business Standard"),
        ("@ledger", ""),
        ("https://ledger.example.com/", ""),
        ("site_name", ""),
        ("POLYGRAPH.info", "POLYGRAPH.info"),
    ],
)
def test_plausible_outlet(value, name):
    assert plausible_outlet(value) == name


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.reuters.example.com/article/x", "example.com"),
        ("http://news.example.co.kr/view?idx=1", "example.co.kr"),
        ("http://127.0.0.1:8000/story", ""),
        ("", ""),
    ],
)
def test_registrable_domain(url, domain):
    assert registrable_domain(url) == domain


@pytest.mark.parametrize("separator", [" - ", " | "])
def test_og_site_name_is_cut_from_a_title_headline(separator):
    head = f'<title>Bridge reopens after floods{separator}Hosted</title><meta property="og:site_name" content="Hosted">'
    meta = read_metadata(page(head, body="<p>The bridge on the river road reopened on Monday.</p>"))
    assert meta.headline == "Bridge reopens after floods"
    assert meta.source_outlet == ""


# --- entities are decoded exactly once --------------------------------------------------------------


def test_meta_values_are_taken_as_the_parser_decoded_them():
    # The page writes the text "&#60;img src=x onerror=alert(1)>" (its "&" escaped): text, never markup.
    head = (
        '<meta property="og:title" content="&amp;#60;img src=x onerror=alert(1)&gt; Bridge reopens">'
        '<meta name="description" content="Tolls &amp;#60;b&amp;#62; rise &amp; fall">'
    )
    meta = read_metadata(page(head, body=""))
    assert meta.headline == "&#60;img src=x onerror=alert(1)> Bridge reopens"
    assert meta.dek == "Tolls &#60;b&#62; rise & fall"


def test_json_ld_values_are_decoded_once():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "headline": "Gas &amp; Electric cuts power", "description": "&amp;#60;img src=x&amp;#62; is text"}'
        "</script>"
    )
    meta = read_metadata(page(head, body=""))
    assert meta.headline == "Gas & Electric cuts power"
    assert meta.dek == "&#60;img src=x&#62; is text"
