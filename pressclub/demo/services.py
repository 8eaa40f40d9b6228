"""Load the demo content into the database, idempotently (every object is keyed by its slug or e-mail)."""

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Site

from pressclub.core.models import CommentState, SiteIdentity, StandardPage
from pressclub.news.models import ArticleAuthor, ArticleCorrection, ArticlePage, HomePage, SectionPage
from pressclub.news.site_setup import front_page
from pressclub.people.models import Author

from . import content
from .articles import ARTICLES
from .images import draw_lead_image


@dataclass
class DemoReport:
    """How many objects one ``demo_load`` call created (all zero when the demo was already loaded)."""

    sections: int = 0
    authors: int = 0
    articles: int = 0
    pages: int = 0
    images: int = 0
    users: int = 0
    site: int = 0
    followers: int = 0

    @property
    def created_anything(self) -> bool:
        return any(vars(self).values())


def _site_home(report: DemoReport) -> HomePage:
    """Return the site's HomePage, creating it (``news.site_setup.front_page``) if there is none."""
    home, created = front_page(title=content.SITE_NAME, intro=content.HOME_INTRO)
    report.site += int(created)
    site = Site.objects.filter(root_page=home).first()
    if site is not None:
        identity = SiteIdentity.for_site(site)
        if not identity.tagline:
            identity.tagline = content.TAGLINE
            identity.publisher_name = content.PUBLISHER
            identity.footer_note = content.FOOTER_NOTE
            identity.save()
    return home


def _publish(page, *, when: dt.datetime, updated: dt.datetime | None = None) -> None:
    """Publish ``page`` and backdate its publication times to ``when`` (aware datetime)."""
    page.save_revision().publish()
    type(page).objects.filter(pk=page.pk).update(
        first_published_at=when, last_published_at=updated or when, latest_revision_created_at=updated or when
    )


def _lead_image(article: content.DemoArticle, section: content.DemoSection):
    """Return a new Wagtail image drawn for ``article``."""
    data = draw_lead_image(
        seed=article.slug, scene=article.image.scene, section=section.title, colours=section.colours
    )
    Image = get_image_model()
    image = Image(title=f"{article.image.scene} (demo)", description=article.image.alt)
    filename = f"demo-{section.slug}-{hashlib.sha1(article.slug.encode()).hexdigest()[:10]}.jpg"
    image.file = ImageFile(io.BytesIO(data), name=filename)
    image.file_size = len(data)
    image.save()
    return image


@transaction.atomic
def demo_load(*, now: dt.datetime | None = None, site_only: bool = False) -> DemoReport:
    """Create the Valley Press Club demo site, adding only what is missing; return what was created.

    Creates the front page (as the default site's root, replacing Wagtail's welcome page), the
    sections, authors, articles with drawn lead images (first-published times spread over the weeks
    before ``now``; one with a correction, and one breaking news for three days from ``now``, re-armed
    by every call when it would end within a day), the About and Comment policy pages (linked from the footer), and the demo's
    newsroom accounts (``content.STAFF``: editor, reporter and moderator, each in its group). Objects are found by slug (pages within
    their parent, authors) or e-mail (the editor), so a second call creates nothing.
    With ``site_only`` only the front page, site and editor are created (for importing a blog).
    """
    now = now or timezone.now()
    report = DemoReport()
    home = _site_home(report)
    if site_only:
        report.users += _editor_account()
        return report

    sections = {}
    for demo_section in content.SECTIONS:
        page = SectionPage.objects.child_of(home).filter(slug=demo_section.slug).first()
        if page is None:
            page = home.add_child(
                instance=SectionPage(title=demo_section.title, slug=demo_section.slug, intro=demo_section.intro)
            )
            _publish(page, when=now - dt.timedelta(days=30))
            report.sections += 1
        sections[demo_section.slug] = (demo_section, page)

    authors = {}
    for demo_author in content.AUTHORS:
        author, created = Author.objects.get_or_create(
            slug=demo_author.slug, defaults={"name": demo_author.name, "role": demo_author.role, "bio": demo_author.bio}
        )
        authors[demo_author.slug] = author
        report.authors += created

    for demo_article in sorted(ARTICLES, key=lambda a: a.age, reverse=True):
        demo_section, section = sections[demo_article.section]
        if ArticlePage.objects.child_of(section).filter(slug=demo_article.slug).exists():
            continue
        first_published = (now - demo_article.age).replace(second=0, microsecond=0)
        page = ArticlePage(
            title=demo_article.title,
            slug=demo_article.slug,
            kicker=demo_article.kicker,
            dek=demo_article.dek,
            byline_credit=demo_article.byline_credit,
            dateline=demo_article.dateline,
            language=demo_article.language,
            lead_image=_lead_image(demo_article, demo_section),
            lead_image_alt=demo_article.image.alt,
            lead_image_caption=demo_article.image.caption,
            lead_image_credit=demo_article.image.credit,
            body=demo_article.body,
            sign_off=demo_article.sign_off,
            source_outlet=demo_article.source_outlet,
            original_url=demo_article.original_url,
            original_bylines=demo_article.original_bylines,
        )
        if demo_article.original_published_before is not None:
            page.original_published_at = first_published - demo_article.original_published_before
        updated = first_published + demo_article.updated_after if demo_article.updated_after else None
        page.updated_at = updated
        for order, slug in enumerate(demo_article.authors):
            page.byline_links.add(ArticleAuthor(author=authors[slug], sort_order=order))
        for order, (kind, text, after) in enumerate(demo_article.corrections):
            page.corrections.add(ArticleCorrection(kind=kind, text=text, published_at=first_published + after, sort_order=order))
        section.add_child(instance=page)
        if demo_article.labels:
            page.labels.add(*demo_article.labels)
        _publish(page, when=first_published, updated=updated)
        report.articles += 1
        report.images += 1

    for demo_page in content.PAGES:
        if StandardPage.objects.child_of(home).filter(slug=demo_page.slug).exists():
            continue
        page = home.add_child(
            instance=StandardPage(
                title=demo_page.title,
                slug=demo_page.slug,
                intro=demo_page.intro,
                body=demo_page.body,
                # About and the comment policy are the club's own pages, not a place for discussion.
                comment_state=CommentState.HIDDEN,
            )
        )
        _publish(page, when=now - dt.timedelta(days=30))
        report.pages += 1

    _link_identity_pages(home)

    if home.lead_story_id is None and report.articles:
        home.lead_story = ArticlePage.objects.child_of(sections["hills"][1]).filter(
            slug="landslide-closes-ridge-road-for-a-second-week"
        ).first()
        home.save_revision().publish()

    _arm_breaking_story(sections["hills"][1], now=now)
    report.users += _editor_account()
    report.followers += _demo_follower(sections=[sections["hills"][1], sections["local"][1]])
    return report


#: The demo's breaking story, and how long its banner runs after each load (re-armed by every load
#: whose banner would end within a day, so the demo always shows one).
BREAKING_SLUG = "landslide-closes-ridge-road-for-a-second-week"
BREAKING_FOR = dt.timedelta(days=3)


def _arm_breaking_story(section: SectionPage, *, now: dt.datetime) -> bool:
    """Mark the demo's breaking story as breaking news for ``BREAKING_FOR`` after ``now``, published as
    an editor would (the purges run), unless its banner runs for a day more already; return True if armed.

    The story keeps its publication times (as ``_publish`` backdates them).
    """
    page = ArticlePage.objects.child_of(section).filter(slug=BREAKING_SLUG, live=True).first()
    if page is None or (page.breaking_until and page.breaking_until > now + dt.timedelta(days=1)):
        return False
    published = (page.first_published_at, page.last_published_at, page.latest_revision_created_at)
    page.breaking_until = now + BREAKING_FOR
    page.save_revision().publish()
    ArticlePage.objects.filter(pk=page.pk).update(
        first_published_at=published[0], last_published_at=published[1], latest_revision_created_at=published[2]
    )
    return True


#: The demo's reader who follows by e-mail (no account): Hills and Local, in a daily digest.
DEMO_FOLLOWER = "kamala.thapa@example.org"


def _demo_follower(*, sections) -> int:
    """Make ``DEMO_FOLLOWER`` a confirmed daily follower of ``sections`` (as a reader confirming her
    address would, through ``follows.services``); return 1 if added, 0 if she was there already.

    Her digests start with stories published after the demo was loaded (each follow's ``digest_since``), so the
    demo's worker mails her only once a story is published in one of her sections. A later load
    leaves her as she is (unsubscribed, if she did).
    """
    from pressclub.follows.models import Follower
    from pressclub.follows.services import Topic, follow_request

    if Follower.objects.filter(email=DEMO_FOLLOWER).exists():
        return 0
    for section in sections:
        follow_request(email=DEMO_FOLLOWER, topic=Topic("section", section), frequency="daily",
                       language=settings.LANGUAGE_CODE, confirmed_address=True)  # fmt: skip
    return 1


def _link_identity_pages(home: HomePage) -> None:
    """Link the About and comment policy pages from the footer (SiteIdentity), unless already chosen."""
    site = Site.objects.filter(root_page=home).first()
    if site is None:
        return
    identity = SiteIdentity.for_site(site)
    pages = {p.slug: p for p in StandardPage.objects.child_of(home).filter(slug__in=[content.ABOUT_SLUG, content.POLICY_SLUG])}
    changed = False
    for field, slug in (("about_page", content.ABOUT_SLUG), ("comment_policy_page", content.POLICY_SLUG)):
        if getattr(identity, f"{field}_id") is None and slug in pages:
            setattr(identity, field, pages[slug])
            changed = True
    if changed:
        identity.save()


def _editor_account() -> int:
    """Create the demo's newsroom accounts (``content.STAFF``: editor, reporter, moderator; staff,
    each in its role's group, verified e-mail) that are missing; return how many were created."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    created = 0
    for staff in content.STAFF:
        if User.objects.filter(email__iexact=staff.email).exists():
            continue
        user = User.objects.create_user(
            email=staff.email, password=staff.password, display_name=staff.display_name, is_staff=True
        )
        user.groups.add(Group.objects.get_or_create(name=staff.group)[0])
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        created += 1
    return created


def demo_site_address(*, hostname: str, port: int) -> bool:
    """Point the default site at ``hostname:port`` (where the demo is served); return True if it changed.

    Wagtail builds absolute URLs (the sitemap's, for one) from the site's hostname and port rather
    than from the request, so the demo's site must name the address it is actually served on.
    """
    changed = Site.objects.filter(is_default_site=True).exclude(hostname=hostname, port=port).update(
        hostname=hostname, port=port
    )
    Site.clear_site_root_paths_cache()
    return bool(changed)
