import pytest
from django.core.exceptions import ValidationError

from pressclub.news.models import ArticlePage


def test_article_fixture_is_live_with_byline(article):
    assert article.live is True
    assert article.url_path == "/home/local/council-approves-new-footbridge-over-the-seti/"
    assert [a.name for a in article.get_authors()] == ["Asha Gurung"]
    assert list(article.labels.names()) == ["Infrastructure"]


@pytest.mark.parametrize(
    ("title", "slug"),
    [("प्रेस क्लब की बैठक", "प्रेस-क्लब-की-बैठक"), ("প্রেস ক্লাবের সভা", "প্রেস-ক্লাবের-সভা"), ("!!!", "story")],
)
def test_unicode_titles_get_full_slugs(section, title, slug):
    page = section.add_child(instance=ArticlePage(title=title))
    assert page.slug == slug
    page.full_clean()


def test_slug_with_punctuation_is_refused(section):
    page = section.add_child(instance=ArticlePage(title="A story"))
    page.slug = "a/b"
    with pytest.raises(ValidationError) as err:
        page.full_clean()
    assert list(err.value.message_dict) == ["slug"]


def test_article_refuses_home_as_parent():
    assert ArticlePage.parent_page_types == ["news.SectionPage"]
