"""What a reader of the old blog saw survives an import: page comments, the blog's name, titles as
shown, code indentation, comments apart from their dates, label links, placeholders, addresses."""

from pathlib import Path

import pytest

from pressclub.importers.models import ImportedItem
from pressclub.importers.services import blogger_import

FIXTURES = Path(__file__).parent / "fixtures"
LEGACY = FIXTURES / "legacy.xml"
P = "tag:blogger.com,1999:blog-100."

pytestmark = pytest.mark.django_db


def _page(source_id):
    return ImportedItem.objects.get(source_id=source_id).target.specific


def test_an_imported_page_shows_its_comments_counts_and_feeds_them(client, home_page):
    blogger_import(source=LEGACY)
    about = _page(P + "page-2001")

    html = client.get(about.url).content.decode()
    assert '<h2 id="comments-title">1 Response to “About the club”</h2>' in html
    assert "How do I join?" in html
    response = client.get(f"/comments/feed/{about.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("<item>") == 1


@pytest.mark.parametrize(
    "raw,html",
    [
        ("Step 4. Is lacking", "<p>Step 4. Is lacking</p>"),
        ("One.<br /><br/>\n<br>Two<br />lines.<br>", "<p>One.</p><p>Two<br>lines.</p>"),
        ("<br>Hi", "<p>Hi</p>"),
        ("Look:<blockquote>quoted</blockquote>", "<div>Look:<blockquote>quoted</blockquote></div>"),
        ("", ""),
    ],
)
def test_imported_comment_bodies_are_block_markup_apart_from_their_date(raw, html):
    from pressclub.importers.blogger.html import comment_body

    assert comment_body(raw)[1] == html


def test_an_imported_comment_shows_its_body_apart_from_its_date(client, home_page):
    blogger_import(source=LEGACY)
    post = _page(P + "post-1001")
    html = client.get(post.url).content.decode()
    assert ('</time></a><p>Congratulations to the new committee! <a rel="nofollow ugc noopener">click</a>'
            "<br>See you at the hall.</p>") in html
