"""``{% member_name %}``: the signed-in reader's name in the masthead, a hole of the shared member copy;
``{% reader_userbar %}``: Wagtail's userbar for those who may open the admin."""

from django import template
from django.utils.safestring import mark_safe
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

from ..member_pages import hole, may_open_admin, member_name_html

register = template.Library()


@register.simple_tag(takes_context=True)
def member_name(context) -> str:
    """Return the masthead's link text for the signed-in reader (their public name, else "Your profile").

    While a shared member copy is made (:mod:`pressclub.core.member_pages`) this is the ``name``
    hole, filled per reader by the same function.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    return mark_safe(hole(request, "name", member_name_html(user)))


@register.simple_tag(takes_context=True)
def reader_userbar(context, position: str = "bottom-right") -> str:
    """Return Wagtail's userbar (``{% wagtailuserbar %}``) for a signed-in reader who may open the admin, else "".

    The registered admin check (:func:`pressclub.core.member_pages.register_admin_check`: the
    members app's, answered by the account's standing, which the page reads anyway) turns readers
    away first, so a member's page does not read their own and their groups' permissions (two
    queries) only to learn that they have no userbar.
    """
    request = context.get("request")
    if not may_open_admin(getattr(request, "user", None)):
        return ""
    return wagtailuserbar(context, position)
