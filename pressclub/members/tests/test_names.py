"""Display names: invisible characters removed, the newsroom's names refused."""

import pytest
from django.urls import reverse

from pressclub.members.models import User
from pressclub.members.names import display_name_clean, display_name_refusal, name_key

ROLE = "“{}” is the name of a role on this site; choose a display name of your own."
STAFF = "That is the name of a member of the newsroom's staff; choose a display name of your own."
AUTHOR = "That is the name of one of the site's authors; choose a display name of your own."


@pytest.mark.parametrize(
    "typed,kept",
    [
        ("\u202eAna\u202c  Ruiz", "Ana Ruiz"),  # right-to-left override and pop
        ("\u2066Ana\u2069 \u200eRuiz\u200f\u061c", "Ana Ruiz"),  # isolates and direction marks
        ("Ana\u200bRuiz\ufeff", "AnaRuiz"),  # zero-width space, byte order mark
        ("Ana\x00\x07 Ruiz\t\nJr", "Ana Ruiz Jr"),
        ("क्\u200dष त्र", "क्\u200dष त्र"),  # the joiners stay: they shape conjuncts
        ("ক্\u200cষ", "ক্\u200cষ"),
        ("\u202a\u202b\u202d", ""),
        ("  Ana   Ruiz ", "Ana Ruiz"),  # printable names: spaces collapsed, nothing else touched
        ("আনা রুইজ", "আনা রুইজ"),
        ("Ana\u00a0Ruiz\u3000Jr", "Ana Ruiz Jr"),  # other spaces are spaces
        ("", ""),
        (None, ""),
    ],
)
def test_display_name_clean(typed, kept):
    assert display_name_clean(typed) == kept


def test_name_key_folds_width_case_spaces_and_joiners():
    assert name_key("ＥＤＩＴＯＲ") == name_key("  editor ") == name_key("Edi\u200dtor") == "editor"
    assert name_key("Asha   GURUNG") == "asha gurung"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,message",
    [
        ("Editor", ROLE.format("Editor")),
        ("  MODERATOR ", ROLE.format("  MODERATOR ")),
        ("ａｄｍｉｎ", ROLE.format("ａｄｍｉｎ")),
        ("Administrator", ROLE.format("Administrator")),
        ("PressClub", ROLE.format("PressClub")),
        ("desk  EDITOR", STAFF),
        ("asha gurung", AUTHOR),
        ("Ana Ruiz", None),
        ("Editorial fan", None),
    ],
)
def test_display_name_refusal(member, moderator, author, name, message):
    assert display_name_refusal(name, user=member) == message


@pytest.mark.django_db
def test_own_author_name_and_staff_are_allowed(member, moderator, author):
    author.user = member
    author.save()
    assert display_name_refusal("Asha Gurung", user=member) is None
    assert display_name_refusal("Editor", user=moderator) is None


@pytest.mark.django_db
def test_profile_refuses_an_editors_name_and_keeps_the_text(client, member, moderator, home_page):
    client.force_login(member)
    response = client.post(reverse("members:profile"), {"display_name": "Desk Editor", "bio": "Hello there."})
    assert response.status_code == 400
    assert STAFF.replace("'", "&#x27;") in response.text
    assert 'value="Desk Editor"' in response.text
    assert "Hello there." in response.text
    assert User.objects.get(pk=member.pk).display_name == "Ana Ruiz"


@pytest.mark.django_db
def test_profile_strips_bidi_controls(client, member, home_page):
    client.force_login(member)
    response = client.post(reverse("members:profile"), {"display_name": "\u202eAna\u202c Ruiz\u2069", "bio": ""})
    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).display_name == "Ana Ruiz"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,message",
    [
        ("former member", ROLE.format("former member")),  # what a deleted account's comments show
        ("Former  MEMBER", ROLE.format("Former  MEMBER")),
        ("पूर्व सदस्य", ROLE.format("पूर्व सदस्य")),  # the same in Nepali and Hindi
        ("প্রাক্তন সদস্য", ROLE.format("প্রাক্তন সদস্য")),
        ("sunita RAI", "Another member uses that name; add an initial or choose another display name."),
        ("Sunita R. Rai", None),
    ],
)
def test_a_deleted_account_or_another_members_name_is_refused(member, name, message):
    from pressclub.testing.factories import create_user

    create_user("sunita@example.org", "Sunita Rai", membership="active")
    assert display_name_refusal(name, user=member) == message


@pytest.mark.django_db
def test_the_sites_name_is_refused(member, home_page):
    from wagtail.models import Site

    Site.objects.update(site_name="Valley Press Club News")
    assert display_name_refusal("valley press club news", user=member) == (
        "That is the name of the site; choose a display name of your own."
    )


@pytest.mark.django_db
def test_sign_up_refuses_a_members_name_in_nepali(client, member, home_page, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ne"
    response = client.post(reverse("account_signup"), {
        "email": "new.reader@example.org", "display_name": "ana ruiz",
        "password1": "a long pass phrase 42", "password2": "a long pass phrase 42",
    })
    assert response.status_code == 200
    assert "अर्को सदस्यले त्यो नाम प्रयोग गर्नुहुन्छ; नामको आद्याक्षर थप्नुहोस् वा अर्को देखिने नाम छान्नुहोस्।" in response.text
    assert not User.objects.filter(email="new.reader@example.org").exists()
