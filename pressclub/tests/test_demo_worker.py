"""``pressclub demo`` runs the task worker beside the web server, and Ctrl-C stops both in every phase:
while the site is prepared, while the server starts, and while it serves. Slow: real subprocesses."""

import http.cookiejar
import os
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from .test_cli import COMMAND, REPO, _env, _free_port, _run


@pytest.fixture(scope="module")
def prepared_var(tmp_path_factory):
    """Return a var/ directory that ``pressclub demo --no-serve`` prepared."""
    var_dir = tmp_path_factory.mktemp("pressclub-var")
    result = _run("demo", "--no-serve", env=_env(var_dir))
    assert result.returncode == 0, result.stderr
    return var_dir


def _start_demo(var_dir, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [*COMMAND, "demo", "--port", str(port)], cwd=REPO, env=_env(var_dir), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


def _ctrl_c(process: subprocess.Popen) -> tuple[str, str, float]:
    """Send Ctrl-C as a terminal does (SIGINT to the group); return stdout, stderr and seconds to stop."""
    started = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    return stdout, stderr, time.monotonic() - started


@pytest.mark.slow
def test_ctrl_c_while_preparing_stops_without_traceback(tmp_path):
    process = _start_demo(tmp_path, _free_port())
    try:
        assert process.stdout.readline() == f"Preparing the demo site in {tmp_path}\n"
        stdout, stderr, elapsed = _ctrl_c(process)  # migrating
    finally:
        if process.poll() is None:
            process.kill()
    assert (process.returncode, stderr, stdout) == (130, "", "\nStopped.\n")
    assert elapsed < 5


@pytest.mark.slow
def test_ctrl_c_while_the_server_starts_stops_at_once(prepared_var):
    process = _start_demo(prepared_var, _free_port())
    try:
        lines = []
        while not lines or not lines[-1].startswith("[INFO] Spawning worker-1"):
            lines.append(process.stdout.readline())
            assert lines[-1], "the demo ended before serving"
        stdout, stderr, elapsed = _ctrl_c(process)  # granian is starting its worker
    finally:
        if process.poll() is None:
            process.kill()
    assert (process.returncode, stderr) == (0, "")
    assert "Traceback" not in stdout and "killed it" not in stdout
    assert stdout.rstrip().endswith("Stopped.")
    assert elapsed < 5


@pytest.mark.slow
def test_demo_worker_sends_the_sign_up_mail_and_healthz_answers(prepared_var):
    var_dir = prepared_var
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process = _start_demo(var_dir, port)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    try:
        deadline = time.monotonic() + 120
        while True:
            assert time.monotonic() < deadline and process.poll() is None, "the demo did not serve within 120 s"
            try:
                with opener.open(base + "/healthz", timeout=5) as response:
                    health = response.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert '"status": "ok"' in health

        mails_before = set((var_dir / "mail").glob("*.log")) if (var_dir / "mail").exists() else set()
        with opener.open(base + "/accounts/signup/", timeout=10) as response:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
        form = {"csrfmiddlewaretoken": token, "email": "new.reader@example.org", "display_name": "Nima Rai",
                "password1": "a long demo password", "password2": "a long demo password"}
        request = urllib.request.Request(base + "/accounts/signup/", data=urllib.parse.urlencode(form).encode(),
                                         headers={"Referer": base + "/accounts/signup/"})
        with opener.open(request, timeout=10) as response:
            assert response.status == 200
            assert response.url.endswith("/accounts/confirm-email/")
        deadline = time.monotonic() + 30
        new = set()
        while not new and time.monotonic() < deadline:
            time.sleep(0.5)
            new = set((var_dir / "mail").glob("*.log")) - mails_before
        assert len(new) == 1, "the worker did not write the confirmation mail"
        text = next(iter(new)).read_text()
        assert "To: new.reader@example.org" in text
        stdout, stderr, elapsed = _ctrl_c(process)
    finally:
        if process.poll() is None:
            process.kill()
    assert (process.returncode, stderr) == (0, "")
    assert "killed it" not in stdout, stdout[-600:]
    assert elapsed < 10
