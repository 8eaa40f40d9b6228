"""Wagtail's images, documents, snippets and redirects apps without the v3 API they register.

Wagtail 8's ``ready()`` of these four apps adds each app's router to the v3 API
(``wagtail.api.v3.api``, built on django-ninja and pydantic) and registers its content types there,
whether or not the site serves that API. pressclub does not (``wagtail.api.v3`` is not installed and
its URLs are not mounted), and those imports cost each ``pressclub serve`` worker about 10 MB of
memory for nothing: django-ninja, the API's pydantic schemas, and for the redirects app
django-rest-framework's serializers with requests, PyYAML and Pygments (``bench/serve_memory.py``).

Each class below is the Wagtail app's own config doing what its ``ready()`` does minus the v3 API
lines; with ``wagtail.api.v3`` in ``INSTALLED_APPS`` each runs Wagtail's ``ready()`` unchanged. The
``ready()`` bodies follow Wagtail 8.0; ``core/tests/test_wagtail_apps.py`` fails when Wagtail's
change, so an upgrade looks at them again.
"""

from django.apps import apps
from django.db.models import ForeignKey
from wagtail.contrib.redirects.apps import WagtailRedirectsAppConfig
from wagtail.documents.apps import WagtailDocsAppConfig
from wagtail.images.apps import WagtailImagesAppConfig
from wagtail.snippets.apps import WagtailSnippetsAppConfig


def _serves_v3_api() -> bool:
    return apps.is_installed("wagtail.api.v3")


class ImagesConfig(WagtailImagesAppConfig):
    """``wagtail.images`` without the v3 API's images router (module docstring)."""

    def ready(self):
        if _serves_v3_api():
            return super().ready()
        from wagtail.admin.compare import register_comparison_class
        from wagtail.admin.forms.models import register_form_field_override
        from wagtail.admin.ui.fields import register_display_class
        from wagtail.images import get_image_model, get_permission_policy
        from wagtail.images.components import ImageDisplay
        from wagtail.images.edit_handlers import ImageFieldComparison
        from wagtail.images.signal_handlers import register_signal_handlers
        from wagtail.images.widgets import AdminImageChooser
        from wagtail.models.reference_index import ReferenceIndex
        from wagtail.permissions import register_permission_policy

        image = get_image_model()
        register_permission_policy(image, get_permission_policy())
        register_signal_handlers()
        register_form_field_override(ForeignKey, to=image, override={"widget": AdminImageChooser})
        register_comparison_class(ForeignKey, to=image, comparison_class=ImageFieldComparison)
        register_display_class(ForeignKey, to=image, display_class=ImageDisplay)
        ReferenceIndex.register_model(image)


class DocumentsConfig(WagtailDocsAppConfig):
    """``wagtail.documents`` without the v3 API's documents router (module docstring)."""

    def ready(self):
        if _serves_v3_api():
            return super().ready()
        from wagtail.admin.ui.fields import register_display_class
        from wagtail.documents import get_document_model, get_permission_policy
        from wagtail.documents.components import DocumentDisplay
        from wagtail.documents.signal_handlers import register_signal_handlers
        from wagtail.models.reference_index import ReferenceIndex
        from wagtail.permissions import register_permission_policy

        document = get_document_model()
        register_permission_policy(document, get_permission_policy())
        register_signal_handlers()
        register_display_class(ForeignKey, to=document, display_class=DocumentDisplay)
        ReferenceIndex.register_model(document)


class SnippetsConfig(WagtailSnippetsAppConfig):
    """``wagtail.snippets`` without the v3 API's snippets router (module docstring)."""

    def ready(self):
        if _serves_v3_api():
            return super().ready()
        from django.db.models.signals import post_migrate
        from wagtail.snippets.models import create_extra_permissions, register_deferred_snippets

        register_deferred_snippets()
        post_migrate.connect(create_extra_permissions, sender=self)


class RedirectsConfig(WagtailRedirectsAppConfig):
    """``wagtail.contrib.redirects`` without the v3 API's redirects router (module docstring)."""

    def ready(self):
        if _serves_v3_api():
            return super().ready()
        from wagtail.contrib.redirects.models import Redirect
        from wagtail.contrib.redirects.signal_handlers import (
            autocreate_redirects_on_page_move,
            autocreate_redirects_on_slug_change,
        )
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import page_slug_changed, post_page_move

        register_permission_policy(Redirect)
        post_page_move.connect(autocreate_redirects_on_page_move)
        page_slug_changed.connect(autocreate_redirects_on_slug_change)
