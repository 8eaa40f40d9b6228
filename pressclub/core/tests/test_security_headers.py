"""Every reader page carries the reader Content-Security-Policy and the Permissions-Policy; the admin
carries its own policy; the comment form's reply opener and embedded players need no inline code."""


import pytest
from wagtail.embeds.models import Embed

READER_CSP = (
    "default-src 'self'; script-src 'self'; object-src 'none'; style-src 'self'; font-src 'self'; "
    "frame-src https://www.youtube.com https://www.youtube-nocookie.com https://player.vimeo.com; "
    "img-src 'self' https:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ADMIN_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; style-src 'self' 'unsafe-inline'; "
    "font-src 'self'; "
    "frame-src 'self' https://www.youtube.com https://www.youtube-nocookie.com https://player.vimeo.com; "
    "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)


def directives(header: str) -> dict:
    """Return a CSP header as {directive: [sources]} (django-csp writes directives in no set order)."""
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


PLAYERS = '(self "https://www.youtube.com" "https://www.youtube-nocookie.com" "https://player.vimeo.com")'
PERMISSIONS = (
    f"accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media={PLAYERS}, "
    f"fullscreen={PLAYERS}, geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), "
    f"payment=(), picture-in-picture={PLAYERS}, usb=()"
)


@pytest.fixture
def reader_urls(article, author, client):
    from pressclub.core.models import StandardPage

    about = article.get_parent().get_parent().add_child(instance=StandardPage(title="About us", slug="about"))
    return {
        "front page": ("/", 200),
        "section": ("/local/", 200),
        "article": (article.url, 200),
        "standard page": (about.url, 200),
        "label": ("/label/infrastructure/", 200),
        "author": (author.get_absolute_url(), 200),
        "year archive": ("/2026/", 200),
        "month archive": ("/2026/03/", 200),
        "search": ("/search/?q=bridge", 200),
        "sign in": ("/accounts/login/", 200),
        "register": ("/accounts/signup/", 200),
        "password reset": ("/accounts/password/reset/", 200),
        "comment form page": (f"/comments/post/{article.pk}/", 303),
        "not found": ("/no-such-page/", 404),
        "feed": ("/feeds/rss/", 200),
    }


def test_every_reader_page_carries_both_headers(client, reader_urls):
    assert len(reader_urls) == 15
    for name, (url, status) in reader_urls.items():
        response = client.get(url)
        assert response.status_code == status, name
        assert directives(response["Content-Security-Policy"]) == directives(READER_CSP), name
        assert response["Permissions-Policy"] == PERMISSIONS, name


def test_pages_from_the_page_cache_carry_both_headers(client, settings, reader_urls):
    settings.PRESSCLUB_PAGE_CACHE_SECONDS = 300
    for name in ("front page", "section", "article", "label", "month archive"):
        url, _ = reader_urls[name]
        client.get(url)
        response = client.get(url)
        assert response["X-Page-Cache"] == "hit", name
        assert directives(response["Content-Security-Policy"]) == directives(READER_CSP), name
        assert response["Permissions-Policy"] == PERMISSIONS, name


def test_the_admin_has_its_own_policy_and_previews_keep_the_readers(client, article, moderator):
    # A draft or preview is a reader page under the reader policy, which the admin may frame.
    client.force_login(moderator)
    for url in ("/admin/", "/admin/login/", f"/admin/pages/{article.pk}/edit/", "/django-admin/login/"):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert directives(response["Content-Security-Policy"]) == directives(ADMIN_CSP), url
        assert response["Permissions-Policy"] == PERMISSIONS, url
    response = client.get(f"/admin/pages/{article.pk}/view_draft/")
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == {
        **directives(READER_CSP), "frame-ancestors": ["'self'"]
    }


def youtube_embed(video="abc123") -> str:
    """Store Wagtail's embed record of a YouTube video (as its oEmbed answers) and return its URL,
    so rendering the embed block asks no network."""
    from wagtail.embeds.embeds import get_embed_hash

    url = f"https://www.youtube.com/watch?v={video}"
    Embed.objects.create(
        url=url, hash=get_embed_hash(url), type="video", width=480, height=270, provider_name="YouTube",
        html=(f'<iframe width="480" height="270" src="https://www.youtube.com/embed/{video}?feature=oembed" '
              'frameborder="0" allow="encrypted-media; picture-in-picture" allowfullscreen '
              'title="Council session"></iframe>'),
        cache_until=None,
    )
    return url


def test_reader_pages_have_no_inline_script_or_style(client, article, member):
    from lxml import html as lxml_html

    from pressclub.members.models import Membership

    Membership.objects.create(user=member, status="active")
    article.body = [("embed", youtube_embed()), ("paragraph", "<p>After the video.</p>")]
    article.save_revision().publish()
    client.force_login(member)
    doc = lxml_html.fromstring(client.get(article.url).content)
    scripts = [(s.get("type"), s.get("src"), bool((s.text or "").strip())) for s in doc.iter("script")]
    assert scripts == [("application/ld+json", None, True), (None, "/static/js/comment-reply.js", False)]
    assert doc.xpath("//@style") == [] and doc.xpath("//style") == []
    assert [el.get("class") for el in doc.xpath("//div[iframe]")] == ["responsive-object ratio-16x9"]
    assert doc.xpath("//iframe/@src") == ["https://www.youtube.com/embed/abc123?feature=oembed"]
    assert doc.xpath("//form[contains(@class, 'comment-form')]/@class") == ["comment-form"]
