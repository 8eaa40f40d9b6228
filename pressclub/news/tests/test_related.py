"""Related stories: the ranking (labels shared, then the section, then newest) past every candidate group."""

import pytest

from pressclub.core.compiled import _UNCOMPILABLE
from pressclub.news.models import ArticlePage, Label, SectionPage
from pressclub.news.related import _queries, related_queryset, related_rows
from pressclub.testing.factories import publish_article, utc

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(home_page, section):
    """A story in Local labelled Roads and Rivers, with five stories in each group around it:
    Local without labels (newest), Local with Rivers, Hills with Roads, and one older story sharing
    both labels in each section; plus a draft and a story of Hills with no shared label."""
    hills = home_page.add_child(instance=SectionPage(title="Hills", slug="hills"))
    story = publish_article(section, title="Story", when=utc(2026, 1, 1), labels=["Roads", "Rivers"])
    for day in range(1, 6):
        publish_article(section, title=f"Local {day}", when=utc(2026, 3, day))
        publish_article(section, title=f"Local rivers {day}", when=utc(2026, 2, day), labels=["Rivers"])
        publish_article(hills, title=f"Hills roads {day}", when=utc(2026, 2, 10 + day), labels=["Roads", "Weather"])
    publish_article(hills, title="Hills both", when=utc(2025, 5, 1), labels=["Rivers", "Roads"])
    publish_article(section, title="Local both", when=utc(2025, 4, 1), labels=["Roads", "Rivers"])
    publish_article(hills, title="Hills weather", when=utc(2026, 4, 1), labels=["Weather"])
    draft = publish_article(section, title="Withdrawn both", when=utc(2026, 4, 2), labels=["Roads", "Rivers"])
    draft.unpublish()
    return story


def titles(story, *, limit, labels=("Roads", "Rivers")):
    """Return the related stories' headlines, the same from the queryset and from its kept SQL."""
    label_ids = list(Label.objects.filter(name__in=labels).values_list("pk", flat=True))
    page = ArticlePage.objects.get(pk=story.pk)
    found = [related.title for related in related_queryset(page, label_ids=label_ids, limit=limit)]
    assert [related.title for related in related_rows(page, label_ids=label_ids, limit=limit)] == found
    return found


def test_related_stories_rank_shared_labels_then_section_then_newest(story):
    assert titles(story, limit=4) == ["Local both", "Hills both", "Local rivers 5", "Local rivers 4"]
    assert titles(story, limit=20) == (
        ["Local both", "Hills both"]
        + [f"Local rivers {day}" for day in range(5, 0, -1)]
        + [f"Hills roads {day}" for day in range(5, 0, -1)]
        + [f"Local {day}" for day in range(5, 0, -1)]
    )  # 17: never the draft, the story itself or Hills' story with no shared label


def test_related_stories_with_one_label_or_none(story):
    assert titles(story, limit=7, labels=["Roads"]) == [
        "Local both", "Hills roads 5", "Hills roads 4", "Hills roads 3", "Hills roads 2", "Hills roads 1", "Hills both",
    ]
    assert titles(story, limit=3, labels=[]) == ["Local 5", "Local 4", "Local 3"]


def test_related_stories_take_one_query(story, django_assert_num_queries):
    label_ids = [label.pk for label in story.labels.all()]
    list(related_queryset(story, label_ids=label_ids))  # reads (and keeps) the list of view restrictions
    with django_assert_num_queries(1):
        assert len(list(related_queryset(story, label_ids=label_ids))) == 4


def test_any_limit_gives_the_head_of_the_full_ranking(story):
    full = titles(story, limit=40)
    for limit in range(1, 18):
        assert titles(story, limit=limit) == full[:limit], limit


def test_stories_deeper_in_the_section_count_as_the_section(story, section, home_page):
    # Older stories of a sub-section of Local rank above newer ones of another section sharing the
    # same label (same section first), at every limit.
    sub = section.add_child(instance=SectionPage(title="Local wards", slug="wards"))
    for day in (1, 2):
        publish_article(sub, title=f"Ward roads {day}", when=utc(2025, 1, day), labels=["Roads"])
    ranked = titles(story, limit=40, labels=["Roads"])
    assert ranked[:3] == ["Local both", "Ward roads 2", "Ward roads 1"]
    for limit in range(1, 10):
        assert titles(story, limit=limit, labels=["Roads"]) == ranked[:limit], limit


def test_related_rows_keep_one_sql_per_shape_and_take_one_query(story, django_assert_num_queries):
    _queries.clear()
    label_ids = [label.pk for label in story.labels.all()]
    other = ArticlePage.objects.get(title="Local rivers 3")
    other_labels = [label.pk for label in other.labels.all()]
    related_rows(story, label_ids=label_ids)  # reads (and keeps) the list of view restrictions
    with django_assert_num_queries(1):
        assert [related.title for related in related_rows(story, label_ids=label_ids)] == [
            "Local both", "Hills both", "Local rivers 5", "Local rivers 4"
        ]
    with django_assert_num_queries(1):
        rows = related_rows(other, label_ids=other_labels)
    assert [related.title for related in rows] == [
        related.title for related in related_queryset(other, label_ids=other_labels)
    ]
    assert [related.title for related in rows] == ["Local rivers 5", "Local rivers 4", "Local rivers 2", "Local rivers 1"]
    # Two labels and one: two queries, each compiled once for the one list of restricted paths.
    assert sorted(_queries) == [(1, 4), (2, 4)]
    assert [len(query._compiled) for query in _queries.values()] == [1, 1]
    assert all(compiled is not _UNCOMPILABLE for query in _queries.values() for compiled in query._compiled.values())


def test_related_rows_leave_out_a_restricted_section(story, home_page):
    from wagtail.models import PageViewRestriction

    hills = SectionPage.objects.get(slug="hills")
    PageViewRestriction.objects.create(page=hills, restriction_type=PageViewRestriction.PASSWORD, password="x")
    from pressclub.core.cache import page_cache_purge

    page_cache_purge()  # the restriction list is kept until a purge, as the admin's save does
    assert titles(story, limit=20) == (
        ["Local both"] + [f"Local rivers {day}" for day in range(5, 0, -1)] + [f"Local {day}" for day in range(5, 0, -1)]
    )
