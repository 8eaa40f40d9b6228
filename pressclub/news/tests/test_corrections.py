"""Corrections and updates: on the story, in its JSON-LD and feed item, on /corrections/ and its feeds,
and in the editor, where a published one can be withdrawn but never deleted silently."""

import json

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from lxml import html as lxml_html
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from pressclub.news.models import ArticleCorrection, ArticlePage
from pressclub.testing.factories import publish_article, utc

pytestmark = pytest.mark.django_db

WRONG_LENGTH = "An earlier version said the footbridge is 210 metres long. It is 120 metres long."


def add_correction(page, *, text=WRONG_LENGTH, when=None, kind="correction", **fields):
    """Save a correction on ``page`` as publishing the story would; return it."""
    return ArticleCorrection.objects.create(page=page, kind=kind, text=text, published_at=when or utc(2026, 12, 6), **fields)


def reader_lines(response) -> list[str]:
    doc = lxml_html.fromstring(response.content)
    return [" ".join(li.text_content().split()) for li in doc.xpath("//aside[@id='corrections']//li")]


def jsonld(response) -> dict:
    doc = lxml_html.fromstring(response.content)
    return json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)


def today() -> str:
    return date_format(timezone.localtime(), "j F Y")


def test_a_story_shows_its_corrections_and_updates_oldest_first(client, article):
    add_correction(article, kind="update", text="The council has set the tender date: 2 January.", when=utc(2026, 12, 8))
    add_correction(article)
    assert reader_lines(client.get(article.url)) == [
        f"Corrected on 6 December 2026: {WRONG_LENGTH}",
        "Updated on 8 December 2026: The council has set the tender date: 2 January.",
    ]


def test_a_story_without_corrections_has_no_corrections_box(client, article):
    doc = lxml_html.fromstring(client.get(article.url).content)
    assert doc.xpath("//aside[@id='corrections']") == []


def test_edited_and_withdrawn_corrections_say_so_with_their_dates(client, article):
    add_correction(article, updated_at=utc(2026, 12, 7))
    add_correction(article, text="The ward chair is Mina Thapa.", when=utc(2026, 12, 9), withdrawn_at=utc(2026, 12, 10))
    assert reader_lines(client.get(article.url)) == [
        f"Corrected on 6 December 2026 (edited on 7 December 2026): {WRONG_LENGTH}",
        "A correction of 9 December 2026 was withdrawn on 10 December 2026.",
    ]


def test_jsonld_lists_corrections_as_correction_comments(client, article):
    add_correction(article)
    add_correction(article, kind="update", text="Tender date set.", when=utc(2026, 12, 8))
    add_correction(article, text="Withdrawn one.", when=utc(2026, 12, 9), withdrawn_at=utc(2026, 12, 10))
    data = jsonld(client.get(article.url))
    assert data["correction"] == [
        {"@type": "CorrectionComment", "datePublished": "2026-12-06T12:00:00+00:00", "text": WRONG_LENGTH}
    ]
    assert data["dateModified"] == "2026-03-14T09:30:00+00:00"


def test_jsonld_has_no_correction_without_one(client, article):
    assert "correction" not in jsonld(client.get(article.url))


def test_feed_item_description_carries_the_corrections(client, article):
    add_correction(article, text="It is 120 m <long> & narrow.")
    for path in ("/feeds/rss/", "/feeds/atom/"):
        feed = feedparser.parse(client.get(path).content)
        assert feed.bozo == 0
        assert feed.entries[0].summary == (
            "Work is to start after the monsoon, the ward chair said.\n"
            "<p>Corrected on 6 December 2026: It is 120 m &lt;long&gt; &amp; narrow.</p>"
        )


def test_corrections_page_lists_every_correction_newest_first_with_its_story(client, section, article):
    other = publish_article(section, title="नयाँ पुल", when=utc(2026, 3, 20), language="ne")
    first = add_correction(article)
    second = add_correction(other, text="मिति सच्याइयो।", when=utc(2026, 12, 7))
    add_correction(article, kind="update", text="Not a correction.", when=utc(2026, 12, 8))
    withdrawn = add_correction(article, text="Gone.", when=utc(2026, 12, 5), withdrawn_at=utc(2026, 12, 6))
    draft = ArticlePage(title="Draft story", live=False)
    section.add_child(instance=draft)
    add_correction(draft, text="Never seen.")
    response = client.get("/corrections/")
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content)
    items = doc.xpath("//ul[contains(@class, 'corrections-list')]/li")
    assert [li.get("id") for li in items] == [f"correction-{c.pk}" for c in (second, first, withdrawn)]
    assert [li.xpath("a")[0].text for li in items] == ["नयाँ पुल", article.title, article.title]
    assert items[0].xpath("a/@href") == [f"{other.url}#correction-{second.pk}"]
    assert items[0].xpath("a/@lang") == ["ne"]
    assert [li.xpath("p")[0].text for li in items] == [
        "Corrected on 7 December 2026: मिति सच्याइयो।",
        f"Corrected on 6 December 2026: {WRONG_LENGTH}",
        "A correction of 5 December 2026 was withdrawn on 6 December 2026.",
    ]
    assert doc.xpath("//link[@type='application/rss+xml']/@href") == ["/corrections/feed/rss/"]


def test_corrections_page_says_when_there_is_none(client, home_page):
    response = client.get("/corrections/")
    assert response.status_code == 200
    assert "No story has needed a correction yet." in response.content.decode()


@pytest.mark.parametrize("path", ["/corrections/feed/rss/", "/corrections/feed/atom/"])
def test_corrections_feeds(client, article, path):
    correction = add_correction(article, updated_at=utc(2026, 12, 7, 8))
    response = client.get(path)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    assert feed.feed.title == "Corrections — Valley Press Club News"
    assert len(feed.entries) == 1
    entry = feed.entries[0]
    assert entry.title == "Correction: Council approves new footbridge over the Seti"
    assert entry.link == f"http://testserver{article.url}#correction-{correction.pk}"
    assert entry.summary == f"<p>Corrected on 6 December 2026 (edited on 7 December 2026): {WRONG_LENGTH}</p>"
    assert entry.published_parsed[:5] == (2026, 12, 6, 12, 0)
    if path.endswith("atom/"):
        assert entry.updated_parsed[:5] == (2026, 12, 7, 8, 0)


# The editor: Wagtail's page editor, as an editor uses it.


@pytest.fixture
def desk_client(client, moderator):
    client.force_login(moderator)  # in Editors: may publish
    return client


def edit_form(client, page) -> dict:
    """Return the edit form's fields as the browser would send them (the page's own values)."""
    doc = lxml_html.fromstring(client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content)
    data = dict(doc.xpath("//form[@id='page-edit-form']")[0].form_values())
    # The admin's JavaScript builds the body's fields, so they are written here.
    body = [("paragraph", rich_text("<p>The municipal council voted 14 to 3 on Tuesday.</p>"))]
    data.update(nested_form_data({"body": streamfield(body)}))
    return data


def publish(client, page, data):
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {**data, "action-publish": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_editor_adds_a_correction_in_the_page_editor(desk_client, article):
    data = edit_form(desk_client, article)
    assert data["corrections-TOTAL_FORMS"] == "0"
    data.update({
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-kind": "correction",
        "corrections-0-published_at": "2026-12-06 12:00",
        "corrections-0-text": WRONG_LENGTH,
        "corrections-0-ORDER": "1",
        "corrections-0-DELETE": "",
        "corrections-0-id": "",
    })
    publish(desk_client, article, data)
    correction = ArticleCorrection.objects.get(page=article)
    assert (correction.text, correction.updated_at, correction.withdrawn_at) == (WRONG_LENGTH, None, None)
    assert reader_lines(desk_client.get(article.url)) == [f"Corrected on 6 December 2026: {WRONG_LENGTH}"]


def test_editing_a_published_correction_dates_the_edit(desk_client, article):
    correction = add_correction(article)
    data = edit_form(desk_client, article)
    data["corrections-0-text"] = "The footbridge is 120 metres long."
    publish(desk_client, article, data)
    correction.refresh_from_db()
    assert correction.text == "The footbridge is 120 metres long."
    assert timezone.now() - correction.updated_at < timezone.timedelta(minutes=1)
    assert reader_lines(desk_client.get(article.url)) == [
        f"Corrected on 6 December 2026 (edited on {today()}): The footbridge is 120 metres long."
    ]


def test_saving_without_changes_does_not_date_an_edit(desk_client, article):
    correction = add_correction(article)
    publish(desk_client, article, edit_form(desk_client, article))
    correction.refresh_from_db()
    assert correction.updated_at is None


def test_deleting_a_published_correction_withdraws_it(desk_client, article):
    correction = add_correction(article)
    data = edit_form(desk_client, article)
    data["corrections-0-DELETE"] = "1"
    publish(desk_client, article, data)
    correction.refresh_from_db()
    assert correction.withdrawn_at is not None
    assert correction.text == WRONG_LENGTH
    assert reader_lines(desk_client.get(article.url)) == [
        f"A correction of 6 December 2026 was withdrawn on {today()}."
    ]
    # Deleting it again changes nothing: it stays withdrawn, on its first withdrawal date.
    withdrawn_at = correction.withdrawn_at
    data = edit_form(desk_client, article)
    data["corrections-0-DELETE"] = "1"
    publish(desk_client, article, data)
    correction.refresh_from_db()
    assert correction.withdrawn_at == withdrawn_at


def test_a_correction_missing_from_the_form_stays(desk_client, article):
    # As when an editor reverts the story to a revision from before the correction: the form has no
    # row for it, and only a row's delete button removes (withdraws) one.
    correction = add_correction(article)
    data = edit_form(desk_client, article)
    data.update({"corrections-TOTAL_FORMS": "0", "corrections-INITIAL_FORMS": "0"})
    for key in [k for k in data if k.startswith("corrections-0-")]:
        del data[key]
    publish(desk_client, article, data)
    correction.refresh_from_db()
    assert (correction.withdrawn_at, correction.updated_at) == (None, None)
    assert reader_lines(desk_client.get(article.url)) == [f"Corrected on 6 December 2026: {WRONG_LENGTH}"]


def test_control_characters_are_stripped_from_a_correction(article):
    correction = ArticleCorrection(page=article, text="Bad\x0bchar", published_at=utc(2026, 12, 6))
    correction.clean()
    assert correction.text == "Badchar"
