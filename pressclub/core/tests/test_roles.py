"""The editorial roles migration, the review workflow and scheduled publishing."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page, Revision, WorkflowPage

from pressclub.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def _page_codenames(name):
    root = Page.get_first_root_node()
    return sorted(
        GroupPagePermission.objects.filter(group__name=name, page=root).values_list("permission__codename", flat=True)
    )


def _user_in(group_name, email):
    user = get_user_model().objects.create_user(email=email, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_roles_have_exactly_their_page_permissions_on_the_root_page():
    assert _page_codenames("Reporters") == ["add_page", "change_page"]
    assert _page_codenames("Editors") == ["add_page", "change_page", "lock_page", "publish_page", "unlock_page"]
    assert _page_codenames("Moderators") == []


def test_every_role_gets_into_the_admin_and_only_editors_manage_authors():
    for name in ("Reporters", "Editors", "Moderators"):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert "access_admin" in codenames
        assert ("change_author" in codenames) is (name == "Editors")
        assert not codenames & {"add_image", "change_image", "delete_image", "add_document"}


def test_collection_permissions_per_role():
    def codenames(name):
        return sorted(
            GroupCollectionPermission.objects.filter(group__name=name).values_list("permission__codename", flat=True)
        )

    assert codenames("Reporters") == ["add_document", "add_image", "choose_document", "choose_image"]
    assert codenames("Editors") == [
        "add_document", "add_image", "change_document", "change_image",
        "choose_document", "choose_image", "delete_document", "delete_image",
    ]  # fmt: skip
    assert codenames("Moderators") == []


def test_review_workflow_on_the_root_page_is_approved_by_editors():
    workflow = WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow
    assert workflow.name == "editors' review"
    assert workflow.active is True
    tasks = [task.specific for task in workflow.tasks]
    assert [task.name for task in tasks] == ["Editors approve"]
    assert [g.name for g in tasks[0].groups.all()] == ["Editors"]
    # Every article falls under it, whatever its section.
    assert workflow.pk == Page.get_first_root_node().get_workflow().pk


def test_reporter_may_edit_but_not_publish_editor_may_publish_moderator_neither(article):
    reporter = _user_in("Reporters", "reporter@example.org")
    editor = _user_in("Editors", "editor@example.org")
    moderator = _user_in("Moderators", "mod@example.org")
    assert article.get_workflow().name == "editors' review"
    for user, can_edit, can_publish in ((reporter, True, False), (editor, True, True), (moderator, False, False)):
        tester = article.permissions_for_user(user)
        assert (tester.can_edit(), tester.can_publish()) == (can_edit, can_publish), user.email
    assert article.permissions_for_user(editor).can_lock() is True
    assert article.permissions_for_user(reporter).can_lock() is False


def test_publish_scheduled_publishes_a_page_whose_go_live_time_has_passed(section, author):
    page = ArticlePage(title="Night bus service resumes", go_live_at=timezone.now() + dt.timedelta(hours=1))
    section.add_child(instance=page)
    page.save_revision().publish()  # go_live_at in the future: scheduled, not live
    page.refresh_from_db()
    assert page.live is False
    revision = Revision.page_revisions.get(object_id=str(page.pk), approved_go_live_at__isnull=False)
    # The hour passes: move the approved go-live time (and the one stored in the revision) into the past.
    past = timezone.now() - dt.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])

    call_command("publish_scheduled", verbosity=0)

    page.refresh_from_db()
    assert page.live is True
    assert ArticlePage.objects.published().filter(pk=page.pk).count() == 1
