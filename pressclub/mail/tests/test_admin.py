"""Settings → Outgoing mail in the admin: editors and moderators look at the outbox; nobody changes it."""

import pytest
from django.test import Client

from pressclub.mail.models import MailStatus, OutgoingMail
from pressclub.testing import factories

pytestmark = pytest.mark.django_db

# The sidebar is JSON in the page (Wagtail's sidebar props): Settings → "Outgoing mail".
MENU_ITEM = '"label": "Outgoing mail", "icon_name": "mail", "classname": "", "attrs": {}, "url": "/admin/outgoing_mail/"'


def _client(email, **options):
    client = Client()
    client.force_login(factories.create_user(email, "Desk", verified=None, **options))
    return client


@pytest.fixture
def failed_mail():
    return OutgoingMail.objects.create(
        key="k1", from_email="desk@example.org", to=["nobody@example.org"], subject="Confirm your e-mail address",
        status=MailStatus.FAILED, attempts=1, last_error="SMTPRecipientsRefused: 550 No such user here",
    )  # fmt: skip


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_editors_and_moderators_see_the_menu_item_and_the_list(group, failed_mail):
    client = _client(f"{group.lower()}@example.org", is_staff=True, groups=(group,))

    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert dashboard.content.decode().count(MENU_ITEM) == 1

    listing = client.get("/admin/outgoing_mail/?status=failed")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Confirm your e-mail address" in page
    assert "nobody@example.org" in page
    assert "550 No such user here" in page
    assert client.get(f"/admin/outgoing_mail/inspect/{failed_mail.pk}/").status_code == 200
    # Looking only: no edit or delete view answers them.
    assert client.get(f"/admin/outgoing_mail/edit/{failed_mail.pk}/").status_code == 302
    assert client.get(f"/admin/outgoing_mail/delete/{failed_mail.pk}/").status_code == 302
    assert OutgoingMail.objects.get().subject == "Confirm your e-mail address"


def test_a_reporter_gets_no_menu_item_and_no_list(failed_mail):
    client = _client("reporter@example.org", is_staff=True, groups=("Reporters",))

    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert MENU_ITEM not in dashboard.content.decode()
    # Wagtail answers a view the user may not see with a redirect to the dashboard and a message.
    listing = client.get("/admin/outgoing_mail/")
    assert (listing.status_code, listing["Location"]) == (302, "/admin/")


def test_a_member_without_admin_access_never_reaches_the_list(failed_mail):
    client = _client("member@example.org", groups=())

    listing = client.get("/admin/outgoing_mail/")
    assert listing.status_code == 302
    assert listing["Location"].startswith("/admin/login/")
