"""``/media/`` served by the application, for a ``pressclub serve`` with no front server for uploads.

WhiteNoise serves only files it finds at start-up, so uploads made later would be missing. This
route serves ``MEDIA_ROOT`` through Django's ``django.views.static.serve`` (no directory listing,
no path outside ``MEDIA_ROOT``, ``Last-Modified`` and ``If-Modified-Since``), with caching headers:

- image renditions (``images/…``): their names carry the filter and a hash of the focal point, so a
  changed image gets a new name: ``public, max-age=31536000, immutable``;
- other uploads (``original_images/…``): ``public, max-age=3600``;
- ``documents/…`` is never served from here: Wagtail serves documents through ``/documents/``, which
  checks a collection's privacy (a direct ``/media/documents/`` address would bypass it).

Turned off by ``PRESSCLUB_SERVE_MEDIA = False`` when nginx (or a CDN, or S3) serves ``/media/``.
"""

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

RENDITION_CACHE_CONTROL = "public, max-age=31536000, immutable"
ORIGINAL_CACHE_CONTROL = "public, max-age=3600"
PRIVATE_PREFIXES = ("documents/",)


@require_safe
def serve_media(request, path: str):
    """Return the file at ``path`` under ``MEDIA_ROOT`` (a FileResponse), or raise Http404.

    Http404 for a missing file, a directory, a path leading outside ``MEDIA_ROOT`` (``..``, an
    absolute path) and anything under ``documents/``.
    """
    if path.startswith(PRIVATE_PREFIXES):
        raise Http404("No such file.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        response["Cache-Control"] = RENDITION_CACHE_CONTROL if path.startswith("images/") else ORIGINAL_CACHE_CONTROL
    return response
