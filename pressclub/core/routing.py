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

from .cache import cached_until_purge

_MISSING = ()


def _root_path(site) -> str | None:
    for root in Site.get_site_root_paths():
        if root.site_id == site.pk:
            return root.root_path
    return None


def _find(url_path: str, slug: str | None):
    rows = Page.objects.filter(url_path=url_path)
    if slug is not None:
        rows = rows.filter(slug=slug)
    return rows.values_list("content_type_id", "pk").first() or _MISSING


def _where(request, path: str = "") -> str:
    # The cache key's part naming the request's host, port and path (hashed: any length, any script).
    hostname = split_domain_port(request._get_raw_host())[0]
    where = f"{hostname}:{request.get_port()}:{path}"
    return hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()


def site_for_request(request):
    """Return the Wagtail ``Site`` that answers ``request`` (as ``Site.find_for_request``), or None.

    Looked up once per host and port and kept until the next purge of the page cache, with the
    page cache on or off (saving or deleting a site purges, ``signal_handlers``); set on the
    request as Wagtail does, so Wagtail's own look-ups later in the request cost nothing.
    """
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = cached_until_purge(
            f"pressclub:site:{_where(request)}", lambda: Site._find_for_request(request),
            timeout=settings.PRESSCLUB_PAGE_CACHE_SECONDS or 300, site_wide=True,
        )
    return request._wagtail_site


def _lookup(request, path: str):
    site = site_for_request(request)
    root_path = _root_path(site) if site is not None else None
    if root_path is None:
        return _MISSING
    components = [part for part in path.split("/") if part]
    url_path = root_path + "".join(f"{part}/" for part in components)
    found = _find(url_path, components[-1] if components else None)
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
