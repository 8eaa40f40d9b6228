"""Rows that several tests share: written once, in a transaction rolled back after the last of them."""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def shared_rows(django_db_blocker):
    """Open a transaction on the default database; roll it back on exit. Yield ``django_db_blocker.unblock``.

    For pytest fixtures wider than a test (module or class scope): write the shared rows under
    ``with unblock(): ...`` and yield inside this block. Each test's own transaction (pytest-django's
    ``db``) nests inside this one as a savepoint, so a test sees the shared rows, what it writes is
    undone after it, and the shared rows are undone after the last test of the scope. Database
    access stays blocked outside ``unblock()`` and the tests' own ``db``.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield django_db_blocker.unblock
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def keep_test_connection(monkeypatch) -> None:
    """Stop ``pressclub worker`` run in-process from closing the test's database connection.

    The worker (and django-tasks-db's ``db_worker``) call ``close_old_connections()`` between
    tasks. Inside a test's transaction autocommit is off, so Django closes the connection; on
    PostgreSQL that kills the transaction the test runs in ("the connection is closed"). SQLite's
    in-memory test database ignores the close, which hides the problem there.
    """
    from django_tasks_db.management.commands import db_worker

    from pressclub.core.management.commands import worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
