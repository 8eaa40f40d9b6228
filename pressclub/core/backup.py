"""Backups of a whole site: the database and the uploaded media in one ``.tar.gz`` archive.

The archive holds ``manifest.json`` first, then the database (``database.sqlite3``, made with SQLite's
online backup API, or ``database.pgdump``, PostgreSQL's ``pg_dump --format=custom``), then
``media/``: every file of the media storage (Django's default storage), whether that is
``MEDIA_ROOT`` on disk or a bucket of S3-compatible object storage (``PRESSCLUB_MEDIA_STORAGE_URL``);
image renditions live beside the uploads in it (same bucket and prefix). An archive taken from one
kind of storage restores into the other, which is how a site moves its media to object storage.
The manifest names the format and its version, the database engine, the SHA-256 of the database file, the media's file count and bytes, and the number
of rows of every table, which a restore checks afterwards. Taking a backup is safe while the site
runs: the database is copied first, in one consistent snapshot, then the media.

A restore unpacks and checks the whole archive in a staging directory beside the site before it
touches anything, and refuses a site that already holds data unless told to replace it.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.cache import caches
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connection, transaction
from wagtail.images.models import get_rendition_storage

FORMAT = "pressclub-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# What a truncated or garbled gzip stream raises while it is read (besides tarfile.ReadError).
GZIP_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)
# What object storage (boto3, under django-storages) raises when it cannot be reached or refuses.
STORAGE_ERRORS = (BotoCoreError, ClientError)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    """What an archive holds: database engine, media files and bytes, and rows per table."""

    vendor: str
    media_files: int
    media_bytes: int
    rows: dict[str, int]


def _vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_on_disk(storage: Storage) -> bool:
    """Return True when ``storage`` keeps its files in ``MEDIA_ROOT`` (restored by moving a directory)."""
    return isinstance(storage, FileSystemStorage) and Path(storage.location) == _media_root()


def media_names(storage: Storage) -> list[str]:
    """Return the names of every file in ``storage``, sorted (``"images/a.jpg"``, POSIX separators).

    Walks ``storage.listdir`` from its root: a directory tree on disk, or an object-storage prefix
    (one listing request per directory). A storage whose root does not exist yet holds no files.
    """
    names, pending = [], [""]
    while pending:
        directory = pending.pop()
        try:
            directories, files = storage.listdir(directory)
        except FileNotFoundError:
            continue
        prefix = f"{directory}/" if directory else ""
        names += [f"{prefix}{name}" for name in files]
        pending += [f"{prefix}{name}" for name in directories]
    return sorted(names)


def media_restore(source: Path, storage: Storage, *, rendition_storage: Storage | None = None) -> int:
    """Replace every file of ``storage`` by the files under the directory ``source``; return how many.

    The storage's files are deleted first, then each file of ``source`` is saved under its own name
    (relative, POSIX); those under ``images/`` through ``rendition_storage`` when given (Wagtail's
    rendition storage: the same place, with the renditions' own ``Cache-Control``). Raise
    BackupError when the storage would not keep a file under its name.
    """
    for name in media_names(storage):
        storage.delete(name)
    count = 0
    for file in sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else []:
        name = file.relative_to(source).as_posix()
        with file.open("rb") as content:
            target = rendition_storage if rendition_storage is not None and name.startswith("images/") else storage
            saved = target.save(name, File(content, name=name))
        if saved != name:
            raise BackupError(f"the media storage kept {name} as {saved}; it should have been empty.")
        count += 1
    return count


def _table_rows() -> dict[str, int]:
    """Return {table: rows} for every table of the database (Django's and every app's)."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            rows[table] = cursor.fetchone()[0]
    return rows


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    """Return the connection options for ``pg_dump``/``pg_restore`` and an environment with the password."""
    db = connection.settings_dict
    args = [program, "--no-owner", "--no-privileges"]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed; PostgreSQL's client programs are needed "
                          "(Debian: apt install postgresql-client).")
    return args, env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or f'exit status {result.returncode}'}")


def _sqlite_rows(path: Path) -> dict[str, int]:
    """Return {table: rows} of the SQLite file at ``path``, as :func:`_table_rows` counts them."""
    copy = sqlite3.connect(path)
    try:
        tables = [name for (name,) in copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )]
        return {table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}
    finally:
        copy.close()


def _dump_database(vendor: str, target: Path) -> dict[str, int]:
    """Write the database to ``target``; return {table: rows} of that very snapshot.

    The rows are counted in the copy (SQLite) or in a transaction whose snapshot ``pg_dump`` shares
    (PostgreSQL's ``--snapshot``), so comments posted meanwhile cannot make them disagree.
    """
    if vendor == "sqlite":
        _sqlite_copy(connection.settings_dict["NAME"], target)
        return _sqlite_rows(target)
    args, env = _pg_command("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        rows = _table_rows()
        _run([*args, "--format=custom", f"--snapshot={snapshot}", "--file", str(target),
              connection.settings_dict["NAME"]], env, "pg_dump")
    return rows


def site_backup(*, path: Path) -> BackupSummary:
    """Write a backup of the database and ``MEDIA_ROOT`` to ``path`` (a ``.tar.gz`` archive).

    The archive is written beside ``path`` under a temporary name and renamed when complete, so an
    interrupted backup never leaves a truncated file under the real name. Raise BackupError when the
    database is neither SQLite nor PostgreSQL, ``pg_dump`` is missing or fails, or ``path`` cannot
    be written.
    """
    vendor = _vendor()
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a directory; give the name of the archive to write.")
    if not path.parent.is_dir():
        raise BackupError(f"cannot write {path}: the directory {path.parent} does not exist.")
    storage = default_storage
    with tempfile.TemporaryDirectory(prefix="pressclub-backup-") as staging:
        database = Path(staging) / DATABASE_FILES[vendor]
        rows = _dump_database(vendor, database)
        try:
            media_files = {name: storage.size(name) for name in media_names(storage)}
        except STORAGE_ERRORS as exc:
            raise BackupError(f"cannot list the media in object storage: {exc}")
        summary = BackupSummary(vendor=vendor, media_files=len(media_files),
                                media_bytes=sum(media_files.values()), rows=rows)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "file": database.name, "sha256": _sha256(database)},
            "media": {"files": summary.media_files, "bytes": summary.media_bytes},
            "rows": rows,
        }
        manifest_file = Path(staging) / MANIFEST
        manifest_file.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        partial = path.with_name(f".{path.name}.partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(manifest_file, arcname=MANIFEST)
                archive.add(database, arcname=database.name)
                for name, size in media_files.items():
                    member = tarfile.TarInfo(f"media/{name}")
                    member.size, member.mtime = size, int(dt.datetime.now(dt.UTC).timestamp())
                    with storage.open(name, "rb") as content:
                        archive.addfile(member, content)
            os.replace(partial, path)
        except STORAGE_ERRORS as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(f"cannot read the media in object storage: {exc}")
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(f"cannot write {path}: {exc.strerror or exc}.")
    return summary


def _read_manifest(archive: tarfile.TarFile, name: str) -> dict:
    member = archive.next()
    if member is None or member.name != MANIFEST or not member.isfile():
        raise BackupError(f"{name} is not a pressclub backup: it does not start with {MANIFEST}.")
    try:
        manifest = json.loads(archive.extractfile(member).read().decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{name} is damaged: its {MANIFEST} is not valid JSON.")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{name} is not a pressclub backup: its {MANIFEST} names no pressclub backup format.")
    if manifest.get("version") != VERSION:
        raise BackupError(f"{name} is a pressclub backup of format version {manifest.get('version')!r}; "
                          f"this pressclub reads version {VERSION}.")
    try:
        vendor, db_file = manifest["database"]["vendor"], manifest["database"]["file"]
        manifest["database"]["sha256"], manifest["media"]["files"], manifest["rows"].items()  # noqa: B018
    except (KeyError, TypeError, AttributeError):
        raise BackupError(f"{name} is damaged: its {MANIFEST} lacks the database, media or rows entries.")
    if DATABASE_FILES.get(vendor) != db_file:
        raise BackupError(f"{name} is damaged: its {MANIFEST} names an unknown database ({vendor!r}, {db_file!r}).")
    return manifest


def _unpack(path: Path, staging: Path) -> dict:
    """Unpack the archive at ``path`` into ``staging``; return its manifest after checking every file."""
    name = str(path)
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = _read_manifest(archive, name)
            media_files = 0
            for member in archive:
                parts = PurePosixPath(member.name).parts
                if member.name.startswith("/") or ".." in parts or not (member.isfile() or member.isdir()):
                    raise BackupError(f"{name} is not a pressclub backup: it holds {member.name!r}, "
                                      "which a backup never holds.")
                if member.isdir() or (member.name == MANIFEST and member.offset == 0):
                    continue
                if member.name != manifest["database"]["file"] and parts[0] != "media":
                    raise BackupError(f"{name} is not a pressclub backup: it holds {member.name!r}.")
                target = staging.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source, target.open("wb") as copy:
                    shutil.copyfileobj(source, copy)
                media_files += parts[0] == "media"
    except FileNotFoundError:
        raise BackupError(f"cannot read {name}: no such file.")
    except IsADirectoryError:
        raise BackupError(f"cannot read {name}: it is a directory.")
    except (tarfile.ReadError, *GZIP_ERRORS) as exc:
        raise BackupError(f"{name} is damaged or not a pressclub backup (not a complete .tar.gz archive: {exc}).")
    database = staging / manifest["database"]["file"]
    if not database.is_file():
        raise BackupError(f"{name} is damaged: it holds no {database.name}.")
    if _sha256(database) != manifest["database"]["sha256"]:
        raise BackupError(f"{name} is damaged: {database.name} does not match its checksum.")
    if media_files != manifest["media"]["files"]:
        raise BackupError(f"{name} is damaged: it holds {media_files} media files, "
                          f"its manifest says {manifest['media']['files']}.")
    return manifest


def _site_holds_tables() -> bool:
    with connection.cursor() as cursor:
        return bool(connection.introspection.table_names(cursor))


def _empty_database(vendor: str) -> None:
    # SQLite's backup API replaces the whole file (and its write-ahead log) by itself.
    if vendor == "sqlite":
        return
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor, include_views=False)
        if tables:
            cursor.execute("DROP TABLE IF EXISTS {} CASCADE".format(", ".join(map(connection.ops.quote_name, tables))))
        cursor.execute("SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'")
        for (sequence,) in cursor.fetchall():
            cursor.execute(f"DROP SEQUENCE IF EXISTS {connection.ops.quote_name(sequence)} CASCADE")
        # Functions the migrations made (the search index's), which the archive creates again; not
        # those of an extension.
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND NOT EXISTS "
            "(SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
        )
        for (function,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")


def _sqlite_copy(source_path, target_path) -> None:
    """Copy the SQLite database at ``source_path`` to ``target_path`` with SQLite's online backup API,
    which reads a consistent snapshot while the site keeps writing."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def _load_database(vendor: str, database: Path) -> None:
    if vendor == "sqlite":
        target_path = Path(connection.settings_dict["NAME"])
        target_path.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(database, target_path)
    else:
        args, env = _pg_command("pg_restore")
        _run([*args, "--exit-on-error", "--single-transaction", "--dbname", connection.settings_dict["NAME"],
              str(database)], env, "pg_restore")


def site_restore(*, path: Path, force: bool = False) -> BackupSummary:
    """Replace the site's database and media (``MEDIA_ROOT``, or the object storage) by the backup at
    ``path``; return what it held.

    The archive is unpacked and checked (manifest, checksum, media count, SQLite integrity) before
    anything changes. Raise BackupError when the file is missing, damaged or not a pressclub backup;
    when it was taken on another database engine; when the site already holds tables or media and
    ``force`` is false; and when the restored tables do not hold the rows the manifest lists.
    """
    vendor = _vendor()
    path = Path(path)
    storage = default_storage
    on_disk = _media_on_disk(storage)
    media = _media_root()
    if on_disk:
        media.parent.mkdir(parents=True, exist_ok=True)
    if vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # On disk the media are staged beside MEDIA_ROOT, so that moving them in place is one rename.
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=media.parent if on_disk else None) as staging_dir:
        staging = Path(staging_dir)
        manifest = _unpack(path, staging)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(f"{path} holds a {manifest['database']['vendor']} database and this site uses "
                              f"{vendor}; restore it on a site with the same database engine.")
        database = staging / manifest["database"]["file"]
        if vendor == "sqlite":
            check = sqlite3.connect(database)
            try:
                ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            except sqlite3.DatabaseError:
                ok = False
            finally:
                check.close()
            if not ok:
                raise BackupError(f"{path} is damaged: its SQLite database fails the integrity check.")
        try:
            holds_media = (media.is_dir() and any(media.iterdir())) if on_disk else bool(media_names(storage))
        except STORAGE_ERRORS as exc:
            raise BackupError(f"cannot list the media in object storage: {exc}")
        if not force and (_site_holds_tables() or holds_media):
            raise BackupError("this site already holds a database or media; restore into an empty site, "
                              "or add --force to replace them with the backup.")
        _empty_database(vendor)
        _load_database(vendor, database)
        connection.close()
        restored_media = staging / "media"
        if not on_disk:
            try:
                media_restore(restored_media, storage, rendition_storage=get_rendition_storage())
            except STORAGE_ERRORS as exc:
                raise BackupError(f"the database is restored, but the media could not be written to object "
                                  f"storage ({exc}); run the restore again with --force.")
        else:
            if media.exists():
                shutil.rmtree(media)
            if restored_media.is_dir():
                os.replace(restored_media, media)
            else:
                media.mkdir()
    rows = _table_rows()
    expected = {table: int(count) for table, count in manifest["rows"].items()}
    differing = sorted(t for t in expected if rows.get(t) != expected[t])
    if differing:
        raise BackupError(f"the restored database differs from the backup in {len(differing)} tables "
                          f"(e.g. {differing[0]}: {rows.get(differing[0])} rows, expected {expected[differing[0]]}).")
    # Cached pages and fragments belong to the site that was replaced.
    for alias in settings.CACHES:
        caches[alias].clear()
    return BackupSummary(vendor=vendor, media_files=manifest["media"]["files"],
                         media_bytes=manifest["media"]["bytes"], rows=rows)
