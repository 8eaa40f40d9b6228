"""Fixtures of the follows tests."""

import pytest
from django.core import mail


@pytest.fixture
def outbox(settings):
    """Send e-mail through the site's outbox (idempotency keys) and deliver it to locmem;
    links on news.example.org. Returns the test outbox as it is now (see _Outbox)."""
    settings.EMAIL_BACKEND = "pressclub.mail.backends.OutboxBackend"
    settings.PRESSCLUB_MAIL_TRANSPORT = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRESSCLUB_BASE_URL = "https://news.example.org"
    return _Outbox()


class _Outbox:
    """Django's test outbox as it is now (a settings change or a request may give it a new list)."""

    def __len__(self):
        return len(mail.outbox)

    def __getitem__(self, index):
        return mail.outbox[index]

    def __iter__(self):
        return iter(list(mail.outbox))

    def __eq__(self, other):
        return list(mail.outbox) == other
