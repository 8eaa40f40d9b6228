"""Import the two real Blogger exports in ``shared/data/blogger`` and check the published counts.

Skipped when the data is absent, failed then under ``CI=true`` (see ``pressclub.testing.data``).
"""

import pytest
from wagtail.contrib.redirects.models import Redirect

from pressclub.comments.models import Comment, CommentStatus
from pressclub.importers.services import blogger_import
from pressclub.news.models import ArticleLabel, ArticlePage, Label
from pressclub.testing.data import shared_data

LEGACY = ("blogger", "old-format_emiliocoboscmc_blog.xml")
TAKEOUT = ("blogger", "new-format_heisencoder_feed.atom")


@pytest.mark.django_db
def test_legacy_export_gives_the_published_counts(home_page):
    report = blogger_import(source=shared_data(*LEGACY))

    articles = ArticlePage.objects.all()
    assert articles.count() == 95
    assert articles.live().count() == 92
    assert articles.not_live().count() == 3
    from pressclub.core.models import StandardPage

    assert StandardPage.objects.count() == 7
    assert Label.objects.count() == 86
    assert ArticleLabel.objects.count() == 248
    comments = Comment.objects.exclude(source_id="")
    assert comments.count() == 457
    assert comments.approved().count() == 454
    assert comments.filter(status=CommentStatus.REMOVED).count() == 3
    assert comments.filter(parent__isnull=False).count() == 250
    assert Redirect.objects.count() == 99

    assert (report.posts, report.drafts_posts, report.pages, report.drafts) == (95, 3, 7, 3)
    assert (report.labels, report.label_links) == (86, 248)
    assert (report.comments, report.hidden_comments, report.replies) == (454, 3, 250)
    assert report.ignored == {"settings": 55, "template": 1}
    assert report.redirects == 99
    assert report.skipped == []
    assert report.orphan_replies == []


@pytest.mark.django_db
def test_takeout_export_gives_the_published_counts(home_page):
    report = blogger_import(source=shared_data(*TAKEOUT))

    articles = ArticlePage.objects.all()
    assert articles.count() == 40
    assert articles.live().count() == 33
    assert articles.not_live().count() == 7
    assert Label.objects.count() == 13
    assert ArticleLabel.objects.count() == 72
    comments = Comment.objects.exclude(source_id="")
    assert comments.count() == 306
    assert comments.approved().count() == 284
    assert comments.filter(status=CommentStatus.SPAM).count() == 20
    assert comments.filter(status=CommentStatus.REMOVED).count() == 2
    assert comments.filter(parent__isnull=False).count() == 1
    assert Redirect.objects.count() == 33

    assert (report.posts, report.drafts_posts, report.pages) == (40, 7, 0)
    assert (report.labels, report.label_links) == (13, 72)
    assert (report.comments, report.hidden_comments, report.replies) == (284, 22, 1)
    assert report.ignored == {}
    assert report.skipped == []


@pytest.mark.django_db
def test_second_import_of_a_real_export_changes_nothing(home_page):
    takeout = shared_data(*TAKEOUT)
    blogger_import(source=takeout)
    before = (ArticlePage.objects.count(), Comment.objects.count(), Label.objects.count(), Redirect.objects.count())

    report = blogger_import(source=takeout)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 40)
    assert (report.comments_created, report.comments_updated) == (0, 0)
    assert (ArticlePage.objects.count(), Comment.objects.count(), Label.objects.count(),
            Redirect.objects.count()) == before == (40, 306, 13, 33)
