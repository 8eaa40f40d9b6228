"""``{% member_follows %}``: the "What you follow" section of a member's profile page."""

from django import template

from pressclub.members.addresses import email_normalise

from ..forms import FollowsManageForm
from ..models import Follow

register = template.Library()


@register.inclusion_tag("follows/includes/member_follows.html", takes_context=True)
def member_follows(context) -> dict:
    """Return the signed-in reader's confirmed follows (by their account's address) in the form that
    sets each one's digest and breaking news (``forms.FollowsManageForm``), and the CSRF token."""
    user = context["request"].user
    email = email_normalise(user.email)
    follows = list(
        Follow.objects.filter(follower__email=email, confirmed_at__isnull=False, follower__unsubscribed_at=None)
        .select_related("follower", "section", "label", "author").order_by("pk")
    )  # fmt: skip
    breaking = follows[0].follower.breaking if follows else False
    return {"form": FollowsManageForm(initial={"breaking": breaking}, follows=follows),
            "csrf_token": context.get("csrf_token")}
