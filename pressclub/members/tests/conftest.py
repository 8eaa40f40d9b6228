"""Fixtures for the members app's tests.

Tests run inside a transaction that never commits, so work deferred with
``transaction.on_commit`` (our e-mails) would never happen. The ``client`` here runs each request
as if it committed: callbacks registered during the request run when it returns, as in production.
"""

import pytest


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """Return Django's test client whose requests run their on-commit callbacks when done."""
    for name in ("get", "post"):
        method = getattr(client, name)

        def committing(*args, _method=method, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return _method(*args, **kwargs)

        setattr(client, name, committing)
    return client


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Return a context manager that runs the on-commit callbacks registered inside it on exit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
