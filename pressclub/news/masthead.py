"""The masthead every reader page shows (site identity and section menu), read once and shared.

The identity (:func:`pressclub.news.seo.site_identity`) and the live, public sections under the
site's front page are kept together in Django's cache under one key per site, until the next purge
of the page cache (:func:`pressclub.core.cache.cached_until_purge`, whether or not the page cache
keeps whole pages), and on the request.
"""

from django.conf import settings

from pressclub.core.cache import cached_until_purge

from .seo import site_identity


def _read(request, site) -> dict:
    from .models import SectionPage

    sections = []
    if site is not None:
        sections = list(SectionPage.objects.child_of(site.root_page).live().public().order_by("path"))
    return {"identity": site_identity(request), "sections": sections}


def masthead(request) -> dict:
    """Return ``{"identity": dict, "sections": [SectionPage]}`` for ``request``'s site (see module doc).

    One cache read when warm; cold, the identity's queries and one for the sections. Sections come
    in tree order (the order editors gave them).
    """
    cached = getattr(request, "_pressclub_masthead", None)
    if cached is not None:
        return cached
    from pressclub.core.routing import site_for_request

    site = site_for_request(request) if request is not None else None
    if site is None:
        found = _read(request, None)
    else:
        found = cached_until_purge(
            f"pressclub:masthead:{site.pk}", lambda: _read(request, site),
            timeout=settings.PRESSCLUB_PAGE_CACHE_SECONDS or 300, site_wide=True,
        )
    if request is not None:
        request._pressclub_masthead = found
        request._pressclub_identity = found["identity"]
    return found
