"""Form posts that declare a character encoding other than UTF-8.

HTML forms send ``application/x-www-form-urlencoded`` bodies in UTF-8 on every page of this
site, which says ``<meta charset="utf-8">``; such a body has no charset parameter (RFC 1866 and the
WHATWG URL standard). An old browser, a proxy or a script may still declare one, e.g.
``Content-Type: application/x-www-form-urlencoded; charset=latin-1``. Django refuses every
declared charset but ``utf-8`` with its bare 400 page (and ignores names Python does not know).
Here the body is read in the charset it declares and handed on as UTF-8, so the form works.
"""

from __future__ import annotations

import codecs
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpRequest

FORM = "application/x-www-form-urlencoded"


def _declared_codec(request: HttpRequest) -> str | None:
    """Return the Python codec name of the charset a form body declares, or None (none, or unknown)."""
    name = (request.content_params or {}).get("charset", "").strip()
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _body_fits(request: HttpRequest) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return limit is None or length <= limit


def transcode_form(request: HttpRequest) -> None:
    """Make a form POST that declares a charset readable as UTF-8 (see the module docstring).

    A body in a known charset (``latin-1``, ``windows-1252``, ``shift_jis`` …) is decoded in it, its
    percent-escapes included, and re-encoded as UTF-8. An unknown or UTF-8 charset is read as UTF-8,
    as the site's own forms send (the comment form then names letters that are not UTF-8). A body
    over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is left unread, for Django's size refusal. Other requests
    are left alone.
    """
    if request.method != "POST" or request.content_type != FORM or "charset" not in (request.content_params or {}):
        return
    codec = _declared_codec(request)
    if codec and codec != "utf-8" and _body_fits(request):
        raw = request.body
        pairs = parse_qsl(raw.decode(codec, errors="replace"), keep_blank_values=True, encoding=codec,
                          errors="replace")
        request._body = urlencode(pairs, encoding="utf-8").encode("ascii")
    request.encoding = "utf-8"  # also forgets a POST dict read before


class FormCharsetMiddleware:
    """Apply :func:`transcode_form` to every request, before CSRF reads the form's token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        transcode_form(request)
        return self.get_response(request)
