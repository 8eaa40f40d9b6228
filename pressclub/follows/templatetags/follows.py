"""``{% member_follows %}``: the "What you follow" section of a member's profile page."""

from django import template

from pressclub.members.addresses import email_normalise

from ..models import Follow, Frequency

register = template.Library()


@register.inclusion_tag("follows/includes/member_follows.html", takes_context=True)
def member_follows(context) -> dict:
    """Return the signed-in reader's confirmed follows (by their account's address) and digest frequency."""
    user = context["request"].user
    follows = list(
        Follow.objects.filter(follower__email=email_normalise(user.email), confirmed_at__isnull=False,
                              follower__unsubscribed_at=None)
        .select_related("follower", "section", "label", "author")
    )  # fmt: skip
    frequency = follows[0].follower.frequency if follows else Frequency.DAILY
    return {"follows": follows, "frequency": frequency, "frequencies": Frequency.choices,
            "csrf_token": context.get("csrf_token")}
