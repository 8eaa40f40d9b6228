"""End to end in Debian's chromium: from sign-up to a moderated reply under a story.

Sign up → confirm the address by the e-mailed link → ask to join → an editor admits the reader in
the Wagtail admin → the new member comments → another member replies while the story holds every
comment → a moderator approves the reply in the queue, on a 360 px phone → "2 Responses to …".

Runs against pytest-django's ``live_server`` (a thread of this process, so the locmem e-mail
outbox is shared). Screenshots go to ``test-artifacts/`` beside the checkout (not committed).
Skipped when ``/usr/bin/chromium`` is missing. Never downloads a browser.
"""

import re
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PASSWORD = "correct horse 42"
TIMEOUT_MS = 15_000

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def wagtail_ground(transactional_db):
    """Recreate what Wagtail's and our data migrations put in the database.

    Transactional tests empty every table when they finish, so a test that runs after one finds
    no root page, no locale, no collection and no editorial groups.
    """
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code="en")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    grants = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ) | Permission.objects.filter(content_type__app_label="comments", codename="moderate_comments")
    for name in ("Moderators", "Editors"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*grants)
    editors = Group.objects.get(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="members", codename="decide_membership"))


@pytest.fixture
def editor(db):
    """An editor (Editors group) who admits members and moderates: desk@example.org."""
    user = get_user_model().objects.create_user(
        email="desk@example.org", password=PASSWORD, display_name="Desk Editor", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def second_member(db):
    """A member admitted earlier, Bikash Thapa, with a confirmed address."""
    from allauth.account.models import EmailAddress

    from pressclub.members.services import membership_grant, membership_request

    user = get_user_model().objects.create_user(
        email="bikash@example.org", password=PASSWORD, display_name="Bikash Thapa"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    membership_grant(membership=membership_request(user=user, note="Market reporter"), by=None)
    return user


def link_in_last_mail(to: str, pattern: str) -> str:
    """Return the first URL matching ``pattern`` in the newest e-mail sent to ``to``."""
    messages = [m for m in mail.outbox if to in m.to]
    assert messages, f"no e-mail was sent to {to}; outbox: {[(m.to, m.subject) for m in mail.outbox]}"
    match = re.search(pattern, messages[-1].body)
    assert match, f"no link matching {pattern!r} in: {messages[-1].body}"
    return match.group(0)


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('form button[type="submit"]')
    page.wait_for_load_state()


def sign_in_admin(page, base: str, email: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill('input[name="username"]', email)
    page.fill('input[name="password"]', PASSWORD)
    page.click('form button[type="submit"]')
    page.wait_for_url(f"{base}/admin/")


def test_signup_to_moderated_reply(chromium, live_server, article, editor, second_member, monkeypatch):
    from pressclub.comments import services
    from pressclub.comments.models import Comment, CommentStatus
    from pressclub.members.permissions import is_member
    from pressclub.news.models import ArticlePage

    # A browser posts as fast as it likes; the "faster than anyone can type" check is the comment
    # services' business and has its own tests.
    monkeypatch.setattr(sys.modules[services.comment_submit.__module__], "MIN_SECONDS_TO_SUBMIT", 0)
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    story_url = f"{base}{article.url}"

    # --- Ana signs up and confirms her address by the e-mailed link -----------------------------
    ana = chromium.new_context()
    ana.set_default_timeout(TIMEOUT_MS)
    page = ana.new_page()
    page.goto(f"{base}/accounts/signup/")
    page.fill('input[name="email"]', "Ana.Ruiz@Example.ORG")
    page.fill('input[name="display_name"]', "Ana Ruiz")
    page.fill('input[name="password1"]', PASSWORD)
    page.fill('input[name="password2"]', PASSWORD)
    page.click('form button[type="submit"]')
    page.wait_for_load_state()
    confirm = link_in_last_mail("ana.ruiz@example.org", r"https?://\S+/accounts/confirm-email/[-:\w]+/")
    page.goto(confirm)
    # GET only shows the button: the address is not confirmed yet.
    assert page.get_by_role("button", name="Confirm my e-mail address").is_visible()
    user = get_user_model().objects.get(email="ana.ruiz@example.org")
    assert user.emailaddress_set.get().verified is False
    page.get_by_role("button", name="Confirm my e-mail address").click()
    page.wait_for_load_state()
    assert user.emailaddress_set.get().verified is True

    # --- the name she gave at sign-up is hers everywhere; she asks to join ---------------------
    assert get_user_model().objects.get(pk=user.pk).display_name == "Ana Ruiz"
    if "/accounts/login/" in page.url or page.get_by_role("link", name="Sign in").count():
        sign_in(page, base, "ana.ruiz@example.org")
    assert page.locator("p.acct a").first.inner_text() == "Ana Ruiz"
    page.goto(f"{base}/accounts/membership/")
    page.fill('textarea[name="note"]', "I report on the ward council for a local radio station.")
    page.get_by_role("button", name="Ask to become a member").click()
    page.wait_for_load_state()
    assert "Your request to join is waiting for an editor." in page.content()
    assert is_member(user) is False

    # --- an editor admits her in the Wagtail admin ---------------------------------------------
    desk = chromium.new_context()
    desk.set_default_timeout(TIMEOUT_MS)
    admin = desk.new_page()
    sign_in_admin(admin, base, "desk@example.org")
    admin.goto(f"{base}/admin/members/")
    admin.locator("tr", has_text="ana.ruiz@example.org").get_by_role("link", name="Approve").click()
    admin.wait_for_load_state()
    admin.locator("main form").get_by_role("button", name="Approve").click()
    admin.wait_for_load_state()
    assert is_member(get_user_model().objects.get(pk=user.pk)) is True
    assert any("ana.ruiz@example.org" in m.to for m in mail.outbox[-2:])

    # --- Ana comments; the story shows it at once ----------------------------------------------
    page.goto(story_url)
    page.fill('textarea[name="body"]', "Good news for the *school children* who cross the river every day.")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()
    first = Comment.objects.get(user=user)
    assert first.status == CommentStatus.APPROVED
    assert page.locator("#comments-title").inner_text() == "1 Response to “Council approves new footbridge over the Seti”"

    # --- the desk holds every comment on this story; Bikash replies and waits --------------------
    ArticlePage.objects.filter(pk=article.pk).update(comment_moderation="always")
    bikash = chromium.new_context()
    bikash.set_default_timeout(TIMEOUT_MS)
    reply_page = bikash.new_page()
    sign_in(reply_page, base, "bikash@example.org")
    reply_page.goto(story_url)
    reply_page.locator(f"#comment-{first.pk}").get_by_role("link", name="Reply").first.click()
    reply_page.wait_for_load_state()
    reply_page.fill('textarea[name="body"]', "And for the vegetable sellers from the far bank.")
    reply_page.get_by_role("button", name="Post comment").click()
    reply_page.wait_for_load_state()
    reply = Comment.objects.get(user=second_member)
    assert (reply.status, reply.parent_id) == (CommentStatus.PENDING, first.pk)
    reply_page.goto(story_url)
    assert "awaiting moderation" in reply_page.content()
    assert reply_page.locator("#comments-title").inner_text().startswith("1 Response to ")

    # --- the moderator approves it in the queue, on a 360 px phone ------------------------------
    phone = chromium.new_context(viewport={"width": 360, "height": 740})
    phone.set_default_timeout(TIMEOUT_MS)
    admin = phone.new_page()
    sign_in_admin(admin, base, "desk@example.org")
    admin.goto(f"{base}/admin/comments/")
    assert admin.locator("option", has_text="Pending (1)").count() == 1
    row = admin.locator("tr", has_text="And for the vegetable sellers")
    assert row.is_visible()
    admin.screenshot(path=str(ARTIFACTS / "moderation-queue-360.png"), full_page=True)
    # Every decision is on screen without scrolling sideways: within the 360 px the phone shows.
    for name in ("Approve", "Reject", "Spam"):
        box = row.get_by_role("link", name=name).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, (name, box)
    assert admin.evaluate("document.scrollingElement.scrollWidth") <= 360
    # No members flagged it: its stacked row has no "Flagged by members:" line with nothing after it.
    assert row.locator("td").nth(6).is_hidden()
    row.get_by_role("link", name="Approve").click()
    admin.wait_for_load_state()
    admin.locator("main form").get_by_role("button", name="Approve").click()
    admin.wait_for_load_state()
    assert "Approved: 1 comment." in admin.content()
    assert admin.locator("option", has_text="Pending (0)").count() == 1
    assert admin.locator("option", has_text="Approved (2)").count() == 1
    reply.refresh_from_db()
    assert reply.status == CommentStatus.APPROVED
    assert reply.moderation_actions.get().moderator_id == editor.pk

    # --- counts update for everyone ------------------------------------------------------------
    reader = chromium.new_context()
    reader.set_default_timeout(TIMEOUT_MS)
    anonymous = reader.new_page()
    anonymous.goto(story_url)
    assert anonymous.locator("#comments-title").inner_text() == (
        "2 Responses to “Council approves new footbridge over the Seti”"
    )
    assert "Ana Ruiz" in anonymous.locator(f"#comment-{first.pk} h3").first.inner_text()
    assert "Bikash Thapa" in anonymous.locator(f"#comment-{reply.pk} h3").inner_text()
    assert anonymous.locator(f"#comment-{reply.pk}").inner_text().count("And for the vegetable sellers") == 1
    # The reply is nested inside Ana's comment.
    assert anonymous.locator(f"#comment-{first.pk} #comment-{reply.pk}").count() == 1
    anonymous.screenshot(path=str(ARTIFACTS / "article-with-comments.png"), full_page=True)
    for context in (ana, desk, bikash, reader):
        context.close()
