"""Who may change the site-wide comment policy in the admin: editors (README), not reporters."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from pressclub.comments.models import CommentPolicySettings
from pressclub.testing.factories import create_user


def policy_url():
    site = Site.objects.get(is_default_site=True)
    return reverse("wagtailsettings:edit", args=["comments", "commentpolicysettings", site.pk])


def form_data(**changes):
    data = {
        "access": "registered", "state": "open", "auto_close_days": "0", "moderation": "first",
        "moderation_days": "14", "flag_threshold": "3", "max_links": "2", "rate_per_minute": "5",
        "rate_per_hour": "30", "abuse_words": "",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_an_editor_changes_the_site_wide_comment_policy(client, home_page):
    editor = create_user("desk@example.org", "Desk", is_staff=True, groups=("Editors",))
    client.force_login(editor)
    assert client.get(policy_url()).status_code == 200
    response = client.post(policy_url(), form_data(access="registered", moderation="first"))
    assert response.status_code == 302
    policy = CommentPolicySettings.for_site(Site.objects.get(is_default_site=True))
    assert (policy.access, policy.moderation) == ("registered", "first")


@pytest.mark.django_db
def test_a_reporter_may_not_change_the_comment_policy(client, home_page):
    reporter = create_user("beat@example.org", "Beat", is_staff=True, groups=("Reporters",))
    client.force_login(reporter)
    assert client.get(policy_url()).status_code == 302  # Wagtail sends those without permission away
    client.post(policy_url(), form_data(access="anyone"))
    assert CommentPolicySettings.for_site(Site.objects.get(is_default_site=True)).access == "members"
