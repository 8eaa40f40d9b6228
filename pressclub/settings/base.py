"""Settings shared by every pressclub environment.

Development and the demo need no environment variables: data lives under ``var/`` beside the
checkout (or under ``$PRESSCLUB_VAR_DIR``). Production reads everything from the environment
(see ``production.py``).
"""

import os
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from wagtail.embeds import oembed_providers

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
    "pressclub.mail",
    "pressclub.schedule",
    "pressclub.follows",
    # Wagtail's images, documents, snippets and redirects apps, minus the v3 API the site does not
    # serve (~10 MB a server worker; core.wagtail_apps).
    "pressclub.core.wagtail_apps.RedirectsConfig",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    # Not "wagtail.contrib.frontend_cache": its receivers would purge each published page alone;
    # core.purge sends its backends the exact list of pages a change shows on.
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "pressclub.core.wagtail_apps.SnippetsConfig",
    "pressclub.core.wagtail_apps.DocumentsConfig",
    "pressclub.core.wagtail_apps.ImagesConfig",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so pages served from it carry both headers too.
    "pressclub.core.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language, decided before the page cache looks the page up (keyed by language).
    "pressclub.core.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # While a breaking-news banner runs, cached copies expire when it ends (news.breaking).
    "pressclub.news.breaking.BreakingNewsCacheMiddleware",
    # Cache-Control on every response, hits of the page cache included (core.middleware).
    "pressclub.core.middleware.CacheControlMiddleware",
    "pressclub.core.middleware.PageCacheMiddleware",
    # Inside the page cache, so it keeps the gzipped copy (keyed by the encoding) and hits cost no gzip.
    "pressclub.core.middleware.CompressionMiddleware",
    # Before CSRF, which reads the form: a form declaring latin-1 (…) is read in it, not refused.
    "pressclub.core.forms_charset.FormCharsetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, with the signed-in account read from the cache (members.session_user).
    "pressclub.members.session_user.SessionUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A view that cannot reach the database gets the 503 page (core.errors).
    "pressclub.core.errors.DatabaseUnavailableMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: signed-in members served from a shared copy with their own parts filled in (core.member_pages).
    "pressclub.core.member_pages.MemberPageMiddleware",
]

ROOT_URLCONF = "pressclub.urls"
# A comment refused by the CSRF check comes back with its text; other requests get Django's page.
CSRF_FAILURE_VIEW = "pressclub.comments.views.csrf_failure"

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
                # After auth's: while a member's shared copy is made, the CSRF token is a hole (core.member_pages).
                "pressclub.core.member_pages.capture_context",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "pressclub.wsgi.application"

# SQLite as a server's database: WAL (readers never wait for the writer), a writer waits up to
# 20 s for another's lock instead of failing at once with "database is locked", and every
# transaction takes the write lock when it begins (BEGIN IMMEDIATE): a transaction that read
# first and then wrote could not wait for the lock (SQLite answers such an upgrade with "locked"
# at once, since waiting could deadlock), which is what the admin's autosave beside a publish met.
# synchronous=NORMAL is the setting WAL is meant for: durable but for the last commits on power loss.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "pressclub.sqlite3",
        "OPTIONS": SQLITE_OPTIONS,
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

# The interface's languages, named in their own scripts (the footer's buttons show these names).
# A reader's language is decided by core.language: their choice, the browser's first visit, or the
# site's default (PRESSCLUB_DEFAULT_LANGUAGE, or the one editors choose in Settings → Site identity).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ne", "नेपाली"),
    ("hi", "हिन्दी"),
    ("bn", "বাংলা"),
]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
# A reader's choice lasts a year; the cookie is set only when they choose (never by browsing).
LANGUAGE_COOKIE_NAME = "pressclub_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
# The site's time zone: times on pages and in e-mails are shown in it, with its abbreviation.
PRESSCLUB_TIME_ZONE = os.environ.get("PRESSCLUB_TIME_ZONE", "Asia/Kathmandu")
TIME_ZONE = PRESSCLUB_TIME_ZONE

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "pressclub.core.static_storage.MinifiedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# One cache for every process on the machine (each granian worker, the task worker, cron's
# publish-scheduled), so a purge reaches all of them: files under var/cache/. production.py uses
# Redis when REDIS_URL is set, and the database (table pressclub_cache) on PostgreSQL without it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": VAR_DIR / "cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

# OPTIONS of the Redis cache (production.py, with REDIS_URL): a Redis outage must not stop the site,
# so its errors are ignored (a read is a miss, a write is lost; django-redis logs each), and short
# socket timeouts keep a hung Redis from stalling the workers (seconds).
REDIS_CACHE_OPTIONS = {
    "CLIENT_CLASS": "django_redis.client.DefaultClient",
    "IGNORE_EXCEPTIONS": True,
    "SOCKET_CONNECT_TIMEOUT": 0.5,
    "SOCKET_TIMEOUT": 0.5,
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Background work (e-mail, imports, renditions, search indexing) goes through django-tasks, the
# backport of Django's tasks API that Wagtail itself uses. Tasks wait in the database (django-tasks-db)
# until `pressclub worker` runs them; production.py can put them in Redis instead (RQ).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Every e-mail goes into the outbox (pressclub.mail) and leaves from the worker, never from a request;
# PRESSCLUB_MAIL_TRANSPORT is the backend that really sends it (SMTP in production).
EMAIL_BACKEND = "pressclub.mail.backends.OutboxBackend"
PRESSCLUB_MAIL_TRANSPORT = "django.core.mail.backends.console.EmailBackend"
# Seconds the SMTP server gets to answer each step before the attempt counts as failed (and is retried).
EMAIL_TIMEOUT = 30
# The site's name where no Wagtail Site names it (e-mails, the masthead's fallback).
PRESSCLUB_SITE_NAME = os.environ.get("PRESSCLUB_SITE_NAME", "Valley Press Club News")
# Mail and the admin speak as the site, never as the software.
DEFAULT_FROM_EMAIL = f"{PRESSCLUB_SITE_NAME} <newsroom@localhost>"

WAGTAIL_SITE_NAME = PRESSCLUB_SITE_NAME
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
# The site's address for links made without a request (e-mails, commands), when configured; else
# they use the Wagtail Site record's hostname and port (core.links.absolute_url, the one helper).
PRESSCLUB_BASE_URL = os.environ.get("PRESSCLUB_BASE_URL", "").rstrip("/")
# The admin sign-in checks passwords through allauth, in the reader sign-in's limits (members.admin_login).
WAGTAILADMIN_USER_LOGIN_FORM = "pressclub.members.admin_login.AdminLoginForm"
WAGTAIL_ALLOW_UNICODE_SLUGS = True
# Each editor picks the admin's language in their account preferences among these.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Wagtail's database search with queries that scale: FTS5 or GIN indexes drive them (search.backend).
# PostgreSQL: a named configuration makes to_tsquery() immutable, so a query is parsed once per
# search instead of once per row ("english": PostgreSQL's usual default; it stems English only).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "pressclub.search.backend", "SEARCH_CONFIG": "english"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# libavif's effort for AVIF renditions (core.images.use_avif_speed): 0 slowest and smallest … 10
# fastest; None leaves Pillow's 6. Made once per rendition, read on every view.
PRESSCLUB_AVIF_SPEED = 4
# Embed blocks take these oEmbed providers only: video players that come as a plain iframe, and
# X, whose embed is a quotation plus a script; without the script (reader pages run none but
# their own) the quotation and its link stay. PRESSCLUB_EMBED_FRAME_SOURCES are the players'
# origins, the only frames a reader page may show (the CSP's frame-src).
WAGTAILEMBEDS_FINDERS = [
    {"class": "wagtail.embeds.finders.oembed", "providers": [oembed_providers.youtube, oembed_providers.vimeo]},
    {"class": "wagtail.embeds.finders.oembed", "providers": [oembed_providers.twitter],
     "options": {"omit_script": "true"}},
]
PRESSCLUB_EMBED_FRAME_SOURCES = ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]
# Avatars without a picture uploaded are Wagtail's own default: no request leaves for Gravatar
# (the admin's CSP allows images from the site only).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The upload form refuses damaged image files with a message (core.image_forms).
WAGTAILIMAGES_IMAGE_FORM_BASE = "pressclub.core.image_forms.ImageForm"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "jpeg", "webp": "webp"}
# Phone photos as they come: HEIC (iPhones, read through pillow-heif), up to 20 MB and 128 megapixels,
# so a 12-megapixel, 8 MB photo needs no resizing first. Every upload loses its location and camera
# metadata before it is stored (pressclub.core.images).
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "heic", "heif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 128 * 1000 * 1000
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
# Who has an account is not told to strangers: a second sign-up with a registered address looks like
# a first one, and the address's owner gets an e-mail saying they already have an account; password
# reset and sign-in by code answer alike for known and unknown addresses.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {
    "login": "pressclub.members.account_forms.LoginForm",
    "signup": "pressclub.members.account_forms.SignupForm",
    "request_login_code": "pressclub.members.account_forms.RequestLoginCodeForm",
    "reset_password": "pressclub.members.account_forms.ResetPasswordForm",
    "add_email": "pressclub.members.account_forms.AddEmailForm",
}
# Wrong passwords (members.adapter) are limited per client address (many mobile readers share one
# carrier address, so that one is loose) and per (account, address) pair: 5 in 15 minutes, on the
# reader sign-in and both admin sign-ins alike. Nobody can lock the owner out from elsewhere: past
# the account-wide ceiling, login_failed_account, its password is refused for a while and the form
# offers an e-mailed sign-in code instead.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/15m/key",
    "login_failed_account": "20/h/key",
    "signup": "20/m/ip,100/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/5m/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip",  # per address: PRESSCLUB_LOGIN_CODE_LIMITS
    "manage_email": "10/m/user",
}

# --- pressclub's own settings: each is declared here once, with its default, and read as
# settings.PRESSCLUB_…; the code supplies no second default. ---
# Reverse proxies in front of the site (nginx, a load balancer, a CDN's edge): addresses or CIDR
# networks, one entry per hop, e.g. ["127.0.0.1"] or ["10.0.0.0/8", "2001:db8::/32"]. Only a request
# that arrives from one of them has its X-Forwarded-For read; core.http.client_ip is the one place that
# does it, for the comment IP hash, the search limit and allauth's login limits (members.adapter).
# Empty (the default): the connection's own address is the client, and the header is ignored, since
# anyone can write it. production.py reads it from the environment (comma-separated).
PRESSCLUB_TRUSTED_PROXIES: list[str] = []
# allauth's own setting, kept in step: its limits take the address from our adapter, which asks client_ip.
ALLAUTH_TRUSTED_PROXY_COUNT = len(PRESSCLUB_TRUSTED_PROXIES)
# The interface's language for readers who have not chosen one and whose browser asks for none of
# LANGUAGES, unless the site identity names another (core.language.site_default_language).
PRESSCLUB_DEFAULT_LANGUAGE = "en"
# Paths (prefixes) that no reader reads, answered in LANGUAGE_CODE without deciding a reader's language.
PRESSCLUB_LANGUAGE_EXEMPT_PATHS = ["/healthz"]
# Show Nepali readers a story's Bikram Sambat date beside the Gregorian one (core.numerals).
PRESSCLUB_BIKRAM_SAMBAT = True
# Editorial groups whose users are members without asking (members.permissions).
PRESSCLUB_MEMBER_GROUPS = ("Editors", "Reporters", "Moderators")
# Days an invitation to join stays valid.
PRESSCLUB_INVITATION_DAYS = 14
# Key for hashing commenters' IP addresses (raw addresses are never stored); empty: SECRET_KEY.
# The address hashed is core.http.client_ip's, which honours PRESSCLUB_TRUSTED_PROXIES.
PRESSCLUB_IP_HASH_KEY = os.environ.get("PRESSCLUB_IP_HASH_KEY", "")
# How many people one network address may stand for: its comment limits are this many times a person's.
PRESSCLUB_COMMENT_ADDRESS_SHARE = 50
# Seconds an e-mailed moderation (approve) link stays valid: 7 days.
PRESSCLUB_MODERATION_LINK_MAX_AGE = 7 * 24 * 3600
# Days of comments the front page's "Most commented" counts; 0 counts all.
PRESSCLUB_MOST_COMMENTED_DAYS = 30
# Stories per page of a section, label, author or archive listing.
PRESSCLUB_ARTICLES_PER_PAGE = 10
# Results per page of the search page.
PRESSCLUB_SEARCH_RESULTS_PER_PAGE = 10
# Matches a search counts at most: past it the page says "More than 1,000 results" and offers the
# pages up to it (100 at 10 a page). Counting every match of a common word in a large archive costs
# more than finding the best ten. 0 counts every match.
PRESSCLUB_SEARCH_COUNT_LIMIT = 1000
# Latest stories the front page shows per section.
PRESSCLUB_HOME_STORIES_PER_SECTION = 4
# Labels the front page lists.
PRESSCLUB_HOME_LABELS = 20
# ... counted over the newest this many published stories (the whole archive on a smaller site).
PRESSCLUB_HOME_LABEL_STORIES = 1000
# Items in each RSS or Atom feed, of stories and of comments.
PRESSCLUB_FEED_ITEMS = 20
# Seconds the anonymous page cache keeps a page; publishing and comment approval purge it sooner. 0: off.
PRESSCLUB_PAGE_CACHE_SECONDS = 300
# Brotli quality (0-11) of shared pages (core.middleware.CompressionMiddleware): 11 for a copy the
# page cache keeps (compressed once, read many times), 5 for one compressed on every request.
PRESSCLUB_BROTLI_QUALITY_KEPT = 11
PRESSCLUB_BROTLI_QUALITY = 5
# Cache-Control of pages every anonymous reader may share (core.middleware.CacheControlMiddleware):
# seconds a browser keeps one (max-age), and seconds a shared cache (nginx, a CDN) keeps one (s-maxage);
# publishing and approving purge the shared cache through PRESSCLUB_CACHE_PURGE_URL sooner.
PRESSCLUB_BROWSER_CACHE_SECONDS = 60
PRESSCLUB_SHARED_CACHE_SECONDS = int(os.environ.get("PRESSCLUB_SHARED_CACHE_SECONDS", "300"))
# ... and how long past that a shared cache may still answer with its copy: while it asks the site
# for a fresh one (stale-while-revalidate), and while the site is down or failing (stale-if-error).
PRESSCLUB_STALE_WHILE_REVALIDATE_SECONDS = int(os.environ.get("PRESSCLUB_STALE_WHILE_REVALIDATE_SECONDS", "60"))
PRESSCLUB_STALE_IF_ERROR_SECONDS = int(os.environ.get("PRESSCLUB_STALE_IF_ERROR_SECONDS", "86400"))
# Seconds the front-end cache purges (nginx, a CDN) are gathered before one task sends them (core.purge).
PRESSCLUB_FRONTEND_PURGE_DELAY = int(os.environ.get("PRESSCLUB_FRONTEND_PURGE_DELAY", "5"))
# Serve MEDIA_ROOT at MEDIA_URL from the application (core.media), for a `pressclub serve` with no
# front server for uploads. Off (False, or PRESSCLUB_SERVE_MEDIA=0 in production) when nginx, a
# CDN or S3 serves /media/.
PRESSCLUB_SERVE_MEDIA = os.environ.get("PRESSCLUB_SERVE_MEDIA", "1") != "0"
# Seconds at most the readers of a page that is being rendered (after a purge, or on its first
# request) wait for that copy instead of rendering it too (core.cache.render_lock). 0: each renders.
PRESSCLUB_PAGE_CACHE_LOCK_SECONDS = 2
# The app servers (`pressclub serve`, host:port each) nginx shares requests among: the upstream of
# `pressclub nginx-config` (its --upstream overrides it). production.py reads it from the environment
# (comma-separated). More than one needs the database, the cache and the media shared (README, Scaling).
PRESSCLUB_APP_SERVERS = ["127.0.0.1:8000"]
# Which of CACHES holds the anonymous page cache.
PRESSCLUB_PAGE_CACHE = "default"
# Pages each process also keeps in memory (the most recently served); each hit still reads the
# shared generation and the path's version, so a purge reaches every process. 0 turns it off.
PRESSCLUB_PAGE_CACHE_LOCAL_PAGES = 64
# Requests after which a process hands the memory its requests freed back to the system (glibc's
# malloc_trim; core.memory): a server worker stays near its start-up size. 0 never.
PRESSCLUB_MALLOC_TRIM_REQUESTS = 200
# Seconds of database time one search may take before the page says "search is busy" (503), so a
# search for a common word cannot pin a worker (search.budget).
PRESSCLUB_SEARCH_TIME_BUDGET = 2.0
# Searches per client address, written like allauth's rates (sliding windows in the cache; core.ratelimit).
PRESSCLUB_SEARCH_RATE_LIMITS = "20/m/ip,300/h/ip"
# Functions `pressclub worker` calls at start and then every PRESSCLUB_WORKER_PERIODIC_SECONDS seconds
# (dotted paths, no arguments): tasks whose worker died are run again or marked failed
# (core.workers), and the outbox sends again the e-mail whose turn has come (retries, and messages
# whose worker died mid-send).
PRESSCLUB_WORKER_PERIODIC = ["pressclub.core.workers.tasks_recover_lost", "pressclub.mail.delivery.mail_requeue_due"]
PRESSCLUB_WORKER_PERIODIC_SECONDS = 30
# A task still RUNNING after this many seconds, on a worker this machine cannot check (another
# machine's or container's, or one from before a reboot), is taken as lost with its worker
# (core.workers). A worker of this machine, boot and container is checked
# by its process id instead, at once. Generous: the longest task, a large Blogger import, takes minutes.
PRESSCLUB_TASK_LOST_AFTER_SECONDS = 6 * 3600
# Tasks safe to run twice (each e-mail has an idempotency key; renditions and the search index are
# made again the same; a renamed member's pages are purged again): when lost with their worker they
# are queued again, at most until workers took them PRESSCLUB_TASK_MAX_ATTEMPTS times. Any other lost
# task is marked failed (an admin import then says it was interrupted and offers to run it again).
PRESSCLUB_TASKS_RERUN_WHEN_LOST = [
    "pressclub.mail.tasks.send_outgoing_mail",
    "pressclub.mail.tasks.send_outgoing_mail_batch",
    "pressclub.comments.tasks.send_reply_notification",
    "pressclub.comments.tasks.send_moderator_notification",
    "pressclub.comments.tasks.send_comment_confirmation",
    "pressclub.comments.tasks.purge_renamed_member_pages",
    "pressclub.comments.tasks.purge_left_member_pages",
    "pressclub.news.tasks.make_article_renditions",
    "pressclub.importers.tasks.index_imported_pages",
    "pressclub.follows.tasks.send_follow_confirmation",
    "pressclub.schedule.tasks.run_scheduled_job",
]
PRESSCLUB_TASK_MAX_ATTEMPTS = 3
# `pressclub prune` (run it daily) deletes what nobody needs any more, with these functions (dotted
# paths; each takes now= and dry_run= and returns {what: how many}): the outbox's old messages and
# the results of finished tasks.
PRESSCLUB_PRUNE = ["pressclub.mail.delivery.mail_prune", "pressclub.core.workers.task_results_prune"]
# Days the outbox keeps a sent message (after it was sent) and a failed one (after it was queued):
# long enough to answer "did my confirmation mail leave?", and to see why one failed.
PRESSCLUB_MAIL_KEEP_SENT_DAYS = 30
PRESSCLUB_MAIL_KEEP_FAILED_DAYS = 90
# Days a finished task's result (its return value or error) stays in django-tasks-db's table.
PRESSCLUB_TASK_RESULTS_KEEP_DAYS = 14
# Periodic jobs (schedule app): each `pressclub worker` looks every PRESSCLUB_SCHEDULE_TICK_SECONDS
# and queues a job's task once per cron slot, whatever the number of workers, so no cron line is
# needed. "cron" is five fields (minute hour day month weekday) in TIME_ZONE; "command" a management
# command with its arguments. Scheduled publishing every minute; digests for followers daily at 07:00
# and weekly on Mondays at 07:00; `prune` daily at 03:30. A job's task may run twice (a worker lost
# mid-job), so each command is safe to run again.
PRESSCLUB_SCHEDULE = {
    "publish-scheduled": {"cron": "* * * * *", "command": ["publish_scheduled"]},
    "daily-digests": {"cron": "0 7 * * *", "command": ["send_digests", "--frequency", "daily"]},
    "weekly-digests": {"cron": "0 7 * * 1", "command": ["send_digests", "--frequency", "weekly"]},
    "prune": {"cron": "30 3 * * *", "command": ["prune"]},
}
PRESSCLUB_SCHEDULE_TICK_SECONDS = 10
# Follow by e-mail (follows app): requests to follow per client address, as sign-up's; confirmation
# mails per address (past it the form answers the same and nothing is sent, so an address cannot be
# flooded); at most this many stories in one digest, newest first.
PRESSCLUB_FOLLOW_RATE_LIMITS = "20/m/ip,100/h/ip"
PRESSCLUB_FOLLOW_MAIL_LIMITS = "3/h/key,10/d/key"
PRESSCLUB_DIGEST_MAX_STORIES = 30
# Followers whose digests are written to the outbox in one transaction (one commit per batch).
PRESSCLUB_DIGEST_BATCH = 100
# Days a periodic job's run record is kept (it only has to outlive its slot).
PRESSCLUB_SCHEDULE_KEEP_DAYS = 7
# Seconds a worker may spend on one e-mail before another worker may take it over (it died).
PRESSCLUB_MAIL_LEASE_SECONDS = 300
# Messages stored together (a batch of digests) are delivered this many to a task, over one SMTP
# connection each (one conversation instead of one per message).
PRESSCLUB_MAIL_BATCH = 100
# Seconds between delivery attempts after a temporary failure: doubled each time from the first
# value, never more than the second. Hours after which a message that still failed is given up.
PRESSCLUB_MAIL_RETRY_SECONDS = (60, 3600)
PRESSCLUB_MAIL_GIVE_UP_HOURS = 48
# /healthz answers 503 when the oldest task waiting for the worker is older than this (seconds).
PRESSCLUB_HEALTH_MAX_TASK_AGE = 300
# Sign-in code requests for one e-mail address (members.account_forms.login_code_wait): from one
# client, and, as a wide net against flooding a mailbox from many clients, from everywhere. A
# stranger can only stop the owner for the wide net's window, and the refusal says how long.
PRESSCLUB_LOGIN_CODE_LIMITS = {"address_client": "3/m/key,10/h/key", "address": "30/h/key"}
# Import by URL fetches only public addresses; True also allows loopback, private and link-local
# hosts (an intranet newsroom). Never enable on a server reachable from the internet without need.
PRESSCLUB_IMPORT_ALLOW_PRIVATE_URLS = False

# --- security headers ---
# Content-Security-Policy (django-csp) of reader pages: scripts, styles and fonts from the site only,
# no inline script or style (no nonces either: the page cache would repeat them). Images from the
# site and from any https: host, because imported stories keep images on their original hosts
# (Blogger's, a wire outlet's); frames only from the embed providers above.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": PRESSCLUB_EMBED_FRAME_SOURCES,
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The admin's own policy (pressclub.core.security), measured in chromium on the page editor (opening
# it, its preview panel, saving a draft): with scripts and styles from the site only, 38 violations.
# - script-src 'unsafe-inline': Wagtail 8's editor still writes inline <script> elements that set up
#   its widgets (InlinePanel for bylines, MultipleChooserPanel, the date and time pickers), with
#   per-field ids, so hashes cannot match them. Wagtail 8.0 has no nonce support: the scripts come
#   from its templates (panels/inline_panel.html, panels/multiple_chooser_panel.html,
#   widgets/date_input.html, time_input.html, datetime_input.html) and from render_js_init() of its
#   older chooser widgets, none of which takes a nonce. Avoiding them would mean overriding those
#   templates and widgets and re-doing their set-up in our own script, which the next Wagtail
#   release could silently break; so the allowance stays, for PRESSCLUB_ADMIN_PATH_PREFIXES only
#   (reader pages and admin previews keep the strict policy). No 'unsafe-eval': nothing in the
#   editor evaluates strings.
# - style-src 'unsafe-inline': Wagtail's admin sets style attributes in its templates and from its
#   scripts, and its vendor bundle inserts <style> elements.
# - img-src data: blob: for the image uploader's previews (wagtailimages' load-image).
# What the policy still holds: no script, style, image, frame or connection from another host, so
# nothing an injected script reads can leave for one; no plugins; no <base>; forms post here only.
PRESSCLUB_ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")
PRESSCLUB_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF, *PRESSCLUB_EMBED_FRAME_SOURCES],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Permissions-Policy (django-permissions-policy): no page asks for a device or sensor; the embedded
# players may go full screen and picture-in-picture and play protected media.
_PLAYERS = ["self", *PRESSCLUB_EMBED_FRAME_SOURCES]
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": _PLAYERS,
    "fullscreen": _PLAYERS,
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": _PLAYERS,
    "usb": [],
}
