"""Story counts of listings: the same number as the listing queryset's ``count()``, from fewer rows."""

import pytest
from wagtail.models import PageViewRestriction

from pressclub.core.pagination import ListingPaginator
from pressclub.news.counts import author_story_count, label_story_count, section_story_count
from pressclub.news.models import ArticlePage, Label, SectionPage
from pressclub.news.views import listing_articles
from pressclub.testing.factories import publish_article, utc

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(home_page, section, author):
    """Local: three live stories labelled Roads by the author, one withdrawn; Hills (restricted to
    a password): two labelled Roads by the author; World: one labelled Roads by someone else."""
    hills = home_page.add_child(instance=SectionPage(title="Hills", slug="hills"))
    world = home_page.add_child(instance=SectionPage(title="World", slug="world"))
    for day in range(1, 4):
        publish_article(section, title=f"Local {day}", when=utc(2026, 3, day), labels=["Roads"], authors=[author])
    publish_article(section, title="Withdrawn", when=utc(2026, 3, 9), labels=["Roads"], authors=[author]).unpublish()
    for day in range(1, 3):
        publish_article(hills, title=f"Hills {day}", when=utc(2026, 3, day), labels=["Roads"], authors=[author])
    publish_article(world, title="World", when=utc(2026, 3, 5), labels=["Roads"])
    PageViewRestriction.objects.create(page=hills, restriction_type=PageViewRestriction.PASSWORD, password="x")
    return {"local": section, "hills": hills, "world": world}


def test_counts_leave_out_withdrawn_and_restricted_stories(stories, section, author):
    roads = Label.objects.get(name="Roads")
    expected = {
        "label": listing_articles().filter(label_links__tag=roads).count(),
        "author": listing_articles().filter(byline_links__author=author).count(),
        **{slug: SectionPage.objects.get(pk=page.pk).get_articles().count() for slug, page in stories.items()},
    }
    counted = {
        "label": label_story_count(roads),
        "author": author_story_count(author),
        **{slug: section_story_count(page) for slug, page in stories.items()},
    }
    assert counted == expected == {"label": 4, "author": 3, "local": 3, "hills": 0, "world": 1}


def test_label_page_counts_its_stories_in_the_pager(client, settings, stories):
    settings.PRESSCLUB_ARTICLES_PER_PAGE = 2
    response = client.get("/label/roads/?page=2")
    assert response.status_code == 200
    page_obj = response.context["articles"]
    assert (page_obj.number, page_obj.paginator.count, page_obj.paginator.num_pages) == (2, 4, 2)
    assert [story.title for story in page_obj] == ["Local 2", "Local 1"]
    assert "Page 2 of 2" in response.content.decode()


def test_a_given_count_is_called_once_and_the_queryset_never_counted(django_assert_num_queries, stories):
    calls = []
    paginator = ListingPaginator(ArticlePage.objects.none(), per_page=2, count=lambda: calls.append(1) or 7)
    with django_assert_num_queries(0):
        assert (paginator.count, paginator.num_pages, paginator.count) == (7, 4, 7)
    assert calls == [1]
