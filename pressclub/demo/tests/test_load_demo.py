"""The demo content (``load_demo``): what it creates, and that a second run creates nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from pressclub.core.models import StandardPage
from pressclub.news.models import ArticlePage, HomePage, Label, SectionPage
from pressclub.people.models import Author
from pressclub.testing.database import shared_rows

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "home": HomePage.objects.count(),
        "sections": SectionPage.objects.count(),
        "articles": ArticlePage.objects.count(),
        "live_articles": ArticlePage.objects.published().count(),
        "authors": Author.objects.count(),
        "pages": StandardPage.objects.count(),
        "images": get_image_model().objects.count(),
        "labels": Label.objects.count(),
        "editors": get_user_model().objects.filter(email="editor@example.org", groups__name="Editors").count(),
        "all_pages": Page.objects.count(),
    }


def test_an_existing_front_page_is_reused(home_page):
    _load()
    assert HomePage.objects.get().pk == home_page.pk
    assert SectionPage.objects.child_of(home_page).count() == 5


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """Load the demo once for a test class; return the command's output. Rolled back after the class."""
    with shared_rows(django_db_blocker) as unblock:
        with unblock():
            output = _load()
        yield output


class TestOneLoad:
    """Checks on one load of the whole demo, shared by the tests of this class: loading takes
    seconds (publishing and indexing 24 pages). What a test writes is still undone after it."""

    def test_load_demo_creates_the_site_and_a_second_run_adds_nothing(self, loaded):
        first = loaded
        counts = _counts()
        assert counts == {
            "home": 1,
            "sections": 5,
            "articles": 15,
            "live_articles": 15,
            "authors": 3,
            "pages": 2,
            "images": 15,
            "labels": 15,
            "editors": 1,
            "all_pages": 1 + 1 + 5 + 15 + 2,  # root, front page, sections, articles, About + Comment policy
        }
        assert first.splitlines()[0] == "Loaded demo content: 1 front page, 15 articles, 5 sections, 3 authors, 2 pages, 15 images, 3 newsroom accounts."

        users = get_user_model().objects.count()  # the editor, and demo members if the comments app adds them
        second = _load()
        assert second.splitlines()[0] == "Demo content already loaded."
        assert "Loaded" not in second
        assert _counts() == counts
        assert get_user_model().objects.count() == users

        # The front page is the default site's root; Wagtail's welcome page is gone.
        home = HomePage.objects.get()
        site = Site.objects.get(is_default_site=True)
        assert site.root_page_id == home.pk
        assert site.site_name == "Valley Press Club News"
        assert Site.objects.count() == 1
        assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()
        assert [s.slug for s in SectionPage.objects.child_of(home).order_by("path")] == [
            "local", "hills", "india", "world", "opinion",
        ]  # fmt: skip
        assert home.lead_story.slug == "landslide-closes-ridge-road-for-a-second-week"

    def test_demo_has_a_correction_and_a_breaking_story(self, loaded):
        from pressclub.news.models import ArticleCorrection

        correction = ArticleCorrection.objects.get()
        assert correction.page.slug == "council-votes-to-rebuild-the-stone-steps-to-bhotechaur-market"
        assert (correction.published_at - correction.page.first_published_at).total_seconds() == 5 * 3600
        assert correction.reader_line().endswith(
            ": An earlier version of this story said the council voted 12 to 1. The vote was 11 to 2."
        )
        breaking = ArticlePage.objects.get(breaking_until__isnull=False)
        assert breaking.slug == "landslide-closes-ridge-road-for-a-second-week"
        assert 71 * 3600 < (breaking.breaking_until - timezone.now()).total_seconds() <= 72 * 3600
        assert (breaking.updated_at - breaking.first_published_at).total_seconds() == 6 * 3600
        response = Client().get("/corrections/")
        assert "The vote was 11 to 2." in response.content.decode()
        assert 'class="breaking"' in response.content.decode()
        # A load when the banner would end within a day arms it again, for three days.
        ArticlePage.objects.filter(pk=breaking.pk).update(breaking_until=timezone.now() + timezone.timedelta(hours=2))
        _load()
        breaking.refresh_from_db()
        assert (breaking.breaking_until - timezone.now()).total_seconds() > 71 * 3600
        assert ArticleCorrection.objects.count() == 1

    def test_demo_follower_is_a_confirmed_daily_follower_of_two_sections(self, loaded):
        from pressclub.demo.services import DEMO_FOLLOWER
        from pressclub.follows.models import Follower

        follower = Follower.objects.active().get()
        assert (follower.email, follower.language, follower.breaking) == (DEMO_FOLLOWER, "en", False)
        assert follower.confirmed_at is not None
        follows = follower.follows.order_by("section__path")
        assert [(f.kind, f.section.slug, f.frequency, f.confirmed_at is not None, f.digest_since is not None)
                for f in follows] == [("section", "local", "daily", True, True), ("section", "hills", "daily", True, True)]

    def test_demo_stories_pages_and_editor(self, loaded):
        two = ArticlePage.objects.get(slug="water-tanker-queues-return-as-sildhara-spring-runs-low")
        assert [a.name for a in two.get_authors()] == ["Dev Sharma", "Mira Tamang"]

        wire = ArticlePage.objects.get(source_outlet="Continental Wire Service")
        assert wire.is_syndicated
        assert wire.original_url == "https://example.com/cws/2026/glacier-lake-early-warning-sirens-tested"
        assert wire.original_bylines == "Tomas Varga and Leila Haddad"
        assert (wire.first_published_at - wire.original_published_at).total_seconds() == 5 * 3600
        assert wire.get_authors() == []

        assert sorted(ArticlePage.objects.values_list("language", flat=True)) == ["bn"] + ["en"] * 12 + ["hi", "ne"]
        nepali = ArticlePage.objects.get(language="ne")
        assert nepali.title == "कालिमगाउँमा सामुदायिक पुस्तकालय खुल्यो"
        assert nepali.slug == "कालिमगाउँमा-सामुदायिक-पुस्तकालय-खुल्यो"
        assert ArticlePage.objects.get(language="bn").slug == "পাহাড়ি-বাজারে-কমলালেবুর-মরসুম-শুরু"

        times = sorted(ArticlePage.objects.values_list("first_published_at", flat=True))
        assert times[-1] < timezone.now()
        assert (times[-1] - times[0]).days >= 19  # spread over the last three weeks
        assert len(set(times)) == 15

        updated = ArticlePage.objects.get(slug="landslide-closes-ridge-road-for-a-second-week")
        assert (updated.updated_at - updated.first_published_at).total_seconds() == 6 * 3600

        for article in ArticlePage.objects.select_related("lead_image"):
            assert (article.lead_image.width, article.lead_image.height) == (1200, 675), article.slug
            assert 5_000 < article.lead_image.file_size < 100_000
            assert article.lead_image_caption and article.lead_image_credit and article.lead_image_alt
            assert article.dek
            kinds = [block.block_type for block in article.body]
            assert kinds.count("heading") >= 1 and kinds[0] == "paragraph", article.slug
        with_quotes = [a for a in ArticlePage.objects.all() if any(b.block_type == "pull_quote" for b in a.body)]
        assert len(with_quotes) == 12
        assert ArticlePage.objects.exclude(kicker="").count() == 6
        assert ArticlePage.objects.get(slug="why-our-club-lets-only-members-comment").labels.count() == 2

        about = StandardPage.objects.get(slug="about")
        about_text = " ".join(str(block.value) for block in about.body)
        assert "non-profit" in about.intro + about_text
        assert "Only members of the club may comment." in about_text
        policy = StandardPage.objects.get(slug="comment-policy")
        assert "decent" in policy.intro + " ".join(str(block.value) for block in policy.body)
        # The club's own pages carry no comment section; articles follow the site's policy.
        assert [about.comment_state, policy.comment_state] == ["hidden", "hidden"]
        about_html = Client().get(about.url).content.decode()
        assert "No responses yet" not in about_html and "Post a Comment" not in about_html

        editor = get_user_model().objects.get(email="editor@example.org")
        assert editor.is_staff and not editor.is_superuser
        assert editor.check_password("kalimgaon-demo-desk")
        assert [g.name for g in editor.groups.all()] == ["Editors"]
        assert editor.has_perm("wagtailadmin.access_admin")
        assert ArticlePage.objects.first().permissions_for_user(editor).can_publish()


def test_address_points_the_default_site_at_where_the_demo_is_served():
    call_command("load_demo", "--site-only", "--address", "127.0.0.1:8123", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("127.0.0.1", 8123, "http://127.0.0.1:8123")
    with pytest.raises(CommandError, match="--address must look like 127.0.0.1:8000, not 'nowhere'."):
        call_command("load_demo", "--address", "nowhere", stdout=io.StringIO())


def test_site_only_creates_just_the_front_page_and_the_editor():
    out = io.StringIO()
    call_command("load_demo", "--site-only", stdout=out)
    assert out.getvalue().splitlines() == [
        "Loaded demo content: 1 front page, 3 newsroom accounts.",
        "Demo editor: editor@example.org (password 'kalimgaon-demo-desk')",
        "Demo reporter: reporter@example.org (password 'kalimgaon-demo-beat')",
        "Demo moderator: moderator@example.org (password 'kalimgaon-demo-queue')",
    ]
    assert HomePage.objects.count() == 1
    assert SectionPage.objects.count() == ArticlePage.objects.count() == Author.objects.count() == 0
    assert get_user_model().objects.filter(email="editor@example.org").count() == 1
