"""Follow by e-mail, end to end: the form, the confirmation POST, the digest, one-click unsubscribe."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pressclub.follows.digests import digest_period, digests_send
from pressclub.follows.models import Follow, Follower
from pressclub.mail.models import OutgoingMail
from pressclub.testing.factories import add_section, create_author, create_user, publish_article, utc

NOW = utc(2026, 12, 6, 7, 0)


def _post_follow(client, captured, **data):
    with captured(execute=True):
        return client.post("/follow/", {"frequency": "daily", "topic": "site", **data})


def _confirm_url(message) -> str:
    return re.search(r"https://news\.example\.org(/follow/confirm/\S+/)", message.body).group(1)


def test_follow_confirm_digest_unsubscribe(client, outbox, section, author, django_capture_on_commit_callbacks):
    response = _post_follow(client, django_capture_on_commit_callbacks, email="Reader@Example.org",
                            topic=f"section:{section.pk}")
    assert response.status_code == 200
    assert b"If reader@example.org can receive e-mail, a message with a link to confirm is on its way." in response.content
    assert len(outbox) == 1
    confirm = outbox[0]
    assert confirm.to == ["reader@example.org"]
    assert confirm.subject == "Confirm you want to follow Local on Valley Press Club News"
    assert confirm.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    follow = Follow.objects.get()
    assert (follow.kind, follow.section_id, follow.confirmed_at) == ("section", section.pk, None)

    # A GET (a mail scanner) confirms nothing; the POST does.
    url = _confirm_url(confirm)
    assert client.get(url).status_code == 200
    follow.refresh_from_db()
    assert follow.confirmed_at is None
    response = client.post(url)
    assert response.status_code == 200
    assert "You now follow Local. New stories will come in a daily digest." in response.content.decode()
    follower = Follower.objects.get()
    Follow.objects.filter(pk=follow.pk).update(digest_since=utc(2026, 12, 5, 7, 0))

    other = add_section(section.get_parent(), title="World", slug="world")
    publish_article(section, title="Council approves new footbridge over the Seti", when=utc(2026, 12, 5, 9, 30),
                    authors=[author], dek="Work is to start after the monsoon.")
    publish_article(section, title="पोखरामा नयाँ पुल", when=utc(2026, 12, 5, 12, 0), language="ne",
                    authors=[author, create_author(name="Binod Thapa")], dek="वडा अध्यक्षले भने।")
    publish_article(other, title="Not followed: a World story", when=utc(2026, 12, 5, 13, 0))
    publish_article(section, title="Too old for this digest", when=utc(2026, 12, 4, 13, 0))

    with django_capture_on_commit_callbacks(execute=True):
        report = digests_send(frequency="daily", now=NOW)
    assert (report.period, report.sent, report.nothing_new, report.already_sent) == ("2026-12-06", 1, 0, 0)
    digest = outbox[-1]
    assert len(outbox) == 2
    assert digest.subject == "Valley Press Club News: 2 new stories"
    text = digest.body
    assert text.index("पोखरामा नयाँ पुल\nवडा अध्यक्षले भने।\nBy Asha Gurung and Binod Thapa\n") < text.index(
        "Council approves new footbridge over the Seti\nWork is to start after the monsoon.\nBy Asha Gurung\n"
    )
    assert "World" not in text and "Too old" not in text
    assert "https://news.example.org/local/council-approves-new-footbridge-over-the-seti/" in text
    html, mimetype = digest.alternatives[0]
    assert mimetype == "text/html"
    assert '<h2 style="font-size:1.1em;margin:0" lang="ne"><a href="https://news.example.org/local/' in html
    assert '<p style="margin:.25em 0" lang="ne">वडा अध्यक्षले भने।</p>' in html
    assert '<p style="margin:.25em 0" lang="en">Work is to start after the monsoon.</p>' in html
    unsubscribe = re.search(r"<(https://news\.example\.org(/follow/unsubscribe/\S+/))>",
                            digest.extra_headers["List-Unsubscribe"])
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Unsubscribe: {unsubscribe.group(1)}" in text
    assert f'<a href="{unsubscribe.group(1)}">Unsubscribe</a>' in html
    row = OutgoingMail.objects.get(subject=digest.subject)
    assert row.key == f"follows:digest:{follower.pk}:2026-12-06"

    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no CSRF token and no session.
    one_click = type(client)(enforce_csrf_checks=True)
    response = one_click.post(unsubscribe.group(2), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "We will send no more digests to reader@example.org." in response.content.decode()
    follower.refresh_from_db()
    assert follower.unsubscribed_at is not None
    assert Follow.objects.count() == 0

    publish_article(section, title="After unsubscribing", when=utc(2026, 12, 6, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        report = digests_send(frequency="daily", now=utc(2026, 12, 7, 7, 0))
    assert (report.sent, report.nothing_new) == (0, 0)
    assert len(outbox) == 2


@pytest.fixture
def follower(home_page):
    """Return a confirmed daily follower of the whole site, reading from 2026-12-05 07:00 UTC."""
    follower = Follower.objects.create(email="reader@example.org", confirmed_at=utc(2026, 12, 1))
    Follow.objects.create(follower=follower, kind="site", confirmed_at=utc(2026, 12, 1),
                          digest_since=utc(2026, 12, 5, 7, 0))
    return follower


def test_nothing_new_sends_nothing(outbox, follower, section, django_capture_on_commit_callbacks):
    publish_article(section, title="Before the window", when=utc(2026, 12, 5, 6, 0))
    with django_capture_on_commit_callbacks(execute=True):
        report = digests_send(frequency="daily", now=NOW)
    assert (report.sent, report.nothing_new) == (0, 1)
    assert outbox == []
    assert OutgoingMail.objects.count() == 0
    follow = follower.follows.get()
    assert (follow.digest_since, follow.last_period) == (utc(2026, 12, 5, 7, 0), "")


def test_same_period_never_sent_twice(outbox, follower, section, django_capture_on_commit_callbacks):
    publish_article(section, title="One story", when=utc(2026, 12, 5, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        first = digests_send(frequency="daily", now=NOW)
    # A second run of the day (the command by hand): nothing more, even with a new story.
    publish_article(section, title="Another story", when=utc(2026, 12, 6, 7, 30))
    with django_capture_on_commit_callbacks(execute=True):
        second = digests_send(frequency="daily", now=utc(2026, 12, 6, 8, 0))
    assert (first.sent, second.sent, second.already_sent) == (1, 0, 1)
    assert len(outbox) == 1
    assert outbox[0].subject == "Valley Press Club News: 1 new story"
    # Even with the follower's record lost (restored from an older backup), the outbox's key keeps
    # the period's digest single.
    Follow.objects.filter(follower=follower).update(last_period="", digest_since=utc(2026, 12, 5, 7, 0))
    with django_capture_on_commit_callbacks(execute=True):
        digests_send(frequency="daily", now=NOW)
    assert OutgoingMail.objects.count() == 1
    assert len(outbox) == 1
    # The next day's digest has the story published after the first one.
    with django_capture_on_commit_callbacks(execute=True):
        third = digests_send(frequency="daily", now=utc(2026, 12, 7, 7, 0))
    assert third.sent == 1
    assert "Another story" in outbox[-1].body and "One story" not in outbox[-1].body


def test_weekly_followers_wait_for_their_digest(outbox, follower, section):
    Follow.objects.filter(follower=follower).update(frequency="weekly")
    publish_article(section, title="One story", when=utc(2026, 12, 5, 9, 0))
    assert digests_send(frequency="daily", now=NOW).sent == 0
    assert digests_send(frequency="weekly", now=NOW).sent == 1
    assert digest_period("weekly", NOW) == "2026-W49"


def test_send_digests_command(outbox, follower, section):
    out = __import__("io").StringIO()
    call_command("send_digests", "--frequency", "weekly", stdout=out)
    assert out.getvalue().startswith("Weekly digests for ")
    assert out.getvalue().endswith(": 0 sent, 0 with nothing new, 0 sent already.\n")


def test_send_digests_is_named_as_the_console_command_spells_it():
    from pressclub.follows.management.commands.send_digests import Command

    parser = Command().create_parser("manage.py", "send_digests")
    assert parser.format_usage().split()[:3] == ["usage:", "pressclub", "send-digests"]


def test_answer_never_tells_whether_the_address_follows(client, outbox, follower, django_capture_on_commit_callbacks):
    known = _post_follow(client, django_capture_on_commit_callbacks, email="reader@example.org")
    unknown = _post_follow(client, django_capture_on_commit_callbacks, email="stranger@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.content.replace(b"reader@example.org", b"X") == unknown.content.replace(b"stranger@example.org", b"X")
    assert [m.to for m in outbox] == [["reader@example.org"], ["stranger@example.org"]]
    assert Follower.objects.count() == 2


def test_mails_per_address_are_limited_silently(client, outbox, home_page, django_capture_on_commit_callbacks):
    answers = [_post_follow(client, django_capture_on_commit_callbacks, email="target@example.org") for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 200]
    assert len(outbox) == 3  # PRESSCLUB_FOLLOW_MAIL_LIMITS: 3 an hour


def test_requests_are_rate_limited_per_client(client, outbox, home_page, settings):
    settings.PRESSCLUB_FOLLOW_RATE_LIMITS = "2/m/ip"
    codes = [client.post("/follow/", {"email": f"r{i}@example.org", "topic": "site", "frequency": "weekly"}).status_code
             for i in range(3)]
    assert codes == [200, 200, 429]
    response = client.post("/follow/", {"email": "kept@example.org", "topic": "site", "frequency": "weekly"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert 'value="kept@example.org"' in response.content.decode()
    # In the form's error list, as the form's other errors are, announced at once.
    from pressclub.core.ratelimit import wait_phrase

    wait = wait_phrase(int(response["Retry-After"]))
    assert re.findall(r'<div class="errors" role="alert"><ul class="errorlist nonfield"><li>([^<]+)</li></ul></div>',
                      response.content.decode()) == [f"Too many requests from your connection. Wait {wait} and try again."]
    assert response.content.decode().count("Too many requests") == 1
    assert Follower.objects.count() == 2


def test_bad_input_keeps_what_was_typed(client, home_page):
    response = client.post("/follow/", {"email": "not an address", "topic": "label:999", "frequency": "daily"})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'value="not an address"' in content
    assert "Enter a valid e-mail address, such as name@example.org." in content
    assert "Choose what to follow from the list." in content
    assert Follower.objects.count() == 0


def test_altered_links_are_refused(client, home_page):
    assert client.post("/follow/confirm/nonsense/").status_code == 400
    assert client.post("/follow/unsubscribe/nonsense/").status_code == 400
    # A comment e-mail's unsubscribe token does not stop digests (another kind).
    from pressclub.core.links import unsubscribe_token

    token = unsubscribe_token(email="reader@example.org", kind="replies")
    assert client.post(f"/follow/unsubscribe/{token}/").status_code == 400


def test_member_follows_with_own_address_and_manages_on_profile(client, member, section):
    client.force_login(member)
    response = client.post("/follow/", {"email": member.email, "topic": f"section:{section.pk}", "frequency": "weekly"})
    assert response.status_code == 302 and response["Location"] == reverse("members:profile")
    follow = Follow.objects.get()
    assert follow.confirmed_at is not None and follow.frequency == "weekly"
    profile = client.get(reverse("members:profile")).content.decode()
    assert "What you follow by e-mail" in profile
    assert f'<button type="submit" name="stop" value="{follow.pk}" form="follows-stop">Stop following</button>' in profile
    assert '<option value="weekly" selected>Weekly</option>' in profile
    assert client.post(reverse("follows:manage"), {f"frequency-{follow.pk}": "daily"}).status_code == 302
    assert Follow.objects.get().frequency == "daily"
    assert client.post(reverse("follows:manage"), {"stop": str(follow.pk)}).status_code == 302
    assert Follow.objects.count() == 0
    other = create_user("other@example.org", "Other")
    client.force_login(other)
    assert client.post(reverse("follows:manage"), {"stop": "1"}).status_code == 404


def test_digest_in_the_followers_language(outbox, follower, section, settings, django_capture_on_commit_callbacks):
    settings.LANGUAGES = [("en", "English"), ("ne", "नेपाली")]
    Follower.objects.filter(pk=follower.pk).update(language="ne")
    publish_article(section, title="One story", when=utc(2026, 12, 5, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        digests_send(frequency="daily", now=NOW)
    html = outbox[0].alternatives[0][0]
    assert html.startswith('<!DOCTYPE html>\n<html lang="ne">')


def test_follow_stores_the_active_language(home_page):
    from django.utils import translation

    from pressclub.follows.services import Topic, follow_request

    with translation.override("ne"):
        follow_request(email="A@Example.org", topic=Topic("site"), frequency="weekly")
    assert list(Follow.objects.values_list("follower__email", "follower__language", "frequency")) == [
        ("a@example.org", "ne", "weekly")]


def test_label_and_author_follows_get_their_stories(outbox, section, author, django_capture_on_commit_callbacks):
    from pressclub.news.models import Label

    binod = create_author(name="Binod Thapa")
    publish_article(section, title="Footbridge works begin", when=utc(2026, 12, 5, 9, 0), labels=["Infrastructure"],
                    authors=[author])
    publish_article(section, title="Binod on the budget", when=utc(2026, 12, 5, 10, 0), authors=[binod])
    since = utc(2026, 12, 5, 7, 0)
    by_label = Follower.objects.create(email="label@example.org", confirmed_at=since)
    Follow.objects.create(follower=by_label, kind="label", label=Label.objects.get(name="Infrastructure"),
                          confirmed_at=since, digest_since=since)
    by_author = Follower.objects.create(email="author@example.org", confirmed_at=since)
    Follow.objects.create(follower=by_author, kind="author", author=binod, confirmed_at=since, digest_since=since)
    unconfirmed = Follower.objects.create(email="pending@example.org")
    Follow.objects.create(follower=unconfirmed, kind="site", digest_since=since)
    with django_capture_on_commit_callbacks(execute=True):
        report = digests_send(frequency="daily", now=NOW)
    assert (report.sent, report.nothing_new) == (2, 0)
    bodies = {m.to[0]: m.body for m in outbox}
    assert set(bodies) == {"label@example.org", "author@example.org"}
    assert "Footbridge works begin" in bodies["label@example.org"]
    assert "Binod on the budget" not in bodies["label@example.org"]
    assert "Binod on the budget\nBy Binod Thapa\n" in bodies["author@example.org"]
    assert "Footbridge works begin" not in bodies["author@example.org"]


@pytest.mark.parametrize(("batch", "resumed"), [(1, (2, 1)), (2, (3, 0))])
def test_a_run_failing_mid_way_resumes_without_a_second_copy(outbox, section, monkeypatch, settings, batch, resumed,
                                                             django_capture_on_commit_callbacks):
    """Batches of one: the first follower's digest is kept; of two: the failing batch is rolled back whole."""
    from pressclub.follows.emails import DigestWriter

    settings.PRESSCLUB_DIGEST_BATCH = batch
    since = utc(2026, 12, 5, 7, 0)
    for name in ("first", "second", "third"):
        follower = Follower.objects.create(email=f"{name}@example.org", confirmed_at=since)
        Follow.objects.create(follower=follower, kind="site", confirmed_at=since, digest_since=since)
    publish_article(section, title="One story", when=utc(2026, 12, 5, 9, 0))
    digest = DigestWriter.digest

    def failing_on_second(self, *, follower, **kwargs):
        if follower.email == "second@example.org":
            raise ConnectionError("database went away")
        return digest(self, follower=follower, **kwargs)

    monkeypatch.setattr(DigestWriter, "digest", failing_on_second)
    with pytest.raises(ConnectionError), django_capture_on_commit_callbacks(execute=True):
        digests_send(frequency="daily", now=NOW)
    monkeypatch.setattr(DigestWriter, "digest", digest)
    with django_capture_on_commit_callbacks(execute=True):
        report = digests_send(frequency="daily", now=utc(2026, 12, 6, 7, 5))
    assert (report.sent, report.already_sent) == resumed
    assert sorted(m.to[0] for m in outbox) == ["first@example.org", "second@example.org", "third@example.org"]
    assert OutgoingMail.objects.count() == 3


def test_breaking_news_goes_at_once_to_those_who_asked(client, outbox, follower, section,
                                                      django_capture_on_commit_callbacks):
    from django.utils import timezone

    Follower.objects.filter(pk=follower.pk).update(breaking=True)
    quiet = Follower.objects.create(email="quiet@example.org", confirmed_at=utc(2026, 12, 1))
    Follow.objects.create(follower=quiet, kind="site", confirmed_at=utc(2026, 12, 1), digest_since=utc(2026, 12, 5))
    until = timezone.now() + dt.timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        story = publish_article(section, title="Landslide closes the ridge road", when=timezone.now(),
                                dek="Traffic is turned back at Deurali.", breaking_until=until)
    assert [(m.to, m.subject) for m in outbox] == [
        (["reader@example.org"], "Breaking news: Landslide closes the ridge road")
    ]
    assert "Landslide closes the ridge road\nTraffic is turned back at Deurali.\n" in outbox[0].body
    assert outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Published again while the banner runs: no second mail.
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    assert len(outbox) == 1


def test_breaking_news_choice_is_confirmed_with_the_follow(client, outbox, home_page,
                                                          django_capture_on_commit_callbacks):
    _post_follow(client, django_capture_on_commit_callbacks, email="b@example.org", breaking="on")
    client.post(_confirm_url(outbox[0]))
    assert list(Follower.objects.values_list("email", "breaking")) == [("b@example.org", True)]


@pytest.mark.django_db
def test_section_author_and_label_pages_link_to_following_them(client, section, author, article):
    from pressclub.news.models import Label

    label = Label.objects.get(name="Infrastructure")
    for path, topic in (
        (section.url, f"section:{section.pk}"),
        (author.get_absolute_url(), f"author:{author.pk}"),
        (reverse("label_detail", args=[label.slug]), f"label:{label.pk}"),
    ):
        html = client.get(path).content.decode()
        assert f'<a href="/follow/?topic={topic}" rel="nofollow">Follow by e-mail</a>' in html, path
        form = client.get(f"/follow/?topic={topic}").content.decode()
        assert re.search(rf'<option value="{topic}" selected>', form), topic


def test_digests_rendered_once_carry_each_followers_own_unsubscribe_link(outbox, section, settings,
                                                                         django_capture_on_commit_callbacks):
    from pressclub.core.links import unsubscribe_token_read
    from pressclub.follows.services import manage_token_read

    settings.PRESSCLUB_BASE_URL = ""  # the site's root URL comes from the default Site, read once a run
    since = utc(2026, 12, 5, 7, 0)
    names = ("asha", "binod", "chandra", "dev", "esha")
    for name in names:
        follower = Follower.objects.create(email=f"{name}@example.org", confirmed_at=since)
        Follow.objects.create(follower=follower, kind="site", confirmed_at=since, digest_since=since)
    publish_article(section, title="One story", when=utc(2026, 12, 5, 9, 0))
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        assert digests_send(frequency="daily", now=NOW).sent == 5
    # The site's name, its root URL, and the stories' site: not one a mail.
    assert len([q for q in queries if 'FROM "wagtailcore_site"' in q["sql"]]) == 3

    links = {}
    for message in outbox:
        url = re.fullmatch(r"<(http://localhost(/follow/unsubscribe/(\S+)/))>", message.extra_headers["List-Unsubscribe"])
        assert unsubscribe_token_read(url.group(3), kinds={"follows"}) == (message.to[0], "follows")
        assert f"Unsubscribe: {url.group(1)}\n" in message.body
        assert f'<a href="{url.group(1)}">Unsubscribe</a>' in message.alternatives[0][0]
        manage = re.search(r"Change what you follow: (http://localhost/follow/manage/(\S+)/)\n", message.body)
        assert manage_token_read(manage.group(2)) == message.to[0]
        assert f'<a href="{manage.group(1)}">Change what you follow</a>' in message.alternatives[0][0]
        links[message.to[0]] = (url.group(1), manage.group(1))
        first = outbox[0].body
        for link in links[outbox[0].to[0]]:
            first = first.replace(link, "LINK")
        assert message.body.replace(url.group(1), "LINK").replace(manage.group(1), "LINK") == first
    assert sorted(links) == [f"{name}@example.org" for name in names]
    assert len({link for pair in links.values() for link in pair}) == 10
