"""A real SMTP server for the outbox's tests (aiosmtpd, in a thread of the test process).

``SmtpServer`` accepts, delays or refuses as a test asks: ``delay`` seconds before it answers the
message's data, ``rcpt_reply`` instead of "250 OK" for every recipient (e.g. "550 5.1.1 No such user"),
and ``hold_rcpt`` (a threading.Event) to keep a recipient waiting until the event is set, so a
test can kill the sender mid-conversation (with ``hold_after``, once that many messages were accepted). ``messages`` holds what it accepted and ``peers`` the
client address (host, port) of each, one per connection.
"""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on (the SMTP server that is down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """The handler and the controller of one aiosmtpd server on 127.0.0.1 (see the module's docstring)."""

    def __init__(
        self, *, delay: float = 0, rcpt_reply: str = "", hold_rcpt: threading.Event | None = None, hold_after: int = 0
    ):
        self.delay = delay
        self.rcpt_reply = rcpt_reply
        self.hold_rcpt = hold_rcpt
        self.hold_after = hold_after
        self.rcpt_reached = threading.Event()
        self.messages: list[Message] = []
        self.peers: list[tuple[str, int]] = []  # the client's address of each accepted message
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        if len(self.messages) < self.hold_after:
            envelope.rcpt_tos.append(address)
            return "250 OK"
        self.rcpt_reached.set()
        if self.hold_rcpt is not None:
            while not self.hold_rcpt.is_set():
                await asyncio.sleep(0.05)
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(email.message_from_bytes(envelope.content))
        self.peers.append(session.peer)
        return "250 Message accepted for delivery"

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.hold_rcpt is not None:
            self.hold_rcpt.set()
        self.controller.stop()
