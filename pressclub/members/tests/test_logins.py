"""Wrong passwords on every sign-in door: counted per address and per (account, address), never
usable to lock a member out; the admin's sign-in and its ``next``."""

import re
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

PASSWORD = "correct horse 42"
WRONG_LOGIN = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed sign-in attempts. Wait a few minutes and try again."
USE_A_CODE = (
    "Too many wrong passwords have been tried for this address, so for now it signs in with a code sent "
    'by e-mail: <a href="/accounts/login/code/">e-mail me a sign-in code</a>.'
)
WAGTAIL_WRONG = "Your e-mail address and password didn&#x27;t match. Please try again."


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def reader_login(client, email, password, ip="198.51.100.1"):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def wagtail_login(client, email, password, ip="198.51.100.1"):
    return client.post("/admin/login/", {"username": email, "password": password}, REMOTE_ADDR=ip)


def django_admin_login(client, email, password, ip="198.51.100.1"):
    return client.post(
        "/django-admin/login/?next=/django-admin/", {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def guesses_before_refusal(login, client, email, ip="198.51.100.1", refused=TOO_MANY) -> int:
    """Return how many wrong passwords were answered "wrong" before the door said ``refused``."""
    for guesses in range(50):
        response = login(client, email, "wrong password", ip=ip)
        if refused in response.text:
            return guesses
    raise AssertionError("never refused")


@pytest.mark.django_db
@pytest.mark.parametrize("login", [wagtail_login, django_admin_login], ids=["wagtail", "django-admin"])
def test_admin_sign_in_allows_five_wrong_passwords_per_account_and_address(client, moderator, login):
    """Before, 30 wrong passwords and then the right one signed in at /admin/login/."""
    assert guesses_before_refusal(login, client, "moderator@example.org") == 5
    # The right password from the same address is refused too, for 15 minutes ...
    response = login(client, "moderator@example.org", PASSWORD)
    assert response.status_code == 200
    assert TOO_MANY in response.text
    assert "_auth_user_id" not in client.session
    # ... while the editor signs in from another address at once.
    response = login(client, "moderator@example.org", PASSWORD, ip="203.0.113.50")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(moderator.pk)


@pytest.mark.django_db
def test_wagtail_sign_in_counts_a_wrong_password_as_wrong(client, moderator):
    response = wagtail_login(client, "moderator@example.org", "wrong password")
    assert response.status_code == 200
    assert WAGTAIL_WRONG in response.text


@pytest.mark.django_db
def test_admin_sign_in_opens_again_after_fifteen_minutes(client, moderator, monkeypatch):
    for _ in range(5):
        wagtail_login(client, "moderator@example.org", "wrong password")
    assert TOO_MANY in wagtail_login(client, "moderator@example.org", PASSWORD).text
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr("allauth.core.internal.ratelimit.time.time", lambda: later)
    response = wagtail_login(client, "moderator@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_the_three_doors_share_one_count(client, moderator):
    for login in (reader_login, wagtail_login, django_admin_login, reader_login, wagtail_login):
        assert TOO_MANY not in login(client, "Moderator@Example.org", "wrong password").text
    assert TOO_MANY in django_admin_login(client, "moderator@example.org", PASSWORD).text
    assert TOO_MANY in reader_login(client, "moderator@example.org", PASSWORD).text


@pytest.mark.django_db
def test_guessing_from_other_addresses_does_not_lock_the_owner_out(client, member):
    """Before, five wrong passwords from anywhere locked the owner out for five minutes."""
    for ip in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        assert guesses_before_refusal(reader_login, client, "ana.ruiz@example.org", ip=ip) == 5
    response = reader_login(client, "ana.ruiz@example.org", PASSWORD, ip="198.51.100.9")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_past_the_account_wide_ceiling_the_owner_signs_in_with_a_code(client, member):
    """Twenty wrong passwords from four addresses: the password is refused, the e-mailed code works."""
    for ip in ("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"):
        for _ in range(5):
            assert WRONG_LOGIN in reader_login(client, "ana.ruiz@example.org", "wrong", ip=ip).text
    response = reader_login(client, "ana.ruiz@example.org", PASSWORD, ip="198.51.100.9")
    assert response.status_code == 200
    assert USE_A_CODE in response.text
    assert "_auth_user_id" not in client.session
    # The admin door says the same, and counts nothing more.
    assert "so for now it signs in with a code" in wagtail_login(client, "ana.ruiz@example.org", PASSWORD).text

    response = client.post(
        reverse("account_request_login_code"), {"email": "ana.ruiz@example.org"}, REMOTE_ADDR="198.51.100.9"
    )
    assert response.status_code == 302
    code = re.search(r"is:\n\n(\S+)\n", mail.outbox[-1].body).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_the_ceiling_reveals_nothing_about_who_has_an_account(client, member):
    for ip in ("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"):
        for _ in range(5):
            reader_login(client, "nobody@example.org", "wrong", ip=ip)
    assert USE_A_CODE in reader_login(client, "nobody@example.org", "wrong", ip="198.51.100.9").text


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_is_counted_alone(client, member, settings):
    """Without the proxy list, every reader behind nginx would share nginx's one address."""
    settings.PRESSCLUB_TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(5):
        client.post(
            reverse("account_login"),
            {"login": "ana.ruiz@example.org", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="192.0.2.1",
        )
    response = client.post(
        reverse("account_login"),
        {"login": "ana.ruiz@example.org", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("word", "/admin/"),
        ("pages", "/admin/"),
        ("//evil.example/", "/admin/"),
        ("https://evil.example/", "/admin/"),
        ("/admin/pages/", "/admin/pages/"),
    ],
)
def test_signed_in_editor_with_any_next_goes_somewhere_safe(client, moderator, next_url, location):
    """Before, ``/admin/login/?next=word`` was a server error for a signed-in editor."""
    client.force_login(moderator)
    response = client.get("/admin/login/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == location


@pytest.mark.django_db
def test_signing_in_with_a_bare_word_as_next_lands_on_the_dashboard(client, moderator):
    response = client.post("/admin/login/?next=word", {"username": "moderator@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def ask_code(client, email, ip):
    # A fresh session each time: a session with a code pending is sent on to the code form.
    from django.test import Client

    return Client().post(reverse("account_request_login_code"), {"email": email}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_a_stranger_asking_codes_for_an_address_does_not_stop_its_owner(client, member, monkeypatch):
    from types import SimpleNamespace

    from pressclub.core import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_000_000.0))
    stranger = [ask_code(client, "ana.ruiz@example.org", "192.0.2.66").status_code for _ in range(4)]
    assert stranger == [302, 302, 302, 200]

    # The owner, from their own device, still gets a code.
    assert ask_code(client, "ana.ruiz@example.org", "198.51.100.9").status_code == 302


@pytest.mark.django_db
def test_a_refused_code_request_says_how_long_to_wait(client, member, monkeypatch):
    from types import SimpleNamespace

    from pressclub.core import ratelimit

    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now[0]))
    for _ in range(3):
        assert ask_code(client, "ana.ruiz@example.org", "198.51.100.9").status_code == 302
    now[0] += 20
    response = ask_code(client, "ana.ruiz@example.org", "198.51.100.9")
    assert response.status_code == 200
    assert (
        "Sign-in codes for this address were asked for too often just now. You can ask for a new code in "
        "40 seconds; a code already sent stays valid, and you can also sign in with your password."
    ) in response.content.decode()
    # The same words whether or not the address has an account.
    unknown = [ask_code(client, "nobody@example.org", "198.51.100.9") for _ in range(4)][-1]
    assert "You can ask for a new code in 1 minute;" in unknown.content.decode()


@pytest.mark.django_db
def test_the_wide_net_per_address_counts_every_client(client, member, settings):
    settings.PRESSCLUB_LOGIN_CODE_LIMITS = {"address_client": "3/m/key", "address": "4/h/key"}
    codes = [ask_code(client, "ana.ruiz@example.org", f"192.0.2.{n}").status_code for n in range(1, 6)]
    assert codes == [302, 302, 302, 302, 200]
    response = ask_code(client, "ana.ruiz@example.org", "198.51.100.9")
    assert "You can ask for a new code in 60 minutes" in response.content.decode()
