"""``{% reader_picture image alt="…" %}``: an image as readers get it (``pressclub.core.renditions``)."""

from django import template

from pressclub.core.renditions import reader_picture as build_picture

register = template.Library()


@register.simple_tag
def reader_picture(image, **attrs):
    """Return ``image``'s ``<picture>`` (AVIF, WebP, JPEG in reader widths) with ``attrs`` on its ``<img>``.

    Attribute names with underscores are written with hyphens; "" for no image.
    """
    if image is None:
        return ""
    return build_picture(image, attrs={name.replace("_", "-"): value for name, value in attrs.items()})
