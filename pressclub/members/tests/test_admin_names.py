"""``createsuperuser`` asks an administrator's display name, so their comments never go unsigned, and the
admin names every account by its display name."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_noinput_takes_the_display_name_cleaned(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "correct horse 42")
    call_command(
        "createsuperuser", interactive=False, email="Chief@Example.org", display_name="  Mina \u202eThapa ",
        verbosity=0,
    )
    user = get_user_model().objects.get()
    assert (user.email, user.display_name, user.is_superuser, user.is_staff) == (
        "chief@example.org", "Mina Thapa", True, True
    )
    assert user.public_name == "Mina Thapa"


def test_noinput_without_a_display_name_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "correct horse 42")
    with pytest.raises(CommandError) as refused:
        call_command("createsuperuser", interactive=False, email="chief@example.org", verbosity=0)
    assert str(refused.value) == (
        "An administrator needs a display name: use --display_name NAME or DJANGO_SUPERUSER_DISPLAY_NAME "
        "with --noinput."
    )
    assert get_user_model().objects.count() == 0


def test_interactive_asks_again_until_a_name_is_given(monkeypatch, capsys):
    answers = iter(["desk@example.org", "   ", "\u200b", "Desk Chief"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "correct horse 42")
    call_command("createsuperuser", interactive=True, stdin=None)
    user = get_user_model().objects.get()
    assert (user.email, user.display_name) == ("desk@example.org", "Desk Chief")
    assert capsys.readouterr().err.count("Error: an administrator needs a display name") == 2


def test_the_admin_sidebar_names_the_account_by_its_display_name(client):
    editor = get_user_model().objects.create_superuser(
        email="chief@example.org", password="correct horse 42", display_name="Mina Thapa"
    )
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert '"name": "Mina Thapa"' in html
    assert '"name": "chief@example.org"' not in html
