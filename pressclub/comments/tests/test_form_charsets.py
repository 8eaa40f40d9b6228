"""A form POST that declares a charset other than UTF-8 is read in it, never refused with a bare 400.

The test client would encode the body in the declared charset itself; ``generic`` sends the bytes as given.
"""

import datetime as dt

import pytest
from django.utils import timezone

from pressclub.comments.models import Comment
from pressclub.comments.tokens import started_token


def form_body(body: str) -> bytes:
    started = started_token(timezone.now() - dt.timedelta(seconds=20))
    return f"body={body}&idempotency_key=k-{hash(body)}&homepage=&parent=&started={started}".encode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("charset", "body", "stored"),
    [
        ("latin-1", "Caf%E9+au+lait", "Café au lait"),
        ("ISO-8859-1", "Caf%E9+au+lait", "Café au lait"),
        ("windows-1252", "%93Quoted%94+caf%E9", "\u201cQuoted\u201d café"),
        ("utf8", "Caf%C3%A9+%E0%A4%A8%E0%A4%97%E0%A4%B0", "Café नगर"),
        ("UTF-8", "Caf%C3%A9", "Café"),
        ("x-no-such-charset", "Caf%C3%A9", "Café"),
    ],
)
def test_a_comment_declaring_a_charset_is_read_in_it(client, article, club_member, charset, body, stored):
    client.force_login(club_member)

    response = client.generic("POST", f"/comments/post/{article.pk}/", form_body(body),
                           content_type=f"application/x-www-form-urlencoded; charset={charset}")

    assert response.status_code == 303
    assert list(Comment.objects.values_list("body", flat=True)) == [stored]


@pytest.mark.django_db
def test_an_unknown_charset_with_bytes_that_are_not_utf8_gets_the_forms_message(client, article, club_member):
    client.force_login(club_member)

    response = client.generic("POST", f"/comments/post/{article.pk}/", form_body("Caf%E9+au+lait"),
                           content_type="application/x-www-form-urlencoded; charset=x-no-such-charset")

    assert response.status_code == 400
    html = response.content.decode()
    assert "a character encoding other than UTF-8" in html
    assert "Caf\ufffd au lait" in html
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_the_csrf_check_reads_a_latin1_form(article, club_member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(club_member)
    page = client.get(article.url)
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value

    response = client.generic("POST", f"/comments/post/{article.pk}/", form_body("Caf%E9") + f"&csrfmiddlewaretoken={token}".encode(),
                           content_type="application/x-www-form-urlencoded; charset=latin-1")

    assert response.status_code == 303
    assert list(Comment.objects.values_list("body", flat=True)) == ["Café"]


@pytest.mark.django_db
def test_the_sign_in_form_declaring_latin1_is_not_a_bare_400(client):
    response = client.generic("POST", "/accounts/login/", b"login=caf%E9%40example.com&password=x",
                           content_type="application/x-www-form-urlencoded; charset=latin-1")

    assert response.status_code == 200
    assert "café@example.com" in response.content.decode()
