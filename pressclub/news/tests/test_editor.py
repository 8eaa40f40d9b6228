"""The article editor in Wagtail's admin: publishing needs a body; drafts save without one."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from pressclub.news.forms import EMPTY_BODY, stream_has_content
from pressclub.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def edit_form_data(client, page, paragraphs=()) -> dict:
    """Return the edit form's fields as the browser would send them, the body holding ``paragraphs``
    (HTML strings; the admin's JavaScript builds the body's fields, so they are written here)."""
    doc = lxml_html.fromstring(client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content)
    form = doc.xpath("//form[@id='page-edit-form']")[0]
    data = dict(form.form_values())
    data.update(nested_form_data({"body": streamfield([("paragraph", rich_text(p)) for p in paragraphs])}))
    return data


@pytest.fixture
def desk_client(client, moderator):
    client.force_login(moderator)  # in Editors: may publish
    return client


def test_publishing_an_empty_story_is_refused_with_a_clear_message(desk_client, section):
    page = ArticlePage(title="Bridge reopens", slug="bridge-reopens", live=False)
    section.add_child(instance=page)
    data = edit_form_data(desk_client, page, ["<p> </p>"])
    response = desk_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert EMPTY_BODY in response.content.decode()
    assert ArticlePage.objects.get(pk=page.pk).live is False


def test_an_empty_story_still_saves_as_a_draft(desk_client, section):
    page = ArticlePage(title="Bridge reopens", slug="bridge-reopens", live=False)
    section.add_child(instance=page)
    data = edit_form_data(desk_client, page)
    data["title"] = "Bridge reopens on Monday"
    response = desk_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().title == "Bridge reopens on Monday"


def test_a_story_with_a_paragraph_publishes(desk_client, article):
    ArticlePage.objects.filter(pk=article.pk).update(live=False)
    data = edit_form_data(desk_client, article, ["<p>The bridge opens on Monday.</p>"])
    response = desk_client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), {**data, "action-publish": "1"})
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).live is True


def test_what_counts_as_a_body():
    from pressclub.core.blocks import StoryStreamBlock

    block = StoryStreamBlock()
    assert stream_has_content(block.to_python([])) is False
    assert stream_has_content(block.to_python([{"type": "paragraph", "value": "<p> &nbsp;</p>"}])) is False
    assert stream_has_content(block.to_python([{"type": "heading", "value": {"text": "Only", "level": "h2"}}])) is False
    assert stream_has_content(block.to_python([{"type": "paragraph", "value": "<p>The bridge opens.</p>"}])) is True
    assert stream_has_content(block.to_python([{"type": "pull_quote", "value": {"quote": "We waited.", "attribution": ""}}])) is True
