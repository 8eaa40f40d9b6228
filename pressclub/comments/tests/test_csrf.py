"""A comment refused by the CSRF check (an expired page, a long-open tab) keeps its text."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from lxml import html as lxml_html

from pressclub.comments.models import Comment
from pressclub.comments.policy import comment_permission

from .test_views import post_data

TEXT = "The footbridge vote was 14 to 3; the ward chair promised work after the monsoon."


def form_of(response):
    doc = lxml_html.fromstring(response.content)
    return {
        # Django writes a newline after <textarea>, which browsers drop.
        "body": [text.removeprefix("\n") for text in doc.xpath("//textarea[@name='body']/text()")],
        "token": doc.xpath("//input[@name='csrfmiddlewaretoken']/@value"),
        "alert": doc.xpath("string(//p[@role='alert'])"),
    }


@pytest.fixture
def csrf_client(club_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(club_member)
    return client


def test_a_comment_without_a_valid_token_comes_back_with_its_text(csrf_client, article):
    """Before, Django's bare 403 page answered and the typed comment was lost."""
    response = csrf_client.post(f"/comments/post/{article.pk}/", post_data(body=TEXT))
    assert response.status_code == 403
    form = form_of(response)
    assert form["body"] == [TEXT]
    assert form["alert"] == (
        "Your comment was not posted: the page was open too long (or your browser lost its cookie), "
        "so for your safety the comment was not accepted. Your text is below: send it again."
    )
    assert Comment.objects.count() == 0
    # Sending it again from that page works: the page carries a fresh token.
    (token,) = form["token"]
    response = csrf_client.post(f"/comments/post/{article.pk}/", {**post_data(body=TEXT), "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    assert Comment.objects.get().body == TEXT


def test_when_the_session_ended_too_the_reason_says_so_and_the_text_stays(article):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/comments/post/{article.pk}/", post_data(body=TEXT))
    assert response.status_code == 403
    form = form_of(response)
    assert form["body"] == [TEXT]
    reason = comment_permission(user=AnonymousUser(), page=article).reason
    assert reason.startswith("Only members of this site may post a comment.")
    assert form["alert"] == (
        "Your comment was not posted: the page was open too long (or your browser lost its cookie), "
        f"so for your safety the comment was not accepted. Your text is below: send it again. {reason} "
        "Copy your text first."
    )


def test_other_requests_get_the_sites_own_page(article):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "ana.ruiz@example.org", "password": "x"})
    assert response.status_code == 403
    assert "<h1>Your form could not be sent</h1>" in response.text


def test_a_comment_too_large_to_read_gets_its_form_page_and_the_way_back(csrf_client, article, settings):
    """Before, Django's bare 400 page answered. The text cannot be read back (that is what the
    size limit prevents), so the page says how to find it: the browser's Back button."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = csrf_client.post(f"/comments/post/{article.pk}/", post_data(body="x" * 20_000))
    assert response.status_code == 400
    form = form_of(response)
    assert form["body"] == [""]
    assert form["alert"] == (
        "Your comment was not posted: it was far longer than a comment may be (5,000 characters; more than "
        "9.8\xa0KB were sent), so it could not be read. Go back with your browser's Back button to find your "
        "text, shorten it and send it again."
    )
    assert len(form["token"]) == 1
