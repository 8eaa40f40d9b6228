"""Media on S3-compatible object storage (``core.object_storage``), against moto's in-process S3.

The renditions race needs two database connections that really wait for each other, so it runs
with the suite on PostgreSQL (``DATABASE_URL=postgres://…``) and is skipped on SQLite.
"""

import io
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage, storages
from django.db import connection
from PIL import Image as PILImage
from wagtail.images import get_image_model

from pressclub.core.backup import media_names, media_restore
from pressclub.core.html_images import html_pictures, library_file_name
from pressclub.core.object_storage import media_origin, media_storages
from pressclub.core.renditions import image_renditions_make

moto = pytest.importorskip("moto")
boto3 = pytest.importorskip("boto3")

BUCKET = "news-media"


def test_url_and_environment_give_both_storages():
    found = media_storages("s3://news-media/site/", {
        "AWS_S3_ENDPOINT_URL": "https://s3.example.net/", "AWS_S3_REGION_NAME": "eu-central-1",
        "PRESSCLUB_MEDIA_URL": "https://media.news.example.org/photos/",
    })
    common = {"bucket_name": "news-media", "location": "site", "querystring_auth": False, "file_overwrite": False,
              "default_acl": None, "endpoint_url": "https://s3.example.net", "region_name": "eu-central-1",
              "custom_domain": "media.news.example.org/photos", "url_protocol": "https:"}
    assert found == {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            **common, "object_parameters": {"CacheControl": "public, max-age=3600"}}},
        "renditions": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            **common, "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"}}},
    }
    assert media_origin(found["default"]) == "https://media.news.example.org"


def test_origin_without_a_media_url():
    path_style = media_storages("s3://news-media", {"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"})["default"]
    assert (path_style["OPTIONS"]["location"], media_origin(path_style)) == ("", "http://127.0.0.1:9000")
    virtual = media_storages("s3://news-media", {"AWS_S3_ENDPOINT_URL": "https://s3.example.net",
                                                 "AWS_S3_ADDRESSING_STYLE": "virtual"})["default"]
    assert media_origin(virtual) == "https://news-media.s3.example.net"
    assert media_origin(media_storages("s3://news-media/site", {})["default"]) == "https://*.amazonaws.com"


@pytest.mark.parametrize(
    ("url", "environ", "message"),
    [
        ("https://news-media/site", {}, "PRESSCLUB_MEDIA_STORAGE_URL='https://news-media/site' is not "
         "s3://<bucket>/<prefix> with a valid bucket name (3-63 lower-case letters, digits, dots and hyphens)."),
        ("s3://News_Media/site", {}, "PRESSCLUB_MEDIA_STORAGE_URL='s3://News_Media/site' is not "
         "s3://<bucket>/<prefix> with a valid bucket name (3-63 lower-case letters, digits, dots and hyphens)."),
        ("s3://news-media", {"AWS_S3_ENDPOINT_URL": "minio:9000"},
         "AWS_S3_ENDPOINT_URL='minio:9000' is not an http:// or https:// address."),
        ("s3://news-media", {"PRESSCLUB_MEDIA_URL": "//cdn.example.org"},
         "PRESSCLUB_MEDIA_URL='//cdn.example.org' is not an http:// or https:// address."),
    ],
)
def test_bad_values_are_refused_with_their_name(url, environ, message):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        media_storages(url, environ)
    assert str(excinfo.value) == message


# --- against moto's S3 ---


@pytest.fixture
def s3_media(settings, monkeypatch):
    """Put media and renditions in moto's S3, bucket ``news-media`` under ``site/``; yield the S3 client."""
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, **media_storages(f"s3://{BUCKET}/site", {})}
        # Wagtail reads WAGTAILIMAGES_RENDITION_STORAGE once, when its models load.
        field = get_image_model().get_rendition_model()._meta.get_field("file")
        monkeypatch.setattr(field, "storage", storages["renditions"])
        yield client


def _keys(client, prefix="site/") -> list[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


def _photo(name="seti.jpg", size=(800, 450)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (40, 90, 160)).save(buffer, format="JPEG")
    return get_image_model().objects.create(title="Seti river", file=ImageFile(buffer, name=name))


@pytest.mark.django_db
def test_uploads_and_renditions_go_to_the_bucket(s3_media):
    image = _photo()
    assert image_renditions_make(image) == 9  # 360, 720 and 800 px wide, in AVIF, WebP and JPEG
    keys = _keys(s3_media)
    assert keys[-1] == "site/original_images/seti.jpg"
    assert keys[:-1] == [
        f"site/images/seti.{width}.format-{fmt}.{ext}" for width in ("width-360", "width-720", "width-800")
        for fmt, ext in (("avif", "avif"), ("jpeg", "jpg"), ("webp", "webp"))
    ]
    rendition = image.renditions.get(filter_spec="width-360|format-jpeg")
    assert rendition.url == f"https://{BUCKET}.s3.amazonaws.com/{keys[1]}"
    head = s3_media.head_object(Bucket=BUCKET, Key=keys[1])
    assert (head["CacheControl"], head["ContentType"]) == ("public, max-age=31536000, immutable", "image/jpeg")
    assert s3_media.head_object(Bucket=BUCKET, Key=keys[-1])["CacheControl"] == "public, max-age=3600"


@pytest.mark.django_db
def test_imported_posts_pointing_at_the_bucket_get_reader_pictures(s3_media):
    image = _photo()
    assert image.file.url == f"https://{BUCKET}.s3.amazonaws.com/site/original_images/seti.jpg"
    assert library_file_name(image.file.url) == "original_images/seti.jpg"
    assert library_file_name("/media/original_images/seti.jpg") == "original_images/seti.jpg"  # before the move
    assert library_file_name("https://1.bp.blogspot.com/site/original_images/seti.jpg") is None
    page = html_pictures(f'<p><img src="{image.file.url}" alt="Seti river"></p>')
    assert page.count("<source ") == 2 and page.count(f"https://{BUCKET}.s3.amazonaws.com/site/images/seti.") == 10


@pytest.mark.django_db
def test_media_listed_and_restored_object_by_object(s3_media, tmp_path, settings):
    image = _photo()
    image_renditions_make(image)
    names = media_names(default_storage)
    assert (len(names), names[-1]) == (10, "original_images/seti.jpg")
    source = tmp_path / "media"
    for name in names:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name) as stored:
            (source / name).write_bytes(stored.read())

    settings.STORAGES = {**settings.STORAGES, **media_storages(f"s3://{BUCKET}/restored", {})}
    s3_media.put_object(Bucket=BUCKET, Key="restored/original_images/left-over.jpg", Body=b"old")
    assert media_restore(source, storages["default"], rendition_storage=storages["renditions"]) == 10
    assert _keys(s3_media, "restored/") == [f"restored/{name}" for name in names]
    assert s3_media.get_object(Bucket=BUCKET, Key=f"restored/{names[-1]}")["Body"].read() == \
        (source / names[-1]).read_bytes()
    heads = {name.split("/")[0]: s3_media.head_object(Bucket=BUCKET, Key=f"restored/{name}")["CacheControl"]
             for name in names}
    assert heads == {"images": "public, max-age=31536000, immutable", "original_images": "public, max-age=3600"}


def test_two_servers_making_the_same_renditions_at_once_leave_one_of_each(ground, s3_media, monkeypatch):
    """Two threads, each with its own connection, stand for two app servers: both find no rendition,
    make all nine, and insert them at the same moment. One set of rows and files stays, and both
    hand out its URLs."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database where concurrent writers wait (run with DATABASE_URL=postgres://…)")
    image = _photo()
    Rendition = image.get_rendition_model()
    both_made_theirs = threading.Barrier(2, timeout=60)
    bulk_create = Rendition.objects.bulk_create

    def insert_together(objs, *args, **kwargs):
        both_made_theirs.wait()  # each has looked for existing rows and found none
        return bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(Rendition.objects, "bulk_create", insert_together)
    results, errors = [None, None], []

    def server(number):
        try:
            copy = get_image_model().objects.get(pk=image.pk)
            from pressclub.core.renditions import image_renditions_get, reader_picture_specs

            found = image_renditions_get(copy, *reader_picture_specs(copy))
            results[number] = {spec: (r.pk, r.file.name) for spec, r in found.items()}
        except Exception as exc:  # reported below, with the thread's own traceback lost
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=server, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    rows = {r.filter_spec: (r.pk, r.file.name) for r in Rendition.objects.filter(image=image)}
    assert len(rows) == 9
    assert results[0] == results[1] == rows
    files = [key.removeprefix("site/") for key in _keys(s3_media, "site/images/")]
    assert sorted(files) == sorted(name for _pk, name in rows.values())


@pytest.mark.django_db
def test_backup_of_media_in_a_missing_bucket_says_so(s3_media, settings, tmp_path, monkeypatch):
    from pressclub.core import backup

    settings.STORAGES = {**settings.STORAGES, **media_storages("s3://gone-media/site", {})}
    monkeypatch.setattr(backup, "_dump_database", lambda vendor, target: target.write_bytes(b"") or {})
    with pytest.raises(backup.BackupError) as excinfo:
        backup.site_backup(path=tmp_path / "site.tar.gz")
    assert str(excinfo.value) == (
        "cannot list the media in object storage: An error occurred (NoSuchBucket) when calling the "
        "ListObjects operation: The specified bucket does not exist"
    )
    assert list(tmp_path.iterdir()) == []
