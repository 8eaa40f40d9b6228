"""A site made for a Blogger export takes the blog's identity: its name and its description."""

from __future__ import annotations

from wagtail.models import Site

from pressclub.core.models import SiteIdentity
from pressclub.core.text import strip_control_chars
from pressclub.news.models import HomePage


def take_site_identity(*, home: HomePage, site: Site | None, title: str, description: str) -> None:
    """Name ``site`` and its front page ``home`` after the blog, and make its description the tagline.

    ``title`` and ``description`` are plain text (the export's feed title and subtitle, or the
    legacy ``BLOG_DESCRIPTION`` setting); either may be empty, and an empty one changes nothing
    but the front page's intro, which is the description whenever a title is given (a new name
    drops the old blurb). ``Site.site_name`` and the front page's title become ``title`` (the
    published front page too); ``SiteIdentity.tagline`` becomes ``description`` and the publisher
    name is cleared (it then defaults to the site's name), as is the footer note when a title is given. Call it only for a site made for the
    export: the importer decides that (see ``BloggerImporter.prepare``).
    """
    title = strip_control_chars(title).strip()[:255]
    description = strip_control_chars(description).strip()
    if not title and not description:
        return
    if title:
        home.title = home.draft_title = title
    home.intro = description
    home.save(update_fields=["title", "draft_title", "intro"])
    if home.live_revision_id:  # the published front page shows the new name too
        home.save_revision().publish()
    if site is None:
        return
    if title and site.site_name != title:
        site.site_name = title
        site.save(update_fields=["site_name"])
    identity = SiteIdentity.for_site(site)
    if description:
        identity.tagline = description[:255]
    elif title:
        identity.tagline = ""
    identity.publisher_name = ""
    if title:
        identity.footer_note = ""  # a note written for another name
    identity.save()
