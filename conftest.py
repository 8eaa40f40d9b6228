"""Shared pytest fixtures: a page tree built in code, the people who use the site, an empty cache.

The builders live in ``pressclub.testing.factories``; the fixtures here call them.

Most tests build what they need and see it rolled back after them. A module whose tests only read
the same pages can build them once: a module-scoped fixture that requests ``module_site`` gets
the front page, section, author and article once for the module (``home_page``, ``section``,
``author`` and ``article`` then return fresh copies of those), and it may write more rows under
``with module_db():``. What a test writes is still undone after that test.
"""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connections
from django_tasks import task_backends

from pressclub.core.language import site_default_language_forget
from pressclub.testing import factories
from pressclub.testing.database import shared_rows


@pytest.fixture(autouse=True)
def empty_cache():
    """Start and end every test with an empty cache and the site's default interface language.

    The locmem cache outlives a test: rate-limit counters, cached threads and menus, and Wagtail's
    renditions (keyed by image ids that a later test's database reuses) would leak into the next.
    So does the language a request in Nepali activated, into a later test that renders without one.
    """
    from django.utils import translation

    from pressclub.core.cache import page_cache_local_clear

    cache.clear()
    site_default_language_forget()
    page_cache_local_clear()
    yield
    cache.clear()
    site_default_language_forget()
    page_cache_local_clear()
    translation.deactivate()


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """Open a transaction that lasts for the test module and roll it back after its last test.

    Return a context manager under which a module-scoped fixture may use the database
    (``with module_db(): ...``); see ``pressclub.testing.database.shared_rows``.
    """
    with shared_rows(django_db_blocker) as unblock:
        yield unblock


@pytest.fixture(scope="module")
def module_site(module_db):
    """Build the front page, section, author and article of the fixtures below once for a module.

    Return a namespace of the four (``home_page``, ``section``, ``author``, ``article``).
    """
    with module_db():
        home = factories.build_home_page()
        section = factories.add_section(home)
        author = factories.create_author()
        article = factories.publish_footbridge_story(section, author)
    return SimpleNamespace(home_page=home, section=section, author=author, article=article)


def _from_module_site(request, name):
    # A test's copy of a page built once for its module: read again, so that what one test changes
    # on the Python object does not show in the next.
    if "module_site" not in request.fixturenames:
        return None
    built = getattr(request.getfixturevalue("module_site"), name)
    return type(built).objects.get(pk=built.pk)


@pytest.fixture
def ground(transactional_db):
    """Recreate the rows migrations make and a transactional test's flush removes: Wagtail's root
    page, the "en" locale and the root collection. Browser tests against ``live_server`` need it."""
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code="en")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


@pytest.fixture
def home_page(request, db):
    """Return the front page "Valley Press Club News" (HomePage at /), made the default site's root."""
    return _from_module_site(request, "home_page") or factories.build_home_page()


@pytest.fixture
def section(request, home_page):
    """Return a live SectionPage "Local" at /local/."""
    return _from_module_site(request, "section") or factories.add_section(home_page)


@pytest.fixture
def author(request, db):
    """Return an Author "Asha Gurung", staff reporter."""
    return _from_module_site(request, "author") or factories.create_author()


@pytest.fixture
def article(request, section, author):
    """Return a live ArticlePage in Local, first published 2026-03-14 09:30 UTC, by Asha Gurung:
    "Council approves new footbridge over the Seti", label Infrastructure."""
    return _from_module_site(request, "article") or factories.publish_footbridge_story(section, author)


@pytest.fixture
def member(db):
    """Return a verified registered reader (e-mail ana.ruiz@example.org, password "correct horse 42")."""
    return factories.create_user("ana.ruiz@example.org", "Ana Ruiz")


@pytest.fixture
def moderator(db):
    """Return a staff user in the "Moderators" and "Editors" groups (moderator@example.org)."""
    return factories.create_user(
        "moderator@example.org", "Desk Editor", verified=None, is_staff=True, groups=("Moderators", "Editors")
    )


@pytest.fixture
def page_cache(settings):
    """Turn the anonymous page cache on (300 s) with an empty cache, and empty it again afterwards."""
    from django.core.cache import cache

    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def deferring_tasks(settings):
    """Queue tasks in django-tasks' dummy backend (which can defer) instead of running them; return
    the backend, whose ``results`` list the tasks enqueued (a ``TaskResult`` each), emptied first."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.results.clear()
    return backend


@pytest.fixture
def make_comment(article):
    """Return ``pressclub.testing.factories.create_comment`` writing on ``article`` unless given a ``page``."""

    def make(*, page=None, **fields):
        return factories.create_comment(page or article, **fields)

    return make

CHROMIUM = Path("/usr/bin/chromium")
# Debian's chromium for the browser tests. Besides the flags DESIGN.md gives, no host name resolves
# but this machine's: a page can reach nothing outside even where a request escaped the test's routing.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


@pytest.fixture
def chromium(monkeypatch):
    """Yield a headless Debian chromium driven by Playwright; skip when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # Close this thread's connections, or PostgreSQL refuses to drop the test database.
            connections.close_all()
