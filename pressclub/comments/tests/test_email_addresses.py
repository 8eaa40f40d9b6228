"""E-mail addresses typed into comments are masked wherever readers see them; editors see them."""

import feedparser
import pytest

from pressclub.comments.text import hide_email_addresses

pytestmark = pytest.mark.django_db

TYPED = "Write to jane.doe@example.org or [me](mailto:ram@example.net) about it."


@pytest.mark.parametrize(
    "text,shown",
    [
        ("Mail jane.doe@example.org today.", "Mail j…@example.org today."),
        ("<p>mañana.ñu@correo.es</p>", "<p>m…@correo.es</p>"),
        ('<a href="mailto:x@y.com" rel="nofollow">x@y.com</a>', '<a rel="nofollow">x…@y.com</a>'),
        ("@handle, a@b, 5 @ 3, user@localhost", "@handle, a@b, 5 @ 3, user@localhost"),
        ('<img src="https://example.org/logo@2x.png" alt="by ana@example.org">',
         '<img src="https://example.org/logo@2x.png" alt="by a…@example.org">'),
        ("", ""),
    ],
)
def test_hide_email_addresses(text, shown):
    assert hide_email_addresses(text) == shown


def test_addresses_are_masked_on_the_page_in_feeds_and_on_the_reply_page(client, article, make_comment):
    comment = make_comment(body=TYPED)
    assert "jane.doe@example.org" in comment.body_html  # stored as typed

    html = client.get(article.url).content.decode()
    assert "Write to j…@example.org or <a rel=\"nofollow ugc noopener\">me</a> about it." in html
    for url in ("/comments/feed/", "/comments/feed/atom/", f"/comments/feed/{article.pk}/"):
        body = client.get(url).content.decode()
        assert "example.org" in body and "jane.doe" not in body and "ram@" not in body, url
        assert feedparser.parse(body).entries[0].summary == '<p>Write to j…@example.org or <a rel="nofollow ugc noopener">me</a> about it.</p>'
    page = client.get(f"/comments/{comment.pk}/reply/").content.decode()
    assert "jane.doe" not in page and "j…@example.org" in page


def test_editors_see_the_address_in_the_moderation_queue(client, moderator, article, make_comment):
    make_comment(body=TYPED, status="pending")
    client.force_login(moderator)
    html = client.get("/admin/comments/").content.decode()
    assert "jane.doe@example.org" in html


def test_an_imported_comment_with_an_address_is_masked(client, home_page):
    from pressclub.comments.models import Comment
    from pressclub.importers.blogger.comments import comment_values
    from pressclub.importers.blogger.parser import BloggerComment
    from pressclub.testing.factories import utc

    article_page = home_page  # any page will do for the thread's markup
    raw = BloggerComment(id="c1", post_id="p1", content_html="Escríbeme a pepe.perez@gmail.com<br />Gracias",
                         published=utc(2012, 1, 13, 3, 47), updated=utc(2012, 1, 13, 3, 47))
    comment = Comment.objects.create(source_id="c1", **comment_values(raw, article_page.pk, None))
    assert "pepe.perez@gmail.com" in comment.body and "pepe.perez@gmail.com" in comment.body_html
    assert "p…@gmail.com" in comment.public_html and "pepe.perez" not in comment.public_html
