"""Receivers of the ground floor, connected in CoreConfig.ready()."""

from django.db.models.signals import pre_save
from wagtail.images import get_image_model

from pressclub.core.images import image_file_clean


def image_pre_save(sender, instance, **kwargs):
    """Strip location and camera metadata from a new image file before it is stored."""
    image_file_clean(instance)


def register_signal_handlers():
    """Connect the receivers; pre_save fires on every save of an image (admin, imports, code)."""
    pre_save.connect(image_pre_save, sender=get_image_model(), dispatch_uid="pressclub_image_pre_save")
