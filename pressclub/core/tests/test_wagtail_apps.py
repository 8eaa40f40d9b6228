"""Wagtail's images, documents, snippets and redirects apps run without the v3 API (core.wagtail_apps)."""

import hashlib
import inspect
import os
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.db.models import CASCADE, ForeignKey
from django.db.models.signals import post_delete, post_migrate, post_save
from wagtail.admin.compare import comparison_class_registry
from wagtail.admin.forms.models import registry as form_field_overrides
from wagtail.admin.ui.fields import display_class_registry
from wagtail.contrib.redirects.apps import WagtailRedirectsAppConfig
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.redirects.signal_handlers import (
    autocreate_redirects_on_page_move,
    autocreate_redirects_on_slug_change,
)
from wagtail.documents import get_document_model
from wagtail.documents import signal_handlers as document_signals
from wagtail.documents.apps import WagtailDocsAppConfig
from wagtail.documents.components import DocumentDisplay
from wagtail.images import get_image_model
from wagtail.images import signal_handlers as image_signals
from wagtail.images.apps import WagtailImagesAppConfig
from wagtail.images.components import ImageDisplay
from wagtail.images.edit_handlers import ImageFieldComparison
from wagtail.images.widgets import AdminImageChooser
from wagtail.models.reference_index import ReferenceIndex
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.signals import page_slug_changed, post_page_move
from wagtail.snippets.apps import WagtailSnippetsAppConfig
from wagtail.snippets.models import create_extra_permissions, get_snippet_models

from pressclub.core import wagtail_apps
from pressclub.news.models import ArticlePage
from pressclub.people.models import Author

REPO = Path(__file__).resolve().parents[3]

# SHA-256 of the source of Wagtail 8.0's ready() of each app. When Wagtail's changes, compare it
# with the class of core.wagtail_apps that stands in for it, then update the digest here.
WAGTAIL_READY_SOURCES = {
    WagtailImagesAppConfig: "52e409385bb1ad6269ea4d3e46918062ec1b167f9667b89fc6581a4d79c31aa2",
    WagtailDocsAppConfig: "4cdf87a46dbf81efa9910450b8a0756c0474db373c840e42180c24936737ac6d",
    WagtailSnippetsAppConfig: "1ac35b5ed40349560ef6772c940e99518fb6b96c9700e505fade4d7f289785e2",
    WagtailRedirectsAppConfig: "19d1a78049d84e479ad274b23b38dd533bfe9d897661912593ec0b2c293881e9",
}


def test_wagtail_ready_methods_are_the_ones_the_configs_follow():
    digests = {
        config.__name__: hashlib.sha256(inspect.getsource(config.ready).encode()).hexdigest()
        for config in WAGTAIL_READY_SOURCES
    }
    assert digests == {config.__name__: digest for config, digest in WAGTAIL_READY_SOURCES.items()}


def test_the_four_apps_use_the_configs_without_the_v3_api():
    assert type(apps.get_app_config("wagtailimages")) is wagtail_apps.ImagesConfig
    assert type(apps.get_app_config("wagtaildocs")) is wagtail_apps.DocumentsConfig
    assert type(apps.get_app_config("wagtailsnippets")) is wagtail_apps.SnippetsConfig
    assert type(apps.get_app_config("wagtailredirects")) is wagtail_apps.RedirectsConfig
    assert apps.is_installed("wagtail.images") and apps.is_installed("wagtail.contrib.redirects")
    assert not apps.is_installed("wagtail.api.v3")


def _receivers(signal, sender=None):
    """Return the receiver functions connected to ``signal`` for ``sender`` (None: for any sender)."""
    return [ref() for (_, sender_key), ref, _ in signal.receivers if sender_key == (id(sender) if sender else id(None))]


def test_the_images_config_registers_what_wagtail_does_besides_the_api():
    image = get_image_model()
    policy = policy_registry.get_by_type(image, fallback=False)
    assert (type(policy), policy.model, policy.owner_field_name) == (
        CollectionOwnershipPermissionPolicy, image, "uploaded_by_user"
    )
    assert image_signals.post_save_image_feature_detection in _receivers(post_save, image)
    assert image_signals.post_delete_file_cleanup in _receivers(post_delete, image)
    assert form_field_overrides.get(ArticlePage._meta.get_field("lead_image"))["widget"] is AdminImageChooser
    to_image = ForeignKey(image, on_delete=CASCADE)
    assert comparison_class_registry.get(to_image) is ImageFieldComparison
    assert display_class_registry.get(to_image) is ImageDisplay
    assert ReferenceIndex.is_indexed(image)


def test_the_documents_config_registers_what_wagtail_does_besides_the_api():
    document = get_document_model()
    policy = policy_registry.get_by_type(document, fallback=False)
    assert (type(policy), policy.model, policy.auth_model, policy.owner_field_name) == (
        CollectionOwnershipPermissionPolicy, document, document, "uploaded_by_user"
    )
    assert document_signals.post_delete_file_cleanup in _receivers(post_delete, document)
    to_document = ForeignKey(document, on_delete=CASCADE)
    assert display_class_registry.get(to_document) is DocumentDisplay
    assert ReferenceIndex.is_indexed(document)


def test_the_redirects_config_registers_what_wagtail_does_besides_the_api():
    policy = policy_registry.get_by_type(Redirect, fallback=False)
    assert (type(policy), policy.model) == (ModelPermissionPolicy, Redirect)
    assert autocreate_redirects_on_page_move in _receivers(post_page_move)
    assert autocreate_redirects_on_slug_change in _receivers(page_slug_changed)


def test_the_snippets_config_registers_what_wagtail_does_besides_the_api():
    snippets = apps.get_app_config("wagtailsnippets")
    assert _receivers(post_migrate, snippets) == [create_extra_permissions]
    # Author is registered in people/models.py, before the apps are ready: only ready() completes
    # it (the others register from wagtail_hooks, once the admin's hooks load).
    assert Author in get_snippet_models()
    assert Author.snippet_viewset.model is Author


def test_a_server_worker_does_not_import_the_v3_api():
    # A fresh process, as a `pressclub serve` worker starts: its WSGI application, then the URLs.
    code = (
        "import sys; import pressclub.wsgi; from django.urls import get_resolver; get_resolver().url_patterns; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'ninja'}), "
        "sorted(m for m in sys.modules if m.startswith('wagtail.api.v3')))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pressclub.settings.test", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout == "[] []\n"
