"""Sign-up, e-mail confirmation, sign-in by password and by code, rate limits, password reset."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

User = get_user_model()
PASSWORD = "correct horse 42"


def signup(client, email, password=PASSWORD):
    """Sign up ``email`` with a display name of its own (two members may not share one)."""
    name = f"Asha Tamang {email.split('@')[0].title()}"
    return client.post(
        reverse("account_signup"), {"email": email, "display_name": name, "password1": password, "password2": password}
    )


def link_in(message):
    return re.search(r"http://testserver(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


@pytest.mark.django_db
def test_signup_lowercases_and_mails_a_link(client, home_page):
    response = signup(client, "Ana.Ruiz@Example.ORG")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "ana.ruiz@example.org"
    assert list(EmailAddress.objects.values_list("email", "verified", "primary")) == [
        ("ana.ruiz@example.org", False, True)
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana.ruiz@example.org"]
    assert mail.outbox[0].subject == "Confirm your e-mail address for Valley Press Club News"
    assert link_in(mail.outbox[0]).startswith("/accounts/confirm-email/")


@pytest.mark.django_db
@pytest.mark.parametrize("second", ["ana.ruiz@example.org", "ANA.RUIZ@EXAMPLE.ORG", " Ana.Ruiz@Example.Org "])
def test_second_signup_any_case_looks_like_a_first_and_mails_the_owner(client, member, second):
    """A second sign-up is no longer refused on the page: that told strangers who has an account.

    Privacy wins over the visible refusal an earlier version gave. The page answers exactly as for a
    new address, no account is made, and the address's owner is told by e-mail (allauth's
    enumeration prevention).
    """
    response = signup(client, second)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana.ruiz@example.org"]
    assert mail.outbox[0].subject == "You already have an account at Valley Press Club News"
    assert "It already has an account here, so no new one was made" in mail.outbox[0].body
    assert "http://testserver/accounts/password/reset/" in mail.outbox[0].body


@pytest.mark.django_db
def test_password_reset_and_sign_in_code_answer_alike_for_unknown_addresses(client, member):
    """Who has an account cannot be found out from the reset or sign-in-code pages."""
    known = client.post(reverse("account_reset_password"), {"email": "ana.ruiz@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.subject for m in mail.outbox] == [
        "Reset your password for Valley Press Club News",
        "No account at Valley Press Club News for this address",
    ]
    known = client.post(reverse("account_request_login_code"), {"email": "ana.ruiz@example.org"})
    client.cookies.clear()
    unknown = client.post(reverse("account_request_login_code"), {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert (known.status_code, known["Location"]) == (302, reverse("account_confirm_login_code"))


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["ana.ruiz@example.org", "Ana.Ruiz@Example.ORG", "ANA.RUIZ@EXAMPLE.ORG"])
def test_login_any_case(client, member, login):
    response = client.post(reverse("account_login"), {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_get_shows_button_and_does_not_confirm_post_confirms_reuse_fails(client, home_page):
    signup(client, "Ben.Okafor@Example.org")
    path = link_in(mail.outbox[0])
    response = client.get(path)
    assert response.status_code == 200
    assert "Confirm my e-mail address</button>" in response.text
    assert '<form method="post" action="' + path + '">' in response.text
    assert EmailAddress.objects.get().verified is False
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:membership")
    assert EmailAddress.objects.get().verified is True
    # Used up: signed in as its owner, both GET and POST say the address is confirmed already …
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 200
        assert "<p>This address is already confirmed.</p>" in response.text
        assert "<strong>ben.okafor@example.org</strong> is confirmed for your account" in response.text
        assert "Confirm my e-mail address</button>" not in response.text
    assert EmailAddress.objects.get().verified is True
    # … and to anyone else it is a link that is not valid, without a 500.
    client.logout()
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 404
        assert "This confirmation link is not valid" in response.text
        assert "Confirm my e-mail address</button>" not in response.text


@pytest.mark.django_db
def test_used_link_of_another_account_is_not_valid(client, member, home_page):
    signup(client, "ben@example.org")
    path = link_in(mail.outbox[0])
    client.post(path)
    client.logout()
    client.force_login(member)
    response = client.get(path)
    assert response.status_code == 404
    assert "This confirmation link is not valid" in response.text
    assert "already confirmed" not in response.text


@pytest.mark.django_db
def test_tampered_key_of_a_confirmed_address_is_not_valid(client, home_page):
    signup(client, "ben@example.org")
    path = link_in(mail.outbox[0])
    client.post(path)
    key = path.split("/")[-2]
    tampered = key[:-2] + ("AA" if key[-2:] != "AA" else "BB")
    response = client.get(reverse("account_confirm_email", kwargs={"key": tampered}))
    assert response.status_code == 404
    assert "already confirmed" not in response.text


@pytest.mark.django_db
def test_link_stops_working_when_address_changes(client, home_page):
    signup(client, "ben@example.org")
    path = link_in(mail.outbox[0])
    EmailAddress.objects.update(email="someone.else@example.org")
    response = client.post(path)
    assert response.status_code == 404
    assert EmailAddress.objects.get().verified is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key",
    ["nonsense", "MTI:1abc:def", "x" * 300, "WzEsImEiXQ:1u2v3w:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
)
def test_bad_or_tampered_key(client, home_page, key):
    for method in (client.get, client.post):
        response = method(reverse("account_confirm_email", kwargs={"key": key}))
        assert response.status_code == 404
        assert "This confirmation link is not valid" in response.text


@pytest.mark.django_db
def test_tampered_valid_key_fails(client, home_page):
    signup(client, "ben@example.org")
    path = link_in(mail.outbox[0])
    key = path.split("/")[-2]
    tampered = key[:-2] + ("AA" if key[-2:] != "AA" else "BB")
    response = client.post(reverse("account_confirm_email", kwargs={"key": tampered}))
    assert response.status_code == 404
    assert EmailAddress.objects.get().verified is False


@pytest.mark.django_db
def test_unverified_cannot_log_in(client, home_page):
    signup(client, "ben@example.org")
    client.logout()
    mail.outbox.clear()
    cache.clear()  # allauth sends a confirmation link at most once in 3 minutes per address
    response = client.post(reverse("account_login"), {"login": "ben@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1  # the link is sent again


@pytest.mark.django_db
def test_login_by_code(client, member):
    response = client.post(reverse("account_request_login_code"), {"email": "Ana.Ruiz@Example.ORG"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Your sign-in code for Valley Press Club News"
    code = re.search(r"is:\n\n(\S+)\n", mail.outbox[0].body).group(1)
    page = client.get(reverse("account_confirm_login_code"))
    assert "We have sent a code to <strong>ana.ruiz@example.org</strong>" in page.text
    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_sixth_failed_login_is_refused(client, member):
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": "ana.ruiz@example.org", "password": "wrong"}
        )
        assert response.status_code == 200
        assert "The email address and/or password you specified are not correct." in response.text
    response = client.post(reverse("account_login"), {"login": "Ana.Ruiz@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed sign-in attempts. Wait a few minutes and try again." in response.text
    assert "_auth_user_id" not in client.session
    # The address typed stays in the form.
    assert 'value="Ana.Ruiz@example.org"' in response.text


@pytest.mark.django_db
def test_signup_rate_limited(client, home_page, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    assert signup(client, "one@example.org").status_code == 302
    client.logout()
    assert signup(client, "two@example.org").status_code == 302
    client.logout()
    response = signup(client, "three@example.org")
    assert response.status_code == 429
    assert User.objects.count() == 2


@pytest.mark.django_db
def test_password_reset(client, member):
    response = client.post(reverse("account_reset_password"), {"email": "ANA.RUIZ@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link)
    assert response.status_code == 302  # allauth moves the key into the session
    form_url = response["Location"]
    response = client.post(
        form_url, {"password1": "a new long passphrase", "password2": "a new long passphrase"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a new long passphrase")
    # The link works once.
    response = client.get(link, follow=True)
    assert "This password reset link is not valid" in response.text


@pytest.mark.django_db
def test_logout_needs_post(client, member):
    client.force_login(member)
    response = client.get(reverse("account_logout"))
    assert response.status_code == 200
    assert "_auth_user_id" in client.session
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signup_error_keeps_text(client, home_page):
    response = client.post(
        reverse("account_signup"), {"email": "Chitra@Example.org", "display_name": "Asha Tamang", "password1": "short", "password2": "other"}
    )
    assert response.status_code == 200
    assert 'value="Chitra@Example.org"' in response.text
    assert User.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("account_login", {"login": "ana\x00@example.org", "password": "x\x00"}),
        ("account_signup", {"email": "ana\x00@example.org", "display_name": "Asha Tamang", "password1": "x", "password2": "x"}),
        ("account_request_login_code", {"email": "ana\x00@example.org"}),
        ("account_reset_password", {"email": "ana\x00@example.org"}),
    ],
)
def test_nul_bytes_refused_not_500(client, member, name, data):
    response = client.post(reverse(name), data)
    assert response.status_code == 200
    field = "login" if name == "account_login" else "email"
    assert (
        f'<ul class="errorlist" id="id_{field}_error"><li>Enter a valid e-mail address, such as name@example.org.</li>'
        "<li>Null characters are not allowed.</li></ul>"
    ) in response.text


@pytest.mark.django_db
def test_change_email_old_link_dies_with_the_change(client, member, home_page):
    client.force_login(member)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "Ana.New@Example.org"})
    assert response.status_code == 302
    first_link = link_in(mail.outbox[-1])
    assert mail.outbox[-1].to == ["ana.new@example.org"]
    cache.clear()
    client.post(reverse("account_email"), {"action_add": "", "email": "ana.other@example.org"})
    second_link = link_in(mail.outbox[-1])
    # The first address is no longer the one being confirmed: its link is dead.
    response = client.post(first_link)
    assert response.status_code == 404
    assert "This confirmation link is not valid" in response.text
    response = client.post(second_link)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "ana.other@example.org"
    assert list(EmailAddress.objects.values_list("email", "verified")) == [("ana.other@example.org", True)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("account_login", "<h1>Sign in</h1>"),
        ("account_signup", "<h1>Register</h1>"),
        ("account_reset_password", "<h1>Reset your password</h1>"),
        ("account_request_login_code", "<h1>Sign in with a code</h1>"),
        ("account_email_verification_sent", "<h1>Check your e-mail</h1>"),
    ],
)
def test_entrance_pages_in_site_theme(client, home_page, name, heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert heading in response.text
    assert '<main id="main" class="wrap">' in response.text
    assert '<meta name="robots" content="noindex">' in response.text
    assert "— Valley Press Club News</title>" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["account_email", "account_change_password", "members:profile", "members:membership"]
)
def test_manage_pages_in_site_theme(client, member, home_page, name):
    client.force_login(member)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert '<main id="main" class="wrap">' in response.text
    assert "— Valley Press Club News</title>" in response.text


@pytest.mark.django_db
def test_password_change_is_notified(client, member, home_page):
    client.force_login(member)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "another long phrase", "password2": "another long phrase"},
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["ana.ruiz@example.org"]]
    assert mail.outbox[0].body.startswith("Hello from Valley Press Club News,")
    assert "Your password has been changed." in mail.outbox[0].body


@pytest.mark.django_db
def test_signup_asks_a_display_name_and_keeps_it(client, home_page):
    page = client.get(reverse("account_signup")).content.decode()
    assert page.index('name="email"') < page.index('name="display_name"') < page.index('name="password1"')
    response = client.post(
        reverse("account_signup"),
        {"email": "deepa@example.org", "display_name": " Deepa\u200b  Rai ", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(email="deepa@example.org").display_name == "Deepa Rai"
    assert mail.outbox[-1].to == ["deepa@example.org"]


@pytest.mark.parametrize(("code", "eighty", "eight"), [("ne", "८०", "८"), ("hi", "८०", "८"), ("bn", "৮০", "৮"), ("en", "80", "8")])
def test_signup_help_texts_use_the_languages_digits(client, home_page, code, eighty, eight):
    client.cookies["pressclub_language"] = code
    page = client.get(reverse("account_signup")).content.decode()
    helps = re.findall(r'<div class="helptext"[^>]*>(.*?)</div>', page, re.S)
    assert len(helps) == 2  # the display name's, and the password validators' list
    assert re.findall(r"\d+", helps[0]) == [eighty]
    assert re.findall(r"\d+", helps[1]) == [eight]
    assert "<ul>" in helps[1]  # the validators' HTML list stays HTML


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "This field is required."),
        ("\u200b", "Enter the name to show with your comments."),
        ("Editor", "“Editor” is the name of a role on this site; choose a display name of your own."),
    ],
)
def test_signup_refuses_a_missing_or_reserved_name_and_keeps_the_text(client, home_page, name, error):
    response = client.post(
        reverse("account_signup"),
        {"email": "deepa@example.org", "display_name": name, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert error in response.text
    assert 'value="deepa@example.org"' in response.text
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_an_account_without_a_name_shows_no_placeholder(client, home_page):
    user = User.objects.create_user(email="noname@example.org", password=PASSWORD)
    assert user.public_name == ""
    client.force_login(user)
    page = client.get("/").content.decode()
    assert '<a href="/accounts/profile/">Your profile</a>' in page
    assert "Member<" not in page


@pytest.mark.django_db
# The longest local part a mail server takes (64) and a long domain: 198 characters.
@pytest.mark.parametrize("email", ["kalimgaon.kalimgaon@kalimgaon.org", "a" * 64 + "@" + ("b" * 60 + ".") * 2 + "example.org"])
def test_repetitive_or_long_address_gets_a_working_link(client, home_page, email):
    """A key that compresses well used to start with "." and broke the link (a 500 at sign-up)."""
    response = signup(client, email)
    assert (response.status_code, response["Location"]) == (302, reverse("account_email_verification_sent"))
    path = link_in(mail.outbox[0])
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get().verified is True


@pytest.mark.django_db
def test_a_second_post_racing_the_first_gets_the_check_your_mail_page(rf, home_page):
    """A double tap: both POSTs validate before either is saved; the second meets the unique index."""
    from django.contrib.sessions.middleware import SessionMiddleware

    from pressclub.members.account_forms import SignupForm

    data = {"email": "maya.gurung@example.org", "display_name": "Maya Gurung", "password1": PASSWORD,
            "password2": PASSWORD}
    first, second = SignupForm(data=data), SignupForm(data=data)
    assert first.is_valid() and second.is_valid()
    request = rf.post(reverse("account_signup"), data)
    SessionMiddleware(lambda r: None).process_request(request)
    user, _ = first.try_save(request)
    assert user.email == "maya.gurung@example.org"
    user, response = second.try_save(request)
    assert user is None
    assert (response.status_code, response["Location"]) == (302, reverse("account_email_verification_sent"))
    assert User.objects.filter(email="maya.gurung@example.org").count() == 1
