"""Each topic's own digest, confirmation links that confirm once, the signed manage page, strict
addresses, and the follower's language on the pages their links open."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from pressclub.follows import services
from pressclub.follows.digests import digests_send
from pressclub.follows.models import Follow, Follower
from pressclub.testing.factories import add_section, publish_article, utc

NOW = utc(2026, 12, 6, 7, 0)
SINCE = utc(2026, 12, 5, 7, 0)


def _ask(client, capture, **data):
    with capture(execute=True):
        response = client.post("/follow/", {"frequency": "daily", "topic": "site", **data})
    assert response.status_code == 200, response.content.decode()
    return re.search(r"https://news\.example\.org(/follow/confirm/\S+/)", mail.outbox[-1].body).group(1)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- 1. How often is each topic's own -----------------------------------------------------------

def test_confirming_a_weekly_topic_leaves_the_daily_one_daily(client, outbox, section,
                                                             django_capture_on_commit_callbacks):
    hills = add_section(section.get_parent(), title="Hills", slug="hills")
    client.post(_ask(client, django_capture_on_commit_callbacks, email="r@example.org", topic=f"section:{section.pk}"))
    client.post(_ask(client, django_capture_on_commit_callbacks, email="r@example.org", topic=f"section:{hills.pk}",
                     frequency="weekly"))
    assert list(Follow.objects.order_by("pk").values_list("section__slug", "frequency")) == [
        ("local", "daily"), ("hills", "weekly")]
    Follow.objects.update(digest_since=SINCE)
    publish_article(section, title="A Local story", when=utc(2026, 12, 5, 9, 0))
    publish_article(hills, title="A Hills story", when=utc(2026, 12, 5, 10, 0))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        daily = digests_send(frequency="daily", now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        weekly = digests_send(frequency="weekly", now=NOW)
    assert (daily.sent, weekly.sent) == (1, 1)
    assert [m.subject for m in mail.outbox] == ["Valley Press Club News: 1 new story"] * 2
    assert "A Local story" in mail.outbox[0].body and "A Hills story" not in mail.outbox[0].body
    assert "A Hills story" in mail.outbox[1].body and "A Local story" not in mail.outbox[1].body
    assert list(Follow.objects.order_by("pk").values_list("last_period", flat=True)) == ["2026-12-06", "2026-W49"]


def test_an_addresss_daily_topics_share_one_digest(outbox, section, django_capture_on_commit_callbacks):
    hills = add_section(section.get_parent(), title="Hills", slug="hills")
    follower = Follower.objects.create(email="r@example.org", confirmed_at=SINCE)
    for target in (section, hills):
        Follow.objects.create(follower=follower, kind="section", section=target, confirmed_at=SINCE,
                              digest_since=SINCE)
    publish_article(section, title="A Local story", when=utc(2026, 12, 5, 9, 0))
    publish_article(hills, title="A Hills story", when=utc(2026, 12, 5, 10, 0))
    with django_capture_on_commit_callbacks(execute=True):
        report = digests_send(frequency="daily", now=NOW)
    assert (report.sent, len(mail.outbox), mail.outbox[0].subject) == (1, 1, "Valley Press Club News: 2 new stories")
    # A second run of the day sends nothing more, even with a topic added since.
    world = add_section(section.get_parent(), title="World", slug="world")
    Follow.objects.create(follower=follower, kind="section", section=world, confirmed_at=NOW, digest_since=NOW)
    publish_article(world, title="A World story", when=utc(2026, 12, 6, 7, 30))
    with django_capture_on_commit_callbacks(execute=True):
        again = digests_send(frequency="daily", now=utc(2026, 12, 6, 8, 0))
    assert (again.sent, again.already_sent, len(mail.outbox)) == (0, 1, 1)


def test_a_topic_moved_to_weekly_keeps_its_unsent_stories(outbox, section, django_capture_on_commit_callbacks):
    follower = Follower.objects.create(email="r@example.org", confirmed_at=SINCE)
    follow = Follow.objects.create(follower=follower, kind="site", confirmed_at=SINCE, digest_since=SINCE)
    publish_article(section, title="Not yet sent", when=utc(2026, 12, 5, 9, 0))
    services.follow_frequency_set(follow=follow, frequency="weekly")
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(frequency="daily", now=NOW).sent == 0
        assert digests_send(frequency="weekly", now=NOW).sent == 1
    assert "Not yet sent" in mail.outbox[0].body
    with pytest.raises(ValueError, match="Unknown digest frequency 'hourly'"):
        services.follow_frequency_set(follow=follow, frequency="hourly")


def test_the_follow_form_says_the_choice_is_the_topics(client, home_page):
    assert "For this topic only: topics you follow already keep their own choice." in _text(client.get("/follow/"))


@pytest.mark.django_db(transaction=True)
def test_existing_followers_keep_their_frequency_and_window():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("follows", "0002_follower_breaking")], [("follows", "0003_follow_frequency")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    old_follower, old_follow = apps.get_model("follows", "Follower"), apps.get_model("follows", "Follow")
    weekly = old_follower.objects.create(email="w@example.org", frequency="weekly", digest_since=SINCE,
                                         last_period="2026-W48", confirmed_at=SINCE)
    daily = old_follower.objects.create(email="d@example.org", frequency="daily", confirmed_at=SINCE)
    for follower in (weekly, weekly, daily):
        old_follow.objects.create(follower=follower, kind="site" if follower is daily else "author",
                                  confirmed_at=SINCE)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    rows = apps.get_model("follows", "Follow").objects.order_by("pk")
    assert list(rows.values_list("follower__email", "frequency", "digest_since", "last_period", "request_id")) == [
        ("w@example.org", "weekly", SINCE, "2026-W48", ""),
        ("w@example.org", "weekly", SINCE, "2026-W48", ""),
        ("d@example.org", "daily", None, "", ""),
    ]


# --- 2. A confirmation link confirms once ---------------------------------------------------------

def test_a_used_link_changes_nothing(client, outbox, home_page, django_capture_on_commit_callbacks):
    first = _ask(client, django_capture_on_commit_callbacks, email="r@example.org")
    assert "Following confirmed" in _text(client.post(first))
    confirmed_at = Follow.objects.get().confirmed_at
    # The reader changes their mind: weekly, asked from a Nepali page (mails in Nepali from now).
    client.cookies["pressclub_language"] = "ne"
    second = _ask(client, django_capture_on_commit_callbacks, email="r@example.org", frequency="weekly")
    del client.cookies["pressclub_language"]

    # Before the new link is used, the old one is replaced: it says so and changes nothing.
    for method in (client.get, client.post):
        response = method(first)
        assert response.status_code == 200
        assert ("<h1>This link was replaced</h1> <p>A newer link to confirm following Everything went to "
                "r@example.org: use the one in the latest e-mail. This link changes nothing.</p>") in _text(response)
        assert "<button" not in response.content.decode().split("<main", 1)[-1].split("</main>")[0]
    assert list(Follow.objects.values_list("frequency", "follower__language")) == [("daily", "en")]

    assert client.post(second).status_code == 200
    assert list(Follow.objects.values_list("frequency", "follower__language", "request_id")) == [("weekly", "ne", "")]
    # Both links are used now: neither puts back what it carried. The first was asked with no
    # language chosen: its page is in the follower's language (Nepali since the second link).
    assert client.post(first)["Content-Language"] == "ne"
    client.cookies["pressclub_language"] = "en"
    response = client.post(first)
    del client.cookies["pressclub_language"]
    assert response.status_code == 200
    assert ("<h1>This link was replaced</h1> <p>A newer link to confirm following Everything replaced this one, and "
            "it is confirmed: you follow Everything, in a weekly digest. This link changes nothing.</p>") in _text(response)
    response = client.post(second)
    assert (response.status_code, response["Content-Language"]) == (200, "ne")
    assert list(Follow.objects.values_list("frequency", "follower__language", "confirmed_at")) == [
        ("weekly", "ne", confirmed_at)]


def test_a_link_replaced_by_a_confirmed_one_says_so(client, outbox, home_page, django_capture_on_commit_callbacks):
    first = _ask(client, django_capture_on_commit_callbacks, email="r@example.org")
    second = _ask(client, django_capture_on_commit_callbacks, email="r@example.org", frequency="weekly")
    assert client.post(second).status_code == 200
    assert services.confirm_token_read(first.split("/")[-2]).state == "replaced"
    response = client.post(first)
    assert response.status_code == 200
    assert ("<h1>This link was replaced</h1> <p>A newer link to confirm following Everything replaced this one, and "
            "it is confirmed: you follow Everything, in a weekly digest. This link changes nothing.</p>") in _text(response)
    assert ("<h1>Already confirmed</h1> <p>This link was used already: you follow Everything, in a weekly digest. "
            "It changes nothing now.</p>") in _text(client.post(second))
    assert list(Follow.objects.values_list("frequency", "request_id")) == [("weekly", "")]


def test_two_presses_of_one_link_confirm_once(client, outbox, home_page, django_capture_on_commit_callbacks):
    link = _ask(client, django_capture_on_commit_callbacks, email="r@example.org")
    confirmation = services.confirm_token_read(link.split("/")[-2])
    assert services.confirmation_apply(confirmation=confirmation) is True
    assert services.confirmation_apply(confirmation=confirmation) is False
    assert services.confirm_token_read(link.split("/")[-2]).state == "used"


def test_a_link_sent_before_links_carried_their_request_confirms_while_unconfirmed(client, home_page):
    follower = Follower.objects.create(email="r@example.org")
    follow = Follow.objects.create(follower=follower, kind="site")
    token = signing.dumps({"f": follow.pk, "e": "r@example.org", "q": "weekly", "l": "en", "b": 0},
                          salt=services.CONFIRM_SALT, compress=False)
    assert "Following confirmed" in _text(client.post(f"/follow/confirm/{token}/"))
    assert "This link was used already" in _text(client.post(f"/follow/confirm/{token}/"))
    assert list(Follow.objects.values_list("frequency", flat=True)) == ["weekly"]


# --- 3. The signed manage page ----------------------------------------------------------------------

@pytest.fixture
def anonymous_follower(section):
    """An address without an account following everything daily and Local weekly, in English."""
    follower = Follower.objects.create(email="r@example.org", confirmed_at=SINCE)
    site = Follow.objects.create(follower=follower, kind="site", confirmed_at=SINCE, digest_since=SINCE)
    local = Follow.objects.create(follower=follower, kind="section", section=section, frequency="weekly",
                                  confirmed_at=SINCE, digest_since=SINCE)
    Follow.objects.create(follower=follower, kind="author", author=None)  # unconfirmed: not listed
    return follower, site, local


def test_the_digest_links_to_a_manage_page(client, outbox, anonymous_follower, section,
                                           django_capture_on_commit_callbacks):
    follower, site, local = anonymous_follower
    publish_article(section, title="One story", when=utc(2026, 12, 5, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        digests_send(frequency="daily", now=NOW)
    path = re.search(r"Change what you follow: https://news\.example\.org(/follow/manage/\S+/)\n",
                     mail.outbox[0].body).group(1)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "E-mail to r@example.org. Each topic comes in its own digest" in _text(response)
    assert re.findall(r'<label for="id_frequency-(\d+)">([^<]+)</label>', html) == [
        (str(site.pk), "Everything"), (str(local.pk), "Local")]
    assert re.findall(r'<option value="(\w+)" selected>', html) == ["daily", "weekly"]
    assert f'<button type="submit" name="stop" value="{local.pk}" form="follows-stop">Stop following</button>' in html
    assert '<button type="submit" name="unsubscribe">Stop every digest to this address</button>' in html


def test_the_manage_page_changes_need_the_csrf_token(anonymous_follower):
    from django.test import Client

    follower, site, local = anonymous_follower
    path = reverse("follows:manage_link", args=[services.manage_token(email=follower.email)])
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert client.post(path, {"stop": str(local.pk)}).status_code == 403
    assert Follow.objects.filter(confirmed_at__isnull=False).count() == 2

    response = client.post(path, {"csrfmiddlewaretoken": token, f"frequency-{site.pk}": "weekly",
                                  f"frequency-{local.pk}": "daily", "breaking": "on", "save": ""})
    assert (response.status_code, response["Location"]) == (303, path)
    assert "Your choices are saved." in _text(client.get(path))
    assert list(Follow.objects.filter(confirmed_at__isnull=False).order_by("pk").values_list("frequency", flat=True)) == [
        "weekly", "daily"]
    assert Follower.objects.get().breaking is True

    response = client.post(path, {"csrfmiddlewaretoken": token, f"frequency-{site.pk}": "hourly",
                                  f"frequency-{local.pk}": "daily"})
    assert response.status_code == 400
    assert re.findall(r'<div class="errors" role="alert"><ul class="errorlist"[^>]*><li>([^<]+)</li></ul></div>',
                      response.content.decode()) == ["Choose daily or weekly."]
    assert Follow.objects.get(pk=site.pk).frequency == "weekly"

    response = client.post(path, {"csrfmiddlewaretoken": token, "stop": str(local.pk)})
    assert response.status_code == 303
    assert "You no longer follow Local." in _text(client.get(path))
    assert list(Follow.objects.filter(confirmed_at__isnull=False).values_list("kind", flat=True)) == ["site"]

    response = client.post(path, {"csrfmiddlewaretoken": token, "unsubscribe": ""})
    assert response.status_code == 200
    assert "We will send no more digests to r@example.org." in _text(response)
    assert Follow.objects.count() == 0 and Follower.objects.get().unsubscribed_at is not None
    assert "r@example.org follows nothing by e-mail." in _text(client.get(path))


def test_a_manage_page_only_changes_its_own_addresss_follows(client, anonymous_follower):
    follower, site, local = anonymous_follower
    other = Follower.objects.create(email="o@example.org", confirmed_at=SINCE)
    theirs = Follow.objects.create(follower=other, kind="site", confirmed_at=SINCE)
    path = reverse("follows:manage_link", args=[services.manage_token(email=follower.email)])
    assert client.post(path, {"stop": str(theirs.pk)}).status_code == 303
    assert Follow.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("nonsense", "This link is not valid: it may have been cut short or changed."),
        (None, "This link has expired (links last 60 days). Use the link in your latest digest."),
    ],
)
def test_a_tampered_or_expired_manage_link_is_refused(client, anonymous_follower, monkeypatch, token, message):
    if token is None:
        token = services.manage_token(email="r@example.org")
        monkeypatch.setattr(services, "MANAGE_MAX_AGE", -1)
    for method in (client.get, client.post):
        response = method(f"/follow/manage/{token}/")
        assert response.status_code == 400
        assert message in _text(response)
    assert Follow.objects.filter(confirmed_at__isnull=False).count() == 2


# --- 4. Addresses mail servers refuse ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("a@[127.0.0.1]", "Use an address with a domain name after the @, such as name@example.org, not an address "
                          "in brackets."),
        ("a" * 65 + "@example.org", "The part before the @ can have at most 64 characters (this one has 65)."),
        ("a" * 60 + "@" + ("b" * 60 + ".") * 3 + "example.org",
         "An e-mail address can have at most 254 characters (this one has 255)."),
    ],
)
def test_addresses_mail_servers_refuse_get_a_clear_error(client, home_page, email, error):
    response = client.post("/follow/", {"email": email, "topic": "site", "frequency": "daily"})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.findall(r'<ul class="errorlist"[^>]*><li>([^<]+)</li></ul>', html) == [error.replace("'", "&#x27;")]
    assert f'value="{email}"' in html
    assert Follower.objects.count() == 0


@pytest.mark.parametrize(
    "email", ['"quoted"@example.net', '"evil@attacker.example"@example.net', '"x,y@attacker.example"@example.net']
)
def test_quoted_local_parts_are_refused(client, home_page, email):
    response = client.post("/follow/", {"email": email, "topic": "site", "frequency": "daily"})
    assert response.status_code == 400
    assert re.findall(r'<ul class="errorlist"[^>]*><li>([^<]+)</li></ul>', response.content.decode()) == [
        "Write the part before the @ without quotation marks, spaces, commas or brackets, such as name@example.org."]
    assert 'value="{}"'.format(email.replace('"', "&quot;")) in response.content.decode()
    assert Follower.objects.count() == 0


def test_the_limits_are_written_in_the_readers_digits(client, home_page):
    client.cookies["pressclub_language"] = "ne"
    response = client.post("/follow/", {"email": "a" * 65 + "@example.org", "topic": "site", "frequency": "daily"})
    assert response.status_code == 400
    assert re.findall(r'<ul class="errorlist"[^>]*><li>([^<]+)</li></ul>', response.content.decode()) == [
        "@ अघिको भागमा बढीमा ६४ अक्षर हुन सक्छन् (यसमा ६५ छन्)।"
    ]


def test_the_longest_addresses_are_taken(client, outbox, home_page, django_capture_on_commit_callbacks):
    email = "a" * 64 + "@" + ("b" * 58 + ".") * 2 + "b" * 59 + ".example.org"
    assert len(email) == 254
    _ask(client, django_capture_on_commit_callbacks, email=email)
    assert list(Follower.objects.values_list("email", flat=True)) == [email]


# --- 5. The follower's language on the pages their links open ---------------------------------------

def test_pages_from_a_followers_links_are_in_their_language(client, anonymous_follower):
    from pressclub.core.links import unsubscribe_token

    follower, site, local = anonymous_follower
    Follower.objects.filter(pk=follower.pk).update(language="ne")
    unsubscribe = f"/follow/unsubscribe/{unsubscribe_token(email=follower.email, kind='follows')}/"
    manage = reverse("follows:manage_link", args=[services.manage_token(email=follower.email)])
    for path, heading in ((unsubscribe, "इमेल रोक्नुहोस्"), (manage, "तपाईंले इमेलबाट फलो गरेका")):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="hi-IN,hi;q=0.9")
        assert (response.status_code, response["Content-Language"]) == (200, "ne")
        assert '<html lang="ne"' in response.content.decode()
        assert f"<h1>{heading}</h1>" in response.content.decode()
        # The footer's buttons still switch: the reader's choice wins over the follower's language.
        client.cookies["pressclub_language"] = "bn"
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="hi")
        assert response["Content-Language"] == "bn" and '<html lang="bn"' in response.content.decode()
        assert '<button name="language" value="ne" lang="ne">नेपाली</button>' in response.content.decode()
        del client.cookies["pressclub_language"]


def test_the_confirm_page_is_in_the_language_the_follow_was_asked_in(client, outbox, home_page,
                                                                    django_capture_on_commit_callbacks):
    client.cookies["pressclub_language"] = "hi"
    link = _ask(client, django_capture_on_commit_callbacks, email="r@example.org")
    fresh = type(client)()
    response = fresh.get(link, HTTP_ACCEPT_LANGUAGE="bn")
    assert response["Content-Language"] == "hi"
    assert '<html lang="hi"' in response.content.decode()
    response = fresh.post(link, HTTP_ACCEPT_LANGUAGE="bn")
    assert response["Content-Language"] == "hi"
    assert Follower.objects.get().language == "hi"


# --- 6. Requests past the mail limit ------------------------------------------------------------------

def test_topics_past_the_mail_limit_are_confirmed_from_a_confirmation_link(client, outbox, section, author,
                                                                          django_capture_on_commit_callbacks):
    from pressclub.news.models import Label

    label = Label.objects.create(name="Elections", slug="elections")
    for topic, frequency in (("site", "daily"), (f"section:{section.pk}", "weekly"), (f"label:{label.pk}", "daily"),
                             (f"author:{author.pk}", "weekly")):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/follow/", {"email": "r@example.org", "topic": topic, "frequency": frequency})
        assert "Check your e-mail" in _text(response)
    assert len(mail.outbox) == 3  # PRESSCLUB_FOLLOW_MAIL_LIMITS: 3 an hour, whatever is asked
    first = re.search(r"https://news\.example\.org(/follow/confirm/\S+/)", mail.outbox[0].body).group(1)

    # A stranger's GET of the first link (a mail scanner) lists nothing: only the confirmed page does.
    assert "not yet confirmed" not in _text(client.get(first))
    response = client.post(first)
    assert response.status_code == 200
    assert re.findall(r"<li>([^<]+)</li>", response.content.decode().split("<main", 1)[1].split("</main>")[0]) == [
        "Local, in a weekly digest", "Elections, in a daily digest", "Asha Gurung, in a weekly digest"]
    assert '<button type="submit" name="pending">Confirm these too</button>' in response.content.decode()

    # The used link still proves the mailbox: its button confirms the rest, each at its own frequency.
    response = client.post(first, {"pending": ""})
    assert response.status_code == 200
    assert ("<h1>Following confirmed</h1> <p>You now follow: Local (weekly); Elections (daily); Asha Gurung "
            "(weekly).</p>") in _text(response)
    assert list(Follow.objects.order_by("pk").values_list("kind", "frequency", "request_id")) == [
        ("site", "daily", ""), ("section", "weekly", ""), ("label", "daily", ""), ("author", "weekly", "")]
    assert Follow.objects.filter(confirmed_at=None).count() == 0
    assert len(mail.outbox) == 3
    manage = reverse("follows:manage_link", args=[services.manage_token(email="r@example.org")])
    assert re.findall(r'<label for="id_frequency-\d+">([^<]+)</label>', client.get(manage).content.decode()) == [
        "Everything", "Local", "Elections", "Asha Gurung"]
    # Pressed again: nothing is left.
    assert ("<h1>Nothing left to confirm</h1> <p>Everything r@example.org asked to follow is confirmed.</p>"
            in _text(client.post(first, {"pending": ""})))
    assert "not yet confirmed" not in _text(client.post(first))


def test_pending_topics_need_a_valid_link(client, home_page):
    follower = Follower.objects.create(email="r@example.org")
    Follow.objects.create(follower=follower, kind="site")
    assert client.post("/follow/confirm/nonsense/", {"pending": ""}).status_code == 400
    assert Follow.objects.get().confirmed_at is None


# --- 7. Only an explicit choice changes the follower's language ---------------------------------------

def test_a_request_without_a_language_choice_keeps_the_followers_language(client, outbox, section, home_page,
                                                                          django_capture_on_commit_callbacks):
    client.cookies["pressclub_language"] = "ne"
    client.post(_ask(client, django_capture_on_commit_callbacks, email="r@example.org"))
    assert Follower.objects.get().language == "ne"

    # Later, from a browser with no language cookie, no account, and English in Accept-Language.
    fresh = type(client)(HTTP_ACCEPT_LANGUAGE="en")
    link = _ask(fresh, django_capture_on_commit_callbacks, email="r@example.org", topic=f"section:{section.pk}")
    assert mail.outbox[-1].subject == "Valley Press Club News मा Local फलो गर्ने पुष्टि गर्नुहोस्"
    response = fresh.post(link)
    assert (response.status_code, response["Content-Language"]) == (200, "ne")
    assert list(Follower.objects.values_list("language", flat=True)) == ["ne"]
    assert Follow.objects.filter(confirmed_at__isnull=False).count() == 2

    # An explicit choice (the language buttons) may change it.
    fresh.cookies["pressclub_language"] = "hi"
    fresh.post(_ask(fresh, django_capture_on_commit_callbacks, email="r@example.org", frequency="weekly"))
    assert list(Follower.objects.values_list("language", flat=True)) == ["hi"]


def test_a_new_follower_without_a_choice_gets_the_browsers_language(client, outbox, home_page,
                                                                    django_capture_on_commit_callbacks):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "bn"
    client.post(_ask(client, django_capture_on_commit_callbacks, email="r@example.org"))
    assert list(Follower.objects.values_list("language", flat=True)) == ["bn"]


# --- 8. The follows table at 360 px -------------------------------------------------------------------

def test_pages_with_the_follows_table_load_its_narrow_screen_styles(client, anonymous_follower, member):
    from django.conf import settings

    from pressclub.news.tests.test_form_styles import rules

    follower, site, local = anonymous_follower
    link = '<link rel="stylesheet" href="/static/css/follows.css">'
    manage = client.get(reverse("follows:manage_link", args=[services.manage_token(email=follower.email)]))
    client.force_login(member)
    profile = client.get(reverse("members:profile"))
    assert [page.content.decode().count(link) for page in (manage, profile)] == [1, 1]
    css = (settings.PROJECT_DIR / "static" / "css" / "follows.css").read_text(encoding="utf-8")
    # The select as wide as its longest choice (site.css makes fields full width), and rows that stack.
    assert "main .follows select{width:auto}" in css
    assert "@media (max-width:30rem){\n.follows,.follows tbody{display:block}" in css
    assert rules()["main select"]["width"] == "100%"


# --- 9. Unsubscribing an address that gets nothing ----------------------------------------------------

def test_the_unsubscribe_page_says_when_there_is_nothing_to_stop(client, anonymous_follower):
    from pressclub.core.links import unsubscribe_token

    follower, site, local = anonymous_follower
    def page(email: str) -> str:
        return f"/follow/unsubscribe/{unsubscribe_token(email=email, kind='follows')}/"

    assert "<h1>Unsubscribe</h1> <p>Stop every digest to r@example.org?</p>" in _text(client.get(page(follower.email)))
    assert client.post(page(follower.email)).status_code == 200
    for email in (follower.email, "never@example.org"):
        response = client.get(page(email))
        assert response.status_code == 200
        assert (f"<h1>Already unsubscribed</h1> <p>{email} gets no digests from us: there is nothing to stop. You can "
                "follow again at any time.</p>") in _text(response)
        assert '<button type="submit">' not in response.content.decode().split("<main", 1)[1].split("</main>")[0]
