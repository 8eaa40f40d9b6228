"""Copy a post's images into the media library (``--fetch-images``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from io import BytesIO
from urllib.parse import unquote, urlsplit

from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from ..fetch import ArticleFetchError, fetch_page
from ..models import ImportedItem
from .entries import InlineImage
from .ledger import ImportLedger

TIMEOUT_SECONDS = 20


class ImageFetchError(Exception):
    """An image could not be downloaded (bad scheme, network error, too large)."""


def fetch_url(url: str) -> tuple[bytes, str]:
    """Download ``url`` (http/https only; ``//host/…`` is taken as https) and return ``(bytes, filename)``.

    The download goes through the importers' checked fetcher (``importers.fetch``), so an export
    cannot make the server read private or local addresses (cloud metadata, the admin): only public
    hosts, redirects re-checked, at most 10 MB. Raise :class:`ImageFetchError` for other schemes, private addresses, network
    errors or files that are too large.
    """
    if url.startswith("//"):
        url = "https:" + url
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ImageFetchError(f"not an http(s) URL: {url}")
    try:
        data = fetch_page(url, timeout=TIMEOUT_SECONDS)
    except ArticleFetchError as exc:
        raise ImageFetchError(str(exc)) from None
    return data, filename_of(url)


def filename_of(url: str) -> str:
    """Return a file name for the image at ``url`` (its last path segment, or ``image.jpg``)."""
    name = os.path.basename(unquote(urlsplit(url).path)) or "image.jpg"
    return name[-100:]


def import_image(src: str, *, fetch: Callable[[str], tuple[bytes, str]], ledger: ImportLedger) -> str | None:
    """Return the media-library URL of the image at ``src``, copying it in on first sight.

    Images already copied by an earlier import are found again through their ``image:<src>``
    mapping in ``ledger``; a new copy is mapped and counted there. Return None (the original URL
    stays) when the download or decoding fails; the failure is listed as skipped in the ledger.
    """
    if not src:
        return None
    Image = get_image_model()
    key = f"image:{src}"[:500]
    item = ledger.mapped(key) or ImportedItem.objects.filter(source_id=key).first()
    if item is not None:
        image = Image.objects.filter(pk=item.object_id).first()
        if image is not None:
            return image.file.url
    try:
        data, filename = fetch(src)
        image = Image(title=filename[:255], file=ImageFile(BytesIO(data), name=filename))
        image.save()
    except Exception as exc:  # a dead image link must not stop the post
        ledger.skip(f"image {src}", f"not copied: {exc}")
        return None
    ledger.remember(key, "image", image, old_path=src[:500])
    ledger.image_copied()
    return image.file.url


def import_inline_image(image: InlineImage, *, name: str, title: str, entry_id: str, ledger: ImportLedger) -> str | None:
    """Return the media-library URL of an inline (base64) image of the entry ``entry_id``, saving it
    as an image file named ``name`` on first sight.

    The same bytes found again (in this import or a later one) are the same image: it is mapped by
    sha256 as ``image:sha256:<hex>``. Return None when the bytes are not an image the library takes
    (the failure is listed as skipped in the ledger).
    """
    key = f"image:sha256:{image.sha256}"
    Image = get_image_model()
    item = ledger.mapped(key)
    if item is not None:
        found = Image.objects.filter(pk=item.object_id).first()
        if found is not None:
            return found.file.url
    try:
        saved = Image(title=title[:255] or name, file=ImageFile(BytesIO(image.data), name=name))
        saved.save()
    except Exception as exc:  # bytes that are no image must not stop the post
        ledger.skip(f"inline image {image.sha256[:12]} in {entry_id}", f"not copied: {exc}")
        return None
    ledger.remember(key, "image", saved, old_path=f"data:{image.mime};base64 ({len(image.data)} bytes)")
    ledger.image_copied()
    return saved.file.url
