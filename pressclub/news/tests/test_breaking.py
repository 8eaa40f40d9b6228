"""Breaking news: the banner on every reader page, its end by the clock, the purges at its start and
end (a task deferred to the end), and cached copies that never outlive it."""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from pressclub.core.cache import page_cache_generation
from pressclub.news import breaking
from pressclub.news.models import ArticlePage
from pressclub.news.tasks import breaking_news_purge
from pressclub.testing.factories import publish_article, utc

pytestmark = pytest.mark.django_db

HEADLINE = "Landslide blocks the Kalimgaon highway"


def banners(response) -> list[tuple[str, str]]:
    """Return each banner's (headline, link) in the page."""
    doc = lxml_html.fromstring(response.content)
    return [(a.text, a.get("href")) for a in doc.xpath("//aside[@class='breaking']//a")]


def arm(section, *, seconds=3600, **fields):
    """Publish the breaking story, its banner running for ``seconds`` from now; return it."""
    return publish_article(section, title=HEADLINE, when=timezone.now(),
                           breaking_until=timezone.now() + dt.timedelta(seconds=seconds), **fields)


@pytest.mark.parametrize("path", ["/", "/local/", "/local/council-approves-new-footbridge-over-the-seti/",
                                  "/label/infrastructure/", "/2026/03/", "/corrections/", "/search/?q=bridge"])
def test_the_banner_tops_every_reader_page(client, section, article, path):
    story = arm(section)
    response = client.get(path)
    assert response.status_code == 200
    assert banners(response) == [(HEADLINE, story.url)]
    html = response.content.decode()
    assert html.index('class="breaking"') < html.index('<main id="main"')
    assert "<script" not in html.split('class="breaking"')[1].split("</aside>")[0]


def test_no_banner_without_breaking_news(client, section, article):
    publish_article(section, title="Ended", when=utc(2026, 3, 1), breaking_until=utc(2026, 3, 2))
    assert banners(client.get("/")) == []


def test_the_banner_ends_by_the_clock_with_no_one_acting(rf, section, home_page):
    story = arm(section, seconds=60)
    request = rf.get("/")
    shown = breaking.breaking_news(request)
    assert [s["title"] for s in shown] == [HEADLINE]
    # The same request (its stories looked up once) an instant after the end: no banner.
    after = story.breaking_until + dt.timedelta(seconds=1)
    assert breaking.breaking_news(request, now=after) == []
    assert breaking.seconds_left(request, now=after) is None
    assert breaking.seconds_left(request, now=story.breaking_until - dt.timedelta(seconds=30)) == 30


def test_an_unpublished_or_draft_breaking_story_shows_no_banner(client, section, article):
    story = arm(section)
    story.unpublish()
    draft = ArticlePage(title="Draft alarm", live=False, breaking_until=timezone.now() + dt.timedelta(hours=1))
    section.add_child(instance=draft)
    assert banners(client.get("/")) == []


def test_newest_banners_first_and_at_most_three(client, section, home_page):
    for n in range(4):
        publish_article(section, title=f"Alert {n}", when=utc(2026, 3, 1 + n),
                        breaking_until=timezone.now() + dt.timedelta(hours=1))
    assert [title for title, _ in banners(client.get("/"))] == ["Alert 3", "Alert 2", "Alert 1"]


# Purges: now and when the banner ends.


def purges(backend):
    return [r for r in backend.results if r.task.name == breaking_news_purge.name]


def test_publishing_a_breaking_story_purges_now_and_at_its_end(deferring_tasks, section,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story = arm(section, seconds=3 * 3600)
    story.refresh_from_db()
    assert [r.task.run_after for r in purges(deferring_tasks)] == [None, story.breaking_until]


def test_publishing_a_story_that_is_not_breaking_purges_nothing_more(deferring_tasks, section,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish_article(section, title="Quiet day", when=timezone.now())
        publish_article(section, title="Was breaking", when=timezone.now(), breaking_until=utc(2026, 1, 1))
    assert purges(deferring_tasks) == []


def test_a_backend_that_cannot_defer_still_purges_now(section, django_capture_on_commit_callbacks, caplog, monkeypatch):
    from pressclub.core import purge

    ran = []
    everything = purge.cache_purge_everything
    monkeypatch.setattr(purge, "cache_purge_everything", lambda: ran.append("purge") or everything())
    before = page_cache_generation()
    with django_capture_on_commit_callbacks(execute=True):
        arm(section)
    assert ran == ["purge"]  # the banner's own purge ran now (publishing purges the page cache too)
    assert page_cache_generation() > before
    assert "cannot defer tasks" in caplog.text


class RecordingBackend(BaseBackend):
    """A front-end cache that records the URLs it is asked to purge (in ``PURGED``)."""

    def purge(self, url) -> None:
        PURGED.append(url)


PURGED: list[str] = []


def test_the_purge_task_empties_the_page_cache_and_the_front_end_caches(settings, section, article):
    settings.WAGTAILFRONTENDCACHE = {"proxy": {"BACKEND": f"{__name__}.RecordingBackend"}}
    PURGED.clear()
    before = page_cache_generation()
    result = breaking_news_purge.enqueue()
    assert result.return_value == 3  # the front page, the section and the story
    assert page_cache_generation() == before + 1
    assert sorted(PURGED) == [
        "http://localhost/",
        "http://localhost/local/",
        "http://localhost/local/council-approves-new-footbridge-over-the-seti/",
    ]


# Cached copies never outlive the banner.


@pytest.fixture
def page_cache(settings):
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300


def max_ages(response) -> dict:
    parts = dict(p.strip().partition("=")[::2] for p in response["Cache-Control"].split(","))
    return {"max-age": int(parts["max-age"]), "s-maxage": int(parts["s-maxage"])}


def test_browsers_and_shared_caches_keep_a_page_no_longer_than_the_banner_runs(client, page_cache, section, article):
    arm(section, seconds=40)
    for _ in range(2):  # stored, then served from the page cache
        response = client.get("/")
        ages = max_ages(response)
        assert 38 <= ages["max-age"] <= 40
        assert ages["max-age"] == ages["s-maxage"]
        # No shared cache serves a stale copy past the end while it asks for a fresh one.
        assert "stale-while-revalidate=0" in response["Cache-Control"]


def test_without_a_banner_the_cache_lifetimes_are_the_usual_ones(client, page_cache, article):
    assert client.get("/")["Cache-Control"] == "public, max-age=60, s-maxage=300, stale-while-revalidate=60, stale-if-error=86400"


def test_a_page_cached_while_the_banner_runs_expires_when_it_ends(client, page_cache, section, article):
    arm(section, seconds=2)
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"
    assert banners(first) == [(HEADLINE, "/local/landslide-blocks-the-kalimgaon-highway/")]
    time.sleep(2.2)
    # No purge task ran (none can be deferred here): the first request after the end purges.
    later = client.get("/")
    assert later["X-Page-Cache"] == "miss"
    assert banners(later) == []
    assert later["Cache-Control"] == "public, max-age=60, s-maxage=300, stale-while-revalidate=60, stale-if-error=86400"
    # Once: the next reader gets the new copy from the page cache, with no further purge.
    generation = page_cache_generation()
    again = client.get("/")
    assert again["X-Page-Cache"] == "hit"
    assert page_cache_generation() == generation


# The editor marks a story breaking for a number of hours.


def test_an_editor_marks_a_story_breaking_for_hours(client, moderator, article):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    doc = lxml_html.fromstring(client.get(url).content)
    data = dict(doc.xpath("//form[@id='page-edit-form']")[0].form_values())
    assert [o.get("value") for o in doc.xpath("//select[@name='breaking_hours']/option")] == [
        "", "1", "2", "3", "6", "12", "24", "48", "0"
    ]
    data.update(nested_form_data({"body": streamfield([("paragraph", rich_text("<p>Text.</p>"))])}))
    data["breaking_hours"] = "6"
    response = client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 302
    until = ArticlePage.objects.get(pk=article.pk).breaking_until
    assert abs((until - timezone.now() - dt.timedelta(hours=6)).total_seconds()) < 60
    # "End the banner now" clears it.
    doc = lxml_html.fromstring(client.get(url).content)
    data = dict(doc.xpath("//form[@id='page-edit-form']")[0].form_values())
    data.update(nested_form_data({"body": streamfield([("paragraph", rich_text("<p>Text.</p>"))])}))
    data["breaking_hours"] = "0"
    assert client.post(url, {**data, "action-publish": "1"}).status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).breaking_until is None


@pytest.mark.parametrize(("typed", "message"), [
    ("2099-01-01 10:00", "A breaking-news banner runs for at most 48 hours after publishing."),
    ("2020-01-01 10:00", "This time has passed: the banner would not show."),
])
def test_a_banner_end_typed_by_hand_is_refused_when_past_or_too_far(client, moderator, article, typed, message):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    doc = lxml_html.fromstring(client.get(url).content)
    data = dict(doc.xpath("//form[@id='page-edit-form']")[0].form_values())
    data.update(nested_form_data({"body": streamfield([("paragraph", rich_text("<p>Text.</p>"))])}))
    data.update(breaking_hours="", breaking_until=typed)
    response = client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ArticlePage.objects.get(pk=article.pk).breaking_until is None
