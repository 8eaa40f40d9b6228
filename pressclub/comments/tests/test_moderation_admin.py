"""The moderation queue in the Wagtail admin (a snippet viewset): access, tabs and counts, filters,
bulk decisions, the audit log."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.utils import timezone

from pressclub.comments.admin_permissions import can_moderate
from pressclub.comments.models import Comment, CommentStatus, ModerationAction

QUEUE = "/admin/comments/"
LOG = "/admin/comments/log/"


def bulk(action, *ids, next_url=""):
    """Return the URL of the bulk decision ``action`` on the comments ``ids``."""
    query = "&".join(f"id={pk}" for pk in ids)
    return f"/admin/bulk/comments/comment/{action}/?{query}" + (f"&next={next_url}" if next_url else "")
XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_BODY = '<script>alert("body")</script> and <a href="javascript:alert(2)">click</a>'

# One front page, section and article for the whole module; what each test writes is undone after it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_site")]
# Queries for one page of the queue, whatever the number of comments on it.
QUEUE_QUERIES = 13  # the flags are prefetched, for their reasons


def make_comment(page, *, status=CommentStatus.PENDING, user=None, name="", body="A fair point.", minutes=0, **extra):
    """Create a comment ``minutes`` after 2026-03-15 08:00 UTC."""
    when = dt.datetime(2026, 3, 15, 8, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
    return Comment.objects.create(
        page=page, user=user, author_name=name, body=body, body_html=f"<p>{body}</p>", status=status,
        created_at=when, **extra,
    )


@pytest.fixture
def second_article(section):
    from pressclub.news.models import ArticlePage

    page = ArticlePage(title="Ward office moves to the old school", dek="Open from Sunday.")
    section.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def reader(db):
    """A second member, Bikash Thapa."""
    return get_user_model().objects.create_user(
        email="bikash@example.org", password="correct horse 42", display_name="Bikash Thapa"
    )


@pytest.fixture
def admin_without_moderation(db):
    """A staff user who may enter the admin (access_admin) but is in no moderating group."""
    group = Group.objects.create(name="Photo desk")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = get_user_model().objects.create_user(
        email="photo@example.org", password="correct horse 42", display_name="Photo Desk", is_staff=True
    )
    user.groups.add(group)
    return user


@pytest.fixture
def mixed(article, second_article, member, reader):
    """Seven comments in every state across two articles; return them by name."""
    return {
        "pending_ana": make_comment(article, user=member, body="First pending", minutes=1),
        "pending_flagged": make_comment(
            article, user=reader, body="Hidden after flags", minutes=2, flag_count=3, holds=[{"reason": "flagged", "detail": "3"}]
        ),
        "approved_flagged": make_comment(
            second_article, user=member, status=CommentStatus.APPROVED, body="Flagged once", minutes=3, flag_count=1
        ),
        "approved": make_comment(article, user=reader, status=CommentStatus.APPROVED, body="Approved", minutes=4),
        "spam": make_comment(article, name="Cheap Pills", status=CommentStatus.SPAM, body="Buy now", minutes=5),
        "rejected": make_comment(article, name="Troll", status=CommentStatus.REJECTED, body="Rude", minutes=6),
        "pending_other": make_comment(second_article, name="Guest Writer", body="Second article pending", minutes=7),
    }


def listed(response):
    return [c.pk for c in response.context["page_obj"].object_list]


def tab_labels(response):
    """Return the Queue filter's choices: {slug: "Label (count)"}."""
    return dict(response.context["filters"].form.fields["queue"].choices)


def messages_of(response):
    return [m.message.strip() for m in get_messages(response.wsgi_request)]


# --- who may moderate -------------------------------------------------------------------------


def test_can_moderate_by_group_permission_and_superuser(moderator, member, admin_without_moderation):
    superuser = get_user_model().objects.create_superuser(email="root@example.org", password="x")
    assert can_moderate(moderator) is True
    assert can_moderate(superuser) is True
    assert can_moderate(member) is False
    assert can_moderate(admin_without_moderation) is False
    admin_without_moderation.groups.first().permissions.add(Permission.objects.get(codename="moderate_comments"))
    admin_without_moderation = get_user_model().objects.get(pk=admin_without_moderation.pk)  # drop perm cache
    assert can_moderate(admin_without_moderation) is True
    moderator.is_active = False
    assert can_moderate(moderator) is False


def test_migration_grants_moderation_to_moderators_and_editors():
    for name in ("Moderators", "Editors"):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert "moderate_comments" in codenames


def test_anonymous_is_sent_to_admin_login(client, mixed):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/comments/"


def test_member_without_admin_access_is_sent_away(client, member, mixed):
    client.force_login(member)
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_user_who_may_not_moderate_is_turned_away_and_changes_nothing(client, admin_without_moderation, mixed):
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
    client.force_login(admin_without_moderation)
    response = client.get(QUEUE)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert [m.strip() for m in messages_of(response)] == ["Sorry, you do not have permission to access this area."]
    assert client.get(LOG)["Location"] == "/admin/"
    pk = mixed["pending_ana"].pk
    response = client.post(bulk("approve", pk), {"note": ""})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert Comment.objects.get(pk=pk).status == CommentStatus.PENDING
    assert ModerationAction.objects.count() == 0


def test_menu_item_shown_only_to_moderators(client, moderator, admin_without_moderation):
    client.force_login(moderator)
    assert b'"/admin/comments/"' in client.get("/admin/").content
    client.force_login(admin_without_moderation)
    assert b'"/admin/comments/"' not in client.get("/admin/").content


def test_nobody_adds_edits_or_deletes_comments_in_the_admin(client, moderator, mixed):
    client.force_login(moderator)
    pk = mixed["pending_ana"].pk
    for url in ("/admin/comments/add/", f"/admin/comments/edit/{pk}/", f"/admin/comments/delete/{pk}/"):
        assert client.get(url)["Location"] == "/admin/"
    assert client.get(f"/admin/comments/inspect/{pk}/").status_code == 200


# --- tabs, counts, filters, pagination --------------------------------------------------------


def test_tabs_list_the_right_comments_with_exact_counts(client, moderator, mixed):
    client.force_login(moderator)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert tab_labels(response) == {
        "pending": "Pending (3)",
        "flagged": "Flagged (2)",
        "spam": "Spam (1)",
        "approved": "Approved (2)",
        "rejected": "Rejected (1)",
    }
    html = response.content.decode()
    for label in ("Pending (3)", "Flagged (2)", "Spam (1)", "Approved (2)", "Rejected (1)"):
        assert label in html
    assert 'href="/admin/comments/log/"' in html  # the audit log, one click away
    # Work queues oldest first.
    assert listed(response) == [mixed["pending_ana"].pk, mixed["pending_flagged"].pk, mixed["pending_other"].pk]
    assert listed(client.get(QUEUE, {"queue": "flagged"})) == [mixed["pending_flagged"].pk, mixed["approved_flagged"].pk]
    assert listed(client.get(QUEUE, {"queue": "spam"})) == [mixed["spam"].pk]
    # Archives newest first.
    assert listed(client.get(QUEUE, {"queue": "approved"})) == [mixed["approved"].pk, mixed["approved_flagged"].pk]
    assert listed(client.get(QUEUE, {"queue": "rejected"})) == [mixed["rejected"].pk]
    # An unknown tab falls back to Pending.
    assert listed(client.get(QUEUE, {"queue": "nonsense"})) == listed(response)


def test_filter_by_page(client, moderator, mixed, second_article):
    client.force_login(moderator)
    response = client.get(QUEUE, {"queue": "pending", "page": second_article.pk})
    assert listed(response) == [mixed["pending_other"].pk]
    assert tab_labels(response) == {
        "pending": "Pending (1)",
        "flagged": "Flagged (1)",
        "spam": "Spam (0)",
        "approved": "Approved (1)",
        "rejected": "Rejected (0)",
    }
    # The tabs keep the page filter.
    assert listed(client.get(QUEUE, {"queue": "approved", "page": second_article.pk})) == [
        mixed["approved_flagged"].pk
    ]


def test_search_by_author_name_or_email(client, moderator, mixed):
    client.force_login(moderator)
    assert listed(client.get(QUEUE, {"q": "ana.ruiz@"})) == [mixed["pending_ana"].pk]
    assert listed(client.get(QUEUE, {"q": "thapa"})) == [mixed["pending_flagged"].pk]
    assert listed(client.get(QUEUE, {"q": "guest"})) == [mixed["pending_other"].pk]
    response = client.get(QUEUE, {"q": "nobody-at-all"})
    assert listed(response) == []
    assert "No comments match your query." in response.content.decode()


def test_bad_filter_values_show_the_queue_not_an_error(client, moderator, mixed):
    client.force_login(moderator)
    response = client.get(QUEUE, {"page": "abc", "p": "zzz"})
    assert response.status_code == 200
    assert len(listed(response)) == 3
    assert "Enter a number." in response.content.decode()


def test_pagination_fifty_a_page(client, moderator, article):
    Comment.objects.bulk_create(
        Comment(page=article, author_name=f"Reader {i}", body=f"Comment {i}", created_at=timezone.now())
        for i in range(51)
    )
    client.force_login(moderator)
    first = client.get(QUEUE)
    assert len(listed(first)) == 50
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(QUEUE, {"p": 2})
    assert len(listed(second)) == 1
    assert tab_labels(second)["pending"] == "Pending (51)"


def test_queue_query_count_does_not_grow_with_comments(client, moderator, article, member, reader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_queue():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(QUEUE)
        assert response.status_code == 200
        return len(captured.captured_queries), len(listed(response))

    def add(count):
        # Replies, half by accounts and half by guests: the rows show the parent's author too.
        Comment.objects.bulk_create(
            Comment(page=article, parent=parent, user=(member, None)[i % 2], author_name="Guest",
                    body=f"Comment {i}", created_at=timezone.now())
            for i in range(count)
        )

    client.force_login(moderator)
    parent = make_comment(article, user=reader, status=CommentStatus.APPROVED, body="Parent")
    add(5)
    client.get(QUEUE)  # warm the site-root and permission caches
    few = queries_for_queue()
    add(35)
    many = queries_for_queue()
    assert (few[1], many[1]) == (5, 40)
    assert few[0] == many[0] == QUEUE_QUERIES


# --- inert output -----------------------------------------------------------------------------


def test_names_urls_and_bodies_render_inert(client, moderator, article):
    make_comment(article, name=XSS_NAME, body=XSS_BODY, author_url="https://example.org/\"><script>alert(3)</script>")
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    assert "<img src=x onerror=alert(1)>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<script>alert("body")</script>' not in html
    assert "&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;" in html
    assert 'href="javascript:alert(2)"' not in html
    assert "<script>alert(3)</script>" not in html


# --- bulk decisions and the audit log ---------------------------------------------------------


def test_bulk_approve_changes_status_and_logs_who_and_what(client, moderator, mixed):
    client.force_login(moderator)
    ids = [mixed["pending_ana"].pk, mixed["pending_other"].pk]
    confirm = client.get(bulk("approve", *ids))
    assert confirm.status_code == 200
    assert Comment.objects.filter(pk__in=ids, status=CommentStatus.PENDING).count() == 2  # GET decides nothing
    response = client.post(bulk("approve", *ids, next_url="/admin/comments/%3Fqueue%3Dpending"), {"note": "Both fine"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/comments/?queue=pending"
    assert messages_of(response) == ["Approved: 2 comments."]
    assert set(Comment.objects.filter(pk__in=ids).values_list("status", flat=True)) == {CommentStatus.APPROVED}
    rows = list(ModerationAction.objects.order_by("pk").values_list(
        "comment_id", "moderator_id", "moderator_email", "verb", "channel", "from_status", "to_status", "note"
    ))
    assert rows == [
        (ids[0], moderator.pk, "moderator@example.org", "approve", "queue", "pending", "approved", "Both fine"),
        (ids[1], moderator.pk, "moderator@example.org", "approve", "queue", "pending", "approved", "Both fine"),
    ]
    # The approved tab now counts 4.
    assert tab_labels(client.get(QUEUE))["approved"] == "Approved (4)"


def test_bulk_reject_and_mark_spam(client, moderator, mixed):
    client.force_login(moderator)
    client.post(bulk("reject", mixed["pending_ana"].pk), {"note": ""})
    client.post(bulk("spam", mixed["pending_other"].pk, mixed["approved"].pk), {"note": ""})
    assert Comment.objects.get(pk=mixed["pending_ana"].pk).status == CommentStatus.REJECTED
    assert Comment.objects.get(pk=mixed["pending_other"].pk).status == CommentStatus.SPAM
    assert Comment.objects.get(pk=mixed["approved"].pk).status == CommentStatus.SPAM
    assert list(ModerationAction.objects.order_by("pk").values_list("verb", "from_status", "to_status")) == [
        ("reject", "pending", "rejected"),
        ("spam", "approved", "spam"),  # selected comments are decided oldest first
        ("spam", "pending", "spam"),
    ]
    response = client.get(QUEUE)
    assert tab_labels(response) == {
        "pending": "Pending (1)",
        "flagged": "Flagged (2)",
        "spam": "Spam (3)",
        "approved": "Approved (1)",
        "rejected": "Rejected (2)",
    }


def test_row_buttons_decide_one_comment(client, moderator, mixed):
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    pk = mixed["pending_flagged"].pk
    approve = f"/admin/bulk/comments/comment/approve/?id={pk}&amp;next=%2Fadmin%2Fcomments%2F"
    assert approve in html
    client.post(approve.replace("&amp;", "&"), {"note": ""})
    assert Comment.objects.get(pk=pk).status == CommentStatus.APPROVED
    assert Comment.objects.get(pk=mixed["pending_ana"].pk).status == CommentStatus.PENDING
    assert ModerationAction.objects.get().verb == "approve"
    # A shown, flagged comment is offered "Keep (dismiss flags)" instead of Approve.
    flagged_html = client.get(QUEUE, {"queue": "flagged"}).content.decode()
    assert "Keep (dismiss flags)" in flagged_html


def test_ban_author_bans_and_rejects_once_per_author(client, moderator, mixed, member):
    from pressclub.members.permissions import is_banned

    second = make_comment(mixed["approved"].page, user=member, body="Another", minutes=9)
    client.force_login(moderator)
    response = client.post(bulk("ban", mixed["pending_ana"].pk, second.pk), {"note": "Repeated abuse"})
    assert response.status_code == 302
    member = get_user_model().objects.get(pk=member.pk)
    assert is_banned(member) is True
    assert set(Comment.objects.filter(pk__in=[mixed["pending_ana"].pk, second.pk]).values_list("status", flat=True)) == {
        CommentStatus.REJECTED
    }
    assert list(ModerationAction.objects.order_by("pk").values_list("verb", "to_status", "note")) == [
        ("ban", "rejected", "Repeated abuse"),
        ("ban", "rejected", "Repeated abuse"),
    ]


def test_ban_refused_for_comment_without_account(client, moderator, mixed):
    client.force_login(moderator)
    response = client.post(bulk("ban", mixed["pending_other"].pk), {"note": "Spam"})
    assert response.status_code == 200  # the confirm page again, saying why
    assert f"Comment {mixed['pending_other'].pk} by Guest Writer has no account" in response.content.decode()
    assert Comment.objects.get(pk=mixed["pending_other"].pk).status == CommentStatus.PENDING
    assert ModerationAction.objects.count() == 0


@pytest.mark.parametrize(
    "url, status",
    [
        ("/admin/bulk/comments/comment/publish/?id=1", 404),  # no such decision
        ("/admin/bulk/comments/comment/approve/?id=999999", 404),  # no such comment
        ("/admin/bulk/comments/comment/approve/", 404),  # nothing selected
        ("/admin/bulk/comments/comment/approve/?id=abc", 404),
    ],
)
def test_invalid_bulk_posts_change_nothing(client, moderator, mixed, url, status):
    client.force_login(moderator)
    response = client.post(url, {"note": "", "next": "https://evil.example.com/"})
    assert response.status_code == status
    assert ModerationAction.objects.count() == 0
    assert Comment.objects.filter(status=CommentStatus.PENDING).count() == 3


def test_bulk_decision_never_redirects_off_site(client, moderator, mixed):
    client.force_login(moderator)
    pk = mixed["pending_ana"].pk
    response = client.post(bulk("reject", pk, next_url="https://evil.example.com/"), {"note": ""})
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example.com")


def test_ban_needs_a_reason(client, moderator, mixed, member):
    from pressclub.members.permissions import is_banned

    client.force_login(moderator)
    response = client.post(bulk("ban", mixed["pending_ana"].pk), {"note": "  "})
    assert response.status_code == 200
    assert "Give a reason in the note to ban an author: they receive it by e-mail." in response.content.decode()
    assert messages_of(response) == []
    assert is_banned(member) is False
    assert Comment.objects.get(pk=mixed["pending_ana"].pk).status == CommentStatus.PENDING


def test_approving_a_shown_flagged_comment_dismisses_its_flags(client, moderator, mixed):
    client.force_login(moderator)
    pk = mixed["approved_flagged"].pk
    client.post(bulk("approve", pk), {"note": ""})
    assert Comment.objects.filter(pk=pk).values_list("status", "flag_count").get() == ("approved", 0)
    assert listed(client.get(QUEUE, {"queue": "flagged"})) == [mixed["pending_flagged"].pk]
    assert ModerationAction.objects.values_list("verb", "from_status", "to_status").get() == (
        "approve", "approved", "approved"
    )


def test_a_second_identical_decision_is_not_logged_again(client, moderator, mixed):
    client.force_login(moderator)
    url = bulk("reject", mixed["pending_ana"].pk)
    client.post(url, {"note": ""})
    client.get(QUEUE)  # shows (and so consumes) the first message
    response = client.post(url, {"note": ""})
    assert messages_of(response) == ["Nothing changed: the selected comments were already in that state."]
    assert ModerationAction.objects.count() == 1


def test_log_lists_decisions_newest_first(client, moderator, mixed):
    client.force_login(moderator)
    client.post(bulk("reject", mixed["pending_ana"].pk), {"note": "Off topic"})
    client.post(bulk("approve", mixed["pending_other"].pk), {"note": ""})
    response = client.get(LOG)
    assert response.status_code == 200
    assert [a.verb for a in response.context["page_obj"].object_list] == ["approve", "reject"]
    html = response.content.decode()
    assert "Rejected (pending → rejected) via moderation queue" in html
    assert "Off topic" in html
    assert "Desk Editor" in html
    assert [a.verb for a in client.get(LOG, {"verb": "reject"}).context["page_obj"].object_list] == ["reject"]


def test_dashboard_counts_comments_awaiting_moderation(client, moderator, admin_without_moderation, mixed):
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert '<a href="/admin/comments/">3 comments to moderate</a>' in html
    client.force_login(admin_without_moderation)
    assert "to moderate</a>" not in client.get("/admin/").content.decode()


def test_group_editor_offers_the_moderation_permission(client):
    superuser = get_user_model().objects.create_superuser(email="root@example.org", password="x")
    client.force_login(superuser)
    moderators = Group.objects.get(name="Moderators")
    response = client.get(f"/admin/groups/edit/{moderators.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    permission = Permission.objects.get(codename="moderate_comments")
    [tag] = re.findall(rf'<input[^>]*value="{permission.pk}"[^>]*>', html)
    assert 'type="checkbox"' in tag
    assert "checked" in tag  # the migration granted it to Moderators


def test_the_queue_shows_why_members_flagged_a_comment(client, moderator, mixed, member, reader):
    from pressclub.comments.admin_views import flag_reasons_text
    from pressclub.comments.models import CommentFlag

    comment = mixed["approved_flagged"]
    third = get_user_model().objects.create_user(email="c@example.org", password="x", display_name="Chitra")
    for user, reason in ((member, "Names a  minor"), (reader, "Names a minor"), (third, "Off topic")):
        CommentFlag.objects.create(comment=comment, user=user, reason=reason)
    assert flag_reasons_text(Comment.objects.prefetch_related("flags").get(pk=comment.pk)) == (
        "3: “Names a minor” (2×); “Off topic”"
    )
    assert flag_reasons_text(Comment.objects.prefetch_related("flags").get(pk=mixed["pending_ana"].pk)) == ""
    client.force_login(moderator)
    html = client.get(QUEUE, {"queue": "flagged"}).content.decode()
    assert "Flagged by members" in html
    assert "3: “Names a minor” (2×); “Off topic”" in html


def test_only_the_ban_page_says_its_note_is_e_mailed(client, moderator, mixed):
    client.force_login(moderator)
    pk = mixed["pending_ana"].pk
    reject = client.get(bulk("reject", pk)).content.decode()
    assert "Kept in the moderation log." in reject and "e-mailed" not in reject
    ban = client.get(bulk("ban", pk)).content.decode()
    assert "Kept in the moderation log and e-mailed to the author as the reason for the ban." in ban
