import pytest

from .smtp import SmtpServer, free_port


@pytest.fixture
def outbox_to_smtp(settings):
    """Send the site's e-mail through the outbox to an SMTP server on 127.0.0.1; return a function
    ``serve(**options)`` that starts one (``smtp.SmtpServer``) and points the transport at it.

    Without a call to ``serve`` the transport points at a port where nothing listens (SMTP down).
    """
    settings.EMAIL_BACKEND = "pressclub.mail.backends.OutboxBackend"
    settings.PRESSCLUB_MAIL_TRANSPORT = "pressclub.mail.transport.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 10
    servers = []

    def serve(**options) -> SmtpServer:
        server = SmtpServer(**options).__enter__()
        servers.append(server)
        settings.EMAIL_PORT = server.port
        return server

    yield serve
    for server in servers:
        server.__exit__(None, None, None)
