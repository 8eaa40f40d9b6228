"""One mailbox, one account: IDNA and case spellings of an address name one account at every door."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from pressclub.members.addresses import NON_ASCII_LOCAL_PART, QUOTED_LOCAL_PART, email_normalise
from pressclub.members.forms import InvitationForm

User = get_user_model()
PASSWORD = "correct horse 42"
STORED = "asha@xn--exmple-cua.org"
SPELLINGS = ["asha@exämple.org", "Asha@EXÄMPLE.org", "asha@xn--exmple-cua.org", "ASHA@XN--EXMPLE-CUA.ORG"]


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def asha(db):
    user = User.objects.create_user(email="Asha@Exämple.ORG", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (" Ana.Ruiz@Example.ORG ", "ana.ruiz@example.org"),
        ("asha@exämple.org", STORED),
        ("ASHA@XN--EXMPLE-CUA.ORG", STORED),
        ("ram@नेपाल.com", "ram@xn--l2bey1c2b.com"),
        # Full-width letters are mapped (UTS #46) to the ASCII they look like.
        ("ana@ｅｘａｍｐｌｅ.org", "ana@example.org"),
        ("no-at-sign", "no-at-sign"),
    ],
)
def test_email_normalise(typed, stored):
    assert email_normalise(typed) == stored


@pytest.mark.parametrize(("typed", "code"), [("ñandú@example.org", "non_ascii_local_part"), ("a@exä..org", "invalid_domain")])
def test_email_normalise_refuses(typed, code):
    with pytest.raises(ValidationError) as caught:
        email_normalise(typed)
    assert caught.value.code == code


def test_the_user_manager_stores_the_normal_form(asha):
    assert asha.email == STORED
    assert User.objects.get_by_natural_key("ASHA@exämple.org") == asha


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_signup_with_another_spelling_makes_no_second_account(client, asha, home_page, spelling):
    response = client.post(
        reverse("account_signup"), {"email": spelling, "display_name": "Asha Tamang", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([STORED], "You already have an account at Valley Press Club News")
    ]


@pytest.mark.django_db
def test_signup_stores_the_normal_form(client, home_page):
    response = client.post(
        reverse("account_signup"), {"email": "Ram@नेपाल.com", "display_name": "Asha Tamang", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert list(EmailAddress.objects.values_list("email", flat=True)) == ["ram@xn--l2bey1c2b.com"]
    assert User.objects.get().email == "ram@xn--l2bey1c2b.com"
    assert mail.outbox[0].to == ["ram@xn--l2bey1c2b.com"]


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_signs_in(client, asha, spelling):
    response = client.post(reverse("account_login"), {"login": spelling, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(asha.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", ["asha@exämple.org", "ASHA@XN--EXMPLE-CUA.ORG"])
def test_every_spelling_gets_a_sign_in_code(client, asha, spelling):
    response = client.post(reverse("account_request_login_code"), {"email": spelling})
    assert response.status_code == 302
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([STORED], "Your sign-in code for Valley Press Club News")
    ]


@pytest.mark.django_db
def test_every_spelling_gets_a_password_reset(client, asha):
    response = client.post(reverse("account_reset_password"), {"email": "Asha@Exämple.org"})
    assert response.status_code == 302
    assert [(m.to, m.subject) for m in mail.outbox] == [([STORED], "Reset your password for Valley Press Club News")]


@pytest.mark.django_db
def test_changing_to_another_spelling_of_a_taken_address_can_never_be_confirmed(client, asha, member, home_page):
    """Enumeration prevention lets the change through on the page; the pending address is the same
    mailbox in the same spelling, so allauth's one-verified-owner rule refuses to confirm it."""
    client.force_login(member)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "ASHA@exämple.org"})
    assert response.status_code == 302
    pending = EmailAddress.objects.get(user=member, verified=False)
    assert pending.email == STORED
    assert pending.can_set_verified() is False


@pytest.mark.django_db
def test_changing_the_address_stores_the_normal_form(client, member, home_page):
    client.force_login(member)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "Ana@Exämple.org"})
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=member, email="ana@xn--exmple-cua.org").count() == 1


def test_an_invitation_goes_to_the_normal_form():
    form = InvitationForm({"email": "Asha@EXÄMPLE.org", "note": ""})
    assert form.is_valid()
    assert form.cleaned_data["email"] == STORED


def test_an_invitation_to_a_non_ascii_local_part_says_why():
    form = InvitationForm({"email": "ñandú@example.org", "note": ""})
    assert not form.is_valid()
    assert form.errors["email"] == [NON_ASCII_LOCAL_PART]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("account_signup", {"email": "ñandú@example.org", "display_name": "Asha Tamang", "password1": PASSWORD, "password2": PASSWORD}),
        ("account_login", {"login": "ñandú@example.org", "password": PASSWORD}),
        ("account_request_login_code", {"email": "ñandú@example.org"}),
        ("account_reset_password", {"email": "ñandú@example.org"}),
    ],
)
def test_a_non_ascii_local_part_is_refused_with_a_clear_error(client, home_page, url, data):
    response = client.post(reverse(url), data)
    assert response.status_code == 200
    assert "we cannot deliver mail to other characters there" in response.text
    assert User.objects.count() == 0
    assert mail.outbox == []
    # What was typed stays in the form.
    assert "ñandú@example.org" in response.text


@pytest.mark.parametrize(
    "address",
    ['"quoted"@example.net', '"evil@attacker.example"@example.net', '"x,y@attacker.example"@example.net',
     "a b@example.net", "(x)@example.net", "a,b@example.net"],
)
def test_a_quoted_local_part_or_one_with_spaces_commas_or_brackets_is_refused(address):
    from pressclub.members.addresses import validate_mailbox

    with pytest.raises(ValidationError) as refused:
        validate_mailbox(address)
    assert (refused.value.messages, refused.value.code) == ([QUOTED_LOCAL_PART], "local_part_characters")
    form = InvitationForm({"email": address, "note": ""})
    assert form.errors["email"] == [QUOTED_LOCAL_PART]


@pytest.mark.parametrize(
    "address",
    ["Ana.Ruiz+news@example.org", "a_b-c.d@exämple.org", "9@example.org", "o'brien@example.net", "a!b{x}@example.net"],
)
def test_the_characters_it_names_pass(address):
    from pressclub.members.addresses import validate_mailbox

    assert validate_mailbox(address) is None
