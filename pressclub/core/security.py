"""The Content-Security-Policy header: one policy for reader pages, another for the admin.

django-csp writes the header from ``CONTENT_SECURITY_POLICY`` (the reader policy). The admin
(Wagtail's and Django's) runs code and styles reader pages never need, so a request under one of
``PRESSCLUB_ADMIN_PATH_PREFIXES`` gets ``PRESSCLUB_ADMIN_CONTENT_SECURITY_POLICY`` instead.
An admin preview (or a draft, or an old revision) shows a reader page as readers will get it, so it
keeps the reader policy, except that the admin may frame it (the editor's preview panel).
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.urls import Resolver404, resolve

# Admin views (Wagtail's, for pages and snippets) that answer with a reader page: previews,
# drafts, old revisions.
# The policy headers of page-cache hits under "memo": (reader policy setting, report-only policy
# setting, headers). The settings objects are kept, and compared by identity, so changed settings
# (tests, override_settings) are never answered with headers built from others.
_hit_headers: dict[str, tuple] = {}

READER_PAGE_VIEWS = {"preview_on_add", "preview_on_edit", "view_draft", "workflow_preview", "revisions_view"}


def admin_view_kind(request) -> str | None:
    """Return ``"admin"`` for a request under ``PRESSCLUB_ADMIN_PATH_PREFIXES``, ``"reader page"`` for
    one of the admin views that answer with a reader page (``READER_PAGE_VIEWS``), else None."""
    path = request.path_info
    if not path.startswith(tuple(settings.PRESSCLUB_ADMIN_PATH_PREFIXES)):
        return None
    try:
        match = getattr(request, "resolver_match", None) or resolve(path)
    except Resolver404:
        return "admin"
    return "reader page" if match.url_name in READER_PAGE_VIEWS else "admin"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin policy for admin requests.

    A view's own ``@csp_override`` / ``@csp_update`` decorators still apply on top of the policy
    chosen here. Place it before the page cache middleware, so a page served from the cache gets
    the header as well.
    """

    def process_response(self, request, response):
        """Write the header as django-csp does; for an admin view of a reader page, write it anew.

        Wagtail renders a preview by passing a request for the page's own URL through the whole
        middleware chain, which already wrote the reader policy (``frame-ancestors 'none'``).
        A page served from the page cache, or a member's page from its shared copy
        (``core.member_pages``), gets the headers the first such page got: they depend on the
        settings alone (no nonce, no decorator, no admin path), and building them anew cost a
        third of a hit's CPU time (a seventh of a member's).
        """
        if getattr(response, "pressclub_page_cache_hit", False) or getattr(response, "pressclub_member_hit", False):
            return self._cache_hit_response(request, response)
        if HEADER in response and admin_view_kind(request) == "reader page":
            del response[HEADER]
        return super().process_response(request, response)

    def _cache_hit_response(self, request, response):
        reader = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        if (reader or {}).get("EXCLUDE_URL_PREFIXES") or (report_only or {}).get("EXCLUDE_URL_PREFIXES"):
            return super().process_response(request, response)
        memo = _hit_headers.get("memo")
        if memo is None or memo[0] is not reader or memo[1] is not report_only:
            response = super().process_response(request, response)
            headers = tuple((name, response[name]) for name in (HEADER, HEADER_REPORT_ONLY) if name in response)
            _hit_headers["memo"] = (reader, report_only, headers)
            return response
        for name, value in memo[2]:
            response[name] = value
        return response

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        """Return django-csp's policy parts: the admin policy as the base for admin requests, and
        ``frame-ancestors 'self'`` over the reader policy for an admin view of a reader page."""
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        kind = admin_view_kind(request)
        if kind == "admin" and parts.config is None:
            parts.config = default_config(settings.PRESSCLUB_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        elif kind == "reader page":
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
