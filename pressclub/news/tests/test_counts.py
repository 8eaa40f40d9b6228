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


@pytest.fixture
def kept(home_page, section, author, page_cache):
    """With the page cache on, Local: three stories labelled Roads by the author; World: one."""
    world = home_page.add_child(instance=SectionPage(title="World", slug="world"))
    for day in range(1, 4):
        publish_article(section, title=f"Local {day}", when=utc(2026, 3, day), labels=["Roads"], authors=[author])
    publish_article(world, title="World 1", when=utc(2026, 3, 5), labels=["Roads"], authors=[author])
    return {"local": section, "world": world}


def kept_counts(kept, author):
    """Return the four counts, as the pages read them (from the cache once kept)."""
    return (
        label_story_count(Label.objects.get(name="Roads")),
        author_story_count(author),
        section_story_count(kept["local"]),
        section_story_count(kept["world"]),
    )


def test_kept_counts_follow_publishing_withdrawing_moving_and_restricting(kept, section, author,
                                                                          django_assert_num_queries):
    roads = Label.objects.get(name="Roads")  # read before counting, so the second read is the cache's alone
    assert kept_counts(kept, author) == (4, 4, 3, 1)
    with django_assert_num_queries(0):  # kept: a stale number would show if a change did not renew it
        assert (label_story_count(roads), author_story_count(author), section_story_count(section),
                section_story_count(kept["world"])) == (4, 4, 3, 1)

    late = publish_article(section, title="Local 4", when=utc(2026, 3, 4), labels=["Roads"], authors=[author])
    assert kept_counts(kept, author) == (5, 5, 4, 1)

    ArticlePage.objects.get(pk=late.pk).unpublish()
    assert kept_counts(kept, author) == (4, 4, 3, 1)

    ArticlePage.objects.get(title="Local 1").move(kept["world"], pos="last-child")
    assert kept_counts(kept, author) == (4, 4, 2, 2)

    PageViewRestriction.objects.create(page=kept["world"], restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert kept_counts(kept, author) == (2, 2, 2, 0)


@pytest.fixture
def per_page_ten(settings, home_page, section, author):
    """Ten stories a page; one story in Local, labelled Roads, by the author."""
    settings.PRESSCLUB_ARTICLES_PER_PAGE = 10
    publish_article(section, title="Local 1", when=utc(2026, 3, 1), labels=["Roads"], authors=[author])


@pytest.mark.parametrize(("path", "module", "name"), [
    ("/label/roads/", "pressclub.news.views", "label_story_count"),
    ("/authors/asha-gurung/", "pressclub.news.views", "author_story_count"),
    ("/local/", "pressclub.news.models", "section_story_count"),
])
def test_listing_pages_take_their_pager_from_the_count(client, monkeypatch, per_page_ten, path, module, name):
    monkeypatch.setattr(f"{module}.{name}", lambda owner: 37)

    response = client.get(path)

    assert response.status_code == 200
    page_obj = response.context["articles"]
    assert (page_obj.number, page_obj.paginator.count, page_obj.paginator.num_pages) == (1, 37, 4)
    assert [story.title for story in page_obj] == ["Local 1"]
    assert "Page 1 of 4" in response.content.decode()
