"""The front page's story lists at archive scale: the newest stories per section, the lead, and
the labels counted over the newest stories only. Run on SQLite (a window) and PostgreSQL (a UNION
of one limited query per section): the same lists either way."""

import pytest

from pressclub.news.models import ArticlePage, Label, SectionPage, newest_per_section
from pressclub.testing.factories import add_section, publish_article, utc

pytestmark = pytest.mark.django_db


def test_newest_per_section_takes_each_sections_newest_and_the_newest_of_all(home_page):
    local = add_section(home_page, title="Local", slug="local")
    sport = add_section(home_page, title="Sport", slug="sport")
    for day in range(1, 6):
        publish_article(local, title=f"Local {day}", when=utc(2026, 3, day))
    publish_article(sport, title="Sport old", when=utc(2026, 1, 1))
    # A story deeper down (a sub-section) counts for its section; one outside every listed section
    # can still be the newest of all, the lead.
    cricket = add_section(sport, title="Cricket", slug="cricket")
    publish_article(cricket, title="Sport deep", when=utc(2026, 2, 1))
    publish_article(home_page, title="Front only", when=utc(2026, 4, 1))
    # Neither an older story outside the sections nor a section not listed (the caller leaves out a
    # private or hidden one) adds to the list, on either database.
    publish_article(home_page, title="Front older", when=utc(2026, 2, 15))
    opinion = add_section(home_page, title="Opinion", slug="opinion")
    publish_article(opinion, title="Opinion new", when=utc(2026, 3, 20))
    stories = ArticlePage.objects.descendant_of(home_page).published()
    sections = list(SectionPage.objects.child_of(home_page).live().exclude(pk=opinion.pk).order_by("path"))
    newest = newest_per_section(stories, sections=sections, parent_depth=home_page.depth + 1, limit=3)
    assert [story.title for story in newest] == ["Front only", "Local 5", "Local 4", "Local 3", "Sport deep", "Sport old"]


def test_front_page_labels_are_counted_over_the_newest_stories(home_page, settings):
    local = add_section(home_page)
    for day in range(1, 4):
        publish_article(local, title=f"Old {day}", when=utc(2025, 1, day), labels=["Budget"])
    for day in range(1, 3):
        publish_article(local, title=f"New {day}", when=utc(2026, 5, day), labels=["Monsoon"])
    assert [(label.name, label.article_count) for label in Label.objects.in_use()] == [("Budget", 3), ("Monsoon", 2)]
    assert [(label.name, label.article_count) for label in Label.objects.in_use(newest=3)] == [("Monsoon", 2), ("Budget", 1)]
    settings.PRESSCLUB_HOME_LABEL_STORIES = 2
    html = home_page.serve(_request(home_page)).render().content.decode()
    assert "/label/monsoon/" in html
    assert "/label/budget/" not in html


def _request(page):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return request
