"""``pressclub backup`` and ``pressclub restore`` (core.backup).

The slow test builds a small site in a temporary var/ (on SQLite, or on PostgreSQL when the suite
runs there), backs it up, restores it into an empty var/ (and an empty database) and counts what
came back. The others hand ``site_restore`` broken archives; none of them gets as far as the
database.
"""

import hashlib
import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from pressclub.core.backup import BackupError, site_restore

REPO = Path(__file__).resolve().parents[3]
SCRIPT = Path(sys.executable).with_name("pressclub")


def _pressclub(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def _shell(code: str, env: dict[str, str]) -> dict:
    result = _pressclub("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


class _Databases:
    """Two empty PostgreSQL databases beside the suite's, when it runs on PostgreSQL; else SQLite."""

    def __init__(self):
        url = os.environ.get("DATABASE_URL", "")
        self.postgres = url.startswith(("postgres://", "postgresql://"))
        self.url = urlsplit(url) if self.postgres else None
        self.names = [f"{self.url.path.lstrip('/')}_backup_{side}" for side in ("a", "b")] if self.postgres else []

    def _admin(self, statements: list[str]) -> None:
        with psycopg.connect(urlunsplit(self.url._replace(path="/postgres")), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def create(self) -> None:
        self._admin([s for name in self.names for s in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')])

    def drop(self) -> None:
        if self.postgres:
            self._admin([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in self.names])

    def env(self, side: int) -> dict[str, str]:
        return {"DATABASE_URL": urlunsplit(self.url._replace(path=f"/{self.names[side]}"))} if self.postgres else {}


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """Build a site in var A, back it up, restore it into an empty var B; yield what each step gave."""
    base = tmp_path_factory.mktemp("backup")
    databases = _Databases()
    if databases.postgres:
        databases.create()
    common = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    common.update(DJANGO_SETTINGS_MODULE="pressclub.settings.production", SECRET_KEY=secrets.token_urlsafe(40),
                  ALLOWED_HOSTS="localhost")
    env_a = {**common, "PRESSCLUB_VAR_DIR": str(base / "a"), **databases.env(0)}
    env_b = {**common, "PRESSCLUB_VAR_DIR": str(base / "b"), **databases.env(1)}
    archive = base / "site.tar.gz"
    (base / "a").mkdir()
    try:
        assert _pressclub("migrate", "--verbosity", "0", env=env_a).returncode == 0
        _shell("from pressclub.core.tests.backup_site import build; build(); print('{}')", env_a)
        before = _shell("from pressclub.core.tests.backup_site import counts; counts()", env_a)
        backup = _pressclub("backup", str(archive), env=env_a)
        restore = _pressclub("restore", str(archive), env=env_b)
        after = _shell("from pressclub.core.tests.backup_site import counts; counts()", env_b) \
            if restore.returncode == 0 else None
        again = _pressclub("restore", str(archive), env=env_b)
        forced = _pressclub("restore", str(archive), "--force", env=env_b)
        after_forced = _shell("from pressclub.core.tests.backup_site import counts; counts()", env_b) \
            if forced.returncode == 0 else None
        yield {"vendor": "postgresql" if databases.postgres else "sqlite", "archive": archive, "before": before,
               "backup": backup, "restore": restore, "after": after, "again": again, "forced": forced,
               "after_forced": after_forced}
    finally:
        databases.drop()


EXPECTED = {
    "pages": 5,  # Wagtail's root, the front page, a section, two stories
    "revisions": 4,  # the section has none; a story three (published, with its image, a draft), the other one
    "images": 1,
    "image_files": 1,
    "renditions": 1,
    "rendition_files": 1,
    "members": 2,
    "comments": 3,
    "approved": 2,
    "redirects": [["/2024/05/footbridge.html", "/home/local/council-approves-new-footbridge-over-the-seti/"]],
    "draft": "Council approves new footbridge over the Seti (draft)",
}


@pytest.mark.slow
def test_restore_into_an_empty_site_brings_back_everything(round_trip):
    assert round_trip["backup"].returncode == 0, round_trip["backup"].stderr
    assert round_trip["before"] == EXPECTED
    assert round_trip["restore"].returncode == 0, round_trip["restore"].stderr
    assert round_trip["restore"].stdout.startswith(f"Restored the {round_trip['vendor']} database (")
    assert round_trip["after"] == EXPECTED
    with tarfile.open(round_trip["archive"]) as archive:
        names = archive.getnames()
        manifest = json.loads(archive.extractfile("manifest.json").read())
    assert names[:2] == ["manifest.json", "database.sqlite3" if round_trip["vendor"] == "sqlite" else "database.pgdump"]
    assert sorted(n.split("/")[1] for n in names[2:]) == ["images", "original_images"]
    assert (manifest["format"], manifest["version"], manifest["media"]["files"]) == ("pressclub-backup", 1, 2)
    assert manifest["rows"]["comments_comment"] == 3


@pytest.mark.slow
def test_restore_refuses_a_site_that_holds_data_unless_forced(round_trip):
    assert round_trip["again"].returncode == 1
    assert round_trip["again"].stderr == (
        "CommandError: this site already holds a database or media; restore into an empty site, "
        "or add --force to replace them with the backup.\n"
    )
    assert round_trip["forced"].returncode == 0, round_trip["forced"].stderr
    assert round_trip["after_forced"] == EXPECTED


# --- broken archives: refused before anything is touched ---


def _archive(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def _manifest(data: bytes, **changes) -> bytes:
    manifest = {"format": "pressclub-backup", "version": 1, "created": "2026-05-01T02:00:00+00:00",
                "database": {"vendor": "sqlite", "file": "database.sqlite3",
                             "sha256": hashlib.sha256(data).hexdigest()},
                "media": {"files": 0, "bytes": 0}, "rows": {}}
    manifest.update(changes)
    return json.dumps(manifest).encode()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "var" / "media")
    return Path(settings.MEDIA_ROOT)


def _refused(path: Path) -> str:
    with pytest.raises(BackupError) as excinfo:
        site_restore(path=path)
    return str(excinfo.value)


def test_missing_file(media_root, tmp_path):
    assert _refused(tmp_path / "none.tar.gz") == f"cannot read {tmp_path / 'none.tar.gz'}: no such file."


def test_not_an_archive(media_root, tmp_path):
    path = tmp_path / "notes.tar.gz"
    path.write_text("shopping list")
    assert _refused(path) == (f"{path} is damaged or not a pressclub backup "
                              "(not a complete .tar.gz archive: not a gzip file).")


def test_truncated_archive(media_root, tmp_path):
    database = os.urandom(200_000)
    whole = _archive(tmp_path / "whole.tar.gz", {"manifest.json": _manifest(database), "database.sqlite3": database})
    path = tmp_path / "cut.tar.gz"
    path.write_bytes(whole.read_bytes()[:150_000])
    assert _refused(path).startswith(f"{path} is damaged or not a pressclub backup (not a complete .tar.gz archive: ")


def test_archive_without_manifest(media_root, tmp_path):
    path = _archive(tmp_path / "other.tar.gz", {"notes.txt": b"hello"})
    assert _refused(path) == f"{path} is not a pressclub backup: it does not start with manifest.json."


def test_database_that_does_not_match_its_checksum(media_root, tmp_path):
    path = _archive(tmp_path / "b.tar.gz", {"manifest.json": _manifest(b"one"), "database.sqlite3": b"two"})
    assert _refused(path) == f"{path} is damaged: database.sqlite3 does not match its checksum."


def test_member_outside_the_site(media_root, tmp_path):
    path = _archive(tmp_path / "b.tar.gz", {"manifest.json": _manifest(b""), "media/../../etc/cron.d/x": b"* * * * *"})
    assert _refused(path) == (f"{path} is not a pressclub backup: it holds 'media/../../etc/cron.d/x', "
                              "which a backup never holds.")
    assert not (tmp_path / "etc").exists()


def test_newer_format(media_root, tmp_path):
    path = _archive(tmp_path / "b.tar.gz", {"manifest.json": _manifest(b"", version=2)})
    assert _refused(path) == f"{path} is a pressclub backup of format version 2; this pressclub reads version 1."


def test_backup_of_another_database_engine(media_root, tmp_path, settings):
    database = b"PGDMP"
    path = _archive(tmp_path / "b.tar.gz", {
        "manifest.json": _manifest(database, database={"vendor": "postgresql", "file": "database.pgdump",
                                                       "sha256": hashlib.sha256(database).hexdigest()}),
        "database.pgdump": database,
    })
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("this case needs a site on SQLite")
    assert _refused(path) == (f"{path} holds a postgresql database and this site uses sqlite; "
                              "restore it on a site with the same database engine.")
