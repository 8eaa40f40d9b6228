import pytest
from lxml import html as lxml_html

from pressclub.people.models import Author
from pressclub.search.query import MAX_QUERY_LENGTH, clean_query
from pressclub.testing.factories import NUL, publish_article, utc


def titles(response):
    return lxml_html.fromstring(response.content).xpath("//ul[@class='list']//h2/a/text()")


# The tests only search: they share one set of stories, built once for the module.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def stories(module_site, module_db):
    """Add to the footbridge story in Local five more in English, Nepali, Hindi and Bengali (one withdrawn)."""
    section = module_site.section
    with module_db():
        sita = Author.objects.create(name="Sita Lama")
        publish_article(section, title="प्रेस क्लब की बैठक", when=utc(2026, 3, 2), language="ne",
                        dek="नगरपालिका ने पुल को मंजूरी दी")
        publish_article(section, title="प्रिंस का दौरा", when=utc(2026, 3, 3), language="hi")
        publish_article(section, title="প্রেস ক্লাবের সভা", when=utc(2026, 3, 4), language="bn",
                        body=[("paragraph", "<p>পৌরসভা সেতু অনুমোদন করেছে</p>")])
        publish_article(section, title="Teachers strike", when=utc(2026, 3, 5), authors=[sita], labels=["Education"],
                        dek=f"Schools shut\x0b & {NUL}parents worry",
                        body=[("paragraph", "<p>The headmaster spoke to the assembly.</p>")])
        withdrawn = publish_article(section, title="Withdrawn footbridge story", when=utc(2026, 3, 6))
        withdrawn.unpublish()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("footbridge", ["Council approves new footbridge over the Seti"]),  # headline; the unpublished one stays out
        ("monsoon", ["Council approves new footbridge over the Seti"]),  # dek
        ("headmaster", ["Teachers strike"]),  # body
        ("Sita Lama", ["Teachers strike"]),  # byline
        ("education", ["Teachers strike"]),  # label
        ("parents", ["Teachers strike"]),  # dek pasted with control characters
        ("प्रेस", ["प्रेस क्लब की बैठक"]),  # not "प्रिंस"
        ("मंजूरी", ["प्रेस क्लब की बैठक"]),
        ("प्रिंस", ["प्रिंस का दौरा"]),
        ("সেতু", ["প্রেস ক্লাবের সভা"]),
        ("প্রেস", ["প্রেস ক্লাবের সভা"]),
    ],
)
def test_search_finds_words_in_three_scripts(client, stories, query, expected):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert titles(response) == expected
    assert f"1 result for “{query}”." in response.content.decode()


def test_search_without_hits_says_so(client, stories):
    response = client.get("/search/", {"q": "zzzyx"})
    assert titles(response) == []
    assert "0 results for “zzzyx”." in response.content.decode()
    assert "No stories match. Try another word." in response.content.decode()


def test_search_paginates(client, settings, stories, section):
    settings.PRESSCLUB_SEARCH_RESULTS_PER_PAGE = 2
    for day in (1, 2, 3):
        publish_article(section, title=f"Election result {day}", when=utc(2026, 1, day))
    first = client.get("/search/", {"q": "election"})
    second = client.get("/search/", {"q": "election", "page": "2"})
    assert "3 results for “election”." in first.content.decode()
    assert len(titles(first)) == 2 and len(titles(second)) == 1
    assert set(titles(first)) | set(titles(second)) == {"Election result 1", "Election result 2", "Election result 3"}
    assert lxml_html.fromstring(first.content).xpath("//a[@rel='next']/@href") == ["?page=2&q=election"]


@pytest.mark.parametrize(
    ("query_string", "message"),
    [
        ("", "Type a word or two to search the stories."),
        ("?q=", "Type a word or two to search the stories."),
        ("?q=%20%20", "Type a word or two to search the stories."),
        ("?q=%00", "That search had nothing we could look for. Try a word or two."),
        ("?q=%ED%A0%80", "That search had nothing we could look for. Try a word or two."),
        ("?q=%FF%FE", "That search had nothing we could look for. Try a word or two."),
        ("?q=!!!%22%27*()", "That search had nothing we could look for. Try a word or two."),
        ("?q=" + "a" * 5000, f"Only the first {MAX_QUERY_LENGTH} characters of your search were used."),
    ],
)
def test_odd_queries_get_a_message_not_an_error(client, stories, query_string, message):
    response = client.get("/search/" + query_string)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "query", ['"unbalanced', "AND OR NOT", "foot*", "NEAR(a b)", "a:b", "(", "^x", "-minus", "टीका\x0b"]
)
def test_search_syntax_characters_never_give_500(client, stories, query):
    assert client.get("/search/", {"q": query}).status_code == 200


def test_clean_query():
    assert clean_query("  rain\x00 \x0b and\tfloods ") == "rain and floods"
    assert clean_query("x\ud800y") == "xy"
    assert clean_query("\u202eroad stones\u202c \u2067x\u2069") == "road stones x"  # no line printed backwards
    assert clean_query("क्\u200dष") == "क्\u200dष"  # the joiners stay
    assert clean_query("!!!") == ""
    assert len(clean_query("ab " * 500)) == MAX_QUERY_LENGTH
    # A long query ends at its last whole word, never inside a Devanagari cluster ("क्षत्").
    long = "क्षत्रिय " * 40
    assert clean_query(long) == " ".join(["क्षत्रिय"] * 22) and len(clean_query(long)) == 197
    assert clean_query("x" * 300) == "x" * MAX_QUERY_LENGTH
    assert clean_query("ab " * 66 + "  c") == "ab " * 66 + "c"


@pytest.fixture
def harvest(section):
    """Five published stories with "harvest" in the headline, a day apart."""
    for day in range(1, 6):
        publish_article(section, title=f"Harvest report {day}", when=utc(2026, 2, day))


def test_search_counts_no_further_than_its_limit(client, settings, stories, harvest):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PRESSCLUB_SEARCH_COUNT_LIMIT = 3
    settings.PRESSCLUB_SEARCH_RESULTS_PER_PAGE = 2
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/search/", {"q": "harvest"})
    text = first.content.decode()
    assert "More than 3 results for “harvest”. Add a word to narrow them." in text
    assert "5 results" not in text
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 4" in counts[0]
    # Pages up to the limit are offered (3 at 2 a page: 2), none past it.
    assert lxml_html.fromstring(first.content).xpath("//a[@rel='next']/@href") == ["?page=2&q=harvest"]
    second = client.get("/search/", {"q": "harvest", "page": "2"})
    assert len(titles(second)) == 1
    assert lxml_html.fromstring(second.content).xpath("//a[@rel='next']/@href") == []
    assert titles(client.get("/search/", {"q": "harvest", "page": "3"})) == titles(first)


def test_search_at_its_limit_gives_the_exact_count(client, settings, stories, harvest):
    settings.PRESSCLUB_SEARCH_COUNT_LIMIT = 5
    text = client.get("/search/", {"q": "harvest"}).content.decode()
    assert "5 results for “harvest”." in text
    assert "More than" not in text


def test_search_without_a_limit_counts_every_match(client, settings, stories, harvest):
    settings.PRESSCLUB_SEARCH_COUNT_LIMIT = 0
    text = client.get("/search/", {"q": "harvest"}).content.decode()
    assert "5 results for “harvest”." in text
    assert "More than" not in text


def test_search_beyond_its_limit_in_nepali(client, settings, stories, harvest):
    settings.PRESSCLUB_SEARCH_COUNT_LIMIT = 4
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ne"
    text = client.get("/search/", {"q": "harvest"}).content.decode()
    assert "“harvest” का लागि ४ भन्दा बढी नतिजा। खोज साँघुरो पार्न अर्को शब्द थप्नुहोस्।" in text


@pytest.mark.parametrize(
    ("start", "stop", "expected"),
    [(None, None, 5), (None, 4, 4), (None, 10, 5), (1, 3, 2), (4, 10, 1), (6, 10, 0)],
)
def test_a_sliced_search_counts_to_its_end(stories, harvest, start, stop, expected):
    from pressclub.search.query import search_articles

    assert search_articles("harvest")[start:stop].count() == expected
