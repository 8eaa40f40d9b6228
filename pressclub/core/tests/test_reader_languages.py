"""The reader's path in Nepali, Hindi and Bengali: chosen without JavaScript, with each language's words,
digits and month names, and times in the site's zone."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation
from lxml import html as lxml_html

from pressclub.core.numerals import bikram_sambat_date, local_date, local_datetime, local_digits, zone_name
from pressclub.testing import factories

HEADLINE = "Council approves new footbridge over the Seti"

# language → (footer feed link, "2 Responses to …", "No responses yet", comment button, policy sentence)
WORDS = {
    "ne": {
        "feed": "Atom फिड",
        "responses": f"“{HEADLINE}” मा २ प्रतिक्रिया",
        "one_response": f"“{HEADLINE}” मा १ प्रतिक्रिया",
        "none": "अहिलेसम्म कुनै प्रतिक्रिया छैन",
        "post": "टिप्पणी पोस्ट गर्नुहोस्",
        "body_label": "तपाईंको टिप्पणी",
        "members_only": "यो साइटका सदस्यले मात्र टिप्पणी गर्न सक्छन्। आफ्नो इमेल ठेगानाले दर्ता गर्नुहोस्, "
                        "अनि सदस्यताका लागि अनुरोध गर्नुहोस्।",
        "published": "प्रकाशित १४ मार्च २०२६, ०९:३० UTC (वि.सं. २०८२ फाल्गुण ३०)",
        "register": "दर्ता गर्नुहोस्",
        "labels": ["इमेल ठेगाना:", "तपाईंको नाम:", "पासवर्ड:", "पासवर्ड (फेरि):"],
        "respond": "टिप्पणी गर्नुहोस्",
    },
    "hi": {
        "feed": "Atom फ़ीड",
        "responses": f"“{HEADLINE}” पर २ प्रतिक्रियाएँ",
        "one_response": f"“{HEADLINE}” पर १ प्रतिक्रिया",
        "none": "अभी कोई प्रतिक्रिया नहीं",
        "post": "टिप्पणी पोस्ट करें",
        "body_label": "आपकी टिप्पणी",
        "members_only": "केवल इस साइट के सदस्य टिप्पणी कर सकते हैं। अपने ईमेल पते से पंजीकरण करें, "
                        "फिर सदस्यता का अनुरोध करें।",
        "published": "प्रकाशित १४ मार्च २०२६, ०९:३० UTC",
        "register": "पंजीकरण करें",
        "labels": ["ईमेल पता:", "आपका नाम:", "पासवर्ड:", "पासवर्ड (दोबारा):"],
        "respond": "टिप्पणी करें",
    },
    "bn": {
        "feed": "Atom ফিড",
        "responses": f"“{HEADLINE}”-এ ২টি মন্তব্য",
        "one_response": f"“{HEADLINE}”-এ ১টি মন্তব্য",
        "none": "এখনও কোনো মন্তব্য নেই",
        "post": "মন্তব্য পোস্ট করুন",
        "body_label": "আপনার মন্তব্য",
        "members_only": "শুধু এই সাইটের সদস্যরা মন্তব্য করতে পারেন। আপনার ইমেল ঠিকানা দিয়ে নিবন্ধন করুন, "
                        "তারপর সদস্য হওয়ার অনুরোধ জানান।",
        "published": "প্রকাশিত ১৪ মার্চ ২০২৬, ০৯:৩০ UTC",
        "register": "নিবন্ধন করুন",
        "labels": ["ইমেল ঠিকানা:", "আপনার নাম:", "পাসওয়ার্ড:", "পাসওয়ার্ড (আবার):"],
        "respond": "মন্তব্য করুন",
    },
}


def text(doc, xpath) -> list[str]:
    return [" ".join(el.text_content().split()) for el in doc.xpath(xpath)]


def choose(client, language, next_url):
    """Press the footer's button for ``language``, as a browser without JavaScript does; return the page."""
    response = client.post("/language/", {"language": language, "next": next_url}, follow=True)
    assert response.redirect_chain == [(next_url, 302)]
    assert response["Content-Language"] == language
    return lxml_html.fromstring(response.content)


@pytest.mark.parametrize("language", ["ne", "hi", "bn"])
def test_the_front_page_in_each_language(client, article, language):
    doc = choose(client, language, "/")
    assert doc.xpath("//html/@lang") == [language]
    assert WORDS[language]["feed"] in text(doc, "//footer//a")
    # The story's own headline stays as written: only the chrome follows the reader.
    assert HEADLINE in text(doc, "//section[@class='lead']/h2")


@pytest.mark.parametrize("language", ["ne", "hi", "bn"])
def test_an_article_with_responses_in_each_language(client, article, member, language):
    factories.create_comment(article, user=member, minutes=1)
    factories.create_comment(article, user=member, minutes=2)
    doc = choose(client, language, article.url)
    words = WORDS[language]
    assert text(doc, "//h2[@id='comments-title']") == [words["responses"]]
    assert text(doc, "//article//div[@class='meta']/p[last()]") == [words["published"]]
    # <time datetime> stays ISO whatever the reader's digits.
    assert doc.xpath("//article//div[@class='meta']//time/@datetime") == ["2026-03-14T09:30:00+00:00"]
    assert text(doc, "//h2[@id='respond-title']") == [words["respond"]]
    assert text(doc, "//p[@class='comment-policy']") == [words["members_only"]]


@pytest.mark.parametrize(("language", "count"), [("ne", 0), ("hi", 1), ("bn", 1)])
def test_no_response_and_one_response(client, article, member, language, count):
    if count:
        factories.create_comment(article, user=member)
    doc = choose(client, language, article.url)
    expected = WORDS[language]["one_response"] if count else WORDS[language]["none"]
    assert text(doc, "//h2[@id='comments-title']") == [expected]


@pytest.mark.parametrize("language", ["ne", "hi", "bn"])
def test_a_members_comment_form_in_their_accounts_language(client, article, language):
    member = factories.create_user("gita@example.org", "Gita", membership="active", language=language)
    client.force_login(member)  # no language cookie: the account's language comes with the sign-in
    doc = lxml_html.fromstring(client.get(article.url).content)
    assert text(doc, "//form[@class='comment-form']//button") == [WORDS[language]["post"]]
    assert text(doc, "//form[@class='comment-form']//label[@for='id_body']") == [WORDS[language]["body_label"]]


@pytest.mark.parametrize("language", ["ne", "hi", "bn"])
def test_the_sign_up_page_in_each_language(client, db, language):
    doc = choose(client, language, "/accounts/signup/")
    words = WORDS[language]
    assert text(doc, "//h1") == [words["register"]]
    assert text(doc, "//form[@class='account-form']//label") == words["labels"]
    assert text(doc, "//form[@class='account-form']//button") == [words["register"]]


def test_the_confirmation_e_mail_is_in_the_readers_language(client, home_page, django_capture_on_commit_callbacks):
    client.post("/language/", {"language": "ne", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves once the sign-up commits
        response = client.post("/accounts/signup/", {
            "email": "sita@example.org", "display_name": "Sita", "password1": "a quiet river 42",
            "password2": "a quiet river 42",
        })
    assert (response.status_code, response["Location"]) == (302, "/accounts/confirm-email/")
    (message,) = mail.outbox
    assert message.subject == "Valley Press Club News का लागि इमेल ठेगाना पुष्टि गर्नुहोस्"
    assert message.body.startswith("Valley Press Club News बाट नमस्कार,\n\nकसैले, आशा छ तपाईं नै, यो ठेगाना "
                                   "(sita@example.org) Valley Press Club News मा दर्ता गर्नुभयो।")


def test_times_are_shown_in_the_sites_zone_with_its_name(client, article, settings):
    settings.TIME_ZONE = "Asia/Kathmandu"
    client.cookies["pressclub_language"] = "ne"
    doc = lxml_html.fromstring(client.get(article.url).content)
    assert text(doc, "//article//div[@class='meta']/p[last()]") == [
        "प्रकाशित १४ मार्च २०२६, १५:१५ UTC+०५:४५ (वि.सं. २०८२ फाल्गुण ३०)"]
    assert doc.xpath("//article//div[@class='meta']//time/@datetime") == ["2026-03-14T15:15:00+05:45"]
    settings.TIME_ZONE = "Asia/Kolkata"
    client.cookies["pressclub_language"] = "en"
    doc = lxml_html.fromstring(client.get(article.url).content)
    assert text(doc, "//article//div[@class='meta']/p[last()]") == ["Published 14 March 2026, 15:00 IST"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "2026-03-14 09:30"), ("ne", "२०२६-०३-१४ ०९:३०"), ("hi", "२०२६-०३-१४ ०९:३०"), ("bn", "২০২৬-০৩-১৪ ০৯:৩০")],
)
def test_local_digits(language, expected):
    assert local_digits("2026-03-14 09:30", language) == expected


def test_dates_in_each_language(settings):
    settings.TIME_ZONE = "Asia/Kathmandu"
    moment = dt.datetime(2026, 1, 31, 20, 0, tzinfo=dt.UTC)  # 1 February in Kathmandu
    february = "ফেব্রু\u09af\u09bcারি"  # YA + NUKTA, the NFC form (Django's catalogue writes U+09DF)
    with translation.override("bn"):
        assert local_date(moment) == f"১ {february} ২০২৬"
        assert local_datetime(moment) == f"১ {february} ২০২৬, ০১:৪৫ UTC+০৫:৪৫"
    with translation.override("hi"):
        assert local_date(moment) == "१ फ़रवरी २०२६"
    with translation.override("ne"):
        assert local_date(moment) == "१ फेब्रुअरी २०२६"
    with translation.override("en"):
        assert local_datetime(moment) == "1 February 2026, 01:45 UTC+05:45"
    assert local_date(None) == ""


def test_zone_names():
    utc = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert zone_name(utc) == "UTC"
    assert zone_name(utc.astimezone(dt.timezone(dt.timedelta(hours=5, minutes=45), "+0545"))) == "UTC+05:45"


def test_a_member_chooses_the_language_in_the_profile(client, member):
    client.force_login(member)
    form = lxml_html.fromstring(client.get("/accounts/profile/").content)
    assert [(o.get("value"), o.text) for o in form.xpath("//select[@name='language']/option")] == [
        ("", "The site's default"), ("en", "English"), ("ne", "नेपाली"), ("hi", "हिन्दी"), ("bn", "বাংলা")]
    response = client.post("/accounts/profile/", {"display_name": "Ana Ruiz", "bio": "", "language": "hi"}, follow=True)
    member.refresh_from_db()
    assert member.language == "hi"
    assert response["Content-Language"] == "hi"
    doc = lxml_html.fromstring(response.content)
    assert text(doc, "//div[contains(@class, 'messages')]//li") == ["आपकी प्रोफ़ाइल सहेज ली गई।"]
    assert text(doc, "//h1") == ["आपकी प्रोफ़ाइल"]
    client.post("/accounts/profile/", {"display_name": "Ana Ruiz", "bio": "", "language": ""})
    member.refresh_from_db()
    assert member.language == ""
    assert client.get("/accounts/profile/")["Content-Language"] == "en"


def test_the_welcome_e_mail_is_in_the_members_language(moderator, django_capture_on_commit_callbacks):
    """An editor working in English admits a reader who reads in Bengali: the welcome is in Bengali."""
    from pressclub.members import services

    reader = factories.create_user("rina@example.org", "Rina", language="bn")
    membership = services.membership_request(user=reader)
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.membership_grant(membership=membership, by=moderator)
    (message,) = mail.outbox
    assert message.subject == "Valley Press Club News-এ স্বাগতম"
    assert message.body.startswith("নমস্কার Rina,\n\nআপনি এখন Valley Press Club News-এর সদস্য")


@pytest.mark.parametrize(("language", "heading"), [("ne", "पृष्ठ भेटिएन"), ("hi", "पन्ना नहीं मिला"), ("bn", "পাতা পাওয়া যায়নি")])
def test_the_not_found_page_in_each_language(client, home_page, language, heading):
    client.cookies["pressclub_language"] = language
    response = client.get("/no-such-story/")
    assert response.status_code == 404
    assert text(lxml_html.fromstring(response.content), "//h1") == [heading]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Nepali new years (1 Baisakh) of 2080–2083 BS, and the day before one.
        (dt.date(2023, 4, 14), "वि.सं. २०८० वैशाख १"),
        (dt.date(2024, 4, 13), "वि.सं. २०८१ वैशाख १"),
        (dt.date(2025, 4, 14), "वि.सं. २०८२ वैशाख १"),
        (dt.date(2026, 4, 13), "वि.सं. २०८२ चैत्र ३०"),
        (dt.date(2026, 4, 14), "वि.सं. २०८३ वैशाख १"),
        (dt.date(1900, 1, 1), ""),  # before the library's table
    ],
)
def test_bikram_sambat_dates(day, expected):
    assert bikram_sambat_date(day) == expected


def test_the_bikram_sambat_date_is_for_nepali_readers_only(client, article, settings):
    client.cookies["pressclub_language"] = "hi"
    doc = lxml_html.fromstring(client.get(article.url).content)
    assert text(doc, "//article//div[@class='meta']/p[last()]") == ["प्रकाशित १४ मार्च २०२६, ०९:३० UTC"]
    settings.PRESSCLUB_BIKRAM_SAMBAT = False
    client.cookies["pressclub_language"] = "ne"
    doc = lxml_html.fromstring(client.get(article.url).content)
    assert text(doc, "//article//div[@class='meta']/p[last()]") == ["प्रकाशित १४ मार्च २०२६, ०९:३० UTC"]


def test_the_follow_page_in_nepali(client, home_page):
    doc = choose(client, "ne", "/follow/")
    assert text(doc, "//h1") == ["इमेलबाट फलो गर्नुहोस्"]
    assert text(doc, "//form[@class='account-form']//button") == ["फलो गर्नुहोस्"]
    assert text(doc, "//form[@class='account-form']//label[@for='id_email']") == ["तपाईंको इमेल ठेगाना:"]


def test_a_digest_in_nepali(home_page, section, settings, django_capture_on_commit_callbacks):
    from pressclub.follows.digests import digests_send
    from pressclub.follows.models import Follow, Follower

    settings.EMAIL_BACKEND = "pressclub.mail.backends.OutboxBackend"
    settings.PRESSCLUB_MAIL_TRANSPORT = "django.core.mail.backends.locmem.EmailBackend"
    follower = Follower.objects.create(email="reader@example.org", language="ne", confirmed_at=factories.utc(2026, 12, 1))
    Follow.objects.create(follower=follower, kind="site", confirmed_at=factories.utc(2026, 12, 1),
                          digest_since=factories.utc(2026, 12, 5, 7, 0))
    for hour in (9, 10):
        factories.publish_article(section, title=f"Story at {hour}", when=factories.utc(2026, 12, 5, hour, 0))
    with django_capture_on_commit_callbacks(execute=True):
        digests_send(frequency="daily", now=factories.utc(2026, 12, 6, 7, 0))
    (message,) = mail.outbox
    assert message.subject == "Valley Press Club News: २ नयाँ समाचार"
    assert message.body.startswith("Valley Press Club News मा नयाँ\n")
    assert "तपाईंले साइटका समाचार फलो गर्नुभएकाले यो इमेल आएको हो।\n" in message.body


def test_the_corrections_page_in_bengali(client, article):
    from pressclub.news.models import ArticleCorrection

    ArticleCorrection.objects.create(page=article, kind="correction", text="The bridge is 120 m long.",
                                     published_at=factories.utc(2026, 12, 7))
    doc = choose(client, "bn", "/corrections/")
    assert text(doc, "//h1") == ["সংশোধনী"]
    assert text(doc, "//ul[contains(@class, 'corrections-list')]/li/p") == [
        "৭ ডিসেম্বর ২০২৬-এ সংশোধিত: The bridge is 120 m long."]


def test_the_breaking_news_banner_in_hindi(client, section, home_page):
    from django.utils import timezone

    factories.publish_article(section, title="Landslide blocks the highway", when=timezone.now(),
                              breaking_until=timezone.now() + dt.timedelta(hours=1))
    doc = choose(client, "hi", "/")
    assert doc.xpath("//aside[@class='breaking']/@aria-label") == ["ब्रेकिंग न्यूज़"]
    assert text(doc, "//aside[@class='breaking']//p") == ["ब्रेकिंग न्यूज़ Landslide blocks the highway"]


@pytest.mark.parametrize(("language", "message"), [
    ("ne", "समाचार खोज्न एक-दुई शब्द लेख्नुहोस्।"),
    ("hi", "ख़बरें खोजने के लिए एक-दो शब्द लिखें।"),
    ("bn", "খবর খুঁজতে এক-দুটি শব্দ লিখুন।"),
])
def test_the_search_pages_message_in_each_language(client, home_page, language, message):
    doc = choose(client, language, "/search/?q=")
    assert message in text(doc, "//main//p")


def test_search_refusals_in_nepali(client, home_page, settings):
    settings.PRESSCLUB_SEARCH_RATE_LIMITS = "1/m/ip"
    client.post("/language/", {"language": "ne", "next": "/"})
    assert client.get("/search/?q=bridge").status_code == 200
    response = client.get("/search/?q=bridge")
    assert response.status_code == 429
    assert ("तपाईंले केही मिनेटमा धेरै पटक खोज्नुभयो। एक मिनेट पर्खेर फेरि प्रयास गर्नुहोस्।"
            in text(lxml_html.fromstring(response.content), "//main//p"))



@pytest.mark.parametrize(("language", "expected"), [
    ("ne", "६ डिसेम्बर २०२६"), ("hi", "६ दिसंबर २०२६"), ("bn", "৬ ডিসেম্বর ২০২৬"), ("en", "6 December 2026"),
])
def test_month_names_are_spelt_as_newspapers_spell_them(language, expected):
    # Django's own Nepali and Hindi catalogues write "डिसम्वर" and "दिसमबर"; ours come first.
    import datetime as dt

    from django.utils import translation

    from pressclub.core.numerals import local_date

    with translation.override(language):
        assert local_date(dt.datetime(2026, 12, 6, 6, 0, tzinfo=dt.UTC)) == expected
