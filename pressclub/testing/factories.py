"""Builders of the rows tests stand on: the page tree, the people who use the site, and comments.

Plain functions, so that fixtures of any scope can call them: the root ``conftest.py`` wraps them as
``home_page``, ``section``, ``author``, ``article``, ``member``, ``moderator``, ``editor`` and
``make_comment``, and a test module that reads the same pages in every test builds them once with
``module_db`` (see ``conftest.py``). Each builder writes through the models as the site does
(``add_child``, ``save_revision().publish()``), so signals and search indexing run as in production.
"""

import datetime as dt
import itertools

from django.db import connection

#: The password of every account built here.
PASSWORD = "correct horse 42"

# U+0000 cannot be stored in a PostgreSQL text column at all (the driver refuses it), so there the
# second pasted control character is U+001F, which PostgreSQL stores and XML forbids just the same.
NUL = "\x00" if connection.vendor == "sqlite" else "\x1f"

_comment_numbers = itertools.count(1)


def utc(year, month, day, hour=12, minute=0):
    """Return an aware UTC datetime."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def build_home_page():
    """Return the front page "Valley Press Club News" (HomePage at /), made the default site's root.

    Wagtail's initial migration leaves a "Welcome" page (slug "home") and a site on it; both go.
    """
    from wagtail.models import Page, Site

    from pressclub.news.models import HomePage

    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    Site.objects.all().delete()
    home = root.add_child(instance=HomePage(title="Valley Press Club News", slug="home"))
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Valley Press Club News"
    )
    Site.clear_site_root_paths_cache()
    return home


def add_section(home, *, title="Local", slug="local"):
    """Add a live SectionPage under ``home`` (default: "Local" at /local/); return it."""
    from pressclub.news.models import SectionPage

    return home.add_child(instance=SectionPage(title=title, slug=slug))


def create_author(*, name="Asha Gurung", role="Staff reporter"):
    """Return a new Author snippet (default: Asha Gurung, staff reporter)."""
    from pressclub.people.models import Author

    return Author.objects.create(name=name, role=role)


def publish_article(section, *, title, when, authors=(), labels=(), **fields):
    """Add a live ArticlePage under ``section`` first published at ``when`` (aware datetime); return it.

    ``authors`` (Author snippets) make the byline in that order; ``labels`` are label names; other
    keyword arguments are ArticlePage fields (``dek``, ``body``, ``language``...).
    """
    from pressclub.news.models import ArticleAuthor, ArticlePage

    page = ArticlePage(title=title, **fields)
    for author in authors:
        page.byline_links.add(ArticleAuthor(author=author))
    section.add_child(instance=page)
    for label in labels:
        page.labels.add(label)
    page.save_revision().publish()
    ArticlePage.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    page.refresh_from_db()
    return page


def publish_footbridge_story(section, author):
    """Return the suite's standard story: "Council approves new footbridge over the Seti", in ``section``,
    by ``author``, dateline POKHARA, label Infrastructure, first published 2026-03-14 09:30 UTC."""
    return publish_article(
        section,
        title="Council approves new footbridge over the Seti",
        when=dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC),
        authors=[author],
        labels=["Infrastructure"],
        dek="Work is to start after the monsoon, the ward chair said.",
        dateline="POKHARA",
        body=[("paragraph", "<p>The municipal council voted 14 to 3 on Tuesday.</p>")],
    )


def create_user(email, name="", *, password=PASSWORD, verified=True, membership=None, groups=(), **fields):
    """Return a new account with a primary e-mail address, verified unless ``verified=False``.

    ``verified=None`` writes no EmailAddress row at all (as ``createsuperuser`` leaves staff).

    ``membership`` is a MembershipStatus value ("active", "requested"...) or None for no Membership
    row; ``groups`` are group names (created when missing); other keyword arguments are User fields
    (``is_staff``...).
    """
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from pressclub.members.models import Membership

    user = get_user_model().objects.create_user(email=email, password=password, display_name=name, **fields)
    if verified is not None:
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if membership:
        Membership.objects.create(user=user, status=membership)
    for group_name in groups:
        group, _ = Group.objects.get_or_create(name=group_name)
        user.groups.add(group)
    return user


def create_comment(page, *, user=None, body=None, status="approved", parent=None, minutes=0, **fields):
    """Write a Comment row on ``page`` directly (no policy, no signals); return it.

    Without ``body`` each comment gets a numbered one ("Comment number 7."); the HTML is rendered
    from it as the services do. ``created_at`` defaults to ``minutes`` (else the comment's number)
    minutes after 2026-03-15 08:00 UTC; a comment without ``user`` is signed "Reader <number>".
    """
    from pressclub.comments.models import Comment
    from pressclub.comments.text import render_body

    n = next(_comment_numbers)
    body = body if body is not None else f"Comment number {n}."
    fields.setdefault("author_name", "" if user else f"Reader {n}")
    fields.setdefault("body_html", render_body(body))
    fields.setdefault("created_at", utc(2026, 3, 15, 8, 0) + dt.timedelta(minutes=minutes or n))
    return Comment.objects.create(page=page, user=user, body=body, status=status, parent=parent, **fields)
