"""Comments on standard pages (About, imported Blogger pages): shown, counted, fed, under the policy."""

import datetime as dt

import feedparser
import pytest
from django.utils import timezone

from pressclub.comments.tokens import started_token
from pressclub.core.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(home_page):
    return home_page.add_child(instance=StandardPage(title="About the club", slug="about", intro="Who we are."))


def test_a_standard_page_shows_counts_and_feeds_its_approved_comments(client, about, make_comment):
    first = make_comment(page=about, body="Thanks for the **club**.", minutes=5)
    make_comment(page=about, body="Held back.", status="pending")
    reply = make_comment(page=about, body="You are welcome.", parent=first, minutes=9)

    html = client.get(about.url).content.decode()
    assert '<h2 id="comments-title">2 Responses to “About the club”</h2>' in html
    assert html.count('<li id="comment-') == 2
    assert f'<li id="comment-{reply.pk}">' in html and "Held back." not in html
    assert f'<a href="/comments/feed/{about.pk}/">Comments feed (RSS)</a>' in html

    for url in (f"/comments/feed/{about.pk}/", f"/comments/feed/{about.pk}/atom/"):
        response = client.get(url)
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert feed.feed.title == "Comments on “About the club”"
        assert [e.title for e in feed.entries] == [
            f"{reply.display_name} on “About the club”", f"{first.display_name} on “About the club”"
        ]
    site_feed = feedparser.parse(client.get("/comments/feed/").content)
    assert len(site_feed.entries) == 2


def test_a_page_whose_comments_are_hidden_shows_and_feeds_none(client, about, make_comment):
    make_comment(page=about, body="Old words.")
    about.comment_state = "hidden"
    about.save_revision().publish()
    html = client.get(about.url).content.decode()
    assert 'id="comments"' not in html and "Old words." not in html
    assert client.get(f"/comments/feed/{about.pk}/").status_code == 404


def test_members_may_comment_on_a_page_as_on_an_article(client, about, club_member):
    client.force_login(club_member)
    html = client.get(about.url).content.decode()
    assert '<h2 id="comments-title">No responses yet</h2>' in html
    assert f'action="/comments/post/{about.pk}/"' in html
    form = {"body": "Glad to be here.", "idempotency_key": "k1", "homepage": "", "parent": "",
            "started": started_token(timezone.now() - dt.timedelta(seconds=20))}
    response = client.post(f"/comments/post/{about.pk}/", form)
    assert response.status_code == 303
    assert "Glad to be here." in client.get(about.url).content.decode()
