"""Absolute URLs: the one way pressclub turns a path into a link that works outside the page."""

from django.conf import settings
from django.utils.encoding import iri_to_uri
from wagtail.models import Site


def absolute_url(path: str, *, request=None, page=None, admin: bool = False) -> str:
    """Return ``path`` as an absolute, percent-encoded URL (RFC 3987 IRI → RFC 3986 URI).

    The scheme and host come from ``request`` (the address the reader used) when there is one.
    Without a request (e-mails, commands), every link, to a story or into the admin alike, comes
    from one place: ``PRESSCLUB_BASE_URL`` when it is configured (for the default site's pages and
    for links to no page); else the root URL of ``page``'s Wagtail site, else of the default site
    (which ``pressclub demo`` points at the address it serves); else ``WAGTAILADMIN_BASE_URL``.
    ``admin`` marks links into the admin; they follow the same rule. An empty ``path`` gives "";
    an ``http(s)://`` URL keeps its own host.
    Example: ``absolute_url("/local/", page=story)`` → ``"https://news.example.org/local/"``.
    """
    if not path:
        return ""
    if not path.startswith(("http://", "https://")):
        if request is not None:
            path = request.build_absolute_uri(path)
        else:
            path = _root_url(page=page, admin=admin).rstrip("/") + path
    return iri_to_uri(path)


def _root_url(*, page, admin: bool) -> str:
    site = page.get_site() if page is not None else None
    configured = getattr(settings, "PRESSCLUB_BASE_URL", "")
    if configured and (site is None or site.is_default_site):
        return configured
    site = site or Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    return site.root_url if site is not None else settings.WAGTAILADMIN_BASE_URL
