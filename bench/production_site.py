"""What the benchmarks that start real pressclub processes share: the production environment they
run in, running a ``pressclub`` command (or the benchmark's own ``--inside`` step) in it, and
``pressclub serve`` started for the length of a ``with`` block.

Used by ``comment_load.py``, ``purge_hit_rate.py`` and ``serve_memory.py`` (run from ``bench/``, so
this module is importable beside them). ``options`` is the benchmark's parsed arguments: it must have
``var_dir`` (a ``Path``), ``database_url`` and ``redis_url`` (``""``/``None`` for SQLite and the
file cache).
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def add_site_arguments(parser: argparse.ArgumentParser, *,
                       redis_help: str = "Redis for the cache and sessions; default none") -> None:
    """Add the options :func:`production_env` reads to ``parser``: ``--database-url`` (default ``""``,
    SQLite), ``--redis-url`` (default ``""``, explained by ``redis_help``) and ``--var-dir`` (a
    ``Path``, default None: see :func:`make_var_dir`)."""
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL database; default SQLite")
    parser.add_argument("--redis-url", default="", help=redis_help)
    parser.add_argument("--var-dir", type=Path, default=None, help="PRESSCLUB_VAR_DIR (default a new temp dir)")


def make_var_dir(options, prefix: str) -> None:
    """Make ``options.var_dir`` the absolute path of the folder given, or of a new temporary folder
    whose name starts with ``prefix``, and create it when missing."""
    options.var_dir = (options.var_dir or Path(tempfile.mkdtemp(prefix=prefix))).resolve()
    options.var_dir.mkdir(parents=True, exist_ok=True)


def production_env(options, name: str, *, drop: tuple[str, ...] = ()) -> dict:
    """Return the environment (a dict) for a pressclub process of benchmark ``name``: production
    settings, a throwaway ``SECRET_KEY``, plain HTTP on 127.0.0.1 (a trusted proxy), the benchmark's
    var directory, and ``DATABASE_URL``/``REDIS_URL`` only when given in ``options`` (never inherited
    from the caller's shell). ``drop`` names further variables not to inherit."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pressclub.settings.production",
        "SECRET_KEY": f"{name}-bench-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PRESSCLUB_SECURE_SSL_REDIRECT": "0",
        "PRESSCLUB_TRUSTED_PROXIES": "127.0.0.1",
        "PRESSCLUB_VAR_DIR": str(options.var_dir),
        "PYTHONPATH": str(REPO),
    }
    for variable in ("DATABASE_URL", "REDIS_URL", *drop):
        env.pop(variable, None)
    if options.database_url:
        env["DATABASE_URL"] = options.database_url
    if options.redis_url:
        env["REDIS_URL"] = options.redis_url
    return env


def run_step(env: dict, cwd, command: list[str], what: str) -> str:
    """Run ``command`` in ``env`` and ``cwd``; return its standard output. Exit the benchmark with
    the last 3,000 characters of its standard error, naming ``what``, when it fails."""
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{what} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def pressclub_command(*args: str) -> list[str]:
    """Return the command line of ``pressclub <args>`` run with this Python."""
    return [sys.executable, "-m", "pressclub.cli", *args]


def inside_step(env: dict, cwd, script: str, *args: str) -> dict:
    """Run ``script``'s ``--inside`` step ``args`` (a benchmark's own code run in Django) in ``env``
    and ``cwd``; return the JSON object on the last line of its standard output. Exit the benchmark
    as :func:`run_step` does when it fails."""
    stdout = run_step(env, cwd, [sys.executable, script, "--inside", *args], f"bench step {args[0]}")
    return json.loads(stdout.strip().splitlines()[-1])


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 that no process listens on now (the system picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, server: subprocess.Popen) -> None:
    """Return once 127.0.0.1:``port`` accepts a connection. Exit the benchmark when ``server`` stops
    first or nothing answers in 5 minutes (1,200 tries a quarter of a second apart)."""
    for _ in range(1200):
        if server.poll() is not None:
            sys.exit(f"pressclub serve stopped with status {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.25)
    sys.exit("pressclub serve did not answer in 5 minutes")


@contextmanager
def serving(env: dict, cwd: Path, port: int, *, workers: int, threads: int | None = None,
            stop_seconds: float = 60) -> Iterator[subprocess.Popen]:
    """Start ``pressclub serve --port PORT --workers N [--threads N]`` in ``env`` and ``cwd`` (a var
    directory), in a process group of its own, its standard error written to ``cwd/serve.log``;
    yield the process once the port answers (:func:`wait_for`). On leaving the block, however it
    is left, send SIGTERM to the group and wait ``stop_seconds`` for the server to stop
    (``subprocess.TimeoutExpired`` when it does not)."""
    command = pressclub_command("serve", "--port", str(port), "--workers", str(workers))
    if threads:
        command += ["--threads", str(threads)]
    with open(Path(cwd) / "serve.log", "w") as log:
        server = subprocess.Popen(command, env=env, cwd=cwd, process_group=0, stdout=subprocess.DEVNULL, stderr=log)
        try:
            wait_for(port, server)
            yield server
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=stop_seconds)


def signed_in_session(user) -> str:
    """Return the key of a new session in which ``user`` is signed in, as after a sign-in through
    the first of ``AUTHENTICATION_BACKENDS``, stored by ``SESSION_ENGINE`` (its cookie value).
    Call it in Django (a benchmark's ``--inside`` step)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    engine = __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"])
    store = engine.SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key
