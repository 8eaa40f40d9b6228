"""The renditions readers get: AVIF and WebP with a JPEG fallback, in widths for 360-1280 px screens.

Templates show them through Wagtail's ``<picture>`` (``wagtail.images.models.Picture``): browsers
take the first ``<source>`` type they read (AVIF, then WebP) and the others the JPEG ``<img>``.
``reader_picture_specs`` names the whole set, so that one query fetches every rendition, and
``image_renditions_make`` makes them ahead of the first reader (on publishing).

Several app servers (or a server and the worker) may make the same renditions at once: each goes
through ``image_renditions_get``, which leaves one row and one file per rendition whoever wins.
"""

from django.db.models import Q
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
    found = image_renditions_get(image, *specs)
    return Picture({spec: found[spec] for spec in specs}, dict(attrs or {}))


def jpeg_renditions(picture: Picture) -> list:
    """Return the JPEG renditions of a ``reader_picture`` narrowest first (for feeds and link cards)."""
    return list(picture.formats.get("jpeg", picture.renditions))


def image_renditions_make(image, *, widths=READER_WIDTHS) -> int:
    """Make any of ``image``'s reader renditions still missing; return how many renditions it has."""
    return len(image_renditions_get(image, *reader_picture_specs(image, widths)))


def image_renditions_get(image, *specs: str) -> dict:
    """Return ``{spec: rendition}`` for Wagtail filter ``specs`` of ``image``, making those missing.

    Wagtail's ``get_renditions`` inserts new renditions with ``bulk_create(ignore_conflicts=True)``:
    when another process made the same ones meanwhile, its rows stay, ours are dropped, and the
    files ours were saved to (under names the storage made unique) belong to no row. Such
    renditions are replaced here by the rows in the database, the lost files deleted, and the
    rendition cache corrected, so every server hands out the same URL for as long as the rows live.
    Raise what ``get_renditions`` raises (OSError for a missing or unreadable original).
    """
    found = image.get_renditions(*specs)
    unsaved = {spec: rendition for spec, rendition in found.items() if rendition.pk is None}
    if not unsaved:
        return found
    # PostgreSQL and SQLite set no primary key on rows bulk_create(ignore_conflicts=True) inserted,
    # so the rows are read back: one query, only when renditions were just made.
    lookup = Q()
    for rendition in unsaved.values():
        lookup |= Q(filter_spec=rendition.filter_spec, focal_point_key=rendition.focal_point_key)
    stored = {(row.filter_spec, row.focal_point_key): row for row in image.renditions.filter(lookup)}
    Rendition = image.get_rendition_model()
    corrected = {}
    for spec, rendition in unsaved.items():
        row = stored.get((rendition.filter_spec, rendition.focal_point_key))
        if row is None:
            continue
        if row.file.name != rendition.file.name:
            rendition.file.storage.delete(rendition.file.name)
        row.image = image
        found[spec] = row
        corrected[Rendition.construct_cache_key(image, row.focal_point_key, row.filter_spec)] = row
    Rendition.cache_backend.set_many(corrected)
    # Wagtail also appended the new renditions to the image's prefetched ones (either kind), which a
    # later call on the same image reads first.
    lists = [getattr(getattr(image, "_prefetched_objects_cache", {}).get("renditions"), "_result_cache", None),
             getattr(image, "prefetched_renditions", None)]
    lost = {id(rendition) for rendition in unsaved.values()}
    for prefetched in lists:
        if isinstance(prefetched, list):
            prefetched[:] = [r for r in prefetched if id(r) not in lost] + list(corrected.values())
    return found
