"""``member_renamed``: sent when a save changes the name an account's comments are signed with, and
only then."""

import pytest

from pressclub.members.models import User
from pressclub.members.signals import member_renamed

pytestmark = pytest.mark.django_db


@pytest.fixture
def renames():
    """Record ``(user id, name before, name after)`` for each ``member_renamed`` sent."""
    sent = []

    def receiver(sender, *, user, name_before, **kwargs):
        sent.append((user.pk, name_before, user.public_name))

    member_renamed.connect(receiver, dispatch_uid="test_member_renamed")
    yield sent
    member_renamed.disconnect(dispatch_uid="test_member_renamed")


def test_a_new_display_name_is_sent_with_the_old_one(member, renames):
    member.display_name = "Ana R. Thapa"
    member.save()

    assert renames == [(member.pk, "Ana Ruiz", "Ana R. Thapa")]


def test_the_first_and_last_names_rename_an_account_without_a_display_name(renames):
    older = User.objects.create_user(email="hari@example.org", first_name="Hari", last_name="Prasad")
    assert renames == []  # a new account shows no comments yet

    older.last_name = "Sharma"
    older.save(update_fields=["last_name"])

    assert renames == [(older.pk, "Hari Prasad", "Hari Sharma")]


@pytest.mark.parametrize(("field", "value"), [
    ("bio", "Teacher in Lekhnath."),
    ("display_name", "Ana\u200b Ruiz"),  # shown as "Ana Ruiz" still (names.display_name_clean)
    ("last_name", "Thapa"),  # the display name is shown, not the first and last names
])
def test_a_save_that_keeps_the_shown_name_sends_nothing(member, renames, field, value):
    setattr(member, field, value)
    member.save()

    assert renames == []


def test_a_sign_in_saves_without_reading_the_name(member, renames, django_assert_num_queries):
    from django.utils import timezone

    member.last_login = timezone.now()
    with django_assert_num_queries(1):  # the UPDATE alone
        member.save(update_fields=["last_login"])

    assert renames == []
