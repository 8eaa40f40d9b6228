"""Wagtail admin hooks: the "Import" menu, the import views' URLs and the import permission."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_views

import_menu = Menu(register_hook_name="register_import_menu_item", construct_hook_name="construct_import_menu")


class ImportMenuItem(MenuItem):
    """An entry of the "Import" menu, shown to those who may import."""

    def is_shown(self, request):
        return admin_views.can_import(request.user)


@hooks.register("register_admin_urls")
def register_import_urls():
    """Mount the import views under ``/admin/import/``."""
    return [
        path("import/blogger/", admin_views.blogger_import_view, name="importers_blogger"),
        path("import/blogger/<int:pk>/", admin_views.blogger_import_progress_view, name="importers_blogger_progress"),
        path("import/blogger/<int:pk>/rerun/", admin_views.blogger_import_rerun_view, name="importers_blogger_rerun"),
    ]


@hooks.register("register_admin_menu_item")
def register_import_menu():
    """Add the "Import" submenu to the admin menu (hidden when none of its entries is shown)."""
    return SubmenuMenuItem("Import", import_menu, name="import", icon_name="download", order=900)


@hooks.register("register_import_menu_item")
def register_blogger_import_menu_item():
    """Add "Blogger export" to the "Import" menu."""
    return ImportMenuItem("Blogger export", reverse("importers_blogger"), name="blogger", icon_name="doc-full", order=100)


@hooks.register("register_permissions")
def register_import_permission():
    """Let administrators grant "Can import Blogger exports and wire stories" in the group editor."""
    return Permission.objects.filter(content_type__app_label="importers", codename="import_content")


@hooks.register("register_admin_urls")
def register_article_import_urls():
    """Mount the wire-story import view at ``/admin/import/article/``."""
    from .article.admin_views import ArticleImportView

    return [path("import/article/", ArticleImportView.as_view(), name="importers_article_import")]


@hooks.register("register_import_menu_item")
def register_article_import_menu_item():
    """Add "Wire story" to the "Import" menu."""
    return ImportMenuItem(
        "Wire story", reverse("importers_article_import"), name="wire-story", icon_name="doc-full-inverse", order=200
    )
