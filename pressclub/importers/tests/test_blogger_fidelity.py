"""What a reader of the old blog saw survives an import: page comments, the blog's name, titles as
shown, code indentation, comments apart from their dates, label links, placeholders, addresses."""

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest

from pressclub.importers.models import ImportedItem
from pressclub.importers.services import blogger_import

FIXTURES = Path(__file__).parent / "fixtures"
LEGACY = FIXTURES / "legacy.xml"
P = "tag:blogger.com,1999:blog-100."

pytestmark = pytest.mark.django_db

KIND = "http://schemas.google.com/blogger/2008/kind#"


def entry(n, *, kind="post", title="A post", html="<p>Text.</p>", labels=(), path=None, draft=False):
    """Return one legacy-export ``<entry>`` (blog 300, id ``post-<n>``); ``title`` and ``labels`` as
    Blogger writes them (HTML-escaped text, escaped again for XML), ``html`` escaped once for XML."""
    path = f"/2012/05/post-{n}.html" if path is None else path
    cats = "".join(
        f"<category scheme='http://www.blogger.com/atom/ns#' term={quoteattr(label)}/>" for label in labels
    )
    control = "<app:control xmlns:app='http://purl.org/atom/app#'><app:draft>yes</app:draft></app:control>"
    link = f"<link rel='alternate' type='text/html' href='http://club.blogspot.com{path}'/>" if path else ""
    return (
        f"<entry><id>tag:blogger.com,1999:blog-300.post-{n}</id><published>2012-05-0{n % 9 + 1}T10:00:00.000+02:00"
        f"</published><updated>2012-05-0{n % 9 + 1}T10:00:00.000+02:00</updated>{control if draft else ''}"
        f"<category scheme='http://schemas.google.com/g/2005#kind' term='{KIND}{kind}'/>{cats}"
        f"<title type='text'>{escape(title)}</title><content type='html'>{escape(html)}</content>{link}"
        f"<author><name>Emma Writer</name></author></entry>"
    )


def export(*entries, title="Club Notes", subtitle=""):
    """Return a legacy Blogger export (bytes) holding ``entries``; ``title`` as Blogger writes it."""
    sub = f"<subtitle type='html'>{escape(subtitle)}</subtitle>" if subtitle else ""
    return (
        "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:thr='http://purl.org/syndication/thread/1.0'><id>tag:blogger.com,1999:blog-300.archive</id>"
        f"<updated>2012-06-01T10:00:00.000+02:00</updated><title type='text'>{escape(title)}</title>{sub}"
        + "".join(entries) + "</feed>"
    ).encode()


def _page(source_id):
    return ImportedItem.objects.get(source_id=source_id).target.specific


def test_an_imported_page_shows_its_comments_counts_and_feeds_them(client, home_page):
    blogger_import(source=LEGACY)
    about = _page(P + "page-2001")

    html = client.get(about.url).content.decode()
    assert '<h2 id="comments-title">1 Response to “About the club”</h2>' in html
    assert "How do I join?" in html
    response = client.get(f"/comments/feed/{about.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("<item>") == 1


@pytest.mark.parametrize(
    "raw,html",
    [
        ("Step 4. Is lacking", "<p>Step 4. Is lacking</p>"),
        ("One.<br /><br/>\n<br>Two<br />lines.<br>", "<p>One.</p><p>Two<br>lines.</p>"),
        ("<br>Hi", "<p>Hi</p>"),
        ("Look:<blockquote>quoted</blockquote>", "<div>Look:<blockquote>quoted</blockquote></div>"),
        ("", ""),
    ],
)
def test_imported_comment_bodies_are_block_markup_apart_from_their_date(raw, html):
    from pressclub.importers.blogger.html import comment_body

    assert comment_body(raw)[1] == html


def test_an_imported_comment_shows_its_body_apart_from_its_date(client, home_page):
    blogger_import(source=LEGACY)
    post = _page(P + "post-1001")
    html = client.get(post.url).content.decode()
    assert ('</time></a><p>Congratulations to the new committee! <a rel="nofollow ugc noopener">click</a>'
            "<br>See you at the hall.</p>") in html


def test_old_label_links_find_the_exact_label(client, home_page):
    blogger_import(source=export(
        entry(1, labels=["C#", "TCP/IP"]), entry(2, labels=["C", "c++"]), entry(3, labels=["Press Freedom"]),
        entry(4, labels=["press-freedom"]),
    ))
    from pressclub.news.models import Label

    slugs = {label.name: label.slug for label in Label.objects.all()}
    assert slugs == {"C#": "c", "TCP/IP": "tcp-ip", "C": "c-1", "c++": "c-2", "Press Freedom": "press-freedom"}
    cases = {
        "/search/label/C": "C", "/search/label/c": "C", "/search/label/C%23": "C#", "/search/label/c%2B%2B": "c++",
        "/search/label/TCP%2FIP": "TCP/IP", "/search/label/TCP%2FIP/": "TCP/IP",
        "/search/label/press-freedom": "Press Freedom", "/search/label/Press%20Freedom": "Press Freedom",
    }
    for old, name in cases.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, f"/label/{slugs[name]}/"), old
        assert client.get(response["Location"]).status_code == 200, old
    response = client.get("/feeds/posts/default/-/TCP%2FIP")
    assert (response.status_code, response["Location"]) == (301, f"/feeds/label/{slugs['TCP/IP']}/atom/")
    assert client.get("/search/label/C%23%23").status_code == 404


def test_the_report_names_entries_of_unknown_kind_and_placeholder_drafts(home_page):
    from pressclub.news.models import ArticlePage

    report = blogger_import(source=export(
        entry(1, title="Kept"),
        entry(2, kind="photoalbum", title="Holiday"),
        entry(3, title="%%TITLE%%", html="%%CONTENT%%", path="", draft=True),
        entry(4, title="%%TITLE%%", html="<p>Notes on the budget meeting.</p>", path="", draft=True),
        entry(5, title="Plans for June", html="%%CONTENT%%", path="", draft=True),
        entry(6, title="%%TITLE%%", html="", path="", draft=True),
    ))
    assert report.skipped == [
        ("tag:blogger.com,1999:blog-300.post-2", "entry of unknown kind 'photoalbum', not imported"),
        ("tag:blogger.com,1999:blog-300.post-3",
         "only Blogger's template placeholders (%%TITLE%%, %%CONTENT%%) as title and body: not imported"),
        ("tag:blogger.com,1999:blog-300.post-6",
         "only Blogger's template placeholders (%%TITLE%%, %%CONTENT%%) as title and body: not imported"),
    ]
    assert report.ignored == {"photoalbum": 1}
    lines = report.summary_lines()
    assert "  tag:blogger.com,1999:blog-300.post-2: entry of unknown kind 'photoalbum', not imported" in lines
    pages = {a.title: [str(b.value) for b in a.body] for a in ArticlePage.objects.all()}
    assert pages == {
        "Kept": ["<p>Text.</p>"],
        "Notes on the budget meeting.": ["<p>Notes on the budget meeting.</p>"],
        "Plans for June": [],
    }
    assert not any("%%" in title for title in pages)


def _settings_entry(name, value):
    return (
        f"<entry><id>tag:blogger.com,1999:blog-300.settings.{name}</id><published>2012-01-01T10:00:00.000+02:00"
        f"</published><updated>2012-01-01T10:00:00.000+02:00</updated><category "
        f"scheme='http://schemas.google.com/g/2005#kind' term='{KIND}settings'/><content type='text'>{escape(value)}"
        "</content></entry>"
    )


def _comment_entry(n, post, name, html):
    return (
        f"<entry><id>tag:blogger.com,1999:blog-300.post-{n}</id><published>2012-05-03T10:00:00.000+02:00</published>"
        f"<updated>2012-05-03T10:00:00.000+02:00</updated><category scheme='http://schemas.google.com/g/2005#kind' "
        f"term='{KIND}comment'/><content type='html'>{escape(html)}</content><author><name>{escape(name)}</name>"
        f"</author><thr:in-reply-to ref='tag:blogger.com,1999:blog-300.post-{post}'/></entry>"
    )


@pytest.mark.parametrize("fresh", [True, False], ids=["no front page", "empty front page"])
def test_a_site_made_for_an_export_takes_the_blogs_name_and_description(client, db, fresh, request):
    from wagtail.models import Site

    from pressclub.core.models import SiteIdentity
    from pressclub.news.models import HomePage

    if not fresh:
        request.getfixturevalue("home_page")
    blogger_import(source=export(
        _settings_entry("BLOG_DESCRIPTION", "Tips &amp; notes from the valley"), entry(1),
        title="Roads &amp; Rivers", subtitle="",
    ))
    site = Site.objects.get(is_default_site=True)
    home = HomePage.objects.get()
    assert (site.site_name, home.title, home.draft_title) == ("Roads & Rivers", "Roads & Rivers", "Roads & Rivers")
    identity = SiteIdentity.for_site(site)
    assert (identity.tagline, identity.publisher_name, home.intro) == (
        "Tips & notes from the valley", "", "Tips & notes from the valley"
    )
    html = client.get("/").content.decode()
    assert "Roads &amp; Rivers" in html and "Tips &amp; notes from the valley" in html
    assert "Valley Press Club" not in html and "&amp;amp;" not in html


def test_a_site_with_its_own_pages_keeps_its_name(home_page, section):
    from wagtail.models import Site

    blogger_import(source=export(entry(1), title="Other Blog", subtitle="Elsewhere"))
    assert Site.objects.get(is_default_site=True).site_name == "Valley Press Club News"
    home_page.refresh_from_db()
    assert home_page.title == "Valley Press Club News"


def test_escaped_titles_labels_and_names_show_the_text_a_reader_saw(client, home_page, admin_client):
    blogger_import(source=export(
        entry(1, title="&lt;Hello&gt; &amp; &#8220;world&#8221;", labels=["Q&amp;A"]),
        _comment_entry(9, 1, "Jos&#233; &lt;Pepe&gt;", "Hi"),
    ))
    post = _page("tag:blogger.com,1999:blog-300.post-1")
    assert post.title == "<Hello> & “world”"
    assert [label.name for label in post.labels.all()] == ["Q&A"]
    from pressclub.comments.models import Comment

    assert Comment.objects.get().author_name == "José <Pepe>"
    html = client.get(post.url).content.decode()
    assert "<h1>&lt;Hello&gt; &amp; “world”</h1>" in html
    assert ">Q&amp;A</a>" in html and "José &lt;Pepe&gt;" in html
    assert "&amp;lt;" not in html and "&amp;amp;" not in html and "&amp;#" not in html
    admin = admin_client.get(f"/admin/pages/{post.pk}/edit/").content.decode()
    assert 'value="&lt;Hello&gt; &amp; “world”"' in admin and "&amp;lt;" not in admin


NB8 = "&nbsp;" * 8


@pytest.mark.parametrize(
    "raw,kept",
    [
        ('a<span class="Apple-tab-span" style="white-space:pre">\t\t</span>b', f"<p>a<span>{NB8 * 2}</span>b</p>"),
        ('<span style="WHITE-SPACE: pre-wrap"> \t</span>x', f"<p><span>&nbsp;{NB8}</span>x</p>"),
        ('<span class="Apple-tab-span">\t</span>x', f"<p><span>{NB8}</span>x</p>"),
        ("<span>\t</span>x a\tb", "<p><span>\t</span>x a\tb</p>"),
        ("<pre>\tcode</pre>", "<pre>\tcode</pre>"),
    ],
)
def test_tabs_in_blogger_tab_spans_survive_as_no_break_spaces(home_page, raw, kept):
    blogger_import(source=export(entry(1, html=raw if raw.startswith("<pre") else f"<p>{raw}</p>")))
    post = _page("tag:blogger.com,1999:blog-300.post-1")
    assert [str(block.value) for block in post.body] == [kept]


def test_the_legacy_real_export_keeps_the_blogs_name_apart_comments_and_hides_addresses(client, db):
    import re

    from wagtail.models import Site

    from pressclub.comments.models import Comment
    from pressclub.core.models import SiteIdentity
    from pressclub.testing.data import shared_data

    report = blogger_import(source=shared_data("blogger", "old-format_emiliocoboscmc_blog.xml"))
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == report.blog.title != ""
    assert SiteIdentity.for_site(site).tagline != ""
    address = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
    shown = list(Comment.objects.approved())
    assert len(shown) == 454
    assert sum(1 for c in shown if address.search(c.body_html)) == 4
    assert sum(1 for c in shown if address.search(c.public_html)) == 0
    assert all(c.body_html.startswith(("<p>", "<div>")) for c in shown)
