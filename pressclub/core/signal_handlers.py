"""Receivers of the ground floor, connected in CoreConfig.ready()."""

from django.db.models.signals import post_save, pre_save
from wagtail.images import get_image_model

from pressclub.core.cache import page_cache_purge
from pressclub.core.images import image_file_clean
from pressclub.core.language import site_default_language_forget
from pressclub.core.models import SiteIdentity


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
    page_cache_purge()


def register_signal_handlers():
    """Connect the receivers; pre_save fires on every save of an image (admin, imports, code)."""
    pre_save.connect(image_pre_save, sender=get_image_model(), dispatch_uid="pressclub_image_pre_save")
    # post_save fires when an editor saves Settings → Site identity (or code saves it).
    post_save.connect(site_identity_saved, sender=SiteIdentity, dispatch_uid="pressclub_site_identity_saved")
