"""Settings shared by every pressclub environment.

Development and the demo need no environment variables: data lives under ``var/`` beside the
checkout (or under ``$PRESSCLUB_VAR_DIR``). Production reads everything from the environment
(see ``production.py``).
"""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("PRESSCLUB_VAR_DIR", Path.cwd() / "var")).resolve()

INSTALLED_APPS = [
    "pressclub.core",
    "pressclub.people",
    "pressclub.news",
    "pressclub.members",
    "pressclub.comments",
    "pressclub.importers",
    "pressclub.search",
    "pressclub.demo",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "allauth",
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "pressclub.core.middleware.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "pressclub.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "pressclub.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "pressclub.sqlite3",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pressclub",
    }
}

# Background work (emails, renditions, search indexing) goes through django-tasks,
# the backport of Django's tasks API that Wagtail itself uses.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "pressclub <newsroom@localhost>"

WAGTAIL_SITE_NAME = "pressclub"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "jpeg", "webp": "webp"}
# Front-end caches (CDN, caching proxy) Wagtail purges on publishing; production.py adds one from
# PRESSCLUB_CACHE_PURGE_URL. None here.
WAGTAILFRONTENDCACHE = {}
TAGGIT_CASE_INSENSITIVE = True

# django-allauth: the e-mail address is the login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_GET = False

# --- members ---
ACCOUNT_ADAPTER = "pressclub.members.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_CHANGE_EMAIL = True
# Tell the account holder when their password or address changes (a hijack shows at once).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# A second sign-up with a registered address is refused with a clear message, not silently mailed.
ACCOUNT_PREVENT_ENUMERATION = False
# After 5 failed attempts on one address, logging in to it is locked for the rest of 5 minutes.
# Limits per IP stay loose: many mobile readers share one carrier address.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip,100/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/5m/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "manage_email": "10/m/user",
}

# --- pressclub's own settings: each is declared here once, with its default, and read as
# settings.PRESSCLUB_…; the code supplies no second default. ---
# The site's name where no Wagtail Site names it (e-mails, the masthead's fallback).
PRESSCLUB_SITE_NAME = os.environ.get("PRESSCLUB_SITE_NAME", "Valley Press Club News")
# Editorial groups whose users are members without asking (members.permissions).
PRESSCLUB_MEMBER_GROUPS = ("Editors", "Reporters", "Moderators")
# Days an invitation to join stays valid.
PRESSCLUB_INVITATION_DAYS = 14
# Key for hashing commenters' IP addresses (raw addresses are never stored); empty: SECRET_KEY.
PRESSCLUB_IP_HASH_KEY = os.environ.get("PRESSCLUB_IP_HASH_KEY", "")
# Seconds an e-mailed moderation (approve) link stays valid: 7 days.
PRESSCLUB_MODERATION_LINK_MAX_AGE = 7 * 24 * 3600
# Days of comments the front page's "Most commented" counts; 0 counts all.
PRESSCLUB_MOST_COMMENTED_DAYS = 30
# Stories per page of a section, label, author or archive listing.
PRESSCLUB_ARTICLES_PER_PAGE = 10
# Results per page of the search page.
PRESSCLUB_SEARCH_RESULTS_PER_PAGE = 10
# Latest stories the front page shows per section.
PRESSCLUB_HOME_STORIES_PER_SECTION = 4
# Labels the front page lists.
PRESSCLUB_HOME_LABELS = 20
# Items in each RSS or Atom feed, of stories and of comments.
PRESSCLUB_FEED_ITEMS = 20
# Seconds the anonymous page cache keeps a page; publishing and comment approval purge it sooner. 0: off.
PRESSCLUB_PAGE_CACHE_SECONDS = 300
# Which of CACHES holds the anonymous page cache.
PRESSCLUB_PAGE_CACHE = "default"
# Import by URL fetches only public addresses; True also allows loopback, private and link-local
# hosts (an intranet newsroom). Never enable on a server reachable from the internet without need.
PRESSCLUB_IMPORT_ALLOW_PRIVATE_URLS = False
