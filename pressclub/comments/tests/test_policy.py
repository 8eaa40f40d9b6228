"""The comment policy: who may comment where and when, and whether it is held (comment_permission)."""

import datetime as dt

import pytest
from django.utils import timezone

from pressclub.comments.policy import CommentPolicy, comment_permission
from pressclub.core.models import StandardPage

# One front page, section and article for the whole module; what each test writes is undone after it.
# Every test is a database test, so pytest-django runs them all before the transactional ones (the
# browser test), which empty the tables the module's pages live in.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_site")]

# The article was first published 2026-03-14 09:30 UTC (root conftest).
SOON = dt.datetime(2026, 3, 16, 12, 0, tzinfo=dt.UTC)

ACCESS_MATRIX = {
    # access: {person: (allowed, held, reason_code)}
    "anyone": {
        "anonymous": (True, True, "confirm_email"),
        "unverified": (False, False, "unverified"),
        "registered": (True, False, "ok"),
        "requested": (True, False, "ok"),
        "member": (True, False, "ok"),
        "banned": (False, False, "banned"),
        "suspended": (False, False, "suspended"),
    },
    "registered": {
        "anonymous": (False, False, "login_required"),
        "unverified": (False, False, "unverified"),
        "registered": (True, False, "ok"),
        "requested": (True, False, "ok"),
        "member": (True, False, "ok"),
        "banned": (False, False, "banned"),
        "suspended": (False, False, "suspended"),
    },
    "members": {
        "anonymous": (False, False, "login_required"),
        "unverified": (False, False, "unverified"),
        "registered": (False, False, "not_member"),
        "requested": (False, False, "membership_requested"),
        "member": (True, False, "ok"),
        "banned": (False, False, "banned"),
        "suspended": (False, False, "suspended"),
    },
}


@pytest.mark.parametrize(
    "access,kind",
    [(access, kind) for access, row in ACCESS_MATRIX.items() for kind in row],
)
def test_access_matrix(article, policy, person, access, kind):
    policy(access=access)
    decision = comment_permission(user=person(kind), page=article, now=SOON)
    assert (decision.allowed, decision.held, decision.reason_code) == ACCESS_MATRIX[access][kind]


@pytest.mark.parametrize("kind", ["anonymous", "registered", "member", "banned"])
@pytest.mark.parametrize(
    "state,auto_close_days,code",
    [("closed", 0, "closed"), ("hidden", 0, "hidden"), ("open", 2, "auto_closed")],
)
def test_closed_hidden_and_auto_closed_refuse_everyone(article, policy, person, kind, state, auto_close_days, code):
    policy(access="anyone", state=state, auto_close_days=auto_close_days)
    decision = comment_permission(user=person(kind), page=article, now=SOON)
    assert (decision.allowed, decision.reason_code) == (False, code)
    assert decision.section_visible is (code != "hidden")


def test_auto_close_counts_days_from_first_publication(article, policy, person):
    policy(auto_close_days=3)
    member = person("member")
    before = dt.datetime(2026, 3, 17, 9, 29, tzinfo=dt.UTC)
    after = dt.datetime(2026, 3, 17, 9, 30, tzinfo=dt.UTC)
    assert comment_permission(user=member, page=article, now=before).reason_code == "ok"
    decision = comment_permission(user=member, page=article, now=after)
    assert decision.reason_code == "auto_closed"
    assert decision.reason == "Comments closed on 17 March 2026, 3 days after this story was published."


def test_members_only_reason_and_links_for_anonymous(article, policy, person):
    policy(access="members")
    decision = comment_permission(user=person("anonymous"), page=article, now=SOON)
    assert decision.reason == (
        "Only members of this site may post a comment. Register with your e-mail address, then ask to join."
    )
    assert [link.label for link in decision.action_links] == ["Register", "Sign in"]
    assert decision.action_links[0].url == f"/accounts/signup/?next={article.url.replace('/', '%2F')}"


def test_registered_non_member_is_offered_to_ask_to_join(article, policy, person):
    decision = comment_permission(user=person("registered"), page=article, now=SOON)
    assert decision.reason == "Only members of this site may post a comment. Ask to join the club."
    assert [(link.label, link.url) for link in decision.action_links] == [("Ask to join", "/accounts/membership/")]


@pytest.mark.parametrize(
    "mode,days,has_approved,expected",
    [
        ("never", 14, False, (False, "ok")),
        ("always", 14, True, (True, "held_always")),
        ("first", 14, False, (True, "held_first")),
        ("first", 14, True, (False, "ok")),
        ("older_than", 1, False, (True, "held_older_than")),
        ("older_than", 14, False, (False, "ok")),
    ],
)
def test_moderation_modes(article, policy, person, make_comment, mode, days, has_approved, expected):
    policy(moderation=mode, moderation_days=days)
    member = person("member")
    if has_approved:
        make_comment(user=member)
    decision = comment_permission(user=member, page=article, now=SOON)
    assert decision.allowed is True
    assert (decision.held, decision.reason_code) == expected


def test_first_comment_rule_ignores_pending_and_rejected_comments(article, policy, person, make_comment):
    policy(moderation="first")
    member = person("member")
    make_comment(user=member, status="pending")
    make_comment(user=member, status="rejected")
    assert comment_permission(user=member, page=article, now=SOON).reason_code == "held_first"


def test_staff_are_not_held_by_the_moderation_rule(article, policy, moderator):
    policy(moderation="always")
    decision = comment_permission(user=moderator, page=article, now=SOON)
    assert (decision.allowed, decision.held, decision.reason_code) == (True, False, "ok")


def test_page_override_beats_site_setting(article, policy, person):
    policy(access="members", state="open", moderation="never")
    article.comment_access = "anyone"
    article.comment_moderation = "always"
    article.save()
    decision = comment_permission(user=person("registered"), page=article, now=SOON)
    assert (decision.allowed, decision.held, decision.reason_code) == (True, True, "held_always")
    article.comment_state = "closed"
    article.save()
    assert comment_permission(user=person("member"), page=article, now=SOON).reason_code == "closed"


def test_standard_pages_follow_the_site_policy_as_articles_do(home_page, policy, person):
    about = home_page.add_child(instance=StandardPage(title="About the club", slug="about"))
    member = person("member")
    assert comment_permission(user=member, page=about, now=SOON).reason_code == "ok"
    assert comment_permission(user=person("registered"), page=about, now=SOON).reason_code == "not_member"
    about.comment_state = "hidden"
    about.save()
    assert comment_permission(user=member, page=about, now=SOON).reason_code == "hidden"


def test_pages_without_override_fields_are_hidden(home_page, person):
    assert comment_permission(user=person("member"), page=home_page, now=SOON).reason_code == "hidden"


def test_policy_defaults(article):
    policy = CommentPolicy.for_page(article)
    assert (policy.access, policy.moderation, policy.state, policy.flag_threshold, policy.max_links) == (
        "members", "never", "open", 3, 2
    )
    assert (policy.rate_per_minute, policy.rate_per_hour, policy.auto_close_days) == (5, 30, 0)
    for word in ("idiot*", "मूर्ख", "बेवकूफ", "বোকা"):
        assert word in policy.abuse_words.splitlines()


def test_permission_costs_at_most_two_queries_with_a_known_policy(article, person, django_assert_max_num_queries):
    member = person("member")
    policy = CommentPolicy.for_page(article)
    with django_assert_max_num_queries(1):
        assert comment_permission(user=member, page=article, now=SOON, policy=policy).allowed


# --- may edit, delete, flag one comment ---------------------------------------------------------


def test_edit_permission_only_author_within_fifteen_minutes(article, member):
    from django.contrib.auth.models import AnonymousUser

    from pressclub.comments.models import Comment
    from pressclub.comments.policy import edit_permission

    now = timezone.now()
    comment = Comment(page=article, user=member, body="Mine.", status="approved",
                      created_at=now - dt.timedelta(minutes=15))
    assert edit_permission(user=member, comment=comment, now=now).allowed is True
    late = edit_permission(user=member, comment=comment, now=now + dt.timedelta(seconds=1))
    assert (late.allowed, late.reason_code, late.reason) == (
        False, "edit_window", "Comments can be edited for 15 minutes after posting; that time is over."
    )
    assert edit_permission(user=AnonymousUser(), comment=comment, now=now).reason_code == "not_author"
    comment.status = "spam"
    assert edit_permission(user=member, comment=comment, now=now).reason == "This comment can no longer be edited."


def test_flag_permission_members_on_others_shown_comments(article, member):
    from pressclub.comments.models import Comment
    from pressclub.comments.policy import flag_permission
    from pressclub.testing.factories import create_user

    other = create_user("other@example.org", "Other Member", membership="active")
    comment = Comment(page=article, user=other, body="Theirs.", status="approved")
    assert flag_permission(user=member).reason_code == "not_member"  # registered, not a member
    from pressclub.members.models import Membership

    Membership.objects.create(user=member, status="active")
    member = type(member).objects.get(pk=member.pk)  # drop the standing cached on the object
    assert flag_permission(user=member).allowed is True
    assert flag_permission(user=member, comment=comment).allowed is True
    assert flag_permission(user=other, comment=comment).reason_code == "own_comment"
    comment.status = "pending"
    assert flag_permission(user=member, comment=comment).reason_code == "not_visible"
