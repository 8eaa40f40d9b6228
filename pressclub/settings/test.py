"""Test settings: fast hasher, locmem cache and e-mail, immediate tasks, plain static storage.

The database is SQLite in memory unless ``DATABASE_URL`` names another (CI runs the suite again
on PostgreSQL that way).
"""

import os

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "pressclub-test-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django's test runner sends e-mail to locmem itself; tests of the outbox set EMAIL_BACKEND to it.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRESSCLUB_MAIL_TRANSPORT = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PRESSCLUB_IP_HASH_KEY = "test-ip-hash-key"
# Tests state times in UTC; tests of the site's zone (Asia/Kathmandu by default) set it themselves.
TIME_ZONE = "UTC"
# No anonymous page cache: the locmem cache outlives a test. Tests of the cache turn it on.
PRESSCLUB_PAGE_CACHE_SECONDS = 0
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests never run collectstatic, so STATIC_ROOT does not exist. In autorefresh mode WhiteNoise looks
# files up per request (from the finders, i.e. the source static dirs) instead of scanning STATIC_ROOT
# at start-up, which otherwise warns "No directory at: …" once per test client.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The locmem cache outlives a test, and with it allauth's search counts: the suite's searches all come
# from 127.0.0.1 within a few minutes. Tests of the search limit set their own.
PRESSCLUB_SEARCH_RATE_LIMITS = "100000/m/ip"
