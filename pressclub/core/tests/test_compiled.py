"""Queries compiled once (core.compiled) answer exactly as the querysets they stand for, in one query
each, and fall back to the ORM when their SQL does not follow their values."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page

from pressclub.core.compiled import CompiledQuery, datetime_value, exact, iexact, prefix
from pressclub.news.models import ArticlePage
from pressclub.testing.factories import publish_article, utc

pytestmark = pytest.mark.django_db


class Counting:
    """A build function that counts how often it is asked to build the queryset."""

    def __init__(self, build):
        self.build, self.calls = build, 0

    def __call__(self, shape, **values):
        self.calls += 1
        return self.build(**values)


def test_rows_are_the_querysets_rows_and_the_query_is_built_once(home_page, section, django_assert_num_queries):
    first = publish_article(section, title="Bridge opens", when=utc(2026, 3, 1))
    second = publish_article(section, title="Bridge closes", when=utc(2026, 3, 5))
    build = Counting(lambda path, since: Page.objects.filter(path__startswith=path, first_published_at__gte=since)
                     .order_by("pk").values_list("pk", "title"))
    query = CompiledQuery(build, model=Page, slots={"path": prefix("~a~", "~b~"), "since": datetime_value()})

    with django_assert_num_queries(3):
        found = [query.rows(path=section.path, since=utc(2026, 2, 1)), query.rows(path=section.path, since=utc(2026, 3, 3)),
                 query.rows(path=home_page.path + "9999", since=utc(2026, 2, 1))]

    assert found == [[(first.pk, "Bridge opens"), (second.pk, "Bridge closes")], [(second.pk, "Bridge closes")], []]
    assert build.calls == 2  # the two sets of stand-ins, once


def test_a_prefix_with_like_wildcards_matches_them_literally():
    Group.objects.bulk_create([Group(name="desk_a"), Group(name="deskxa"), Group(name="50% off")])
    query = CompiledQuery(lambda _shape, start: Group.objects.filter(name__startswith=start).order_by("name")
                          .values_list("name", flat=True), model=Group, slots={"start": prefix("~a~", "~b~")})

    assert (query.rows(start="desk_"), query.rows(start="50%"), query.rows(start="desk")) == (
        ["desk_a"], ["50% off"], ["desk_a", "deskxa"],
    )


def test_iexact_ignores_case_and_takes_wildcards_literally():
    Group.objects.bulk_create([Group(name="Copy desk"), Group(name="Copy_desk")])
    query = CompiledQuery(lambda _shape, name: Group.objects.filter(name__iexact=name).values_list("name", flat=True),
                          model=Group, slots={"name": iexact("~a~", "~b~")})

    assert (query.rows(name="COPY DESK"), query.rows(name="copy_desk"), query.rows(name="copy%")) == (
        ["Copy desk"], ["Copy_desk"], [],
    )


def test_values_give_dicts_and_instances_are_the_orms(section):
    story = publish_article(section, title="Ward office opens", when=utc(2026, 2, 2))
    names = CompiledQuery(lambda _shape, pk: Page.objects.filter(pk=pk).values("title", "depth"), model=Page,
                          slots={"pk": exact(-1, -2)})
    pages = CompiledQuery(lambda _shape, pk: ArticlePage.objects.filter(pk=pk)[:1], model="news.ArticlePage",
                          slots={"pk": exact(-1, -2)})
    places = CompiledQuery(lambda _shape, pk: Page.objects.filter(pk=pk).only("path", "url_path")[:1], model=Page,
                           slots={"pk": exact(-1, -2)})

    page, place = pages.instance(pk=story.pk), places.instance(pk=story.pk)

    assert names.rows(pk=story.pk) == [{"title": "Ward office opens", "depth": 4}]
    assert (type(page), page.pk, page.title, page.first_published_at, page.url) == (
        ArticlePage, story.pk, "Ward office opens", utc(2026, 2, 2), "/local/ward-office-opens/",
    )
    assert (place.path, place.url_path, place.get_deferred_fields() >= {"title", "depth"}) == (
        story.path, "/home/local/ward-office-opens/", True,
    )
    assert pages.instance(pk=story.pk + 1000) is None


def test_a_condition_django_leaves_out_for_a_stand_in_runs_through_the_orm(home_page, section):
    # Depth is a positive field: Django drops "depth >= -1" as always true, so the SQL of the two
    # stand-ins does not hold the value; every call builds the queryset then, with the same answer.
    build = Counting(lambda depth: Page.objects.filter(depth__gte=depth).order_by("depth").values_list("depth", flat=True))
    query = CompiledQuery(build, model=Page, slots={"depth": exact(-1, -2)})

    assert (query.rows(depth=2), query.rows(depth=3)) == ([2, 3], [3])
    assert build.calls == 4  # the stand-ins once, then each call


def test_each_shape_compiles_its_own_query():
    Group.objects.bulk_create([Group(name="Copy desk"), Group(name="Copy editors")])

    def build(left_out, start):
        return (Group.objects.filter(name__startswith=start).exclude(name__in=left_out).order_by("name")
                .values_list("name", flat=True))

    query = CompiledQuery(build, model=Group, slots={"start": prefix("~a~", "~b~")})

    assert query.rows(start="Copy", shape=("Nobody",)) == ["Copy desk", "Copy editors"]
    assert query.rows(start="Copy", shape=("Copy desk",)) == ["Copy editors"]
    assert query.rows(start="Copy", shape=("Nobody",)) == ["Copy desk", "Copy editors"]


def test_values_must_be_the_slots():
    query = CompiledQuery(lambda _shape, pk: Group.objects.filter(pk=pk).values_list("pk"), model=Group,
                          slots={"pk": exact(-1, -2)})

    with pytest.raises(TypeError, match=r"takes the values \['pk'\]; missing \['pk'\], unknown \['id'\]"):
        query.rows(id=1)
