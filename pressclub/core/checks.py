"""Deployment checks of pressclub's own settings (``pressclub check --deploy``)."""

from django.conf import settings
from django.core import checks

from .object_storage import media_origin


@checks.register(checks.Tags.security, deploy=True)
def check_media_over_https(app_configs=None, **kwargs) -> list[checks.Warning]:
    """Return a warning (``pressclub.W001``) when media on object storage would be read over plain
    HTTP: pages ask browsers to upgrade every request to HTTPS (``upgrade-insecure-requests``), so
    images from an ``http://`` origin that does not answer HTTPS would not show. Nothing when media
    stays on the server's own disk (``STORAGES["default"]`` without ``OPTIONS["bucket_name"]``)."""
    storage = settings.STORAGES.get("default", {})
    if "bucket_name" not in storage.get("OPTIONS", {}):
        return []
    origin = media_origin(storage)
    if origin.startswith("https://"):
        return []
    return [checks.Warning(
        f"Media on object storage are read from {origin}, not over HTTPS; reader pages ask browsers to "
        "load everything over HTTPS, so images from it may not show.",
        hint="Give AWS_S3_ENDPOINT_URL (or PRESSCLUB_MEDIA_URL) an https:// address.",
        id="pressclub.W001",
    )]  # fmt: skip
