"""Shared pytest fixtures: a page tree built in code, and the people who use the site."""

import datetime as dt

import pytest
from wagtail.models import Page, Site


@pytest.fixture
def home_page(db):
    """Return the front page (HomePage at /), made the default site's root."""
    from pressclub.news.models import HomePage

    root = Page.get_first_root_node()
    # Wagtail's initial migration leaves a "Welcome" page (slug "home") and a site on it.
    for child in root.get_children():
        child.delete()
    Site.objects.all().delete()
    home = root.add_child(instance=HomePage(title="Valley Press Club News", slug="home"))
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Valley Press Club News"
    )
    Site.clear_site_root_paths_cache()
    return home


@pytest.fixture
def section(home_page):
    """Return a live SectionPage "Local" at /local/."""
    from pressclub.news.models import SectionPage

    return home_page.add_child(instance=SectionPage(title="Local", slug="local"))


@pytest.fixture
def author(db):
    """Return an Author "Asha Gurung", staff reporter."""
    from pressclub.people.models import Author

    return Author.objects.create(name="Asha Gurung", role="Staff reporter")


@pytest.fixture
def article(section, author):
    """Return a live ArticlePage in Local, first published 2026-03-14 09:30 UTC, by Asha Gurung."""
    from pressclub.news.models import ArticleAuthor, ArticlePage

    page = ArticlePage(
        title="Council approves new footbridge over the Seti",
        dek="Work is to start after the monsoon, the ward chair said.",
        dateline="POKHARA",
        body=[("paragraph", "<p>The municipal council voted 14 to 3 on Tuesday.</p>")],
    )
    page.byline_links.add(ArticleAuthor(author=author))
    section.add_child(instance=page)
    page.labels.add("Infrastructure")
    page.save_revision().publish()
    when = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)
    type(page).objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    page.refresh_from_db()
    return page


@pytest.fixture
def member(db):
    """Return a verified registered reader (e-mail ana.ruiz@example.org, password "correct horse 42")."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        email="ana.ruiz@example.org", password="correct horse 42", display_name="Ana Ruiz"
    )
    try:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    except ImportError:  # pragma: no cover - allauth is a dependency
        pass
    return user


@pytest.fixture
def moderator(db):
    """Return a staff user in the "Moderators" and "Editors" groups (moderator@example.org)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        email="moderator@example.org", password="correct horse 42", display_name="Desk Editor", is_staff=True
    )
    for name in ("Moderators", "Editors"):
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)
    return user
