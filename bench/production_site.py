"""What the benchmarks that start real pressclub processes share: the production environment they
run in, and running a ``pressclub`` command (or the benchmark's own ``--inside`` step) in it.

Used by ``comment_load.py``, ``purge_hit_rate.py`` and ``serve_memory.py`` (run from ``bench/``, so
this module is importable beside them). ``options`` is the benchmark's parsed arguments: it must have
``var_dir`` (a ``Path``), ``database_url`` and ``redis_url`` (``""``/``None`` for SQLite and the
file cache).
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


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
