"""The ``pressclub`` console command (``pressclub/cli.py``), run as a user runs it: in a subprocess, on a
fresh var/ directory. Those subprocess tests take seconds each and are marked ``slow``; the in-process
ones at the end are not.
"""

import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pressclub.cli import main

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("pressclub")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "pressclub.cli"]


def _env(var_dir: Path | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY")}
    if var_dir is not None:
        env["PRESSCLUB_VAR_DIR"] = str(var_dir)
    env.update(extra)
    return env


def _run(*args: str, env: dict[str, str], timeout: int = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _counts(db: Path) -> dict[str, int]:
    tables = {
        "sections": "news_sectionpage",
        "articles": "news_articlepage",
        "authors": "people_author",
        "pages": "core_standardpage",
        "images": "wagtailimages_image",
        "labels": "news_label",
        "users": "members_user",
        "comments": "comments_comment",
        "home": "news_homepage",
        "sites": "wagtailcore_site",
    }
    with sqlite3.connect(db) as conn:
        counts = {name: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for name, table in tables.items()}
        counts["editors"] = conn.execute(
            "SELECT COUNT(*) FROM members_user WHERE email = 'editor@example.org' AND is_staff"
        ).fetchone()[0]
    return counts


EXPECTED = {
    "sections": 5,
    "articles": 15,
    "authors": 3,
    "pages": 2,
    "images": 15,
    "labels": 15,
    "editors": 1,
    "home": 1,
    "sites": 1,
}


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory):
    """Run ``pressclub demo --no-serve`` twice on a fresh var/ directory; return (var_dir, first, second)."""
    var_dir = tmp_path_factory.mktemp("pressclub-var")
    first = _run("demo", "--no-serve", env=_env(var_dir))
    counts_after_first = _counts(var_dir / "pressclub.sqlite3") if first.returncode == 0 else None
    second = _run("demo", "--no-serve", env=_env(var_dir))
    return var_dir, first, counts_after_first, second


@pytest.mark.slow
def test_demo_no_serve_prepares_var_and_prints_url_and_login(demo_runs):
    var_dir, first, counts, _ = demo_runs
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    assert "\nPrepared; run `pressclub demo` to serve it at http://127.0.0.1:8000/\n" in first.stdout
    assert "Site:" not in first.stdout
    assert "Login:  editor@example.org / kalimgaon-demo-desk  (editor)\n" in first.stdout
    assert "Loaded demo content: 1 front page, 15 articles, 5 sections, 3 authors, 2 pages, 15 images, 3 newsroom accounts.\n" in first.stdout
    # Users and comments also include the comments app's demo members and thread, when it has one.
    assert {k: v for k, v in counts.items() if k not in ("users", "comments")} == EXPECTED
    assert (var_dir / "pressclub.sqlite3").is_file()
    assert len(list((var_dir / "media" / "original_images").glob("demo-*.jpg"))) == 15


@pytest.mark.slow
def test_demo_second_run_adds_nothing(demo_runs):
    var_dir, _, counts, second = demo_runs
    assert second.returncode == 0, second.stderr
    assert "Demo content already loaded." in second.stdout
    assert "Login:  editor@example.org / kalimgaon-demo-desk  (editor)" in second.stdout
    assert _counts(var_dir / "pressclub.sqlite3") == counts
    assert len(list((var_dir / "media" / "original_images").glob("*.jpg"))) == 15


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - a local test server
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get("Content-Type", "")


@pytest.mark.slow
def test_demo_serves_until_sigint_then_exits_zero(demo_runs):
    """SIGINT to the command alone (as ``kill -INT`` sends it) stops the server it started."""
    _serve_demo_then_interrupt(demo_runs[0], whole_group=False)


@pytest.mark.slow
def test_demo_stops_cleanly_on_ctrl_c_in_a_terminal(demo_runs):
    """Ctrl-C in a terminal sends SIGINT to the whole process group: the command and granian."""
    _serve_demo_then_interrupt(demo_runs[0], whole_group=True, check_pages=False)


def _serve_demo_then_interrupt(var_dir: Path, *, whole_group: bool, check_pages: bool = True) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [*COMMAND, "demo", "--port", str(port)],
        cwd=REPO,
        env=_env(var_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group, so the cleanup below can stop granian and the worker too
    )
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, body, _ = _get(base + "/admin/login/")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200, "the demo server did not answer within 120 s"
        assert b"Sign in" in body
        if not check_pages:
            if whole_group:  # as a terminal's Ctrl-C: the command, granian and the worker at once
                os.killpg(process.pid, signal.SIGINT)
            else:
                process.send_signal(signal.SIGINT)
            stdout, stderr = process.communicate(timeout=30)
            assert (process.returncode, stderr) == (0, "")
            assert stdout.rstrip().endswith("Stopped.")
            return

        status, body, content_type = _get(base + "/")
        assert status == 200
        assert "Valley Press Club News" in body.decode()
        # Static files (WhiteNoise, straight from the apps) and the demo's media (lead images) are served.
        status, _, content_type = _get(base + "/static/wagtailadmin/css/core.css")
        assert (status, content_type.split(";")[0]) == (200, "text/css")
        image = next((var_dir / "media" / "original_images").glob("demo-*.jpg"))
        status, data, content_type = _get(f"{base}/media/original_images/{image.name}")
        assert (status, content_type, len(data)) == (200, "image/jpeg", image.stat().st_size)

        # The site's absolute URLs (the sitemap's come from Wagtail's Site) name the served address.
        status, body, _ = _get(base + "/sitemap-pages.xml")
        assert status == 200 and f"<loc>{base}/about/</loc>" in body.decode()

        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr and "Traceback" not in stdout
    assert f"Serving on {base}/ with granian, and running the task worker; press Ctrl-C to stop." in stdout
    assert stdout.rstrip().endswith("Stopped.")
    with pytest.raises(OSError):  # nothing listens on the port any more
        _get(base + "/")


@pytest.mark.slow
def test_serve_without_secret_key_refuses_with_one_line(tmp_path):
    result = _run("serve", env=_env(tmp_path), timeout=60)
    assert result.returncode == 2
    assert result.stderr == "pressclub serve: pressclub production settings need the environment variable SECRET_KEY.\n"
    assert result.stdout == ""


@pytest.mark.slow
def test_serve_rejects_zero_workers(tmp_path):
    result = _run("serve", "--workers", "0", env=_env(tmp_path, SECRET_KEY="k" * 60), timeout=60)
    assert (result.returncode, result.stderr) == (2, "pressclub serve: --workers and --threads must be at least 1.\n")


@pytest.mark.slow
def test_unknown_subcommand_is_a_clear_error(tmp_path):
    result = _run("frobnicate", "--now", env=_env(tmp_path), timeout=60)
    assert result.returncode == 2
    assert result.stderr == "pressclub: unknown command 'frobnicate'. Run 'pressclub --help' to see the commands.\n"


@pytest.mark.slow
def test_demo_import_of_a_missing_file_is_a_clear_error(tmp_path):
    result = _run("demo", "--no-serve", "--import", str(tmp_path / "nope.xml"), env=_env(tmp_path), timeout=60)
    assert result.returncode == 2
    assert result.stderr == f"pressclub demo: cannot read {str(tmp_path / 'nope.xml')!r}: no such file.\n"
    assert not (tmp_path / "pressclub.sqlite3").exists()


@pytest.mark.slow
def test_dashed_subcommands_run_management_commands(tmp_path):
    result = _run("show-references-index", "--help", env=_env(tmp_path), timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: pressclub show_references_index ")


def test_help_lists_the_operator_commands(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: pressclub <command> [options]\n")
    for name in ("demo", "serve", "migrate", "createsuperuser", "import-blogger", "import-article", "publish-scheduled"):
        assert f"\n  {name} " in out


def test_unknown_command_in_process_returns_2(capsys):
    assert main(["no-such-thing"]) == 2
    assert "unknown command 'no-such-thing'" in capsys.readouterr().err


@pytest.mark.slow
def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = _env(
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="news.example.org",
        DATABASE_URL="postgres://pressclub@127.0.0.1:5432/pressclub",
        REDIS_URL="redis://127.0.0.1:6379/0",
        EMAIL_URL="smtp+tls://newsroom:secret@smtp.example.org:587",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--settings=pressclub.settings.production"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"
    assert "WARNINGS" not in result.stderr


# A server that ignores SIGINT and SIGTERM, as granian once did while shutting down.
STUBBORN_SERVER = """
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(os.getpid()))
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    time.sleep(0.1)
"""


@contextmanager
def _stubborn_server(tmp_path: Path, stop_timeout: float) -> Iterator[tuple[subprocess.Popen, int]]:
    """Run ``_run_until_interrupted`` on STUBBORN_SERVER; yield (runner process, server pid).

    On exit, whatever the test did, neither process is left running.
    """
    pid_file = tmp_path / "server.pid"
    runner = (
        "import sys\nfrom pressclub.cli import _run_until_interrupted\n"
        f"sys.exit(_run_until_interrupted([sys.executable, '-c', {STUBBORN_SERVER!r}, {str(pid_file)!r}],"
        f" stop_timeout={stop_timeout}))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", runner], cwd=REPO, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 30
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pid_file.exists(), "the stand-in server did not start"
    server_pid = int(pid_file.read_text())
    try:
        yield process, server_pid
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        if not _gone(server_pid):
            os.kill(server_pid, signal.SIGKILL)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.slow
def test_second_signal_while_stopping_kills_the_server_without_traceback(tmp_path):
    with _stubborn_server(tmp_path, stop_timeout=60) as (process, server_pid):
        process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert process.poll() is None  # still waiting for the server to stop
        process.send_signal(signal.SIGINT)
        started = time.monotonic()
        stdout, stderr = process.communicate(timeout=20)
        elapsed = time.monotonic() - started
        server_gone = _gone(server_pid)  # before the clean-up could kill it
    assert process.returncode == 0, stderr
    assert elapsed < 10  # not the 60 s timeout
    assert "Traceback" not in stdout + stderr
    assert stderr == ""
    assert stdout == "\nThe server did not stop by itself; killed it.\n\nStopped.\n"
    assert server_gone


@pytest.mark.slow
def test_server_that_ignores_the_stop_signal_is_killed_after_the_timeout(tmp_path):
    with _stubborn_server(tmp_path, stop_timeout=1) as (process, server_pid):
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=20)
        elapsed = time.monotonic() - started
        server_gone = _gone(server_pid)  # before the clean-up could kill it
    assert process.returncode == 0, stderr
    assert 1 <= elapsed < 10
    assert (stderr, stdout) == ("", "\nThe server did not stop by itself; killed it.\n\nStopped.\n")
    assert server_gone


@pytest.fixture
def demo_settings(settings, tmp_path, monkeypatch):
    """Point the media and var directories of an in-process ``pressclub demo`` at ``tmp_path``.

    The command sets DJANGO_SETTINGS_MODULE and PRESSCLUB_BASE_URL; monkeypatch puts them back.
    """
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE", ""))
    monkeypatch.setenv("PRESSCLUB_BASE_URL", "")
    monkeypatch.delenv("PRESSCLUB_BASE_URL")
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@pytest.mark.django_db
def test_demo_serves_an_imported_site_without_adding_the_demo_stories(demo_settings, home_page, capsys):
    from django.contrib.contenttypes.models import ContentType

    from pressclub.demo.services import demo_load
    from pressclub.importers.models import ImportedItem
    from pressclub.news.models import ArticlePage, HomePage

    # As after `pressclub demo --no-serve --import FILE`: the demo's front page, then an import.
    HomePage.objects.all().delete()
    demo_load(site_only=True)
    home = HomePage.objects.get()
    ImportedItem.objects.create(source_id="tag:blogger.com,1999:blog-1.post-2", kind="post",
                                content_type=ContentType.objects.get_for_model(HomePage), object_id=home.pk)

    assert main(["demo", "--no-serve", "--port", "8123"]) == 0

    out = capsys.readouterr().out
    assert "Serving the existing site (it holds imported content); the demo stories are not added to it.\n" in out
    assert "\nPrepared; run `pressclub demo --port 8123` to serve it at http://127.0.0.1:8123/\n" in out
    assert "Login:  editor@example.org / kalimgaon-demo-desk  (editor)\n" in out
    assert ArticlePage.objects.count() == 0
    assert home.get_children().count() == 0


@pytest.mark.django_db
def test_demo_serves_a_site_whose_front_page_it_did_not_make(demo_settings, article, capsys):
    assert main(["demo", "--no-serve"]) == 0

    out = capsys.readouterr().out
    assert "Serving the existing site (its front page is not the demo's); the demo stories are not added to it.\n" in out
    assert "Login:" not in out  # no demo editor in this database
    from pressclub.news.models import ArticlePage

    assert list(ArticlePage.objects.values_list("pk", flat=True)) == [article.pk]


@pytest.mark.django_db
def test_existing_site_reasons(home_page):
    from wagtail.models import Page

    from pressclub.cli import existing_site
    from pressclub.demo import content
    from pressclub.news.models import HomePage

    assert existing_site() == "its front page is not the demo's"
    HomePage.objects.filter(pk=home_page.pk).update(title=content.SITE_NAME, intro=content.HOME_INTRO)
    assert existing_site() is None
    home_page.refresh_from_db()
    home_page.add_child(instance=Page(title="Our own notes", slug="our-own-notes"))
    assert existing_site() == "it holds pages the demo did not create"
