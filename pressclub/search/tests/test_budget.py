"""One search cannot pin a worker: a hard time budget per search, and a limit per address.

Run on SQLite (the default) and on PostgreSQL (``DATABASE_URL=postgres://…``); each database's own
mechanism is tested where the suite runs.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from lxml import html as lxml_html

from pressclub.search.budget import SearchBusy, time_budget
from pressclub.search.views import BUSY, TOO_MANY
from pressclub.testing.factories import publish_article, utc

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_tree(section):
    for day in range(1, 13):
        publish_article(section, title=f"Council meeting {day}", when=utc(2026, 1, day),
                        body=[("paragraph", "<p>The council met about the budget and the river.</p>")])


def message(response) -> str:
    (text,) = [p.text_content() for p in lxml_html.fromstring(response.content).xpath("//main//p")
               if p.text_content() in (BUSY, TOO_MANY)]
    return text


def test_a_search_past_its_budget_is_told_search_is_busy(client, small_tree, settings):
    settings.PRESSCLUB_SEARCH_TIME_BUDGET = 0.000001
    response = client.get("/search/", {"q": "council"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert message(response) == BUSY
    # The site's own page, with the query kept in the box.
    doc = lxml_html.fromstring(response.content)
    assert doc.xpath("//input[@id='q']/@value") == ["council"]
    assert doc.xpath("//title/text()")[0].startswith("council — Search — ")


def test_within_its_budget_a_search_answers(client, small_tree, settings):
    settings.PRESSCLUB_SEARCH_TIME_BUDGET = 2.0
    response = client.get("/search/", {"q": "council"})
    assert response.status_code == 200
    assert "12 results for “council”." in response.text


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's progress handler")
def test_sqlite_statement_is_interrupted_at_the_deadline():
    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    with pytest.raises(SearchBusy), time_budget(0.05), connection.cursor() as cursor:
        cursor.execute(endless)
    # The connection is usable afterwards, without the handler.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement_timeout")
def test_postgresql_statement_is_cancelled_at_the_deadline():
    with pytest.raises(SearchBusy), time_budget(0.05), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's settings")
@pytest.mark.django_db(transaction=True)  # the budget's own transaction, not a savepoint in the test's
def test_postgresql_search_runs_without_parallel_workers_within_its_budget_only():
    def setting(cursor):
        cursor.execute("SELECT current_setting('max_parallel_workers_per_gather'), current_setting('statement_timeout')")
        return cursor.fetchone()

    with connection.cursor() as cursor:
        before = setting(cursor)
    with time_budget(2.0), connection.cursor() as cursor:
        workers, timeout = setting(cursor)
    assert workers == "0"
    assert timeout.endswith("ms") or timeout.endswith("s")
    assert timeout != before[1]
    with connection.cursor() as cursor:
        assert setting(cursor) == before  # SET LOCAL: gone with the search's transaction


def test_searches_are_limited_per_address(client, small_tree, settings, monkeypatch):
    from types import SimpleNamespace

    from pressclub.core import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_000_000.0))
    settings.PRESSCLUB_SEARCH_RATE_LIMITS = "3/m/ip"
    cache.clear()
    try:
        statuses = [client.get("/search/", {"q": "river"}, REMOTE_ADDR="192.0.2.7").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = client.get("/search/", {"q": "river"}, REMOTE_ADDR="192.0.2.7")
        assert response["Retry-After"] == "60"
        assert message(response) == TOO_MANY
        # Another address is not affected.
        assert client.get("/search/", {"q": "river"}, REMOTE_ADDR="192.0.2.8").status_code == 200
    finally:
        cache.clear()
