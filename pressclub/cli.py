"""The ``pressclub`` console command: everything an operator does, in one place.

``pressclub demo`` prepares and serves the demo site, ``pressclub serve`` runs the production server,
and every other subcommand is a Django management command with dashes for underscores
(``pressclub import-blogger FILE`` runs ``import_blogger FILE``). ``manage.py`` works as well.

Both servers are granian, running Django's WSGI application (``pressclub.wsgi:application``):

- ``demo`` runs it under the demo settings (``pressclub.settings.demo``: the development settings,
  SQLite and media under ``var/``, with DEBUG off so the site's own error pages show), in one worker.
  A real server rather than ``runserver``, so the demo behaves like the production site: WhiteNoise
  serves static files straight from the apps (its finders are on, so no ``collectstatic`` is
  needed) and the site's ``/media/`` route (``core.media``) serves the demo's lead images. granian
  and the task worker (``pressclub worker``) run as child processes (``supervise``), so Ctrl-C (or
  SIGTERM) stops both and the command exits 0 without a traceback; Ctrl-C while the site is being
  prepared exits 130, also quietly.
- ``serve`` runs ``collectstatic`` and then replaces itself with granian (``exec``), so the process
  manager (systemd, a container runtime) signals the server directly.
"""

import argparse
import os
import signal
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from pressclub.supervise import STOP_TIMEOUT, Child, supervise

DEV_SETTINGS = "pressclub.settings.dev"
DEMO_SETTINGS = "pressclub.settings.demo"
PRODUCTION_SETTINGS = "pressclub.settings.production"
WSGI_APP = "pressclub.wsgi:application"

# Shown by ``pressclub --help``: (command, what it does). Any other Django command works too.
OPERATOR_COMMANDS = [
    ("demo", "Prepare the demo site (SQLite and media under ./var) and serve it on 127.0.0.1:8000."),
    ("serve", "Run the production server (granian, settings pressclub.settings.production)."),
    ("migrate", "Create or update the database tables."),
    ("createsuperuser", "Create an administrator account (e-mail address, display name and password)."),
    ("import-blogger", "Import a Blogger export (posts, pages, comments, labels) FILE."),
    ("import-article", "Import a story from a URL or HTML file as a draft wire story."),
    ("worker", "Run background tasks and periodic jobs (e-mail, publishing, digests); run it beside serve."),
    ("publish-scheduled", "Publish pages whose go-live time has come (the worker does it every minute)."),
    ("send-digests", "Send followers their digest of new stories (the worker does it daily and weekly)."),
    ("prune", "Delete old sent and failed e-mail and finished task results (the worker does it daily)."),
    ("load-demo", "Load the demo content into the current database (idempotent)."),
    ("backup", "Back up the database and media into one archive FILE (safe while the site runs)."),
    ("restore", "Restore a backup FILE into an empty site (--force to replace one)."),
    ("nginx-config", "Print the nginx site file (static, media, page cache, purge) for this site."),
    ("collectstatic", "Collect static files into STATIC_ROOT."),
    ("changepassword", "Change a user's password."),
    ("check", "Check the configuration (add --deploy under production settings)."),
    ("shell", "Open a Python shell with the site loaded."),
]


class SettingsError(Exception):
    """The settings module could not be loaded (e.g. production settings without SECRET_KEY)."""


def _setup_django() -> None:
    """Load the settings and the apps; raise SettingsError with a one-line reason if they are misconfigured."""
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise SettingsError(str(exc)) from None


def _fail(command: str, message: str, code: int = 2) -> int:
    print(f"pressclub {command}: {message}", file=sys.stderr)
    return code


def print_help(file=None) -> None:
    """Print the usage and the operator commands."""
    file = file or sys.stdout
    print("usage: pressclub <command> [options]\n", file=file)
    print("pressclub runs a news website. Commands:\n", file=file)
    for name, text in OPERATOR_COMMANDS:
        print(f"  {name:<19} {text}", file=file)
    print(
        "\nAny Django management command also works, with dashes for underscores.\n"
        "'pressclub <command> --help' describes a command's options. Settings default to\n"
        f"{DEV_SETTINGS} ({PRODUCTION_SETTINGS} for serve); set DJANGO_SETTINGS_MODULE to choose.",
        file=file,
    )


def main(argv: list[str] | None = None) -> int:
    """Run ``pressclub`` with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    Exit statuses: 0 success, 2 usage or configuration errors (unknown command, missing SECRET_KEY),
    130 interrupted by Ctrl-C before a server ran, otherwise the status of the management command or
    server.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help") or argv == ["help"]:
        print_help()
        return 0
    command, rest = argv[0], argv[1:]
    try:
        return _main(command, rest)
    except KeyboardInterrupt:
        # Ctrl-C before any server started (loading Django, migrating, loading the demo): stop quietly.
        print("\nStopped.", flush=True)
        return 130


def _main(command: str, rest: list[str]) -> int:
    try:
        if command == "demo":
            return demo(rest)
        if command == "serve":
            return serve(rest)
        return run_management_command(command, rest)
    except SettingsError as exc:
        return _fail(command, str(exc))
    except BrokenPipeError:
        # Output piped into `head` and friends: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def run_management_command(command: str, args: list[str]) -> int:
    """Run the Django management command named ``command`` (dashes → underscores) with ``args``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEV_SETTINGS)
    _setup_django()
    from django.core.management import execute_from_command_line, get_commands

    name = command.replace("-", "_")
    if command == "help" and args:
        name, args = "help", [args[0].replace("-", "_"), *args[1:]]
    elif name not in get_commands() or command.startswith("-"):
        print(
            f"pressclub: unknown command {command!r}. Run 'pressclub --help' to see the commands.",
            file=sys.stderr,
        )
        return 2
    execute_from_command_line(["pressclub", name, *args])
    return 0


def _parse(prog: str, description: str, args: list[str], **options) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"pressclub {prog}", description=description)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    for flags, kwargs in options.items():
        parser.add_argument(*flags.split(), **kwargs)
    return parser.parse_args(args)


def _site_url(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def _port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _default_threads() -> int:
    # granian's advice for WSGI: at most 2 × cores + 1 Python threads per worker.
    return min(8, 2 * (os.cpu_count() or 1) + 1)


def _granian(host: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host, "--port", str(port),
        "--workers", str(workers), "--blocking-threads", str(threads), "--respawn-failed-workers", WSGI_APP,
    ]  # fmt: skip


def demo(args: list[str]) -> int:
    """``pressclub demo``: create var/, migrate, load the demo content, print the URL and login, serve
    the site with the task worker beside it.

    Options: ``--host`` (127.0.0.1), ``--port`` (8000), ``--no-serve`` (prepare only), ``--import FILE``
    (import a Blogger export onto the demo site instead of the invented stories). Always uses the
    development settings; data goes to ``$PRESSCLUB_VAR_DIR`` (default ``./var``). A database that
    already holds a site the demo did not make (``existing_site()``, e.g. after ``--import``) is
    served as it is, without the invented stories.
    """
    options = _parse(
        "demo",
        "Prepare the demo site (SQLite and media under ./var) and serve it.",
        args,
        **{
            "--no-serve": {"action": "store_true", "help": "prepare the site, then exit without serving"},
            "--import": {
                "dest": "import_file",
                "metavar": "FILE",
                "help": "import this Blogger export instead of the invented demo stories",
            },
        },
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = DEMO_SETTINGS
    url = _site_url(options.host, options.port)
    os.environ.setdefault("PRESSCLUB_BASE_URL", url.rstrip("/"))
    public = options.host not in ("127.0.0.1", "localhost", "::1")
    if public:
        # Reachable from other machines: accept any Host header (the dev settings allow loopback only).
        os.environ.setdefault("ALLOWED_HOSTS", "*")
    _setup_django()
    from django.conf import settings
    from django.core.management import CommandError, call_command, get_commands

    from pressclub.demo import content

    if options.import_file:
        if not Path(options.import_file).is_file():
            return _fail("demo", f"cannot read {options.import_file!r}: no such file.")
        if "import_blogger" not in get_commands():
            return _fail("demo", "the Blogger importer (import_blogger) is not available in this installation.")
    if not options.no_serve and not _port_is_free(options.host, options.port):
        return _fail("demo", f"port {options.port} on {options.host} is in use; choose another with --port.")

    var_dir = Path(settings.VAR_DIR)
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    # WhiteNoise serves the demo's static files from the apps (its finders) but warns at start-up
    # when STATIC_ROOT is missing.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    print(f"Preparing the demo site in {var_dir}")
    try:
        call_command("migrate", interactive=False, verbosity=0)
        address = f"{urlsplit(url).hostname}:{options.port}"
        existing = None if options.import_file else existing_site()
        if options.import_file:
            call_command("load_demo", site_only=True, address=address)
            call_command("import_blogger", options.import_file)
        elif existing:
            from pressclub.demo.services import demo_site_address

            print(f"Serving the existing site ({existing}); the demo stories are not added to it.")
            demo_site_address(hostname=urlsplit(url).hostname, port=options.port)
        else:
            call_command("load_demo", address=address)
    except CommandError as exc:
        return _fail("demo", str(exc), code=1)

    if options.no_serve:
        serve_command = "pressclub demo" + "".join(
            f" --{name} {value}" for name, value, default in (("host", options.host, "127.0.0.1"),
                                                              ("port", options.port, 8000)) if value != default
        )
        print(f"\nPrepared; run `{serve_command}` to serve it at {url}")
    else:
        print(f"\nSite:   {url}")
    print(f"Admin:  {url}admin/")
    if _demo_editor_exists():
        for staff in content.STAFF:
            print(f"Login:  {staff.email} / {staff.password}  ({staff.role})")
        if public:
            print("Warning: the demo listens beyond this machine, and its newsroom passwords are printed above.")
    if options.no_serve:
        return 0
    print(f"\nServing on {url} with granian, and running the task worker; press Ctrl-C to stop.", flush=True)
    server = _granian(options.host, options.port, workers=1, threads=_default_threads())
    worker = [sys.executable, "-m", "pressclub.cli", "worker", "--verbosity", "0"]
    return supervise([
        # The worker finishes the task it is running on SIGTERM; granian stops on SIGINT.
        Child("task worker", worker, stop_signal=signal.SIGTERM),
        Child("server", server, ready_url=f"{url}healthz"),
    ])  # fmt: skip


def existing_site() -> str | None:
    """Return why the database holds a site the demo did not make, or None if it holds only the demo.

    Such a site (an imported blog, a newsroom's own pages) is served as it is: ``pressclub demo``
    never adds its invented stories to it. The reasons, as shown to the operator: ``"it holds
    imported content"`` (the importers recorded an import), ``"its front page is not the demo's"``
    (a HomePage the demo did not create) and ``"it holds pages the demo did not create"``.
    """
    from django.apps import apps
    from wagtail.models import Page

    from pressclub.demo import content
    from pressclub.demo.articles import ARTICLES
    from pressclub.news.models import HomePage

    if apps.is_installed("pressclub.importers"):
        from pressclub.importers.models import ImportedItem

        if ImportedItem.objects.exists():
            return "it holds imported content"
    homes = HomePage.objects.all()
    if homes.exclude(title=content.SITE_NAME, intro=content.HOME_INTRO).exists():
        return "its front page is not the demo's"
    demo_slugs = {item.slug for item in [*content.SECTIONS, *ARTICLES, *content.PAGES]}
    for home in homes:
        if Page.objects.descendant_of(home).exclude(slug__in=demo_slugs).exists():
            return "it holds pages the demo did not create"
    return None


def _demo_editor_exists() -> bool:
    from django.contrib.auth import get_user_model

    from pressclub.demo import content

    return get_user_model().objects.filter(email__iexact=content.EDITOR_EMAIL).exists()


def _run_until_interrupted(cmd: list[str], *, stop_timeout: float = STOP_TIMEOUT) -> int:
    """Run the server ``cmd`` as a child; on Ctrl-C or SIGTERM stop it and return 0 (``supervise``)."""
    return supervise([Child("server", cmd)], stop_timeout=stop_timeout)


def _unapplied_migrations() -> bool:
    """Return True when the default database lacks migrations (or cannot be reached)."""
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return True
    finally:
        connections.close_all()


def serve(args: list[str]) -> int:
    """``pressclub serve``: collect static files, then run granian in place of this process.

    Options: ``--host`` (127.0.0.1; put nginx or a CDN in front), ``--port`` (8000), ``--workers`` (2),
    ``--threads`` (per worker; 2 × CPU cores + 1, at most 8).
    Settings default to ``pressclub.settings.production``, which read the environment and refuse to
    start without ``SECRET_KEY`` or ``ALLOWED_HOSTS`` (exit status 2, one line on stderr).
    """
    options = _parse(
        "serve",
        "Run the production server (granian WSGI) after collecting static files.",
        args,
        **{
            "--workers": {"type": int, "default": 2, "help": "worker processes (default 2)"},
            "--threads": {
                "type": int,
                "default": _default_threads(),
                "help": "threads per worker (default 2 × CPU cores + 1, at most 8)",
            },
        },
    )
    if options.workers < 1 or options.threads < 1:
        return _fail("serve", "--workers and --threads must be at least 1.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", PRODUCTION_SETTINGS)
    _setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    if _unapplied_migrations():
        print("pressclub serve: warning: the database is not up to date; run 'pressclub migrate'.", file=sys.stderr)
    else:
        # The shared cache's table, when CACHES names a database cache (PostgreSQL without REDIS_URL)
        # and the database was migrated while another cache was configured.
        call_command("createcachetable", verbosity=0)
    cmd = _granian(options.host, options.port, options.workers, options.threads)
    sys.stdout.flush()
    os.execv(cmd[0], cmd)
    return 0  # pragma: no cover - execv does not return


if __name__ == "__main__":
    sys.exit(main())
