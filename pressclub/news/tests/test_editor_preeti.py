"""The article editor offers to convert Nepali typed in the Preeti font; nothing typed is lost."""

import re

import pytest
from django.urls import reverse

from pressclub.news.models import ArticlePage
from pressclub.news.tests.test_editor import edit_form_data

pytestmark = pytest.mark.django_db

HEADLINE = "g]kfndf e'sDk"  # नेपालमा भुकम्प
PARAGRAPH = "<p>sLlt{k'/df wd{;ef eof] .</p>"  # कीर्तिपुरमा धर्मसभा भयो ।


@pytest.fixture
def desk_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def story(section):
    page = ArticlePage(title="Quake", slug="quake", live=False)
    section.add_child(instance=page)
    page.save_revision()
    return page


def source(block) -> str:
    """The paragraph's HTML without the editor's block keys."""
    return re.sub(r' data-block-key="[^"]*"', "", block.value.source)


def post(client, page, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def test_preeti_text_is_not_saved_until_the_editor_chooses(desk_client, story):
    data = {**edit_form_data(desk_client, story, [PARAGRAPH, "<p>The army flew in tents.</p>"]), "title": HEADLINE}
    response = post(desk_client, story, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This text looks like Nepali typed in the Preeti font: headline, body block 1." in page
    assert "Convert legacy Preeti text to Unicode" in page
    assert 'value="g]kfndf e&#x27;sDk"' in page  # the headline typed is kept in the form
    assert ArticlePage.objects.get(pk=story.pk).get_latest_revision_as_object().title == "Quake"


def test_converting_keeps_the_typed_text_in_the_history(desk_client, story):
    data = edit_form_data(desk_client, story, [PARAGRAPH, "<p>The army flew in tents.</p>"])
    revisions_before = story.revisions.count()
    response = post(desk_client, story, {**data, "title": HEADLINE, "preeti_text": "convert"})
    assert response.status_code == 302
    latest = ArticlePage.objects.get(pk=story.pk).get_latest_revision_as_object()
    assert latest.title == "नेपालमा भुकम्प"
    assert [source(block) for block in latest.body] == [
        "<p>कीर्तिपुरमा धर्मसभा भयो ।</p>",
        "<p>The army flew in tents.</p>",
    ]
    revisions = list(story.revisions.order_by("-created_at", "-id")[:2])
    assert story.revisions.count() == revisions_before + 2
    typed = revisions[1].as_object()
    assert typed.title == HEADLINE
    assert source(typed.body[0]) == PARAGRAPH


def test_keeping_saves_the_text_as_typed(desk_client, story):
    data = edit_form_data(desk_client, story, [PARAGRAPH])
    response = post(desk_client, story, {**data, "title": HEADLINE, "preeti_text": "keep"})
    assert response.status_code == 302
    latest = ArticlePage.objects.get(pk=story.pk).get_latest_revision_as_object()
    assert latest.title == HEADLINE
    assert source(latest.body[0]) == PARAGRAPH


def test_english_story_saves_without_a_question(desk_client, story):
    data = edit_form_data(desk_client, story, ["<p>Don't miss the O'Brien interview; it's at https://example.com/x.</p>"])
    response = post(desk_client, story, {**data, "title": "Quake hits west Nepal"})
    assert response.status_code == 302


def test_text_kept_once_is_not_asked_about_again(desk_client, story):
    data = edit_form_data(desk_client, story, [PARAGRAPH])
    assert post(desk_client, story, {**data, "title": HEADLINE, "preeti_text": "keep"}).status_code == 302
    data = edit_form_data(desk_client, story, [PARAGRAPH])
    data["title"] = HEADLINE
    assert post(desk_client, story, {**data, "dek": "The army flew in tents."}).status_code == 302
    response = post(desk_client, story, {**data, "dek": "pQ/L If]qdf lxdkft ."})  # a new Preeti dek is asked about
    assert response.status_code == 200
    assert "This text looks like Nepali typed in the Preeti font: dek." in response.content.decode()
