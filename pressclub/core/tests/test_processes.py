"""Several processes on one SQLite file: writers that never meet "database is locked", and one cache
that a purge in one process empties for every server worker.

Each test copies the migrated test database into a file (SQLite's backup API: no migrating again)
and runs the work in subprocesses with the development settings (pressclub.testing.processes).
On PostgreSQL the suite skips them: they are about SQLite files and the cache beside them.
"""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest
from django.db import connection

pytestmark = pytest.mark.slow


@pytest.fixture
def var_dir(tmp_path, django_db_setup, django_db_blocker):
    """Return a var/ directory whose pressclub.sqlite3 is a copy of the migrated test database."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: the suite's SQLite run covers it")
    with django_db_blocker.unblock():
        connection.ensure_connection()
        target = sqlite3.connect(tmp_path / "pressclub.sqlite3")
        connection.connection.backup(target)
        target.close()
    return tmp_path


def _env(var_dir) -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "pressclub.settings.dev", "PRESSCLUB_VAR_DIR": str(var_dir)}


def _run(var_dir, *args) -> dict:
    done = subprocess.run([sys.executable, "-m", "pressclub.testing.processes", *args], env=_env(var_dir),
                          cwd=var_dir, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_autosave_publish_and_comments_at_once_never_lock_the_database(var_dir):
    summary = _run(var_dir, "writers")
    assert (summary["locked"], summary["errors"]) == (0, [])
    # 1 revision of the story's first publishing, 3 × 8 autosaves, 3 × 8 publishes; 3 × 8 comments.
    assert (summary["revisions"], summary["comments"]) == (49, 24)
    with sqlite3.connect(var_dir / "pressclub.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
        return response.headers.get("X-Page-Cache", ""), response.read().decode()


def test_publish_scheduled_in_one_process_purges_the_page_cache_of_every_server_worker(var_dir):
    go_live = _run(var_dir, "site")["go_live"]
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "2", "pressclub.wsgi:application"],
        env=_env(var_dir), cwd=var_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, process_group=0,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(300):
            try:
                _get(url)
                break
            except OSError:
                time.sleep(0.2)
        before = [_get(url) for _ in range(12)]  # new connections, spread over both workers
        assert {cache for cache, _ in before} == {"hit"}
        assert not any("Night bus to Pokhara restored" in body for _, body in before)

        time.sleep(max(0.0, go_live - time.time()))
        published = subprocess.run([sys.executable, "-m", "pressclub.cli", "publish-scheduled"], env=_env(var_dir),
                                   cwd=var_dir, capture_output=True, text=True, timeout=300)
        assert published.returncode == 0, published.stderr[-3000:]

        after = [_get(url) for _ in range(12)]
        assert [("Night bus to Pokhara restored" in body) for _, body in after] == [True] * 12
        assert [cache for cache, _ in after].count("miss") == 1
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
