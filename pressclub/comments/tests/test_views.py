"""Reader views: posting (PRG, errors keeping text, CSRF, double POST), reply, edit, delete, flag,
confirmation of anonymous comments, unsubscribe, and the feeds."""

import datetime as dt
import re

import feedparser
import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from pressclub.comments.models import Comment, NotificationOptOut
from pressclub.comments.tokens import confirm_token, confirm_token_read, started_token, unsubscribe_token

# One front page, section and article for the whole module; what each test writes is undone after it.
# Every test is a database test, so pytest-django runs them all before the transactional ones (the
# browser test), which empty the tables the module's pages live in.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_site")]

XSS = "<img src=x onerror=alert(1)>"


def post_data(body="The footbridge will help the school children.", key="form-key-1", **extra):
    data = {
        "body": body,
        "idempotency_key": key,
        "started": started_token(timezone.now() - dt.timedelta(seconds=20)),
        "homepage": "",
        "parent": "",
    }
    data.update(extra)
    return data


@pytest.fixture
def member_client(client, club_member):
    client.force_login(club_member)
    return client


def test_post_redirects_to_the_new_comment(member_client, article):
    response = member_client.post(f"/comments/post/{article.pk}/", post_data())
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{article.url}#comment-{comment.pk}"
    assert comment.status == "approved"


def test_a_page_restricted_or_unpublished_since_the_last_post_takes_no_more(member_client, article, section):
    from wagtail.models import PageViewRestriction

    url = f"/comments/post/{article.pk}/"
    assert member_client.post(url, post_data(body="First.", key="one")).status_code == 303
    restriction = PageViewRestriction.objects.create(page=section, restriction_type="login")
    assert member_client.post(url, post_data(body="Second.", key="two")).status_code == 404
    restriction.delete()
    assert member_client.post(url, post_data(body="Third.", key="three")).status_code == 303
    article.unpublish()
    assert member_client.post(url, post_data(body="Fourth.", key="four")).status_code == 404
    assert list(Comment.objects.order_by("pk").values_list("body", flat=True)) == ["First.", "Third."]


def test_double_post_creates_one_comment_and_one_notification(client, article, club_member, other_member,
                                                              django_capture_on_commit_callbacks):
    parent = Comment.objects.create(page=article, user=club_member, body="Will it hold?",
                                    body_html="<p>Will it hold?</p>", status="approved", notify_on_reply=True)
    client.force_login(other_member)
    data = post_data(body="Yes, steel cables.", key="same-form", parent=str(parent.pk))
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/comments/post/{article.pk}/", data)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(f"/comments/post/{article.pk}/", data)
    reply = Comment.objects.get(parent=parent)
    assert first["Location"] == second["Location"] == f"{article.url}#comment-{reply.pk}"
    assert Comment.objects.count() == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana.ruiz@example.org"]
    assert message.subject == "Bikash Thapa replied to your comment on “Council approves new footbridge over the Seti”"
    assert "Yes, steel cables." in message.body
    unsubscribe_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe_url.startswith("http://localhost/comments/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url in message.body


def test_back_and_resend_says_already_posted_and_links_it(member_client, article):
    member_client.post(f"/comments/post/{article.pk}/", post_data(body="Same words.", key="k1"))
    posted = Comment.objects.get()
    # Back, then Post again at once: a restored form with a new key and a fresh start time.
    again = post_data(body="Same words.", key="k2")
    again["started"] = started_token(timezone.now())
    response = member_client.post(f"/comments/post/{article.pk}/", again)
    html = response.content.decode()
    assert response.status_code == 400
    assert (f'<strong>You already posted this comment here.</strong> <a href="{article.url}#comment-{posted.pk}">'
            "See your comment</a>.") in html
    assert "faster than anyone can type" not in html
    assert ">\nSame words.</textarea>" in html
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "extra,status,message",
    [
        ({"body": "x" * 5001}, 400, "Your comment is 5,001 characters long; the limit is 5,000."),
        ({"body": "   "}, 400, "Write something before posting: the comment is empty."),
        ({"homepage": "http://spam.example"}, 400, "Your comment could not be posted. Please try again."),
        ({"started": "forged"}, 400, "That was faster than anyone can type."),
        ({"author_url": "javascript:alert(1)"}, 400, "The website must be an address starting with http://"),
    ],
)
def test_refusals_keep_the_typed_text(member_client, article, extra, status, message):
    data = post_data(**extra)
    response = member_client.post(f"/comments/post/{article.pk}/", data)
    html = response.content.decode()
    assert response.status_code == status
    assert message in html
    if data["body"].strip():
        assert f">\n{data['body']}</textarea>" in html
    assert Comment.objects.count() == 0


def test_rate_limit_answers_429(member_client, article):
    for i in range(5):
        assert member_client.post(f"/comments/post/{article.pk}/",
                                  post_data(body=f"Point {i}.", key=f"k{i}")).status_code == 303
    response = member_client.post(f"/comments/post/{article.pk}/", post_data(body="Point 5.", key="k5"))
    assert response.status_code == 429
    assert ">\nPoint 5.</textarea>" in response.content.decode()


def test_non_member_gets_403_with_reason(client, article, member):
    client.force_login(member)
    response = client.post(f"/comments/post/{article.pk}/", post_data())
    assert response.status_code == 403
    assert "Only members of this site may post a comment. Ask to join the club." in response.content.decode()


def test_csrf_is_enforced(article, club_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(club_member)
    response = client.post(f"/comments/post/{article.pk}/", post_data())
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_get_on_post_url_goes_to_the_comment_section(member_client, article):
    """A reload of the address a refused post left the reader on: the comments, not a blank 405."""
    response = member_client.get(f"/comments/post/{article.pk}/")
    assert (response.status_code, response["Location"]) == (303, article.url + "#comments")
    assert member_client.put(f"/comments/post/{article.pk}/").status_code == 405


def test_xss_in_body_and_website_on_new_and_edit_paths(member_client, article):
    member_client.post(f"/comments/post/{article.pk}/",
                       post_data(body=f"{XSS} <script>alert(2)</script>", author_url="https://ok.example/?a=<b>"))
    comment = Comment.objects.get()
    assert comment.body_html == "<p>&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(2)&lt;/script&gt;</p>\n"
    response = member_client.post(f"/comments/{comment.pk}/edit/", {"body": f"[x](javascript:alert(3)) {XSS}"})
    assert response.status_code == 303
    html = member_client.get(article.url).content.decode()
    assert "<img src=x" not in html and 'href="javascript' not in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<a href="https://ok.example/?a=&lt;b&gt;" rel="nofollow ugc noopener">Ana Ruiz</a>' in html


def test_xss_in_anonymous_name(client, article, policy):
    policy(access="anyone")
    data = post_data(author_name=XSS, author_email="guest@example.org")
    assert client.post(f"/comments/post/{article.pk}/", data).status_code == 303
    html = client.get(article.url).content.decode()  # the author sees their own pending comment
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html
    assert "Confirm your e-mail address with the link we sent you." in html


def test_anonymous_confirmation_get_shows_button_post_publishes(client, article, policy,
                                                                 django_capture_on_commit_callbacks):
    policy(access="anyone")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/comments/post/{article.pk}/",
                    post_data(author_name="Guest Reader", author_email="guest@example.org"))
    comment = Comment.objects.get()
    assert [m.to for m in mail.outbox] == [["guest@example.org"]]
    # The token carries the time it was signed: read the link from the mail, not re-signed here.
    (token,) = re.findall(r"/comments/confirm/([^/\s]+)/", mail.outbox[0].body)
    assert confirm_token_read(token) == comment
    url = f"/comments/confirm/{token}/"
    assert client.get(url).status_code == 200
    comment.refresh_from_db()
    assert comment.status == "pending"
    response = Client().post(url)
    assert response.status_code == 303
    comment.refresh_from_db()
    assert (comment.status, comment.holds) == ("approved", [])
    assert Client().get(f"/comments/confirm/{confirm_token(comment)}x/").status_code == 400


def test_reply_form_page_without_javascript(member_client, article):
    parent = Comment.objects.create(page=article, author_name="Asha", body="Question?", body_html="<p>Question?</p>",
                                    status="approved")
    html = member_client.get(f"/comments/{parent.pk}/reply/").content.decode()
    assert "<h1>Reply to <bdi>Asha</bdi></h1>" in html
    assert f'<input type="hidden" name="parent" value="{parent.pk}">' in html


def test_edit_view_only_for_author_and_within_window(client, article, club_member, other_member):
    comment = Comment.objects.create(page=article, user=club_member, body="Mine.", body_html="<p>Mine.</p>",
                                     status="approved")
    client.force_login(other_member)
    assert client.get(f"/comments/{comment.pk}/edit/").status_code == 404
    client.force_login(club_member)
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "Mine, edited."}).status_code == 303
    html = client.get(article.url).content.decode()
    assert "Mine, edited." in html and "<span>edited</span>" in html
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - dt.timedelta(minutes=16))
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Too late."})
    assert response.status_code == 400
    assert ">\nToo late.</textarea>" in response.content.decode()


def test_delete_view_asks_then_deletes(member_client, article, club_member):
    comment = Comment.objects.create(page=article, user=club_member, body="Oops.", body_html="<p>Oops.</p>",
                                     status="approved")
    assert member_client.get(f"/comments/{comment.pk}/delete/").status_code == 200
    assert Comment.objects.count() == 1
    response = member_client.post(f"/comments/{comment.pk}/delete/")
    assert (response.status_code, response["Location"]) == (303, f"{article.url}#comments")
    assert Comment.objects.count() == 0


def test_flag_view(client, article, club_member, other_member):
    comment = Comment.objects.create(page=article, user=club_member, body="Hm.", body_html="<p>Hm.</p>",
                                     status="approved")
    client.force_login(other_member)
    response = client.post(f"/comments/{comment.pk}/flag/", {"reason": "Rude to a neighbour."})
    assert "Thank you. The moderators will look at this comment." in response.content.decode()
    comment.refresh_from_db()
    assert comment.flag_count == 1
    response = client.post(f"/comments/{comment.pk}/flag/", {"reason": "Again."})
    assert response.status_code == 400
    assert "You have already flagged this comment" in response.content.decode()


def test_unsubscribe_get_confirms_post_stops(client, club_member):
    url = f"/comments/unsubscribe/{unsubscribe_token(email=club_member.email, kind='replies')}/"
    response = client.get(url)
    assert "Stop “Replies to my comments” e-mail to ana.ruiz@example.org?" in response.content.decode()
    assert NotificationOptOut.objects.count() == 0
    csrf_client = Client(enforce_csrf_checks=True)  # RFC 8058 one-click POST carries no CSRF token
    response = csrf_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    club_member.refresh_from_db()
    assert club_member.notify_replies is False
    assert list(NotificationOptOut.objects.values_list("email", "kind")) == [("ana.ruiz@example.org", "replies")]
    assert client.get(url[:-3] + "x/").status_code == 400


def test_moderators_emailed_on_held_comment_with_approve_link(member_client, article, moderator,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/comments/post/{article.pk}/", post_data(body=f"You idiot {XSS}"))
    comment = Comment.objects.get()
    assert comment.status == "pending"
    assert [m.to for m in mail.outbox] == [["moderator@example.org"]]
    body = mail.outbox[0].body
    assert "Held because: abuse word: idiot" in body
    assert f"You idiot {XSS}" in body  # plain-text e-mail: shown as typed, never as HTML
    assert "\nhttp://localhost/admin/comments/approve/" in body
    assert "\nhttp://localhost/admin/comments/\n" in body
    assert mail.outbox[0].extra_headers["List-Unsubscribe"].startswith("<http://localhost/comments/unsubscribe/")


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return feedparser.parse(response.content)


def test_feeds_carry_only_approved_comments(client, article, club_member):
    approved = Comment.objects.create(page=article, user=club_member, body="Approved <b>x</b>",
                                      body_html="<p>Approved &lt;b&gt;x&lt;/b&gt;</p>", status="approved")
    for status in ("pending", "rejected", "spam"):
        Comment.objects.create(page=article, author_name=status, body=status, body_html=status, status=status)
    for url in ("/comments/feed/", "/comments/feed/atom/", f"/comments/feed/{article.pk}/",
                f"/comments/feed/{article.pk}/atom/"):
        feed = _parse(client, url)
        assert feed.bozo == 0, url
        assert [e.link for e in feed.entries] == [f"http://testserver{article.url}#comment-{approved.pk}"], url
        assert feed.entries[0].title == "Ana Ruiz on “Council approves new footbridge over the Seti”"
        assert feed.entries[0].author == "Ana Ruiz"
        assert feed.entries[0].summary == "<p>Approved &lt;b&gt;x&lt;/b&gt;</p>"


def test_page_feed_of_unknown_page_is_404(client, home_page):
    assert client.get("/comments/feed/999999/").status_code == 404


def test_approving_a_comment_refreshes_the_anonymous_page_cache(client, article, moderator, settings,
                                                                 django_capture_on_commit_callbacks):
    from pressclub.comments.services import comment_approve

    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300
    comment = Comment.objects.create(page=article, author_name="Asha", body="Held words.",
                                     body_html="<p>Held words.</p>", status="pending")
    assert "No responses yet" in client.get(article.url).content.decode()
    assert "No responses yet" in client.get(article.url).content.decode()  # served from the page cache
    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(comment=comment, moderator=moderator)
    html = client.get(article.url).content.decode()
    assert "1 Response to" in html and "Held words." in html


@pytest.mark.parametrize("body", ["", "   \n "])
def test_empty_comment_posted_at_once_is_called_empty(member_client, article, body):
    data = post_data(body=body, started=started_token(timezone.now()))
    response = member_client.post(f"/comments/post/{article.pk}/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "<strong>Your comment was not posted:</strong> Write something before posting: the comment is empty." in html
    assert "faster than anyone can type" not in html
    assert Comment.objects.count() == 0


def test_too_long_comment_posted_at_once_is_called_too_long(member_client, article):
    data = post_data(body="y" * 5001, started=started_token(timezone.now()))
    response = member_client.post(f"/comments/post/{article.pk}/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Your comment is 5,001 characters long; the limit is 5,000. Shorten it and post again." in html
    assert "faster than anyone can type" not in html


@pytest.mark.parametrize("parent", ["abc", "12abc", "-1", "999999", "99999999999999999999999"])
def test_broken_reply_link_is_explained_and_keeps_the_text(member_client, article, parent):
    response = member_client.post(f"/comments/post/{article.pk}/", post_data(body="My answer.", parent=parent))
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "<strong>Your comment was not posted:</strong> "
        "The comment you replied to no longer exists or the reply link is broken."
    ) in html
    assert "Check the fields marked below." not in html
    assert ">\nMy answer.</textarea>" in html
    assert Comment.objects.count() == 0


def hidden_parent(html: str) -> list[str]:
    from lxml import html as lxml_html

    return lxml_html.fromstring(html).xpath("//form//input[@name='parent']/@value")


def test_a_reply_to_a_removed_comment_comes_back_as_a_new_comment(member_client, article, make_comment):
    gone = make_comment(page=article, body="Soon removed.")
    Comment.objects.filter(pk=gone.pk).update(status="rejected")
    data = post_data(body="My answer.", parent=str(gone.pk))
    response = member_client.post(f"/comments/post/{article.pk}/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "<strong>Your comment was not posted:</strong> The comment you replied to is no longer shown, so the "
        "reply cannot be posted. Your text is kept below: post it as a new comment."
    ) in html
    assert ">\nMy answer.</textarea>" in html
    assert hidden_parent(html) in ([], [""])
    assert "Reply to" not in html and "Soon removed." not in html
    # Posting the form as it came back puts the text up on its own.
    response = member_client.post(f"/comments/post/{article.pk}/", {**data, "parent": ""})
    assert response.status_code == 303
    posted = Comment.objects.get(body="My answer.")
    assert (posted.parent_id, posted.status) == (None, "approved")


def test_a_broken_reply_link_offers_a_new_comment(member_client, article):
    response = member_client.post(f"/comments/post/{article.pk}/", post_data(body="My answer.", parent="999999"))
    html = response.content.decode()
    assert response.status_code == 400
    assert ("The comment you replied to no longer exists or the reply link is broken. "
            "Your text is kept below: post it as a new comment.") in html
    assert hidden_parent(html) in ([], [""])


def test_reply_with_a_good_parent_id_is_posted(member_client, article, make_comment):
    parent = make_comment()
    response = member_client.post(f"/comments/post/{article.pk}/", post_data(body="My answer.", parent=f" {parent.pk} "))
    assert response.status_code == 303
    assert Comment.objects.get(body="My answer.").parent_id == parent.pk


def test_a_right_to_left_name_keeps_to_itself_and_loses_its_override(member_client, article, make_comment):
    # An imported or guest name never passed the sign-up form: a bidi override is dropped on display,
    # and an Arabic-script name is set apart, so it cannot reorder "Reply to … wrote:".
    parent = make_comment(author_name="\u202enimda\u202c سلمى", body="Who pays?", status="approved")
    html = member_client.get(f"/comments/{parent.pk}/reply/").content.decode()
    assert "<h1>Reply to <bdi>nimda سلمى</bdi></h1>" in html
    assert "\u202e" not in html
    assert parent.display_name == "nimda سلمى"


def test_a_members_post_costs_fifteen_queries(member_client, article, policy, django_assert_num_queries,
                                               django_capture_on_commit_callbacks):
    """A member's POST, the purge after its commit included, once the site's cached parts are warm.

    The session and the account; the page's type and its specific row; in the comment's transaction
    (a savepoint here, inside the test's own): one query for what is stored already (the form's
    earlier comment, the same text posted already, and the flood counts of the account and the
    address), the member's standing, the INSERT in its savepoint; the thread's pages for the
    author's link; then the purge: the thread's pages, the front page and the most-commented
    ranking. (Here the commit's callbacks run after the view; on a server the purge runs at the
    commit and the link reuses its read: one query less.) No site, policy or reference-index query.
    """
    policy()  # the site's row exists, as it does once anyone has read it
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/comments/post/{article.pk}/", post_data(body="First.", key="warm"))
    with django_assert_num_queries(15) as captured, django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(f"/comments/post/{article.pk}/", post_data(body="Second.", key="measured"))
    second = Comment.objects.get(body="Second.")
    assert response.status_code == 303
    assert response["Location"] == f"{article.url}#comment-{second.pk}"
    sql = [query["sql"] for query in captured.captured_queries]
    assert sum(statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) for statement in sql) == 4
    assert sum(statement.startswith("INSERT") for statement in sql) == 1
    assert [statement.startswith("SELECT") and 'AS "earlier"' in statement and 'AS "account_hour"' in statement
            for statement in sql].count(True) == 1
    assert not any("wagtailcore_referenceindex" in statement for statement in sql)
    assert not any('FROM "wagtailcore_site"' in statement or "commentpolicysettings" in statement for statement in sql)
