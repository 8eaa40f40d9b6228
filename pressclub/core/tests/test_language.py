"""Which language a reader gets: their choice (no JavaScript), their account, the browser's first
visit, the site's default; one page-cache copy per language; no cookie from browsing."""

import pytest
from wagtail.models import Site

from pressclub.core.language import browser_language, supported_language
from pressclub.core.models import SiteIdentity
from pressclub.testing import factories


def vary(response) -> list[str]:
    return sorted(field.strip() for field in response.get("Vary", "").split(",") if field.strip())


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("hi-IN,hi;q=0.9,en;q=0.8", "hi"),
        ("ne-NP", "ne"),
        ("bn", "bn"),
        ("en-GB,en;q=0.9", "en"),
        ("fr,ne;q=0.5", None),
        ("*", None),
        ("", None),
        ("zz;q=nonsense", None),
    ],
)
def test_browser_language_is_the_first_choice_only(header, expected):
    assert browser_language(header) == expected


@pytest.mark.parametrize(("code", "expected"), [("ne", "ne"), ("NE-np", "ne"), ("bn_IN", "bn"), ("fr", None), ("", None)])
def test_supported_language(code, expected):
    assert supported_language(code) == expected


def test_english_by_default_without_a_cookie(client, home_page):
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()
    assert "Accept-Language" in vary(response)
    assert not response.cookies


def test_the_browser_hints_a_first_visit(client, home_page):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ne-NP,ne;q=0.9,en;q=0.5")
    assert response["Content-Language"] == "ne"
    assert '<html lang="ne"' in response.content.decode()
    assert not response.cookies


def test_the_site_default_is_the_editors_choice(client, home_page):
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.default_language = "bn"
    identity.save()
    assert client.get("/")["Content-Language"] == "bn"
    # The browser's first choice still wins on a first visit, a reader's choice over both.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="hi")["Content-Language"] == "hi"
    client.cookies["pressclub_language"] = "ne"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="hi")["Content-Language"] == "ne"


def test_the_server_setting_is_the_default_when_editors_chose_none(client, home_page, settings):
    settings.PRESSCLUB_DEFAULT_LANGUAGE = "hi"
    assert client.get("/")["Content-Language"] == "hi"


@pytest.mark.parametrize(("code", "name"), [("ne", "नेपाली"), ("hi", "हिन्दी"), ("bn", "বাংলা"), ("en", "English")])
def test_a_reader_chooses_a_language_with_the_footers_button(client, article, code, name):
    page = client.get(article.url).content.decode()
    assert f'<button name="language" value="{code}" lang="{code}"' in page
    assert f">{name}</button>" in page
    response = client.post("/language/", {"language": code, "next": article.url})
    assert response.status_code == 302
    assert response["Location"] == article.url
    assert response.cookies["pressclub_language"].value == code
    assert response.cookies["pressclub_language"]["max-age"] == 365 * 24 * 3600
    again = client.get(article.url)
    assert again["Content-Language"] == code
    assert f'<html lang="{code}"' in again.content.decode()


def test_an_unknown_language_changes_nothing(client, article):
    response = client.post("/language/", {"language": "xx", "next": article.url})
    assert response.status_code == 302
    assert "pressclub_language" not in response.cookies


def test_next_elsewhere_goes_home(client, db):
    response = client.post("/language/", {"language": "ne", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_get_changes_nothing_and_goes_back(client, article):
    response = client.get("/language/", headers={"referer": f"http://testserver{article.url}"})
    assert (response.status_code, response["Location"]) == (303, f"http://testserver{article.url}")
    assert "pressclub_language" not in response.cookies
    response = client.get("/language/", headers={"referer": "https://evil.example/"})
    assert (response.status_code, response["Location"]) == (303, "/")
    assert client.get("/language/")["Location"] == "/"


def test_the_choice_is_kept_on_a_signed_in_readers_account(client, member, article):
    client.force_login(member)
    client.post("/language/", {"language": "bn", "next": article.url})
    member.refresh_from_db()
    assert member.language == "bn"
    client.logout()
    assert client.get(article.url)["Content-Language"] == "en"
    client.post("/accounts/login/", {"login": member.email, "password": factories.PASSWORD})
    assert client.get(article.url)["Content-Language"] == "bn"


def test_an_account_without_a_language_takes_the_readers_choice_on_sign_in(client, member, article):
    client.post("/language/", {"language": "hi", "next": "/"})
    client.post("/accounts/login/", {"login": member.email, "password": factories.PASSWORD})
    member.refresh_from_db()
    assert member.language == "hi"


def test_browsing_sets_no_cookie(client, page_cache, article):
    for path in ("/", article.url, "/local/", "/feeds/rss/"):
        for accept in ("", "ne", "bn-IN"):
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=accept)
            assert response.status_code == 200
            assert not response.cookies, (path, accept)
            assert response["Cache-Control"] == "public, max-age=60, s-maxage=300, stale-while-revalidate=60, stale-if-error=86400"


def test_the_page_cache_keeps_one_copy_per_language(client, page_cache, article):
    client.cookies["pressclub_language"] = "ne"
    first_ne = client.get(article.url)
    client.cookies["pressclub_language"] = "bn"
    first_bn = client.get(article.url)
    assert (first_ne["X-Page-Cache"], first_bn["X-Page-Cache"]) == ("miss", "miss")
    client.cookies["pressclub_language"] = "ne"
    hit_ne = client.get(article.url)
    client.cookies["pressclub_language"] = "bn"
    hit_bn = client.get(article.url)
    assert (hit_ne["X-Page-Cache"], hit_bn["X-Page-Cache"]) == ("hit", "hit")
    assert (hit_ne["Content-Language"], hit_bn["Content-Language"]) == ("ne", "bn")
    assert '<html lang="ne"' in hit_ne.content.decode()
    assert '<html lang="bn"' in hit_bn.content.decode()
    assert vary(hit_ne) == ["Accept-Encoding", "Accept-Language", "Cookie"]
    assert not hit_ne.cookies and not hit_bn.cookies


def test_the_admin_offers_the_four_languages(settings):
    from wagtail.admin.localization import get_available_admin_languages

    assert [code for code, _ in get_available_admin_languages()] == ["en", "ne", "hi", "bn"]


def test_the_database_down_gives_the_servers_default(rf, settings, monkeypatch):
    from django.db import OperationalError

    from pressclub.core import language

    def down(request):
        raise OperationalError("no database")

    monkeypatch.setattr(language, "_site_default_from_database", down)
    settings.PRESSCLUB_DEFAULT_LANGUAGE = "ne"
    assert language.reader_language(rf.get("/")) == "ne"


def test_a_health_probe_decides_no_language(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="bn")
    assert response.status_code == 200
    assert "Content-Language" not in response


@pytest.mark.parametrize("language", ["en", "ne", "hi", "bn"])
def test_the_switcher_names_each_language_in_its_own_script(client, home_page, language):
    from lxml import html as lxml_html

    client.cookies["pressclub_language"] = language
    doc = lxml_html.fromstring(client.get("/").content)
    buttons = doc.xpath("//form[@class='lang']//button")
    assert [(b.get("lang"), b.text_content()) for b in buttons] == [
        ("en", "English"), ("ne", "नेपाली"), ("hi", "हिन्दी"), ("bn", "বাংলা")
    ]
    assert [b.get("value") for b in buttons if b.get("aria-current") == "true"] == [language]
