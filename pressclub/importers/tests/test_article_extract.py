"""Wire-story extraction: each newsroom repair, metadata sources, and refusal of what is not a story."""

import datetime as dt
import gzip
from pathlib import Path

import lxml.html
import pytest

from pressclub.importers.article import cleanup
from pressclub.importers.article.bylines import read_bylines
from pressclub.importers.article.extract import ArticleExtractionError, extract_story
from pressclub.importers.article.metadata import read_metadata

FIXTURES = Path(__file__).parent / "fixtures" / "article"
HEADLINE = "Floods Cut Off Hill Villages as Three Bridges Wash Away"
LEDE = (
    "Heavy rain on Sunday night swept away three suspension bridges in the hills above Pokhara, cutting off "
    "five villages from the road and the district hospital, officials said on Monday."
)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="module")
def wire():
    """The outlet's own page: JSON-LD, Open Graph, classed byline, caption and widgets."""
    return extract_story(fixture_bytes("floods_wire.html"))


@pytest.fixture(scope="module")
def repost():
    """The same story republished on a club's blog: no classes on the chrome, no charset."""
    return extract_story(fixture_bytes("blog_repost.html"))


def tree_of(html: str):
    return lxml.html.document_fromstring(html)


# --- drop caps -----------------------------------------------------------------------------------


def test_drop_cap_rejoined_in_the_lede(wire, repost):
    assert wire.paragraphs[0] == LEDE
    assert repost.paragraphs[0] == LEDE


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ('<p><span class="dropcap">H</span>elene Adhikari said.</p>', "Helene Adhikari said."),
        ('<p><span class="drop-cap">T</span>HE river rose.</p>', "THE river rose."),
        ("<p><b>H</b>elene Adhikari said.</p>", "Helene Adhikari said."),
        ('<p><span class="dropcap">A</span> man crossed.</p>', "A man crossed."),
        ('<div><div class="drop_cap">T</div><p>he river rose.</p></div>', "The river rose."),
        ("<p><span>I</span> waited.</p>", "I waited."),
        # a drop cap inside a drop cap: the inner one leaves the tree with its wrapper's rejoin
        (
            '<p><span class="drop-cap"><span class="drop-cap__inner">H</span></span>ong Kong woke.</p>',
            "Hong Kong woke.",
        ),
        ('<p><b class="initial"><i>T</i></b>he river rose.</p>', "The river rose."),
    ],
)
def test_rejoin_drop_caps(html, text):
    tree = tree_of(html)
    cleanup.rejoin_drop_caps(tree)
    assert " ".join(tree.text_content().split()) == text


def test_unmarked_capital_before_a_space_is_not_a_drop_cap():
    tree = tree_of("<p>Route <b>A</b> is open.</p>")
    assert cleanup.rejoin_drop_caps(tree) == 0


# --- bylines -------------------------------------------------------------------------------------


def test_bylines_from_adjacent_elements_stay_separate(repost):
    assert repost.bylines == ["Mara Lind", "Tomas Reyes", "Helene Adhikari"]


def test_unclassed_byline_of_author_links_read_and_kept_out_of_the_body():
    html = fixture_bytes("blog_repost.html")
    start = html.index(b"<div class='byline'>")
    end = html.index(b"</div>", start) + len(b"</div>")
    html = html[:start] + (
        b'<p>By <a href="/by/mara-lind">Mara Lind</a><a href="/by/tomas-reyes">Tomas Reyes</a> and '
        b'<a href="/by/helene-adhikari"><span class="dropcap">H</span>elene Adhikari</a></p>'
        b'<aside><a href="/by/ana-ruiz">Ana Ruiz</a></aside>'
    ) + html[end:]
    story = extract_story(html)
    assert story.bylines == ["Mara Lind", "Tomas Reyes", "Helene Adhikari"]
    assert story.paragraphs[0] == LEDE
    assert [p for p in story.paragraphs if "Mara Lind" in p] == ["— Mara Lind, Tomas Reyes and Helene Adhikari"]


def test_bylines_merge_json_ld_and_the_visible_byline(wire):
    # JSON-LD names two authors; the page's "By A, B and C" line adds the third.
    assert wire.bylines == ["Mara Lind", "Tomas Reyes", "Helene Adhikari"]


@pytest.mark.parametrize(
    ("html", "names"),
    [
        ('<div class="byline"><span>Mara Lind</span><span>Tomas Reyes</span></div>', ["Mara Lind", "Tomas Reyes"]),
        ('<p class="byline">By Mara Lind, Tomas Reyes and Helene Adhikari</p>', ["Mara Lind", "Tomas Reyes", "Helene Adhikari"]),
        ('<p class="byline">By MARA LIND and TOMAS REYES, Associated Press</p>', ["Mara Lind", "Tomas Reyes"]),
        (
            '<div class="article-byline"><a href="/by/mara">Mara Lind</a><span>5 min read</span>'
            "<span>Hills</span></div>",
            ["Mara Lind"],
        ),
        ('<p class="byline">By Mara Lind <time datetime="2026-07-14">Today</time> Hills</p>', ["Mara Lind"]),
        ('<head><meta name="author" content="Mara Lind; Tomas Reyes"></head>', ["Mara Lind", "Tomas Reyes"]),
        ('<p>Story by <a rel="author" href="/by/mara">Mara Lind</a></p>', ["Mara Lind"]),
        # a suffix after a comma belongs to the name before it
        ('<p class="byline">By Tomas Reyes, Jr. and Ana Ruiz, MD</p>', ["Tomas Reyes, Jr.", "Ana Ruiz, MD"]),
        ('<head><meta name="author" content="Mara Lind, Ph.D."></head>', ["Mara Lind, Ph.D."]),
        (
            '<span itemprop="author" itemscope><span itemprop="name">Helene Adhikari, Sr.</span></span>',
            ["Helene Adhikari, Sr."],
        ),
    ],
)
def test_read_bylines(html, names):
    assert read_bylines(tree_of(html)) == names


def test_a_json_ld_author_name_with_a_suffix_is_one_person():
    tree = tree_of(
        '<head><script type="application/ld+json">{"@type": "NewsArticle", "author": ['
        '{"@type": "Person", "name": "Tomas Reyes, Jr."}, {"@type": "Person", "name": "Ana Ruiz, MD"},'
        '{"@type": "Person", "name": "TOM KRISHER, AP Auto Writer"}]}</script></head>'
    )
    assert read_metadata(tree).bylines == ["Tomas Reyes, Jr.", "Ana Ruiz, MD", "Tom Krisher"]


def test_json_ld_author_reference_is_resolved():
    tree = tree_of(
        '<head><script type="application/ld+json">{"@graph": ['
        '{"@type": "Article", "@id": "#a", "author": {"@id": "#p1"}, "publisher": {"@id": "#o"}},'
        '{"@type": "Person", "@id": "#p1", "name": "Tomas Reyes"},'
        '{"@type": "Organization", "@id": "#o", "name": "The Valley Ledger"}]}</script></head><body></body>'
    )
    meta = read_metadata(tree)
    assert (meta.bylines, meta.source_outlet) == (["Tomas Reyes"], "The Valley Ledger")


# --- caption and credit --------------------------------------------------------------------------


def test_caption_and_credit_separated_from_a_classed_caption(wire):
    assert wire.lead_image_caption == "Villagers crossing the swollen Seti on a rope line near Dhampus on Monday."
    assert wire.lead_image_credit == "Anil Shrestha for The Valley Ledger"


def test_caption_and_credit_separated_from_a_credit_line(repost):
    assert repost.lead_image_caption == "Villagers crossing the swollen Seti on a rope line near Dhampus on Monday."
    assert repost.lead_image_credit == "Anil Shrestha for The Valley Ledger"


def test_caption_run_into_the_text_becomes_caption_and_credit():
    html = fixture_bytes("blog_repost.html")
    start, end = html.index(b"<figure>"), html.index(b"</figure>") + len(b"</figure>")
    html = html[:start] + (
        b"<p>Villagers crossing the swollen Seti on a rope line near Dhampus on Monday."
        b"Credit...Anil Shrestha for The Valley Ledger</p>"
    ) + html[end:]
    story = extract_story(html)
    assert story.lead_image_caption == "Villagers crossing the swollen Seti on a rope line near Dhampus on Monday."
    assert story.lead_image_credit == "Anil Shrestha for The Valley Ledger"
    assert story.paragraphs[0] == LEDE


def test_caption_and_credit_are_not_body_paragraphs(wire, repost):
    for story in (wire, repost):
        assert not [p for p in story.paragraphs if "Villagers crossing" in p or "Credit" in p or "Shrestha" in p]


@pytest.mark.parametrize(
    ("html", "caption", "credit"),
    [
        ("<figcaption>Traders on the floor. Photograph by Ana Ruiz/Ledger</figcaption>", "Traders on the floor.", "Ana Ruiz/Ledger"),
        ("<figcaption>(Image: Ana Ruiz / Ledger)</figcaption>", "", "Ana Ruiz / Ledger"),
        ("<figcaption>Boats at dawn.<span>Credit…</span><span>Ana Ruiz</span></figcaption>", "Boats at dawn.", "Ana Ruiz"),
        ('<figcaption>A photo by the river at dusk.</figcaption>', "A photo by the river at dusk.", ""),
        (
            '<figcaption>Boats. <span itemprop="copyrightHolder">Ana Ruiz</span></figcaption>',
            "Boats.",
            "Ana Ruiz",
        ),
    ],
)
def test_split_caption(html, caption, credit):
    assert cleanup.split_caption(tree_of(html).find(".//figcaption")) == (caption, credit)


# --- boilerplate ---------------------------------------------------------------------------------


def test_comment_widgets_and_prompts_removed(wire, repost):
    for story in (wire, repost):
        text = story.body_text
        for boilerplate in ("Response", "Post a Comment", "only a member", "So sad", "Share", "Subscribe", "sign in"):
            assert boilerplate not in text


def test_html_comment_remnants_removed(wire, repost):
    for story in (wire, repost):
        for remnant in ("-->", "<!--", "[endif]", "[if", "ad slot"):
            assert remnant not in story.body_text
    assert repost.paragraphs[2].startswith("The district disaster office said about 2,300 people")


def test_repeated_headline_removed_from_the_body(wire, repost):
    assert (wire.headline, repost.headline) == (HEADLINE, HEADLINE)
    assert HEADLINE not in wire.body_text
    assert HEADLINE not in repost.body_text


def test_body_is_the_story_whole(wire, repost):
    assert len(wire.paragraphs) == 6
    assert wire.paragraphs[-1].startswith("The three bridges were built in the 1990s")
    # The club's sign-off line is the story's own and stays; nothing after it does.
    assert repost.paragraphs[-1] == "— Mara Lind, Tomas Reyes and Helene Adhikari"
    assert len(repost.paragraphs) == 6


def test_clean_paragraphs_rules():
    paragraphs = [
        "<!--[if gte mso 9]><![endif]-->" + HEADLINE,
        "By Mara Lind and Tomas Reyes",
        "The river rose.",
        "Villagers on the bank.Credit...Ana Ruiz",
        "Follow us on Facebook and Instagram",
        "Sign up for the free morning newsletter, delivered to your inbox.",
        "Copyright © 2026 The Valley Ledger",
        "https://ledger.example.com/2026/07/14/floods.html",
        "The river rose.",
        "Bridges were built in 1990.",
        "3 Comments",
        "Nice story!",
    ]
    cleaned = cleanup.clean_paragraphs(
        paragraphs, headlines=[HEADLINE], bylines=["Mara Lind", "Tomas Reyes"], caption="", credit=""
    )
    assert cleaned == ["The river rose.", "Bridges were built in 1990."]


def test_labels_of_other_stories():
    paragraphs = [
        "The river rose.",
        "More:",  # a label mid-story goes; its list was taken out of the page before
        "Bridges were built in 1990, the district office said, and engineers inspected them each spring.",
        "You may also like...",  # only headlines follow: the story has ended
        "Who will rebuild the bridges?",
        "Floods cut off five villages",
    ]
    cleaned = cleanup.clean_paragraphs(paragraphs, headlines=[], bylines=[], caption="", credit="")
    assert cleaned == [paragraphs[0], paragraphs[2]]


def test_a_comment_prompt_ends_the_story():
    paragraphs = ["The river rose.", "Tell us what YOU think...", "Great read!"]
    cleaned = cleanup.clean_paragraphs(paragraphs, headlines=[], bylines=[], caption="", credit="")
    assert cleaned == ["The river rose."]


def test_comment_heading_first_is_dropped_without_ending_the_story():
    cleaned = cleanup.clean_paragraphs(
        ["Post a Comment", "The river rose."], headlines=[], bylines=[], caption="", credit=""
    )
    assert cleaned == ["The river rose."]


STORY = "".join(f"<p>{LEDE} Paragraph {n} of the story goes on about the bridges.</p>" for n in range(1, 4))


@pytest.mark.parametrize(
    ("inside", "kept"),
    [
        # a "More:" list of related stories, with or without a label
        ('<h4>More:</h4><ul><li><a href="/moon-rush">Moon Rush: Lander Plans</a></li>'
         '<li><a href="https://ledger.example.com/iss">The Station Is Open</a></li></ul>', "More:"),
        # teaser cards: a linked headline and a line beside it
        ('<ul><li><h3><a href="/gronk">Gronk joins the dancers</a></h3><h4>He found his calling</h4></li>'
         '<li><a href="/jones"><h3>Jones tells a story</h3></a><p>From the 90s</p></li></ul>', ""),
        # an inline promo: a link written in capitals
        ('<p><strong><a href="/app">GET THE APP BY CLICKING HERE</a></strong></p>', ""),
    ],
)
def test_link_lists_are_removed(inside, kept):
    tree = tree_of(f"<article>{STORY}{inside}</article>")
    assert cleanup.remove_link_lists(tree, keep=tree.find(".//article")) == 1
    assert tree.text_content() == lxml.html.fromstring(f"<article>{STORY}</article>").text_content() + kept


@pytest.mark.parametrize(
    "inside",
    [
        '<ul><li><a href="https://ledger.example.com/report.pdf">https://ledger.example.com/report.pdf</a></li>'
        '<li><a href="https://ledger.example.com/map">https://ledger.example.com/map</a></li></ul>',  # sources
        '<ul><li>Bring water, <a href="/kit">a kit</a> and a torch.</li><li>Stay off the bridges.</li></ul>',
        '<p>THE RIVER ROSE AGAIN ON MONDAY.</p>',  # capitals, but no link
        '<p><a href="#top">BACK TO THE TOP OF THE PAGE</a></p>',  # a link within the page
        '<ul><li><a href="/only">A single related story</a></li></ul>',
    ],
)
def test_lists_that_are_story_text_stay(inside):
    tree = tree_of(f"<article>{STORY}{inside}</article>")
    assert cleanup.remove_link_lists(tree, keep=tree.find(".//article")) == 0


def test_a_standfirst_subheading_becomes_no_body_paragraph():
    summary = "Three suspension bridges washed away overnight, cutting five villages off from the hospital."
    page = (
        f'<html><head><meta name="description" content="{summary}"></head><body><article>'
        f"<header><h1>{HEADLINE}</h1><h2 class=\"sub-head\">{summary}</h2></header>{STORY}"
        "<h2>What comes next</h2><p>Engineers will survey the crossings this week, the district office said.</p>"
        "</article></body></html>"
    )
    story = extract_story(page.encode())
    assert story.dek == summary
    assert story.paragraphs[0].startswith(LEDE)
    assert summary not in story.body_text
    assert [story.paragraphs[index] for index in story.heading_indexes] == ["What comes next"]


# --- metadata ------------------------------------------------------------------------------------


def test_metadata_from_json_ld_and_open_graph(wire):
    assert wire.published_at == dt.datetime(2026, 7, 14, 0, 30, tzinfo=dt.UTC)  # 06:15 at +05:45
    assert wire.published_at.utcoffset() == dt.timedelta(hours=5, minutes=45)
    assert wire.source_outlet == "The Valley Ledger"
    # <link rel="canonical"> wins over og:url (which carries a tracking parameter).
    assert wire.original_url == "https://ledger.example.com/2026/07/14/floods-hill-villages.html"
    assert wire.lead_image_url == "https://img.ledger.example.com/2026/07/seti-crossing-1024x683.jpg"
    assert wire.dek == "Rescue teams reached two of the five cut-off villages by rope crossing on Tuesday."
    assert wire.language == "en"


def test_blog_headline_skips_the_blog_name_and_reads_og_url(repost):
    assert repost.source_outlet == "Hill Press Club News"
    assert repost.original_url == "https://hillpress.example.org/2026/07/floods-cut-off-hill-villages.html"
    assert repost.published_at == dt.datetime(2026, 7, 14, tzinfo=dt.UTC)  # the page shows only a date


def test_source_url_resolves_relative_links_and_stands_in_for_a_missing_canonical():
    html = fixture_bytes("blog_repost.html").replace(b"property='og:url'", b"property='og:nothing'")
    html = html.replace(b"https://blogger.example.org/img/seti-crossing.jpg", b"/img/seti-crossing.jpg")
    story = extract_story(html, source_url="https://hillpress.example.org/2026/07/floods.html")
    assert story.original_url == "https://hillpress.example.org/2026/07/floods.html"


# --- input handling ------------------------------------------------------------------------------


def test_gzip_input_gives_the_same_story(wire):
    assert extract_story(gzip.compress(fixture_bytes("floods_wire.html"))) == wire


def test_utf8_without_meta_charset(repost):
    assert "Villagers call the crossing पुल, and they want it back" in repost.paragraphs[3]
    assert repost.paragraphs[3].startswith("“The river rose faster")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty; expected a news page's HTML."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "The file is a PDF document, not an HTML page."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "The file is a PNG image, not an HTML page."),
        (b"\x1f\x8b\x08\x00broken", "The file looks gzip-compressed but cannot be unpacked"),
    ],
)
def test_non_html_refused_with_a_clear_message(data, message):
    with pytest.raises(ArticleExtractionError) as caught:
        extract_story(data)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (gzip.compress(b"<html><body><p>Flood</p>"), "No article body found in the page."),
        (gzip.compress(b"<p>Flood") + gzip.compress(b"</p>") + b"\x00\x00", "No article body found in the page."),
        (gzip.compress(b"<html><body><p>Flood</p>")[:-12], "The file looks gzip-compressed but cannot be unpacked"),
        (gzip.compress(b"<html>" + b" " * (10 * 1024 * 1024)), "The page unpacks to more than 10 MB"),
        (b"<html><body><p>" + b" " * (10 * 1024 * 1024), "The page is larger than 10 MB"),
    ],
    ids=["gzip", "two gzip members and padding", "cut short", "unpacks past 10 MB", "over 10 MB"],
)
def test_gzip_members_truncation_and_the_10_mb_cap(data, message):
    with pytest.raises(ArticleExtractionError) as caught:
        extract_story(data)
    assert str(caught.value).startswith(message)


def test_a_fault_of_the_extractor_is_a_clear_refusal(monkeypatch, caplog):
    def broken(tree):
        raise AssertionError

    monkeypatch.setattr(cleanup, "rejoin_drop_caps", broken)
    with pytest.raises(ArticleExtractionError) as caught:
        extract_story(fixture_bytes("floods_wire.html"), source_url="https://ledger.example.com/floods.html")
    assert str(caught.value) == (
        "The story could not be read from this page (AssertionError); the error was logged. "
        "Copy the story into a new article by hand."
    )
    assert [record.getMessage() for record in caplog.records] == [
        "Wire-story extraction failed on https://ledger.example.com/floods.html"
    ]


def test_plain_text_refused():
    with pytest.raises(ArticleExtractionError) as caught:
        extract_story(fixture_bytes("notes.txt"))
    assert str(caught.value) == "No HTML markup found; expected a news page's HTML (.html or .html.gz)."


def test_page_without_a_story_refused():
    with pytest.raises(ArticleExtractionError) as caught:
        extract_story(fixture_bytes("no_story.html"))
    assert str(caught.value) == "No article body found in the page."


@pytest.mark.parametrize(
    "description",
    [LEDE, LEDE[:80] + "…", "An excerpt of the page. " * 15],
    ids=["the lede", "the lede cut short", "a 360-character excerpt"],
)
def test_description_that_is_not_a_summary_line_is_no_dek(description):
    html = fixture_bytes("floods_wire.html").replace(
        b"Rescue teams reached two of the five cut-off villages by rope crossing on Tuesday.", description.encode()
    )
    assert extract_story(html).dek == ""


def test_story_sentences_like_prompts_or_comment_headings_stay():
    paragraphs = [
        "The club's newsletter reached 300 members in May.",
        "Readers who subscribe get it free.",
        "No comment, the spokesman said.",
        "Two responses came from the ministry on Friday.",
        "3 comments from the minister were cut from the broadcast.",
        "Copyright law changes were approved by parliament on Monday.",
        "Follow-up posts on Facebook drew 40 replies.",
        "The bridge opens in August.",
    ]
    assert cleanup.clean_paragraphs(paragraphs, headlines=[], bylines=[], caption="", credit="") == paragraphs


def test_utf8_even_when_the_page_claims_another_charset(wire):
    html = fixture_bytes("floods_wire.html").replace(b"<head>", b'<head><meta charset="windows-1252">', 1)
    assert extract_story(html).paragraphs == wire.paragraphs


def test_a_page_that_is_plainly_not_utf8_is_read_in_its_declared_charset():
    html = fixture_bytes("floods_wire.html").decode("utf-8").replace("<head>", '<head><meta charset="windows-1252">', 1)
    story = extract_story(html.encode("cp1252"))
    assert story.paragraphs[3].startswith("“The river rose faster than anyone here has seen,”")
