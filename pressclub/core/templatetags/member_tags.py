"""``{% member_name %}``: the signed-in reader's name in the masthead, a hole of the shared member copy."""

from django import template
from django.utils.safestring import mark_safe

from ..member_pages import hole, member_name_html

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
