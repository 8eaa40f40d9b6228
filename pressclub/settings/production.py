"""Production settings, read from environment variables only; start-up fails loudly without them.

``SECRET_KEY`` (required), ``ALLOWED_HOSTS`` (comma-separated, required), ``DATABASE_URL``
(e.g. ``postgres://user@host/db``; default SQLite under ``var/``), ``REDIS_URL`` (cache, sessions,
rate limits), ``EMAIL_URL`` (``smtp://user:pass@host:25``, ``smtp+tls://…:587``, ``smtps://…:465``,
``console://``; read by dj-email-url),
``PRESSCLUB_BASE_URL`` (``https://news.example.org``), ``PRESSCLUB_SECURE_SSL_REDIRECT`` (``0`` to
leave HTTPS redirects to a proxy), ``PRESSCLUB_HSTS_SECONDS`` (default one year),
``PRESSCLUB_LOG_LEVEL`` (Django's log level on stderr, default ``WARNING``), ``DEFAULT_FROM_EMAIL``,
``PRESSCLUB_VAR_DIR`` (where the SQLite fallback, ``static/`` and ``media/`` live; default ``./var``),
``PRESSCLUB_CACHE_PURGE_URL`` (a caching proxy to purge on publishing, e.g. ``http://127.0.0.1:6081``),
``PRESSCLUB_TRUSTED_PROXIES`` (comma-separated addresses or CIDR networks of the reverse proxies whose
``X-Forwarded-For`` is believed; default none), ``PRESSCLUB_APP_SERVERS`` (comma-separated
``host:port`` of every ``pressclub serve``, the upstream of ``pressclub nginx-config``), ``PRESSCLUB_TASK_BACKEND`` (``database``, the
default, or ``rq``: tasks in Redis at ``REDIS_URL``), ``PRESSCLUB_MEDIA_STORAGE_URL``
(``s3://bucket/prefix``: uploads and image renditions on S3-compatible object storage instead of
``var/media``; endpoint, region, keys and ``PRESSCLUB_MEDIA_URL`` as ``core.object_storage`` lists).
"""

import ipaddress
import os
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from pressclub.core.object_storage import media_origin, media_storages

from .base import *  # noqa: F403
from .base import REDIS_CACHE_OPTIONS, SQLITE_OPTIONS, STORAGES, VAR_DIR


def _require(name: str) -> str:
    """Return the environment variable ``name``; raise ImproperlyConfigured when it is unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"pressclub production settings need the environment variable {name}.")
    return value


DEBUG = False
SECRET_KEY = _require("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _require("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS if h != "*"]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'pressclub.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}

# The cache every process shares. With REDIS_URL: Redis, whose outage the site rides out
# (REDIS_CACHE_OPTIONS in base.py); sessions are kept in the database as well (cached_db), so
# nobody is signed out when Redis stops. Without REDIS_URL: on SQLite (one machine) files under
# var/cache/ (base.py); on PostgreSQL the database's table pressclub_cache (made by migrate), which
# every machine on that database shares.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "pressclub.core.redis_cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "pressclub_cache"}}

# Tasks wait in the database (base.py) unless PRESSCLUB_TASK_BACKEND=rq puts them in Redis (RQ, through
# django-tasks-rq and django-rq); `pressclub worker` runs either.
PRESSCLUB_TASK_BACKEND = os.environ.get("PRESSCLUB_TASK_BACKEND", "database").strip().lower()
if PRESSCLUB_TASK_BACKEND == "rq":
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]  # noqa: F405
    RQ_QUEUES = {"default": {"URL": _require("REDIS_URL"), "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif PRESSCLUB_TASK_BACKEND != "database":
    raise ImproperlyConfigured(
        f"PRESSCLUB_TASK_BACKEND={PRESSCLUB_TASK_BACKEND!r} is not a task backend (use database or rq)."
    )

# Media on S3-compatible object storage (core.object_storage): every app server reads and writes the
# same uploads and renditions, and none keeps them on its disk. Static files stay with WhiteNoise.
# Documents are streamed by the site, which checks a collection's privacy (a redirect would hand out
# the object's public address); /media/ is not served from var/media.
if os.environ.get("PRESSCLUB_MEDIA_STORAGE_URL", "").strip():
    STORAGES = {**STORAGES, **media_storages(os.environ["PRESSCLUB_MEDIA_STORAGE_URL"], os.environ)}
    WAGTAILIMAGES_RENDITION_STORAGE = "renditions"
    WAGTAILDOCS_SERVE_METHOD = "serve_view"
    PRESSCLUB_SERVE_MEDIA = False
    _MEDIA_ORIGIN = media_origin(STORAGES["default"])
    for _policy in (CONTENT_SECURITY_POLICY, PRESSCLUB_ADMIN_CONTENT_SECURITY_POLICY):  # noqa: F405
        _policy["DIRECTIVES"]["img-src"] = [*_policy["DIRECTIVES"]["img-src"], _MEDIA_ORIGIN]

# EMAIL_URL is read by dj-email-url. pressclub's documented spellings smtp+tls:// (STARTTLS, port
# 587) and smtps:// (implicit TLS, port 465) are passed to it as smtp:// with ?tls=1 or ?ssl=1
# (dj-email-url's own smtps:// means STARTTLS, and is deprecated there).
_EMAIL_SCHEMES = {"smtp+tls": ("smtp", "tls=1"), "smtps": ("smtp", "ssl=1")}
_email_url = urlsplit(os.environ.get("EMAIL_URL", "console://"))
if _email_url.scheme in _EMAIL_SCHEMES:
    _scheme, _flag = _EMAIL_SCHEMES[_email_url.scheme]
    _email_url = _email_url._replace(scheme=_scheme, query="&".join(q for q in (_email_url.query, _flag) if q))
elif _email_url.scheme not in ("smtp", "submission", "console"):
    raise ImproperlyConfigured(
        f"EMAIL_URL scheme {_email_url.scheme!r} is not supported (use smtp, smtp+tls, smtps, submission or console)."
    )
_email = dj_email_url.parse(urlunsplit(_email_url))
# The outbox (EMAIL_BACKEND, from base.py) keeps every message; the worker hands it to this transport.
PRESSCLUB_MAIL_TRANSPORT = _email["EMAIL_BACKEND"]
if PRESSCLUB_MAIL_TRANSPORT.endswith(".smtp.EmailBackend"):
    # Django's SMTP backend, encoding each distinct body (a digest's) once (mail.transport).
    PRESSCLUB_MAIL_TRANSPORT = "pressclub.mail.transport.EmailBackend"
    EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
    EMAIL_PORT = _email["EMAIL_PORT"] or 25
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
    EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or EMAIL_TIMEOUT  # noqa: F405
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405
SERVER_EMAIL = DEFAULT_FROM_EMAIL

WAGTAILADMIN_BASE_URL = os.environ.get("PRESSCLUB_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")
PRESSCLUB_BASE_URL = WAGTAILADMIN_BASE_URL.rstrip("/")

PRESSCLUB_APP_SERVERS = [a.strip() for a in os.environ.get("PRESSCLUB_APP_SERVERS", "127.0.0.1:8000").split(",")
                         if a.strip()]
PRESSCLUB_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("PRESSCLUB_TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in PRESSCLUB_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"PRESSCLUB_TRUSTED_PROXIES: {_proxy!r} is not an address or a CIDR network.")
ALLAUTH_TRUSTED_PROXY_COUNT = len(PRESSCLUB_TRUSTED_PROXIES)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("PRESSCLUB_SECURE_SSL_REDIRECT", "1") != "0"
# A load balancer or uptime monitor asks for /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("PRESSCLUB_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Served over https: an http:// image an import left on another host is asked for over https
# (which the CSP's img-src https: then allows) instead of being blocked as mixed content.
for _policy in (CONTENT_SECURITY_POLICY, PRESSCLUB_ADMIN_CONTENT_SECURITY_POLICY):  # noqa: F405
    _policy["DIRECTIVES"]["upgrade-insecure-requests"] = True

# Front-end caches told which pages changed when a story is published or a comment approved
# (core.purge, through Wagtail's frontend cache backends); any number of them at once:
# - a caching proxy (the shipped nginx front's purge server, Varnish): PRESSCLUB_CACHE_PURGE_URL;
# - Cloudflare: PRESSCLUB_CLOUDFLARE_ZONE_ID and an API token allowed to purge the zone's cache,
#   PRESSCLUB_CLOUDFLARE_API_TOKEN;
# - CloudFront: PRESSCLUB_CLOUDFRONT_DISTRIBUTION_ID, with AWS credentials where boto3 looks for them
#   (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or the machine's role). It gets story changes only:
#   pages refresh after comments through a short PRESSCLUB_SHARED_CACHE_SECONDS (README, "Scaling").
WAGTAILFRONTENDCACHE = {}
if os.environ.get("PRESSCLUB_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["PRESSCLUB_CACHE_PURGE_URL"],
    }
if os.environ.get("PRESSCLUB_CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["PRESSCLUB_CLOUDFLARE_ZONE_ID"],
        "BEARER_TOKEN": _require("PRESSCLUB_CLOUDFLARE_API_TOKEN"),
    }
if os.environ.get("PRESSCLUB_CLOUDFRONT_DISTRIBUTION_ID"):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": os.environ["PRESSCLUB_CLOUDFRONT_DISTRIBUTION_ID"],
    }

# Django logs server errors only to ADMINS by e-mail when DEBUG is off; send them (and warnings) to
# stderr as well, where granian, systemd or the container runtime collects them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": os.environ.get("PRESSCLUB_LOG_LEVEL", "WARNING"), "propagate": False},
    },
}
