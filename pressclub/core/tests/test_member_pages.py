"""Members served from a shared copy of the page: byte for byte a full render, nothing of one
member in another's page, a fixed number of queries, and fresh after every purge."""

import datetime as dt
import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.utils import timezone

from pressclub.comments.models import Comment
from pressclub.comments.services.moderating import comment_approve
from pressclub.testing import factories

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
IDEMPOTENCY = re.compile(r'name="idempotency_key" value="[0-9a-f]{32}"')
STARTED = re.compile(r'name="started" value="[A-Za-z0-9_:\-]+"')


def normalised(response) -> str:
    """Return the page's HTML with what changes on every render (CSRF token, form token and time) blanked."""
    text = response.content.decode()
    text = CSRF.sub('name="csrfmiddlewaretoken" value="-"', text)
    text = IDEMPOTENCY.sub('name="idempotency_key" value="-"', text)
    return STARTED.sub('name="started" value="-"', text)


@pytest.fixture
def readers(db, moderator):
    """Return the readers compared: members with and without comments, a moderator, an editor, staff."""
    return {
        "member": factories.create_user("ana.ruiz@example.org", "Ana Ruiz", membership="active",
                                        notify_replies=False),
        "commenter": factories.create_user("bikash@example.org", "Bikash Rai", membership="active"),
        "registered": factories.create_user("chandra@example.org", "Chandra <b>K.C.</b>"),
        "moderator": moderator,
        "editor": factories.create_user("editor@example.org", "Page Editor", groups=("Editors",)),
        "staff": factories.create_user("staff@example.org", "Office Staff", is_staff=True),
    }


@pytest.fixture
def thread(article, readers, make_comment):
    """Give the article a thread: others' comments, and the commenter's own approved (one still
    editable), a reply to one, and a comment awaiting moderation."""
    first = make_comment()
    make_comment(user=readers["member"])
    make_comment(user=readers["commenter"])
    make_comment(user=readers["commenter"], parent=first)
    make_comment(user=readers["commenter"], created_at=timezone.now() - dt.timedelta(minutes=2))
    make_comment(user=readers["commenter"], status="pending", parent=first, created_at=timezone.now())
    return first


def _get(client, url, language):
    client.cookies["pressclub_language"] = language
    return client.get(url)


@pytest.mark.parametrize("language", ["en", "ne"])
@pytest.mark.parametrize("who", ["member", "commenter", "registered", "moderator", "editor", "staff"])
def test_the_shared_copy_is_the_full_render(client, settings, page_cache, readers, thread, article, section,
                                            home_page, who, language):
    client.force_login(readers[who])
    for url in (article.url, home_page.url, section.url, f"{article.url}?replyto={thread.pk}"):
        settings.PRESSCLUB_PAGE_CACHE_SECONDS = 0
        full = _get(client, url, language)
        settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300
        made = _get(client, url, language)
        served = _get(client, url, language)

        assert full.status_code == made.status_code == served.status_code == 200
        assert "X-Page-Cache" not in full
        shared = who not in ("moderator", "editor")  # Wagtail's userbar is theirs alone
        assert (made.get("X-Page-Cache"), served.get("X-Page-Cache")) == (
            ("member-miss", "member-hit") if shared else (None, None)
        )
        assert normalised(made) == normalised(full)
        assert normalised(served) == normalised(full)
        assert served["Cache-Control"] == "private, no-store"


def test_what_a_commenter_gets_in_the_holes(client, page_cache, readers, thread, article):
    commenter = readers["commenter"]
    client.force_login(readers["member"])
    client.get(article.url)  # the copy is made for another member
    client.force_login(commenter)

    page = client.get(article.url)
    html = page.content.decode()

    assert page["X-Page-Cache"] == "member-hit"
    # Delete on their four comments; Edit on the two written less than 15 minutes ago.
    assert (html.count("/edit/"), html.count("/delete/")) == (2, 4)
    assert "Your comment is awaiting moderation." in html
    assert '<input type="checkbox" name="notify_on_reply" id="id_notify_on_reply" checked>' in html
    assert ">Bikash Rai</a>" in html and ">Ana Ruiz</a>" not in html


def test_one_members_name_token_and_links_never_reach_another(page_cache, readers, thread, article):
    commenter_client, member_client = Client(), Client()
    commenter_client.force_login(readers["commenter"])
    member_client.force_login(readers["member"])
    first = commenter_client.get(article.url)

    other = member_client.get(article.url)
    html = other.content.decode()
    tokens = CSRF.findall(html)

    assert (first["X-Page-Cache"], other["X-Page-Cache"]) == ("member-miss", "member-hit")
    assert '<p class="acct"><a href="/accounts/profile/">Ana Ruiz</a>' in html
    assert "Bikash Rai</a> <a" not in html
    assert "Your comment is awaiting moderation." not in html
    assert (html.count("/edit/"), html.count("/delete/")) == (0, 1)  # Ana's own (older) comment
    assert '<input type="checkbox" name="notify_on_reply" id="id_notify_on_reply">' in html
    secrets = [_unmask_cipher_token(token) for token in tokens + CSRF.findall(first.content.decode())]
    assert secrets == [member_client.cookies["csrftoken"].value, commenter_client.cookies["csrftoken"].value]
    assert secrets[0] != secrets[1]


def test_a_member_hit_costs_no_query(client, settings, page_cache, readers, thread, article,
                                     django_assert_num_queries):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(readers["member"])
    client.get(article.url)

    # The session, the account's row, its standing and the pages where it has comments awaiting
    # moderation are all cached.
    with django_assert_num_queries(0):
        response = client.get(article.url)
    assert response["X-Page-Cache"] == "member-hit"

    client.get("/")
    with django_assert_num_queries(0):
        assert client.get("/")["X-Page-Cache"] == "member-hit"


def test_publishing_and_approving_make_the_member_copy_fresh(client, page_cache, readers, thread, article, moderator,
                                                            django_capture_on_commit_callbacks):
    client.force_login(readers["member"])
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "member-hit"

    article.title = "Footbridge vote postponed"
    article.save_revision().publish()
    published = client.get(article.url)
    assert published["X-Page-Cache"] == "member-miss"
    assert "Footbridge vote postponed" in published.content.decode()

    pending = Comment.objects.get(status="pending")
    assert f'id="comment-{pending.pk}"' not in client.get(article.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the purge runs once the approval commits
        comment_approve(comment=pending, moderator=moderator)
    approved = client.get(article.url)
    assert approved["X-Page-Cache"] == "member-miss"
    assert f'id="comment-{pending.pk}"' in approved.content.decode()


def test_a_member_with_messages_waiting_gets_a_full_render(client, rf, page_cache, readers, article):
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    client.force_login(readers["member"])
    client.get(article.url)
    client.cookies["messages"] = CookieStorage(rf.get("/"))._encode([Message(20, "Your profile is saved.")])

    response = client.get(article.url)

    assert "X-Page-Cache" not in response
    assert "Your profile is saved." in response.content.decode()
    assert client.get(article.url)["X-Page-Cache"] == "member-hit"  # shown once, then gone


def test_other_pages_render_for_the_member_alone(client, page_cache, readers, article):
    client.force_login(readers["member"])

    profile = client.get("/accounts/profile/")

    assert profile.status_code == 200 and "X-Page-Cache" not in profile
    assert '<p class="acct"><a href="/accounts/profile/">Ana Ruiz</a>' in profile.content.decode()
    assert "pressclubhole" not in profile.content.decode()


def test_a_page_under_a_view_restriction_is_not_shared(client, page_cache, readers, article):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(readers["member"])

    responses = [client.get(article.url), client.get(article.url)]

    assert [(r.status_code, r.get("X-Page-Cache")) for r in responses] == [(200, None), (200, None)]
    assert "pressclubhole" not in responses[1].content.decode()


@pytest.mark.parametrize("path", ["/label/infrastructure/", "/authors/asha-gurung/", "/2026/03/", "/feeds/rss/"])
def test_label_author_archive_and_feed_pages_are_shared_too(client, settings, page_cache, readers, article, path):
    client.force_login(readers["member"])
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 0
    full = client.get(path)
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300

    made, served = client.get(path), client.get(path)

    assert (full.status_code, made["X-Page-Cache"], served["X-Page-Cache"]) == (200, "member-miss", "member-hit")
    assert normalised(served) == normalised(full)


def test_first_comment_moderation_keeps_each_members_page_their_own(client, settings, page_cache, readers, article):
    from wagtail.models import Site

    from pressclub.comments.models import CommentPolicySettings

    policy = CommentPolicySettings.for_site(Site.objects.get(is_default_site=True))
    policy.moderation = "first"
    policy.save()
    client.force_login(readers["member"])
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 0
    full = client.get(article.url)
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300

    responses = [client.get(article.url), client.get(article.url)]

    # Whether the form says "your first comment is read by a moderator" depends on the member's past.
    assert [r.get("X-Page-Cache") for r in responses] == [None, None]
    assert "Your first comment is read by a moderator before it appears." in full.content.decode()
    assert normalised(responses[1]) == normalised(full)


def test_a_members_comment_awaiting_moderation_shows_on_their_shared_page_until_decided(
        client, page_cache, readers, article, moderator, django_capture_on_commit_callbacks):
    from pressclub.comments.services.moderating import comment_reject

    member = readers["member"]
    client.force_login(member)
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "member-hit"  # "no comments awaiting" is cached now

    with django_capture_on_commit_callbacks(execute=True):
        held = factories.create_comment(article, user=member, status="pending", body="Held for a moderator.")
    page = client.get(article.url)
    assert page["X-Page-Cache"] == "member-hit"
    assert page.content.decode().count(f'id="comment-{held.pk}"') == 1
    assert "Held for a moderator." in page.content.decode()
    other = Client()
    other.force_login(readers["commenter"])
    assert "Held for a moderator." not in other.get(article.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        comment_reject(comment=held, moderator=moderator)
    assert f'id="comment-{held.pk}"' not in client.get(article.url).content.decode()


def test_the_userbar_shows_for_those_who_may_open_the_admin_and_costs_members_no_query(client, readers, article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for who, shown in (("member", False), ("staff", False), ("editor", True), ("moderator", True)):
        client.force_login(readers[who])
        client.get(article.url)
        with CaptureQueriesContext(connection) as captured:
            html = client.get(article.url).content.decode()
        assert ("<template id=\"wagtail-userbar-template\">" in html, who) == (shown, who)
        permission_reads = [q for q in captured.captured_queries
                            if re.match(r'SELECT [^()]* FROM "auth_permission"', q["sql"])]
        # Members' pages never read permissions; the userbar reads an editor's own and their groups'.
        assert (len(permission_reads), who) == ((2 if shown else 0), who)


def test_one_member_copy_serves_every_encoding(client, page_cache, readers, article):
    client.force_login(readers["member"])
    first = client.get(article.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert (first["X-Page-Cache"], first["Content-Encoding"]) == ("member-miss", "gzip")
    answers = [client.get(article.url, HTTP_ACCEPT_ENCODING=coding) for coding in ("gzip", "identity", "br, gzip")]
    assert [(a["X-Page-Cache"], a.get("Content-Encoding")) for a in answers] == [
        ("member-hit", "gzip"), ("member-hit", None), ("member-hit", "gzip")
    ]


def test_a_member_hit_reads_the_cache_three_times(client, settings, page_cache, readers, thread, article,
                                                   monkeypatch):
    from django.core.cache import caches

    from pressclub.core import cache as page_cache
    from pressclub.core.tests.test_page_cache import AllReads

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    member = readers["member"]
    client.force_login(member)
    client.get(article.url)
    assert client.get(article.url)["X-Page-Cache"] == "member-hit"
    counting = AllReads(caches["default"])
    monkeypatch.setattr(page_cache, "_cache", lambda: counting)
    monkeypatch.setattr(caches._connections, "default", counting, raising=False)

    response = client.get(article.url)

    assert response["X-Page-Cache"] == "member-hit"
    session, breaking, ahead = counting.reads
    assert session == [f"django.contrib.sessions.cached_db{client.session.session_key}"]
    assert breaking == [page_cache.GENERATION_KEY, "pressclub:breaking"]
    # The generation, the path's version, the account's row and standing, its pending comments.
    assert ahead[:2] == [page_cache.GENERATION_KEY, page_cache.version_key(article.url)]
    assert [key.split(":")[1] for key in ahead[2:]] == [
        "session-user", "page-version", "standing", "comments-pending", "page-version"
    ]


def test_a_member_hit_carries_the_policy_headers_of_a_full_render(client, settings, page_cache, readers, article):
    client.force_login(readers["member"])
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 0
    full = client.get(article.url)
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300
    client.get(article.url)
    hits = [client.get(article.url), client.get(article.url)]  # the headers built, then remembered
    for hit in hits:
        assert hit["X-Page-Cache"] == "member-hit"
        for name in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options"):
            assert hit[name] == full[name], name
    assert "frame-ancestors 'none'" in hits[1]["Content-Security-Policy"]


def test_a_comment_posted_with_a_member_hits_token_passes_the_csrf_check(page_cache, readers, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(readers["member"])
    client.get(article.url)
    hit = client.get(article.url)
    assert hit["X-Page-Cache"] == "member-hit"
    token = CSRF.search(hit.content.decode()).group(1)
    assert _unmask_cipher_token(token) == client.cookies["csrftoken"].value
    refused = client.post(article.url, {"csrfmiddlewaretoken": "x" * 64})
    accepted = client.post(article.url, {"csrfmiddlewaretoken": token})
    assert (refused.status_code, accepted.status_code != 403) == (403, True)
