"""article_import: the draft wire story it creates, where it goes, and what it refuses."""

import datetime as dt
import gzip
from pathlib import Path

import pytest
from wagtail.models import Revision

from pressclub.importers.article.extract import ArticleExtractionError, WireStory
from pressclub.importers.article.services import (
    ArticleAlreadyImported,
    ArticleImportError,
    article_import,
    default_section,
    story_blocks,
)
from pressclub.news.models import ArticlePage, SectionPage

FIXTURES = Path(__file__).parent / "fixtures" / "article"


@pytest.fixture
def wire_html():
    return (FIXTURES / "floods_wire.html").read_bytes()


@pytest.fixture
def world(home_page):
    return home_page.add_child(instance=SectionPage(title="World", slug="world"))


def test_draft_has_the_exact_fields_and_is_not_live(section, world, wire_html, moderator):
    page = article_import(html=wire_html, user=moderator)

    page = ArticlePage.objects.get(pk=page.pk)
    assert page.get_parent().specific == world
    assert page.title == "Floods Cut Off Hill Villages as Three Bridges Wash Away"
    assert page.slug == "floods-cut-off-hill-villages-as-three-bridges-wash-away"
    assert page.dek == "Rescue teams reached two of the five cut-off villages by rope crossing on Tuesday."
    assert page.source_outlet == "The Valley Ledger"
    assert page.original_url == "https://ledger.example.com/2026/07/14/floods-hill-villages.html"
    assert page.original_published_at == dt.datetime(2026, 7, 14, 0, 30, tzinfo=dt.UTC)
    assert page.original_bylines == "Mara Lind, Tomas Reyes, Helene Adhikari"
    assert page.lead_image_url == "https://img.ledger.example.com/2026/07/seti-crossing-1024x683.jpg"
    assert page.lead_image_caption == "Villagers crossing the swollen Seti on a rope line near Dhampus on Monday."
    assert page.lead_image_credit == "Anil Shrestha for The Valley Ledger"
    assert page.language == "en"
    assert page.is_syndicated
    assert [block.block_type for block in page.body] == ["paragraph"] * 6
    assert page.body[0].value.source == (
        "<p>Heavy rain on Sunday night swept away three suspension bridges in the hills above Pokhara, cutting "
        "off five villages from the road and the district hospital, officials said on Monday.</p>"
    )
    assert page.body[3].value.source.startswith("<p>“The river rose faster than anyone here has seen,”")
    # A draft for editors: not live, never published, one revision by the importing user.
    assert (page.live, page.has_unpublished_changes, page.first_published_at) == (False, True, None)
    assert page.owner == moderator
    revisions = Revision.objects.filter(object_id=str(page.pk))
    assert [revision.user for revision in revisions] == [moderator]
    assert list(ArticlePage.objects.published()) == []


def test_section_given_is_used(section, world, wire_html):
    page = article_import(html=wire_html, section=section)
    assert page.get_parent().specific == section


def test_default_section_is_world_else_the_first(section, home_page):
    assert default_section() == section
    world = home_page.add_child(instance=SectionPage(title="World", slug="world"))
    assert default_section() == world


def test_refused_without_any_section(home_page, wire_html):
    with pytest.raises(ArticleImportError) as caught:
        article_import(html=wire_html)
    assert str(caught.value) == "There is no section to put the story in; create a section (e.g. World) first."
    assert ArticlePage.objects.count() == 0


def test_second_import_of_the_same_story_is_refused(world, wire_html):
    first = article_import(html=wire_html)
    with pytest.raises(ArticleAlreadyImported) as caught:
        article_import(html=gzip.compress(wire_html))
    assert caught.value.page == first
    assert str(caught.value) == (
        f"This story was imported before: “Floods Cut Off Hill Villages as Three Bridges Wash Away” (page {first.pk})."
    )
    assert ArticlePage.objects.count() == 1


def test_second_import_fetches_no_lead_image(world, wire_html):
    first = article_import(html=wire_html)  # the offline fetcher fails: the image was not copied
    assert first.lead_image is None
    fetched = []
    with pytest.raises(ArticleAlreadyImported):
        article_import(html=wire_html, fetch_image=lambda url: fetched.append(url) or b"")
    assert fetched == []


def test_nothing_written_when_the_page_holds_no_story(world):
    with pytest.raises(ArticleExtractionError):
        article_import(html=(FIXTURES / "no_story.html").read_bytes())
    assert ArticlePage.objects.count() == 0


def test_story_blocks_escape_text_and_keep_subheadings():
    story = WireStory(
        headline="Floods",
        paragraphs=["What happens next", "Officials said <script>alert(1)</script> & more."],
        heading_indexes=(0,),
    )
    assert story_blocks(story) == [
        ("heading", {"text": "What happens next", "level": "h2"}),
        ("paragraph", "<p>Officials said &lt;script&gt;alert(1)&lt;/script&gt; &amp; more.</p>"),
    ]


def test_blog_repost_imports_with_its_own_outlet_and_url(world):
    page = article_import(html=(FIXTURES / "blog_repost.html").read_bytes())
    assert (page.title, page.source_outlet, page.original_bylines) == (
        "Floods Cut Off Hill Villages as Three Bridges Wash Away",
        "Hill Press Club News",
        "Mara Lind, Tomas Reyes, Helene Adhikari",
    )
    assert page.language == "en"  # the page names no language: the model's default stays
    assert len(page.body) == 6


def test_published_wire_story_credits_its_source(client, world, wire_html):
    page = article_import(html=wire_html)
    page.get_latest_revision().publish()
    response = client.get(page.get_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<link rel="canonical" href="https://ledger.example.com/2026/07/14/floods-hill-villages.html">' in html
    assert '<a href="https://ledger.example.com/2026/07/14/floods-hill-villages.html">The Valley Ledger</a>' in html
    assert "Heavy rain on Sunday night swept away three suspension bridges" in html
    # The site has comments of its own; the wire page's readers' comments and widgets stay behind.
    for boilerplate in ("So sad for the people", "-->", "Share this", "Credit…", "Subscribe to our morning newsletter"):
        assert boilerplate not in html
