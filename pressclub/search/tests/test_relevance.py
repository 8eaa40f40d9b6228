"""Search finds word forms, not fragments: precision and recall on a small relevance set.

``data/relevance.json`` holds invented stories in English, Nepali, Hindi and Bengali and, for each
query, the headlines it should find. The figures are the same on SQLite and PostgreSQL.
"""

import json
import unicodedata
from pathlib import Path

import pytest

from pressclub.search.query import search_articles
from pressclub.testing.factories import publish_article, utc

pytestmark = pytest.mark.django_db
RELEVANCE = json.loads((Path(__file__).parent / "data" / "relevance.json").read_text(encoding="utf-8"))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture(scope="module")
def stories(module_site, module_db):
    with module_db():
        for day, story in enumerate(RELEVANCE["stories"], start=1):
            publish_article(module_site.section, title=nfc(story["title"]), when=utc(2026, 4, day),
                            language=story["language"],
                            body=[("paragraph", f"<p>{nfc(story['body'])}</p>")])


def found(query: str) -> set[str]:
    return {page.title for page in search_articles(nfc(query))[:50]}


def test_precision_and_recall_on_the_relevance_set(stories):
    retrieved = relevant = hits = 0
    misses, extras = {}, {}
    for query, expected in RELEVANCE["queries"].items():
        expected = {nfc(title) for title in expected}
        got = found(query)
        retrieved += len(got)
        relevant += len(expected)
        hits += len(got & expected)
        if expected - got:
            misses[query] = sorted(expected - got)
        if got - expected:
            extras[query] = sorted(got - expected)
    # Hindi लड़का (boy) ends like Nepali का (of): cut there, its stem लड़ grows into लड़की (girl).
    assert extras == {"लड़का": ["एक लड़की को पुरस्कार"]}
    assert misses == {}
    assert (hits, retrieved, relevant) == (21, 22, 21)
    assert round(hits / retrieved, 3) == 0.955  # precision
    assert hits / relevant == 1.0  # recall


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("বাজার", ["বাজারে সবজির দাম বাড়ল"]),  # the base word finds the locative
        ("বাজারে", ["বাজারে সবজির দাম বাড়ল"]),
        ("বই", ["বইগুলো বিতরণ করা হলো"]),  # not বইমেলায় (book fair): a word inside a compound is not a form
        ("ক", []),  # one letter matches no word that merely starts with it
        ("बजार", ["पुरानो बजार सफा भयो", "बजारमा तरकारीको भाउ बढ्यो"]),
        ("बजारहरूमा", ["पुरानो बजार सफा भयो", "बजारमा तरकारीको भाउ बढ्यो"]),  # an inflected query finds the base
    ],
)
def test_word_forms_are_found_fragments_are_not(stories, query, expected):
    assert sorted(found(query)) == sorted(nfc(title) for title in expected)
