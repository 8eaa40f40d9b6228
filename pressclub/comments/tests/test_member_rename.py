"""A member's new name on the pages of their comments: the exact purge, the thread and page caches
renewed, from the profile page and from the admin, and nothing for a save that keeps the name."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pressclub.comments import tasks
from pressclub.comments.models import Comment, CommentStatus
from pressclub.core.purge_lists import purge_list
from pressclub.testing.factories import create_user, publish_article, utc

pytestmark = pytest.mark.django_db

SITE = "http://localhost"
FOOTBRIDGE = f"{SITE}/local/council-approves-new-footbridge-over-the-seti/"
WARD_OFFICE = f"{SITE}/local/ward-office-opens/"


@pytest.fixture
def pages(section, article):
    """Return the footbridge story and two more: "Ward office opens" and "Bus park moves"."""
    ward = publish_article(section, title="Ward office opens", when=utc(2026, 2, 2))
    bus = publish_article(section, title="Bus park moves", when=utc(2026, 2, 3))
    return article, ward, bus


@pytest.fixture
def commenter(pages, make_comment, member):
    """Ana Ruiz, approved on the footbridge and ward office stories, pending on the bus park one."""
    footbridge, ward, bus = pages
    make_comment(page=footbridge, user=member, body="The bridge is long overdue.")
    make_comment(page=ward, user=member, body="Open on Saturdays, please.")
    make_comment(page=bus, user=member, body="Where will the buses wait?", status="pending")
    return member


@pytest.fixture
def purges(monkeypatch):
    """Record each purge list the rename task hands to ``cache_purge``, then purge it as usual."""
    done = []
    purge = tasks.cache_purge

    def recording(purged):
        done.append(purged)
        return purge(purged)

    monkeypatch.setattr(tasks, "cache_purge", recording)
    return done


def renamed_urls(ward_id: int, footbridge_id: int) -> list[str]:
    return sorted([
        FOOTBRIDGE,
        WARD_OFFICE,
        f"{SITE}/comments/feed/",
        f"{SITE}/comments/feed/atom/",
        f"{SITE}/comments/feed/{footbridge_id}/",
        f"{SITE}/comments/feed/{footbridge_id}/atom/",
        f"{SITE}/comments/feed/{ward_id}/",
        f"{SITE}/comments/feed/{ward_id}/atom/",
    ])


def rename(user, name, committed):
    """Save ``user`` with display name ``name``, as the transaction commits."""
    user.display_name = name
    with committed(execute=True):
        user.save()


def test_the_purge_list_names_each_page_with_approved_comments_and_its_feeds(pages, commenter):
    footbridge, ward, _bus = pages

    purged = purge_list("member_renamed", user_id=commenter.pk)

    assert (purged.everything, purged.reason, purged.scopes) == (False, "member_renamed", frozenset())
    assert purged.sorted_urls == renamed_urls(ward.pk, footbridge.pk)


def test_renaming_purges_that_list_once(pages, commenter, purges, django_capture_on_commit_callbacks):
    footbridge, ward, _bus = pages

    rename(commenter, "Ana R. Thapa", django_capture_on_commit_callbacks)

    assert [(purged.reason, purged.sorted_urls) for purged in purges] == [
        ("member_renamed", renamed_urls(ward.pk, footbridge.pk))
    ]


def test_a_long_thread_purges_each_of_its_pages(pages, commenter):
    footbridge, ward, _bus = pages
    start = utc(2026, 3, 15, 9, 0)
    Comment.objects.bulk_create(
        Comment(page=ward, author_name=f"Reader {i}", body=f"Root {i}.", body_html=f"<p>Root {i}.</p>",
                status=CommentStatus.APPROVED, created_at=start + dt.timedelta(minutes=i))
        for i in range(350)
    )

    assert purge_list("member_renamed", user_id=commenter.pk).sorted_urls == sorted([
        *renamed_urls(ward.pk, footbridge.pk),
        f"{WARD_OFFICE}?comments=2", f"{WARD_OFFICE}?comments=3", f"{WARD_OFFICE}?comments=4",
    ])


def test_the_list_costs_the_same_queries_for_two_pages_or_six(section, pages, commenter, make_comment):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            purge_list("member_renamed", user_id=commenter.pk)
        return len(captured)

    two = queries()
    for n in range(4):
        story = publish_article(section, title=f"Busy story {n}", when=utc(2026, 3, 1 + n))
        make_comment(page=story, user=commenter, body=f"Comment {n}.")
    six = queries()

    assert len(purge_list("member_renamed", user_id=commenter.pk).urls) == 6 * 3 + 2  # page, its 2 feeds; the site's 2
    # The pages' ids, their threads' pages, the pages, the articles (one page type).
    assert (two, six) == (4, 4)


def test_an_account_without_approved_comments_purges_nothing(pages, make_comment, member, deferring_tasks,
                                                             django_capture_on_commit_callbacks):
    make_comment(page=pages[2], user=member, body="Where will the buses wait?", status="pending")

    rename(member, "Ana R. Thapa", django_capture_on_commit_callbacks)

    assert deferring_tasks.results == []
    assert purge_list("member_renamed", user_id=member.pk).urls == frozenset()
    assert tasks.purge_renamed_member_pages.call(member.pk) == 0


def test_a_rename_enqueues_one_task_once_committed(commenter, deferring_tasks, django_capture_on_commit_callbacks):
    commenter.display_name = "Ana R. Thapa"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        commenter.save()
        assert deferring_tasks.results == []  # nothing before the commit

    for callback in callbacks:
        callback()

    assert [(result.task.name, result.args) for result in deferring_tasks.results] == [
        ("purge_renamed_member_pages", [commenter.pk])
    ]


@pytest.mark.parametrize("change", [
    {"bio": "Teacher in Lekhnath."},
    {"last_name": "Thapa"},  # the display name still wins
    {"display_name": "Ana Ruiz"},
])
def test_a_save_that_keeps_the_name_enqueues_nothing(commenter, deferring_tasks, django_capture_on_commit_callbacks,
                                                     change):
    for field, value in change.items():
        setattr(commenter, field, value)
    with django_capture_on_commit_callbacks(execute=True):
        commenter.save()

    assert deferring_tasks.results == []


def anonymous_page(path: str) -> tuple[str, str]:
    """Return the X-Page-Cache header and the body of ``path`` for a reader without a session."""
    response = Client().get(path)
    assert response.status_code == 200
    return response["X-Page-Cache"], response.content.decode()


def test_the_profile_page_rename_shows_on_cached_pages_and_feeds(
    client, page_cache, pages, commenter, django_capture_on_commit_callbacks
):
    footbridge, ward, bus = pages
    shown = [footbridge.url, ward.url, "/comments/feed/", f"/comments/feed/{ward.pk}/atom/"]
    kept = [bus.url, "/local/", "/feeds/rss/"]
    for path in shown + kept:
        anonymous_page(path)
    assert [anonymous_page(path)[0] for path in shown + kept] == ["hit"] * 7
    assert all("Ana Ruiz" in anonymous_page(path)[1] for path in shown)

    client.force_login(commenter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:profile"), {"display_name": "Ana R. Thapa", "bio": ""})
    assert response.status_code == 302

    after = {path: anonymous_page(path) for path in shown + kept}
    assert {path: status for path, (status, _html) in after.items()} == {
        **dict.fromkeys(shown, "miss"), **dict.fromkeys(kept, "hit")
    }
    assert [("Ana R. Thapa" in html, "Ana Ruiz" in html) for path, (_s, html) in after.items() if path in shown] == [
        (True, False)
    ] * 4


def test_the_cached_thread_is_forgotten_on_each_page(client, pages, commenter, django_capture_on_commit_callbacks):
    footbridge, ward, _bus = pages
    for page in (footbridge, ward):
        assert "<h3>Ana Ruiz</h3>" in client.get(page.url).content.decode()  # the thread is now cached

    rename(commenter, "Ana R. Thapa", django_capture_on_commit_callbacks)

    for page in (footbridge, ward):
        html = client.get(page.url).content.decode()
        assert ("<h3>Ana R. Thapa</h3>" in html, "Ana Ruiz" in html) == (True, False)


@pytest.fixture
def admin_client(db, home_page):
    """Return a client signed in as a superuser of the admin."""
    admin = create_user("chief@example.org", "Mina Chief", verified=None, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client


def admin_edit(admin_client, user, **fields):
    """Post Wagtail's account form for ``user`` with ``fields`` changed; return the response."""
    data = {
        "email": user.email, "first_name": user.first_name, "last_name": user.last_name, "is_active": "on",
        "password1": "", "password2": "", **fields,
    }
    return admin_client.post(reverse("wagtailusers_users:edit", args=[user.pk]), data)


def test_an_admin_edit_of_the_name_purges_the_pages(
    admin_client, page_cache, pages, make_comment, purges, django_capture_on_commit_callbacks
):
    # An account made before display names, named by its first and last names (as the admin edits them).
    footbridge, ward, _bus = pages
    older = create_user("hari@example.org", "", first_name="Hari", last_name="Prasad")
    make_comment(page=ward, user=older, body="Open on Saturdays, please.")
    assert "<h3>Hari Prasad</h3>" in anonymous_page(ward.url)[1]
    assert anonymous_page(ward.url)[0] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_edit(admin_client, older, last_name="Sharma")

    assert response.status_code == 302
    assert [purged.sorted_urls for purged in purges] == [sorted([
        WARD_OFFICE,
        f"{SITE}/comments/feed/",
        f"{SITE}/comments/feed/atom/",
        f"{SITE}/comments/feed/{ward.pk}/",
        f"{SITE}/comments/feed/{ward.pk}/atom/",
    ])]
    status, html = anonymous_page(ward.url)
    assert (status, "<h3>Hari Sharma</h3>" in html, "Hari Prasad" in html) == ("miss", True, False)


def test_an_admin_save_that_keeps_the_shown_name_purges_nothing(
    admin_client, commenter, purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_edit(admin_client, commenter, last_name="Thapa")

    assert response.status_code == 302
    assert purges == []


# --- an account deleted -------------------------------------------------------------------------


def test_a_deleted_account_purges_the_pages_of_its_comments_and_their_counts(
    pages, commenter, purges, django_capture_on_commit_callbacks
):
    from pressclub.members.services import account_delete

    footbridge, ward, _bus = pages
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=commenter, remove_comments=True)

    assert [(purged.reason, purged.sorted_urls) for purged in purges] == [
        ("member_left", sorted([
            *renamed_urls(ward.pk, footbridge.pk),
            f"{FOOTBRIDGE}?comments=2",  # a removal may shorten a split thread by a page
            f"{WARD_OFFICE}?comments=2",
            f"{SITE}/",  # the front page's "Most commented" shows the counts
        ]))
    ]


def test_a_deleted_account_shows_as_a_former_member_on_cached_pages(
    client, page_cache, pages, commenter, django_capture_on_commit_callbacks
):
    from pressclub.comments.services.moderating import FORMER_MEMBER_NAME
    from pressclub.members.services import account_delete

    footbridge, ward, bus = pages
    shown = [footbridge.url, ward.url, "/comments/feed/"]
    for path in shown + [bus.url]:
        anonymous_page(path)
    assert [anonymous_page(path)[0] for path in shown + [bus.url]] == ["hit"] * 4

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=commenter, remove_comments=False)

    after = {path: anonymous_page(path) for path in shown + [bus.url]}
    assert [status for status, _html in after.values()] == ["miss", "miss", "miss", "hit"]
    assert [("Ana Ruiz" in html, str(FORMER_MEMBER_NAME) in html) for path, (_s, html) in after.items()
            if path in shown] == [(False, True)] * 3


def test_a_former_members_comment_is_named_in_the_readers_language(
    client, settings, pages, commenter, django_capture_on_commit_callbacks
):
    from pressclub.members.services import account_delete

    footbridge, _ward, _bus = pages
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=commenter, remove_comments=False)

    english = Client().get(footbridge.url).content.decode()
    nepali = Client(headers={"cookie": f"{settings.LANGUAGE_COOKIE_NAME}=ne"}).get(footbridge.url).content.decode()
    bengali = Client(headers={"cookie": f"{settings.LANGUAGE_COOKIE_NAME}=bn"}).get("/comments/feed/").content.decode()
    assert ("former member" in english, "पूर्व सदस्य" in english) == (True, False)
    assert ("former member" in nepali, "पूर्व सदस्य" in nepali) == (False, True)
    assert "প্রাক্তন সদস্য" in bengali
