"""Wagtail admin hooks of the ground floor: the slug field's Unicode rule in the editor's browser, and
the phone layout of the admin listings (core.admin_tables)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def unicode_slug_js():
    """Load ``core/js/unicode-slug.js``: the title-to-slug filling keeps vowel signs and virama."""
    return format_html('<script src="{}"></script>', static("core/js/unicode-slug.js"))


@hooks.register("insert_global_admin_css")
def stacked_listing_css():
    """Add ``core/css/admin_listings.css``: the phone layout of tables with ``table_classname = STACKED_LISTING``."""
    return format_html('<link rel="stylesheet" href="{}">', static("core/css/admin_listings.css"))
