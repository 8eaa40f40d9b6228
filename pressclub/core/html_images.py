"""Library images inside sanitised HTML (imported posts) shown as reader pictures.

The Blogger importer copies a post's images into the Wagtail library and points each ``<img src>``
at the copy's original file (``/media/original_images/photo.jpg``, or its address in object
storage, ``https://media.example.org/site/original_images/photo.jpg``). Readers should not download
that original: ``html_pictures`` swaps every such ``<img>`` for the image's ``<picture>`` (AVIF,
WebP, JPEG in reader widths, ``core.renditions``), keeping its ``alt`` and ``title``. Images from
elsewhere, or whose file is no longer in the library, stay as they were.

The input must already be sanitised (``core.sanitize``): the ``<img>`` tags are read as nh3
writes them (double-quoted attributes, ``&quot;`` inside values).
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.safestring import mark_safe
from wagtail.images import get_image_model

from .renditions import COLUMN_SIZES, reader_picture

ORIGINALS_DIR = "original_images/"
# The ``sizes`` of an image in the reading column (42rem wide): as body image blocks.
BODY_IMAGE_SIZES = COLUMN_SIZES
# nh3 escapes neither "<" nor ">" inside attribute values: a tag ends at the first ">" outside quotes.
_IMG_RE = re.compile(r'<img\b(?:[^>"]|"[^"]*")*>', re.I)
_ATTR_RE = re.compile(r'([\w:-]+)="([^"]*)"')
_KEPT_ATTRS = ("alt", "title")


def _img_attrs(tag: str) -> dict[str, str]:
    return {name.lower(): html.unescape(value) for name, value in _ATTR_RE.findall(tag)}


def library_file_name(src: str) -> str | None:
    """Return the library file name (``"original_images/photo.jpg"``) that ``src`` points at, or None.

    ``src`` may be the path (``/media/original_images/photo.jpg``) or a full URL on any host
    whose path starts with ``MEDIA_URL`` or with the media storage's own path for originals (object
    storage: ``/site/original_images/`` for ``s3://bucket/site`` behind a custom domain); posts
    imported before the media moved to object storage keep pointing at ``MEDIA_URL``.
    Percent-escapes are decoded.
    """
    parts = urlsplit(src)
    path = unquote(parts.path)
    # The storage's address of a file named "-" under original_images/, without that name; on
    # another host than the storage's, a path like it is some other site's.
    stored = urlsplit(default_storage.url(f"{ORIGINALS_DIR}-"))
    prefixes = [urlsplit(settings.MEDIA_URL).path + ORIGINALS_DIR]
    if not parts.netloc or parts.netloc == stored.netloc:
        prefixes.append(unquote(stored.path)[:-1])
    for prefix in prefixes:
        if path.startswith(prefix) and len(path) > len(prefix):
            return path[len(prefix) - len(ORIGINALS_DIR):]
    return None


def html_library_images(clean_html: str) -> dict[str, object]:
    """Return ``{file name: Image}`` for the library images ``clean_html``'s ``<img>`` tags show.

    Two queries whatever the number of images (the images, then all their renditions); an HTML
    without library images makes none.
    """
    names = {name for tag in _IMG_RE.findall(clean_html or "")
             if (name := library_file_name(_img_attrs(tag).get("src", ""))) is not None}
    if not names:
        return {}
    return {image.file.name: image for image in get_image_model().objects.filter(file__in=names).prefetch_renditions()}


def html_pictures(clean_html: str) -> str:
    """Return ``clean_html`` (sanitised, str) with each library ``<img>`` replaced by its ``<picture>``.

    The ``<img>`` inside keeps the ``alt`` (``""`` when it had none) and ``title``, is lazy and
    decoded asynchronously, and has the narrowest JPEG's ``width``/``height``. Two queries per call
    with library images (the images, then their renditions; missing renditions are made then, as
    for every reader picture, but publishing an article makes them beforehand).
    """
    images = html_library_images(clean_html)
    if not images:
        return clean_html

    def swap(match: re.Match) -> str:
        attrs = _img_attrs(match.group(0))
        image = images.get(library_file_name(attrs.get("src", "")) or "")
        if image is None:
            return match.group(0)
        img_attrs = {"alt": attrs.get("alt", "")}
        if attrs.get("title"):
            img_attrs["title"] = attrs["title"]
        img_attrs.update(sizes=BODY_IMAGE_SIZES, loading="lazy", decoding="async")
        try:
            return str(reader_picture(image, attrs=img_attrs))
        except OSError:  # a missing or damaged original: the tag stays as imported
            return match.group(0)

    return mark_safe(_IMG_RE.sub(swap, clean_html))
