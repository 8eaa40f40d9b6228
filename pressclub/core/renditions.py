"""The renditions readers get: AVIF and WebP with a JPEG fallback, in widths for 360-1280 px screens.

Templates show them through Wagtail's ``<picture>`` (``wagtail.images.models.Picture``): browsers
take the first ``<source>`` type they read (AVIF, then WebP) and the others the JPEG ``<img>``.
``reader_picture_specs`` names the whole set, so that one query fetches every rendition, and
``image_renditions_make`` makes them ahead of the first reader (on publishing).
"""

from wagtail.images.models import Picture

READER_FORMATS = ("avif", "webp", "jpeg")
# Widths in pixels: a 360 px phone at 1x and 2x/3x, a 1280 px desktop column at 1x (the reading
# column is 42rem, 672 px wide, so 1280 also serves it at 2x).
READER_WIDTHS = (360, 720, 1080, 1280)
# The ``sizes`` of an image across the reading column: 42rem from a 44rem screen up; below that the
# screen less the column's 1rem padding each side (``.wrap`` in site.css). A 412 px phone at 1.75x
# thus takes the 720 px rendition (380 × 1.75 = 665 px), not the 1080 px one "100vw" would pick.
COLUMN_SIZES = "(min-width:44rem) 42rem, calc(100vw - 2rem)"


def image_widths(image, widths=READER_WIDTHS) -> list[int]:
    """Return the ``widths`` (pixels) worth making of ``image``: those narrower than it, then its own.

    Wagtail never enlarges, so a 1000 px photo gets 360, 720 and 1000, not two 1000 px copies.
    """
    narrower = [w for w in widths if w < image.width]
    return [*narrower, image.width] if image.width < max(widths) else list(widths)


def reader_picture_specs(image, widths=READER_WIDTHS) -> list[str]:
    """Return Wagtail filter specs (``"width-360|format-avif"``…) for every format and width of ``image``."""
    return [f"width-{w}|format-{fmt}" for fmt in READER_FORMATS for w in image_widths(image, widths)]


def reader_picture(image, *, widths=READER_WIDTHS, attrs=None) -> Picture:
    """Return the ``Picture`` of ``image`` in every reader format and width; render it with ``{{ }}``.

    ``attrs`` are the ``<img>`` attributes (``alt``, ``sizes``, ``loading``, ``fetchpriority``);
    ``width`` and ``height`` come from the narrowest JPEG. Renditions missing are made now.
    """
    specs = reader_picture_specs(image, widths)
    found = image.get_renditions(*specs)
    return Picture({spec: found[spec] for spec in specs}, dict(attrs or {}))


def jpeg_renditions(picture: Picture) -> list:
    """Return the JPEG renditions of a ``reader_picture`` narrowest first (for feeds and link cards)."""
    return list(picture.formats.get("jpeg", picture.renditions))


def image_renditions_make(image, *, widths=READER_WIDTHS) -> int:
    """Make any of ``image``'s reader renditions still missing; return how many renditions it has."""
    return len(image.get_renditions(*reader_picture_specs(image, widths)))
