"""Media on S3-compatible object storage (AWS S3, MinIO, Garage, Cloudflare R2, Backblaze B2) through
django-storages, so that no app server keeps uploads or image renditions on its own disk.

``production.py`` calls :func:`media_storages` when ``PRESSCLUB_MEDIA_STORAGE_URL`` is set, e.g.
``s3://news-media/site`` (bucket ``news-media``, every key under ``site/``). The rest comes from the
environment, under the names boto3 and django-storages use:

- ``AWS_S3_ENDPOINT_URL``: the S3 API of a provider other than AWS (``https://s3.example.net``,
  ``http://127.0.0.1:9000`` for a local MinIO); unset for AWS itself.
- ``AWS_S3_REGION_NAME`` (else boto3's ``AWS_DEFAULT_REGION``); ``AWS_S3_ADDRESSING_STYLE``
  (``path`` or ``virtual``; boto3 chooses when unset).
- ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``: read by boto3 itself (or its other sources:
  ``~/.aws/credentials``, an instance role).
- ``PRESSCLUB_MEDIA_URL``: where readers fetch media, when not from the endpoint itself: a CDN or
  the bucket's own domain (``https://media.news.example.org``, optionally with a path).

Objects are addressed by plain, unsigned URLs, so the bucket (or the CDN before it) must let anyone
read ``<prefix>/images/`` and ``<prefix>/original_images/``; documents are streamed by the site
(``WAGTAILDOCS_SERVE_METHOD = "serve_view"``), which checks a collection's privacy first.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKEND = "storages.backends.s3.S3Storage"
# Rendition names carry the filter and the focal point: a changed picture gets a new name.
RENDITION_CACHE_CONTROL = "public, max-age=31536000, immutable"
ORIGINAL_CACHE_CONTROL = "public, max-age=3600"
# S3's rules for bucket names (3-63 lower-case letters, digits, dots and hyphens).
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


def media_storages(url: str, environ) -> dict[str, dict]:
    """Return ``{"default": …, "renditions": …}`` entries for Django's ``STORAGES`` from ``url``.

    ``url`` is ``s3://<bucket>[/<prefix>]``; ``environ`` a mapping such as ``os.environ`` (the names
    are in the module docstring). Both storages share the bucket and prefix; renditions are stored
    with a year-long, immutable ``Cache-Control``, other uploads with an hour's. Uploads never
    overwrite one another (a second ``photo.jpg`` gets a new name). Raise ImproperlyConfigured,
    naming the value, when ``url`` is not ``s3://`` with a valid bucket name, or when
    ``AWS_S3_ENDPOINT_URL`` or ``PRESSCLUB_MEDIA_URL`` is not an http(s) address.
    """
    parts = urlsplit(url.strip())
    if parts.scheme != "s3" or not _BUCKET.fullmatch(parts.netloc or "") or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"PRESSCLUB_MEDIA_STORAGE_URL={url!r} is not s3://<bucket>/<prefix> with a valid bucket name "
            "(3-63 lower-case letters, digits, dots and hyphens)."
        )
    options = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "querystring_auth": False,
        "file_overwrite": False,
        "default_acl": None,
    }
    endpoint = environ.get("AWS_S3_ENDPOINT_URL", "").strip()
    if endpoint:
        options["endpoint_url"] = _http_address("AWS_S3_ENDPOINT_URL", endpoint).rstrip("/")
    for name, option in (("AWS_S3_REGION_NAME", "region_name"), ("AWS_S3_ADDRESSING_STYLE", "addressing_style")):
        if environ.get(name, "").strip():
            options[option] = environ[name].strip()
    public = environ.get("PRESSCLUB_MEDIA_URL", "").strip()
    if public:
        address = urlsplit(_http_address("PRESSCLUB_MEDIA_URL", public))
        options["custom_domain"] = f"{address.netloc}{address.path.rstrip('/')}"
        options["url_protocol"] = f"{address.scheme}:"
    return {
        "default": {"BACKEND": BACKEND, "OPTIONS": {
            **options, "object_parameters": {"CacheControl": ORIGINAL_CACHE_CONTROL}}},
        "renditions": {"BACKEND": BACKEND, "OPTIONS": {
            **options, "object_parameters": {"CacheControl": RENDITION_CACHE_CONTROL}}},
    }


def media_origin(storage: dict) -> str:
    """Return the origin media is read from (``https://media.example.org``) for a ``media_storages`` entry.

    The custom domain when there is one, else the endpoint's origin, else AWS's (``https://*.amazonaws.com``).
    Content-Security-Policy's ``img-src`` names it, so reader pages and the admin may show the images.
    """
    options = storage["OPTIONS"]
    if options.get("custom_domain"):
        return f"{options['url_protocol']}//{options['custom_domain'].split('/', 1)[0]}"
    if options.get("endpoint_url"):
        endpoint = urlsplit(options["endpoint_url"])
        bucket = f"{options['bucket_name']}." if options.get("addressing_style") == "virtual" else ""
        return f"{endpoint.scheme}://{bucket}{endpoint.netloc}"
    return "https://*.amazonaws.com"


def _http_address(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{name}={value!r} is not an http:// or https:// address.")
    return value
