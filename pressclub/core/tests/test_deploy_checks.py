"""``pressclub check --deploy``: media on object storage must be read over HTTPS."""

from pressclub.core.checks import check_media_over_https
from pressclub.core.object_storage import media_storages


def test_media_from_an_http_endpoint_is_warned_about(settings):
    settings.STORAGES = {**settings.STORAGES, **media_storages("s3://news-media/site", {"AWS_S3_ENDPOINT_URL": "http://10.0.0.5:9000"})}
    warnings = check_media_over_https()
    assert [(w.id, w.msg, w.hint) for w in warnings] == [(
        "pressclub.W001",
        "Media on object storage are read from http://10.0.0.5:9000, not over HTTPS; reader pages ask browsers "
        "to load everything over HTTPS, so images from it may not show.",
        "Give AWS_S3_ENDPOINT_URL (or PRESSCLUB_MEDIA_URL) an https:// address.",
    )]


def test_https_media_and_local_disk_pass(settings):
    assert check_media_over_https() == []  # media on the server's own disk
    settings.STORAGES = {**settings.STORAGES, **media_storages(
        "s3://news-media/site", {"AWS_S3_ENDPOINT_URL": "http://10.0.0.5:9000", "PRESSCLUB_MEDIA_URL": "https://media.example.org"})}
    assert check_media_over_https() == []
