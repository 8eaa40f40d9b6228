"""Receivers of the ground floor, connected in CoreConfig.ready()."""

from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site

from pressclub.core import memory
from pressclub.core.images import image_file_clean
from pressclub.core.language import site_default_language_forget
from pressclub.core.models import SiteIdentity
from pressclub.core.purge import cache_purge_on_commit
from pressclub.core.purge_lists import purge_list
from pressclub.core.restrictions import (
    request_finished_receiver,
    request_started_receiver,
    restrictions_forget,
)


def image_pre_save(sender, instance, **kwargs):
    """Strip location and camera metadata from a new image file before it is stored."""
    image_file_clean(instance)


def site_identity_saved(sender, instance, created=False, **kwargs):
    """Forget the remembered default languages and cached pages: every page shows the identity.

    An identity created empty (Wagtail makes one the first time a page asks for it) changes nothing.
    """
    if created and not instance.default_language:
        return
    site_default_language_forget()
    cache_purge_on_commit(purge_list("site_identity_changed"))


def purge_on_view_restriction_change(sender, instance, **kwargs):
    """Empty the page cache (and the cached restriction list, ``core.restrictions``) when a page's
    view restriction is added, changed or removed."""
    cache_purge_on_commit(purge_list("view_restriction_changed"))
    restrictions_forget()


def purge_on_site_change(sender, instance, **kwargs):
    """Empty the page cache when a site is saved or deleted: cached routes hold the request's site,
    and each host's remembered default language may now belong to another site."""
    site_default_language_forget()
    cache_purge_on_commit(purge_list("site_changed"))


def purge_on_alias_saved(sender, instance, **kwargs):
    """Empty the page cache when an alias page is saved: aliases take their source's view restrictions."""
    if isinstance(instance, Page) and instance.alias_of_id:
        cache_purge_on_commit(purge_list("view_restriction_changed"))
        restrictions_forget()


def register_signal_handlers():
    """Connect the receivers; pre_save fires on every save of an image (admin, imports, code)."""
    pre_save.connect(image_pre_save, sender=get_image_model(), dispatch_uid="pressclub_image_pre_save")
    # post_save fires when an editor saves Settings → Site identity (or code saves it).
    post_save.connect(site_identity_saved, sender=SiteIdentity, dispatch_uid="pressclub_site_identity_saved")
    post_save.connect(purge_on_view_restriction_change, sender=PageViewRestriction, dispatch_uid="pressclub_pvr_saved")
    post_delete.connect(purge_on_view_restriction_change, sender=PageViewRestriction, dispatch_uid="pressclub_pvr_gone")
    request_started.connect(request_started_receiver, dispatch_uid="pressclub_restrictions_request_started")
    request_finished.connect(request_finished_receiver, dispatch_uid="pressclub_restrictions_request_finished")
    # Every PRESSCLUB_MALLOC_TRIM_REQUESTS requests, freed memory goes back to the system (core.memory).
    request_finished.connect(memory.request_finished_receiver, dispatch_uid="pressclub_memory_request_finished")
    post_save.connect(purge_on_site_change, sender=Site, dispatch_uid="pressclub_site_saved")
    post_delete.connect(purge_on_site_change, sender=Site, dispatch_uid="pressclub_site_gone")
    # Any model: post_save's sender is the concrete page type.
    post_save.connect(purge_on_alias_saved, dispatch_uid="pressclub_alias_saved")
