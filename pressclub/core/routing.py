"""Serve Wagtail pages with routing from a path lookup instead of a walk down the page tree.

Wagtail's ``serve`` finds a page by walking from the site's root, one query (often two) per path
segment. Here the page's ``url_path`` (which Wagtail keeps for every page) is looked up at once,
through the indexed slug: two queries whatever the depth, and one once the path is in the cache
(kept until the next purge of the page cache with the request's site, whether or not whole pages
are kept, and checked against the page read, so a stale entry is never served). Anything this lookup does not find the same way (a sub-route of a routable page,
a path that names no page, sites with Wagtail's page localisation on) goes to Wagtail's own walk,
which gives the answer or the 404.
"""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
    SiteRootPath,
)

from .cache import cached_until_purge

_MISSING = ()


def _root_path(request, site) -> str | None:
    for root in site_root_paths(request):
        if root.site_id == site.pk:
            return root.root_path
    return None


def _all_sites() -> list:
    # Every site with its root page and locale, in Wagtail's root-path order (most specific first).
    return list(
        Site.objects.select_related("root_page", "root_page__locale")
        .order_by("-root_page__url_path", "-is_default_site", "hostname")
    )


def _root_paths_of(sites) -> list:
    return [
        SiteRootPath(site.pk, site.root_page.url_path, site.root_url, site.root_page.locale.language_code)
        for site in sites
    ]


def _site_match(site, hostname: str, port: int) -> int:
    # Wagtail's ranking in get_site_for_hostname: 0 host and port, 1 host of the default site,
    # 2 the default site, 3 the host on another port.
    if site.hostname == hostname:
        if site.port == port:
            return MATCH_HOSTNAME_PORT
        if site.is_default_site:
            return MATCH_HOSTNAME_DEFAULT
        return MATCH_HOSTNAME
    return MATCH_DEFAULT


def best_site(sites, hostname: str, port: int):
    """Return the site of ``sites`` that answers ``hostname`` and ``port``, or None.

    The same choice as Wagtail's ``get_site_for_hostname`` (an exact host and port first, then the
    host when it is the default site; the default site when no host matches, or the one site on
    that host when only one is), made in Python over a list already read, so that finding the site
    and its root paths cost one query together. ``port`` is an int (``request.get_port()`` as int).
    """
    ranked = sorted(
        (site for site in sites if site.hostname == hostname or site.is_default_site),
        key=lambda site: _site_match(site, hostname, port),
    )
    if not ranked:
        return None
    first = _site_match(ranked[0], hostname, port)
    if len(ranked) == 1 or first in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return ranked[0]
    if first == MATCH_DEFAULT:
        return ranked[len(ranked) == 2]
    return None


def _sites():
    # The sites and their root paths, read in one query, kept until the next purge (saving or
    # deleting a site purges, ``signal_handlers``).
    return cached_until_purge(
        "pressclub:sites", _all_sites, timeout=settings.PRESSCLUB_PAGE_CACHE_SECONDS or 300, site_wide=True,
    )


def site_root_paths(request, *, sites=None) -> list:
    """Return Wagtail's ``SiteRootPath`` list for ``request`` (as ``Site.get_site_root_paths()``).

    Made from the sites :func:`site_for_request` reads (no query of its own once they are read) and
    set on the request where Wagtail's page URLs look for it (``_wagtail_cached_site_root_paths``),
    so that ``page.url`` in the request's templates costs nothing either. The sites are read once
    for both (``sites``: the list of every site, when the caller has just read it). With Wagtail's
    page localisation on, Wagtail's own list (root pages' translations included) is used.
    """
    if request is None:
        return Site.get_site_root_paths()
    if not hasattr(request, "_wagtail_cached_site_root_paths"):
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            request._wagtail_cached_site_root_paths = Site.get_site_root_paths()
        elif sites is None and not hasattr(request, "_wagtail_site"):
            site_for_request(request)  # sets the request's site and these from one read
        else:
            request._wagtail_cached_site_root_paths = _root_paths_of(_sites() if sites is None else sites)
    return request._wagtail_cached_site_root_paths


def _find(url_path: str):
    # url_path has no index; the slug (its last part: Wagtail builds url_path from the slugs) has.
    slug = url_path.rstrip("/").rpartition("/")[2]
    rows = Page.objects.filter(url_path=url_path, slug=slug)
    return rows.values_list("content_type_id", "pk").first() or _MISSING


def _where(request, path: str = "") -> str:
    # The cache key's part naming the request's host, port and path (hashed: any length, any script).
    hostname = split_domain_port(request._get_raw_host())[0]
    where = f"{hostname}:{request.get_port()}:{path}"
    return hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()


def site_for_request(request):
    """Return the Wagtail ``Site`` that answers ``request`` (as ``Site.find_for_request``), or None.

    Every site is read in one query (with the root paths, :func:`site_root_paths`) and kept until
    the next purge of the page cache, with the page cache on or off (saving or deleting a site
    purges, ``signal_handlers``); the choice among them is Wagtail's (:func:`best_site`). Set on the
    request as Wagtail does, so Wagtail's own look-ups later in the request cost nothing.
    """
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        sites = _sites()
        request._wagtail_site = best_site(sites, hostname, int(port) if str(port).isdigit() else -1)
        site_root_paths(request, sites=sites)  # the same sites, set where Wagtail's page URLs look
    return request._wagtail_site


def _lookup(request, path: str):
    site = site_for_request(request)
    root_path = _root_path(request, site) if site is not None else None
    if root_path is None:
        return _MISSING
    components = [part for part in path.split("/") if part]
    url_path = root_path + "".join(f"{part}/" for part in components)
    found = _find(url_path)
    return (site, *found, url_path) if found else _MISSING


def route_page(request, path: str):
    """Return Wagtail's RouteResult for ``path`` (``"local/some-story/"``) on ``request``'s site, or None
    when the lookup cannot answer (then Wagtail's own routing must be asked).

    Kept per host, port and path until the next purge, with the page cache on or off: the site
    (then set on the request, as ``Site.find_for_request`` would), the page's content type, id and
    ``url_path``; the page itself is read each time (one query) and checked against them. Saving
    or deleting a site purges (``signal_handlers``).
    """
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    found = cached_until_purge(
        f"pressclub:route:{_where(request, path)}", lambda: _lookup(request, path),
        timeout=settings.PRESSCLUB_PAGE_CACHE_SECONDS or 300, site_wide=True,
    )
    if not found:
        return None
    site, content_type_id, pk, url_path = found
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = site
    site_root_paths(request)
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    # A page type may name the relations its page view reads (the article's lead image).
    page = model._default_manager.select_related(*getattr(model, "route_select_related", ())).filter(pk=pk).first()
    if page is None or page.url_path != url_path or not page.live:
        return None
    return page.route(request, [])


def serve(request, path):
    """Serve the Wagtail page at ``path`` (Wagtail's ``serve`` view, routed by :func:`route_page`)."""
    if not hasattr(request, "_wagtail_route_for_request"):
        result = route_page(request, path)
        if result is not None:
            request._wagtail_route_for_request = result
    return wagtail_views.serve(request, path)
