"""The Blogger import: what each entry becomes, idempotence, atomicity, refusals, dry runs."""

import datetime as dt
import re
from pathlib import Path

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from pressclub.comments.models import Comment, CommentStatus
from pressclub.core.models import StandardPage
from pressclub.importers.blogger.importer import BloggerImporter
from pressclub.importers.models import ImportedItem
from pressclub.importers.services import BloggerFormatError, blogger_import
from pressclub.news.models import ArticlePage, HomePage, Label, SectionPage, label_key
from pressclub.people.models import Author

FIXTURES = Path(__file__).parent / "fixtures"
LEGACY = FIXTURES / "legacy.xml"
TAKEOUT = FIXTURES / "takeout.atom"
P = "tag:blogger.com,1999:blog-100."
T = "tag:blogger.com,1999:blog-200."

pytestmark = pytest.mark.django_db


def _page(source_id):
    item = ImportedItem.objects.get(source_id=source_id)
    return item.target.specific


def _counts():
    return (
        Page.objects.count(), ArticlePage.objects.count(), StandardPage.objects.count(), Label.objects.count(),
        Author.objects.count(), Comment.objects.count(), Redirect.objects.count(), ImportedItem.objects.count(),
    )


def test_legacy_fixture_report(home_page):
    report = blogger_import(source=LEGACY)

    assert (report.posts, report.drafts_posts, report.pages, report.drafts) == (2 + 1, 1, 1, 1)
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert (report.labels, report.label_links) == (4, 5)
    assert (report.comments, report.hidden_comments, report.replies) == (4, 1, 1)
    assert report.orphan_replies == [P + "post-3003"]
    assert report.redirects == 3
    assert report.ignored == {"settings": 2, "template": 1}
    assert report.skipped == [
        (P + "post-1004", "bad time: Invalid isoformat string: 'not a date'"),
        (P + "post-3006", "comment without thr:in-reply-to"),
    ]
    assert report.removed_embeds == [(P + "post-1001", "https://maps.example.net/embed?q=hall")]
    summary = "\n".join(report.summary_lines())
    assert "Posts: 3 (2 live, 1 not live)" in summary
    assert "Skipped settings entries: 2" in summary
    assert f"  {P}post-1004: bad time" in summary


def test_posts_become_articles_in_the_archive_section_with_original_times(home_page):
    blogger_import(source=LEGACY)

    section = SectionPage.objects.get()
    assert (section.title, section.slug, section.get_parent().pk) == ("From the archive", "archive", home_page.pk)
    article = _page(P + "post-1001")
    assert isinstance(article, ArticlePage) and article.get_parent().pk == section.pk
    assert article.title == "AGM notes: new committee & budget"
    assert article.slug == "agm-notes"
    assert article.live is True
    assert article.first_published_at == dt.datetime(2014, 3, 29, 20, 0, tzinfo=dt.UTC)
    assert article.last_published_at == dt.datetime(2014, 3, 29, 20, 30, tzinfo=dt.UTC)
    assert [a.name for a in article.get_authors()] == ["Mina Rai"]
    # Same Blogger slug in another month: kept apart.
    assert _page(P + "post-1003").slug == "agm-notes-2"
    assert list(ArticlePage.objects.published().values_list("slug", flat=True)) == ["agm-notes-2", "agm-notes"]


def test_drafts_stay_unpublished(home_page):
    blogger_import(source=LEGACY)

    draft = _page(P + "post-1002")
    assert draft.live is False
    assert draft.first_published_at is None and draft.last_published_at is None
    assert draft.has_unpublished_changes is True
    assert draft.slug == "बजेट-बैठक"
    assert draft.pk not in ArticlePage.objects.published().values_list("pk", flat=True)
    assert not Redirect.objects.filter(redirect_page=draft).exists()


def test_pages_become_standard_pages_under_the_front_page(home_page):
    blogger_import(source=LEGACY)

    about = _page(P + "page-2001")
    assert isinstance(about, StandardPage)
    assert (about.slug, about.get_parent().pk, about.live) == ("about-the-club", home_page.pk, True)
    assert about.body[0].block_type == "html"
    comment = Comment.objects.get(source_id=P + "post-3005")
    assert comment.page_id == about.pk and comment.status == CommentStatus.APPROVED


def test_labels_are_merged_decoded_and_keep_their_script(home_page):
    blogger_import(source=LEGACY)

    assert sorted(Label.objects.values_list("name", flat=True)) == sorted(
        ["Local News", "Roads & Bridges", "প্রেস ক্লাব", "प्रेस क्लब"]
    )
    assert Label.objects.get(name="प्रेस क्लब").slug == "प्रेस-क्लब"
    assert Label.objects.get(name="প্রেস ক্লাব").slug == "প্রেস-ক্লাব"
    article = _page(P + "post-1001")
    assert sorted(article.labels.values_list("name", flat=True)) == sorted(
        ["Local News", "Roads & Bridges", "প্রেস ক্লাব", "प्रेस क्लब"]
    )
    # "LOCAL NEWS" on the draft is the same label.
    assert list(_page(P + "post-1002").labels.values_list("name", flat=True)) == ["Local News"]


def test_existing_labels_absorb_imported_variants(home_page):
    Label.objects.create(name="Roads and Bridges")
    Label.objects.create(name="LOCAL-NEWS")
    blogger_import(source=LEGACY)

    assert Label.objects.filter(name__icontains="local").count() == 1
    assert "LOCAL-NEWS" in _page(P + "post-1001").labels.values_list("name", flat=True)
    assert label_key("Local  News") == label_key("local-news") == label_key("LOCAL_NEWS") == "localnews"


def test_post_html_is_sanitised_and_players_become_embeds(home_page):
    blogger_import(source=LEGACY)

    body = _page(P + "post-1001").body
    assert [block.block_type for block in body] == ["html", "embed", "html"]
    html = str(body[0].value) + str(body[2].value)
    for bad in ("<script", "document.cookie", "onclick", "onmouseover", "onerror", "javascript:", "JaVaScRiPt", "DATA:", "data:", "<iframe", "maps.example.net"):
        assert bad not in html
    assert '<a href="https://example.org/minutes" rel="noopener">full minutes</a>' in html
    assert '<img src="https://1.bp.blogspot.com/agm-hall.jpg" alt="The hall">' in html
    assert "<pre>if (a &amp;&amp; b) {}</pre>" in html
    assert body[1].value.url == "https://www.youtube.com/watch?v=Zx3Qd9vLk2A"


def test_comments_threading_statuses_and_names(home_page):
    blogger_import(source=LEGACY)
    article = _page(P + "post-1001")

    first = Comment.objects.get(source_id=P + "post-3001")
    reply = Comment.objects.get(source_id=P + "post-3002")
    orphan = Comment.objects.get(source_id=P + "post-3003")
    removed = Comment.objects.get(source_id=P + "post-3004")
    assert {c.page_id for c in (first, reply, orphan, removed)} == {article.pk}
    assert reply.parent_id == first.pk
    assert orphan.parent_id is None
    assert (first.display_name, reply.display_name, orphan.display_name) == ("Ram Thapa", "Mina Rai", "Anonymous")
    assert first.created_at == dt.datetime(2014, 3, 30, 4, 30, 0, 250000, tzinfo=dt.UTC)
    assert first.body == "Congratulations to the new committee! click\nSee you at the hall."
    assert first.body_html == (
        '<p>Congratulations to the new committee! <a rel="nofollow ugc noopener">click</a><br>See you at the hall.</p>'
    )
    assert first.author_email == "" and first.user_id is None
    assert first.author_url == "http://www.blogger.com/profile/2"
    assert (removed.status, removed.hold_text) == (CommentStatus.REMOVED, "hidden at the source: content removed on Blogger")
    assert Comment.objects.approved().for_page(article).count() == 3


def test_takeout_fixture(home_page):
    report = blogger_import(source=TAKEOUT)

    assert (report.posts, report.drafts_posts, report.pages) == (2, 1, 1)
    assert (report.comments, report.hidden_comments, report.replies) == (2, 2, 1)
    assert (report.labels, report.label_links, report.redirects) == (2, 3, 2)
    assert report.skipped == [] and report.orphan_replies == []
    post = _page(T + "post-4001")
    assert post.first_published_at == dt.datetime(2012, 4, 30, 10, 15, tzinfo=dt.UTC)
    assert post.search_description == "Road closed after the rain."
    assert [b.block_type for b in post.body] == ["html", "embed", "html"]
    assert post.body[1].value.url == "https://vimeo.com/76979871"
    assert str(post.body[2].value) == "<p>Code: &amp;quot;quoted&amp;quot;</p>"
    assert sorted(post.labels.values_list("name", flat=True)) == ["Roads", "पहाड़"]
    draft = _page(T + "post-4002")
    assert (draft.live, draft.slug) == (False, "monsoon-checklist")
    assert list(draft.labels.values_list("name", flat=True)) == ["Roads"]
    anonymous = Comment.objects.get(source_id=T + "post-5001")
    assert anonymous.display_name == "Anonymous"
    assert anonymous.body == "Good report.\n\nPlease cover the school too.\nThanks & regards"
    assert Comment.objects.get(source_id=T + "post-5002").parent_id == anonymous.pk
    assert Comment.objects.get(source_id=T + "post-5003").status == CommentStatus.SPAM
    assert Comment.objects.get(source_id=T + "post-5004").status == CommentStatus.REMOVED
    assert Comment.objects.approved().count() == 2
    assert Author.objects.get().name == "Tashi Lama"


def test_second_import_changes_nothing(home_page):
    blogger_import(source=LEGACY)
    blogger_import(source=TAKEOUT)
    before = _counts()
    # Mappings: posts, pages, authors, images, and each exact label name (6 in one file, 3 in the other).
    assert before == (1 + 1 + 1 + 4 + 3, 3 + 2, 2, 6, 3, 5 + 4, 5, 3 + 3 + 3 + 1 + 6 + 3)

    again = blogger_import(source=LEGACY)
    blogger_import(source=TAKEOUT)

    assert _counts() == before
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert (again.comments_created, again.comments_updated) == (0, 0)
    assert (again.comments, again.replies, again.redirects) == (4, 1, 3)


def test_second_import_updates_a_changed_post_in_place(home_page, tmp_path):
    blogger_import(source=LEGACY)
    article = _page(P + "post-1003")
    changed = tmp_path / "changed.xml"
    changed.write_bytes(LEGACY.read_bytes().replace(b"AGM notes, part two", b"AGM notes, second part"))

    report = blogger_import(source=changed)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    updated = ArticlePage.objects.get(pk=article.pk)
    assert (updated.title, updated.slug) == ("AGM notes, second part", "agm-notes-2")
    assert ArticlePage.objects.count() == 3


def test_a_second_import_cleans_only_the_comments_that_changed(home_page, tmp_path, monkeypatch):
    from pressclub.importers.blogger import comments

    blogger_import(source=LEGACY)
    changed = tmp_path / "changed.xml"
    changed.write_bytes(LEGACY.read_bytes().replace(b"Thank you, Ram.</content>", b"Thank you, Ram!</content>"))
    cleaned = []
    clean = comments.comment_values
    monkeypatch.setattr(comments, "comment_values", lambda comment, *a: cleaned.append(comment.id) or clean(comment, *a))

    report = blogger_import(source=changed)

    assert cleaned == [P + "post-3002"]
    assert (report.comments_created, report.comments_updated) == (0, 1)
    reply = Comment.objects.get(source_id=P + "post-3002")
    assert (reply.body, reply.body_html) == ("Thank you, Ram!", "<p>Thank you, Ram!</p>")
    assert reply.parent == Comment.objects.get(source_id=P + "post-3001")


def _tighter_cleaning(monkeypatch):
    """Make comment cleaning drop links altogether; return the list of comment ids cleaned from then on."""
    from pressclub.importers.blogger import comments

    clean = comments.comment_body
    monkeypatch.setattr(comments, "comment_body", lambda html: clean(re.sub(r"</?a\b[^>]*>", "", html)))
    cleaned = []
    values = comments.comment_values
    monkeypatch.setattr(comments, "comment_values", lambda comment, *a: cleaned.append(comment.id) or values(comment, *a))
    return cleaned


def test_a_second_import_with_the_same_cleaning_version_cleans_no_comment(home_page, monkeypatch):
    blogger_import(source=LEGACY)
    cleaned = _tighter_cleaning(monkeypatch)

    report = blogger_import(source=LEGACY)

    assert cleaned == []
    assert (report.comments_created, report.comments_updated) == (0, 0)
    assert Comment.objects.get(source_id=P + "post-3001").body_html == (
        '<p>Congratulations to the new committee! <a rel="nofollow ugc noopener">click</a><br>'
        "See you at the hall.</p>"
    )


def test_a_new_cleaning_version_cleans_every_comment_again(home_page, monkeypatch):
    from pressclub.importers.blogger import comments

    blogger_import(source=LEGACY)
    cleaned = _tighter_cleaning(monkeypatch)
    monkeypatch.setattr(comments, "COMMENT_CLEANING_VERSION", comments.COMMENT_CLEANING_VERSION + 1)

    report = blogger_import(source=LEGACY)

    assert sorted(cleaned) == [P + f"post-300{n}" for n in range(1, 6)]
    # Only the comment with a link reads differently once cleaned the new way.
    assert (report.comments_created, report.comments_updated) == (0, 1)
    assert Comment.objects.get(source_id=P + "post-3001").body_html == (
        "<p>Congratulations to the new committee! click<br>See you at the hall.</p>"
    )
    cleaned.clear()

    again = blogger_import(source=LEGACY)

    assert cleaned == []
    assert (again.comments_created, again.comments_updated) == (0, 0)


def test_comments_imported_without_a_fingerprint_get_one_and_stay_as_they_are(home_page):
    blogger_import(source=LEGACY)
    before = {c.source_id: (c.body, c.body_html, c.source_fingerprint) for c in Comment.objects.all()}
    Comment.objects.update(source_fingerprint="")

    report = blogger_import(source=LEGACY)

    assert (report.comments_created, report.comments_updated) == (0, 0)
    assert {c.source_id: (c.body, c.body_html, c.source_fingerprint) for c in Comment.objects.all()} == before
    assert all(len(fingerprint) == 64 for _body, _html, fingerprint in before.values())


def test_moderation_decisions_survive_a_second_import(home_page):
    blogger_import(source=LEGACY)
    Comment.objects.filter(source_id=P + "post-3001").update(status=CommentStatus.REJECTED)

    blogger_import(source=LEGACY)

    assert Comment.objects.get(source_id=P + "post-3001").status == CommentStatus.REJECTED


def test_dry_run_writes_nothing_and_reports_the_same(home_page):
    before = _counts()

    report = blogger_import(source=LEGACY, dry_run=True)

    assert _counts() == before
    assert report.dry_run is True
    assert (report.created, report.posts, report.comments, report.redirects) == (4, 3, 4, 3)


@pytest.mark.parametrize("data", [b"not xml at all", b"<rss version='2.0'><channel/></rss>", b"<feed xmlns='http://www.w3.org/2005/Atom'><id>urn:1</id><entry><id>1</id></entry></feed>"])
def test_foreign_files_are_refused_with_nothing_written(home_page, data):
    before = _counts()

    with pytest.raises(BloggerFormatError, match="Not a Blogger export"):
        blogger_import(source=data)

    assert _counts() == before


def test_a_broken_tail_is_refused_before_anything_is_written(home_page):
    data = TAKEOUT.read_bytes()
    before = _counts()

    with pytest.raises(BloggerFormatError):
        blogger_import(source=data[: int(len(data) * 0.8)])

    assert _counts() == before


def _fail_on(monkeypatch, entry_id):
    original = BloggerImporter._page_fields

    def failing(self, entry):
        if entry.id == entry_id:
            raise RuntimeError("disk full")
        return original(self, entry)

    monkeypatch.setattr(BloggerImporter, "_page_fields", failing)


def test_a_failing_entry_is_rolled_back_alone(home_page, monkeypatch):
    _fail_on(monkeypatch, P + "post-1003")
    report = blogger_import(source=LEGACY)

    assert (P + "post-1003", "RuntimeError: disk full") in report.skipped
    assert not ImportedItem.objects.filter(source_id=P + "post-1003").exists()
    assert not ArticlePage.objects.filter(title="AGM notes, part two").exists()
    assert ArticlePage.objects.count() == 2
    assert _page(P + "post-1001").slug == "agm-notes"
    assert report.posts == 2


def test_comments_of_a_skipped_post_are_reported(home_page, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_bytes(LEGACY.read_bytes().replace(b"2014-03-30T01:30:00.000+05:30", b"yesterday"))

    report = blogger_import(source=broken)

    skipped = dict(report.skipped)
    assert skipped[P + "post-1001"].startswith("bad time")
    for n in (3001, 3002, 3003, 3004):
        assert skipped[P + f"post-{n}"] == f"comment on {P}post-1001, which was not imported"
    assert Comment.objects.count() == 1


def test_named_section_is_made_or_reused(home_page):
    existing = home_page.add_child(instance=SectionPage(title="Old blog", slug="old-blog"))

    blogger_import(source=TAKEOUT, section="Old blog")
    blogger_import(source=LEGACY, section="Hills archive")

    assert _page(T + "post-4001").get_parent().pk == existing.pk
    hills = SectionPage.objects.get(title="Hills archive")
    assert hills.slug == "hills-archive"
    assert _page(P + "post-1001").get_parent().pk == hills.pk


def test_front_page_is_made_on_a_fresh_site(db):
    assert not HomePage.objects.exists()

    blogger_import(source=TAKEOUT)

    home = HomePage.objects.get()
    assert home.title == "Hill Desk"
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert ArticlePage.objects.count() == 2


def test_images_are_copied_when_asked(home_page, settings, tmp_path):
    from wagtail.images import get_image_model

    settings.MEDIA_ROOT = str(tmp_path)
    gif = (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
        b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    fetched = []

    def fetch(url):
        fetched.append(url)
        return gif, "agm-hall.gif"

    report = blogger_import(source=LEGACY, fetch_images=fetch)
    blogger_import(source=LEGACY, fetch_images=fetch)

    assert fetched == ["http://1.bp.blogspot.com/agm-hall.jpg"]
    assert report.images == 1
    image = get_image_model().objects.get()
    html = str(_page(P + "post-1001").body[2].value)
    assert f'<img src="{image.file.url}" alt="The hall">' in html
    # The import has the worker make its reader renditions (one width, as wide as the 1 px original).
    assert sorted(image.renditions.values_list("filter_spec", flat=True)) == [
        "width-1|format-avif", "width-1|format-jpeg", "width-1|format-webp"]


def test_a_failed_image_download_keeps_the_remote_address(home_page):
    def fetch(url):
        raise OSError("offline")

    report = blogger_import(source=LEGACY, fetch_images=fetch)

    assert ("image http://1.bp.blogspot.com/agm-hall.jpg", "not copied: offline") in report.skipped
    assert 'src="https://1.bp.blogspot.com/agm-hall.jpg"' in str(_page(P + "post-1001").body[2].value)


def test_rows_rolled_back_with_a_failed_entry_are_made_again_for_the_next(home_page, monkeypatch):
    _fail_on(monkeypatch, P + "post-1001")
    report = blogger_import(source=LEGACY)

    assert (P + "post-1001", "RuntimeError: disk full") in report.skipped
    # The draft after it carries "LOCAL NEWS", whose label the failed post had created first.
    assert list(_page(P + "post-1002").labels.values_list("name", flat=True)) == ["LOCAL NEWS"]
    assert list(Label.objects.values_list("name", flat=True)) == ["LOCAL NEWS"]
    assert [a.name for a in _page(P + "post-1002").get_authors()] == ["Mina Rai"]
    assert Author.objects.filter(name="Mina Rai").count() == 1
    assert (report.labels, report.label_links) == (1, 1)


def test_imported_pages_are_in_the_search_index(home_page, tmp_path):
    blogger_import(source=LEGACY)

    found = ArticlePage.objects.live().search("committee")
    assert [page.title for page in found] == ["AGM notes: new committee & budget"]
    assert [p.title for p in StandardPage.objects.live().search("club")] == ["About the club"]

    changed = tmp_path / "changed.xml"
    changed.write_bytes(LEGACY.read_bytes().replace(b"AGM notes, part two", b"AGM notes on the monsoon"))
    blogger_import(source=changed)

    assert [page.title for page in ArticlePage.objects.live().search("monsoon")] == ["AGM notes on the monsoon"]


def test_page_tree_stays_sound_after_batch_and_single_imports(home_page, tmp_path):
    from pressclub.importers.blogger import importer

    blogger_import(source=TAKEOUT)  # 3 new pages: created as one batch
    changed = tmp_path / "changed.xml"
    changed.write_bytes(LEGACY.read_bytes())
    blogger_import(source=changed)
    blogger_import(source=changed)
    assert importer.BATCH_SIZE >= 3

    assert Page.find_problems() == ([], [], [], [], [])
    section = SectionPage.objects.get()
    assert section.numchild == 5 and section.get_children().count() == 5
    assert Page.objects.get(pk=home_page.pk).get_children().count() == 3
    article = _page(T + "post-4001")
    assert article.url_path == "/home/archive/landslide-closes-highway/"
    assert article.get_url() == "/archive/landslide-closes-highway/"
    assert article.specific_class is ArticlePage
    assert article.locale_id == home_page.locale_id and article.draft_title == article.title
    assert [a.name for a in article.get_authors()] == ["Tashi Lama"]
    # Editors can keep working on a page made in a batch.
    article.title = "Landslide closes the highway again"
    article.save_revision().publish()
    assert ArticlePage.objects.get(pk=article.pk).title == "Landslide closes the highway again"
    assert Page.find_problems() == ([], [], [], [], [])


def test_a_failing_comment_spoils_only_its_own_post(home_page, monkeypatch):
    from pressclub.importers.blogger import comments as comment_module

    original = comment_module.comment_values

    def failing(comment, page_id, parent_pk):
        if comment.id == P + "post-3005":
            raise RuntimeError("bad comment")
        return original(comment, page_id, parent_pk)

    monkeypatch.setattr(comment_module, "comment_values", failing)
    report = blogger_import(source=LEGACY)

    assert (P + "post-3005", "RuntimeError: bad comment") in report.skipped
    assert Comment.objects.filter(page=_page(P + "page-2001")).count() == 0
    assert Comment.objects.filter(page=_page(P + "post-1001")).count() == 4
    assert (report.comments, report.replies) == (3, 1)



def test_import_drops_cached_comment_threads_of_pages_it_gave_comments(
    home_page, monkeypatch, django_capture_on_commit_callbacks
):
    """Bulk-written comments bypass the comment services, so the import itself drops the cached threads."""
    from pressclub.importers.blogger import comments as blogger_comments

    forgotten = []
    monkeypatch.setattr(blogger_comments, "thread_forget", lambda *, page_id: forgotten.append(page_id))
    with django_capture_on_commit_callbacks(execute=True):
        blogger_import(source=TAKEOUT)
    with_comments = set(Comment.objects.values_list("page_id", flat=True))
    assert with_comments == {_page(T + "post-4001").pk}
    assert set(forgotten) == with_comments
    forgotten.clear()
    with django_capture_on_commit_callbacks(execute=True):
        blogger_import(source=TAKEOUT)
    assert forgotten == []  # nothing changed, nothing to drop


def _references(page):
    from wagtail.models import ReferenceIndex

    rows = ReferenceIndex.objects.filter(object_id=str(page.pk)).values_list("model_path", "to_object_id")
    return sorted((path, int(target)) for path, target in rows)


def test_imported_pages_are_in_the_reference_index(home_page, tmp_path):
    from wagtail.models import ReferenceIndex

    blogger_import(source=TAKEOUT)  # new pages in one batch: their references written together
    article = _page(T + "post-4001")
    labels = {label.name: label.pk for label in article.labels.all()}
    author = article.get_authors()[0]

    assert _references(article) == sorted(
        [("byline_links.item.author", author.pk)] + [("label_links.item.tag", pk) for pk in labels.values()]
    )
    assert len(labels) == 2
    # The same rows as Wagtail's own per-page update writes.
    expected = set(ReferenceIndex._extract_references_from_object(ArticlePage.objects.get(pk=article.pk)))
    ReferenceIndex.create_or_update_for_object(ArticlePage.objects.get(pk=article.pk))
    assert len(expected) == 3 and len(_references(article)) == 3

    # A post that loses a label on Blogger loses that reference here too.
    dropped = sorted(labels)[0]
    changed = tmp_path / "changed.atom"
    changed.write_bytes(TAKEOUT.read_bytes().replace(f"term='{dropped}'".encode(), b"term='Weather'", 1))
    blogger_import(source=changed)

    kept = {label.name: label.pk for label in ArticlePage.objects.get(pk=article.pk).labels.all()}
    assert dropped not in kept and "Weather" in kept
    assert _references(article) == sorted(
        [("byline_links.item.author", author.pk)] + [("label_links.item.tag", pk) for pk in kept.values()]
    )


def test_an_import_that_changed_something_purges_the_page_cache_once(home_page, monkeypatch):
    from pressclub.importers import services

    purges = []
    monkeypatch.setattr(services, "page_cache_purge", lambda: purges.append("purge"))

    blogger_import(source=LEGACY, dry_run=True)
    assert purges == []
    blogger_import(source=LEGACY)
    assert purges == ["purge"]
    blogger_import(source=LEGACY)  # nothing changed
    assert purges == ["purge"]
