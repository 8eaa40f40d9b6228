"""The site-wide comment policy setting, as editors change it in the Wagtail admin."""

from django.urls import reverse
from wagtail.models import Site

from pressclub.comments.models import CommentPolicySettings, starter_abuse_words
from pressclub.comments.policy import CommentPolicy


def test_starter_word_lists_cover_four_languages():
    words = starter_abuse_words().splitlines()
    assert "idiot*" in words and "मूर्ख" in words and "बेवकूफ" in words and "বোকা" in words
    assert not any(word.startswith("#") for word in words)


def test_policy_is_editable_in_the_admin(admin_client, article):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["comments", "commentpolicysettings", site.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Who may comment" in response.content.decode()
    data = {
        "access": "registered", "moderation": "older_than", "moderation_days": "30", "state": "open",
        "auto_close_days": "60", "flag_threshold": "5", "max_links": "1", "rate_per_minute": "3",
        "rate_per_hour": "20", "abuse_words": "বোকা\nidiot*",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    policy = CommentPolicy.for_page(article)
    assert (policy.access, policy.moderation, policy.moderation_days, policy.auto_close_days) == (
        "registered", "older_than", 30, 60
    )
    assert (policy.flag_threshold, policy.max_links, policy.rate_per_minute, policy.rate_per_hour) == (5, 1, 3, 20)
    assert CommentPolicySettings.objects.get(site=site).abuse_words.splitlines() == ["বোকা", "idiot*"]
