"""Development and demo settings: SQLite and files under ``var/``, e-mail into files, DEBUG on.

Optional environment variables: ``ALLOWED_HOSTS`` (comma-separated, added to the loopback names;
``pressclub demo --host 0.0.0.0`` sets ``*``), ``PRESSCLUB_BASE_URL`` (links in admin e-mails;
``pressclub demo`` sets it to the URL it serves on).
"""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
SECRET_KEY = "pressclub-development-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"] + [
    host.strip() for host in os.environ.get("ALLOWED_HOSTS", "").split(",") if host.strip()
]
INTERNAL_IPS = ["127.0.0.1"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PRESSCLUB_MAIL_TRANSPORT = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
WAGTAILADMIN_BASE_URL = os.environ.get("PRESSCLUB_BASE_URL", "http://127.0.0.1:8000")
