"""A new site's front page and sections, made from the command line (``pressclub start-site``) or by
the demo, so that a production site needs neither the demo's content nor its accounts."""

from django.db import transaction
from wagtail.models import Page, Site

from pressclub.core.text import slugify

from .models import HomePage, SectionPage


def front_page(*, title: str, intro: str = "") -> tuple[HomePage, bool]:
    """Return ``(the site's HomePage, whether it was created now)``.

    When there is none, a front page titled ``title`` (with ``intro``) is created and published at
    the top of the page tree, and the default Wagtail Site is pointed at it (its hostname and port
    kept; ``site_name`` set to ``title``). Wagtail's installation leaves a plain "Welcome to your new
    Wagtail site!" page at ``/home/`` with the default site on it: that page (any plain ``Page``
    directly under the root) is deleted with its Site. An existing front page is returned as it is.
    """
    home = HomePage.objects.first()
    if home is not None:
        return home, False
    root = Page.get_first_root_node()
    default = Site.objects.filter(is_default_site=True).first()
    hostname, port = (default.hostname, default.port) if default else ("localhost", 80)
    for page in root.get_children():
        if page.specific_class is Page:
            page.delete()  # deletes the site rooted on it too (Site.root_page cascades)
    slug = "front-page" if root.get_children().filter(slug="home").exists() else "home"
    home = root.add_child(instance=HomePage(title=title, slug=slug, intro=intro))
    home.save_revision().publish()
    Site.objects.filter(is_default_site=True).exclude(hostname=hostname, port=port).update(is_default_site=False)
    Site.objects.update_or_create(
        hostname=hostname, port=port, defaults={"root_page": home, "is_default_site": True, "site_name": title}
    )
    Site.clear_site_root_paths_cache()
    return home, True


@transaction.atomic
def start_site(*, title: str, hostname: str = "", port: int = 0, sections: list[str] = ()) -> list[str]:
    """Make a new site ready for its first story; return one line per thing created.

    ``title`` names the site (the front page's title and the Site's name); ``hostname`` and ``port``
    (when given) are the address readers use, e.g. ``news.example.org`` and 443; ``sections`` are
    section titles (e.g. ``["News", "Opinion"]``), each published under the front page unless one
    with its slug is there. Nothing is created twice. Raise ValueError for an empty title or section
    title.
    """
    title = title.strip()
    if not title:
        raise ValueError("the site needs a name")
    created = []
    home, new = front_page(title=title)
    if new:
        created.append(f"Front page “{title}” at /")
    if hostname:
        site = Site.objects.get(root_page=home)
        if (site.hostname, site.port) != (hostname, port or site.port):
            site.hostname, site.port = hostname, port or site.port
            site.save()
            created.append(f"Site address {hostname}:{site.port}")
    for section_title in sections:
        section_title = section_title.strip()
        if not section_title:
            raise ValueError("a section needs a title")
        slug = slugify(section_title)
        if SectionPage.objects.child_of(home).filter(slug=slug).exists():
            continue
        section = home.add_child(instance=SectionPage(title=section_title, slug=slug))
        section.save_revision().publish()
        created.append(f"Section “{section_title}” at {section.url_path[len(home.url_path) - 1:]}")
    return created
