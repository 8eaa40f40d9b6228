"""Read a web page or image over HTTP for import (the only network access of the importers).

Only public web addresses are fetched: the host name is resolved here, every address it resolves to
must be public (not loopback, private, link-local, multicast, reserved or unspecified; an
IPv4-mapped IPv6 address counts as the IPv4 address it maps), and the connection goes to the
address that was checked, so a second DNS answer cannot point it elsewhere. Redirects are followed
here, at most ``MAX_REDIRECTS``, each hop checked the same way. Without this an editor's "import by
URL" would let the server read its own admin, an intranet or a cloud metadata service.
``settings.PRESSCLUB_IMPORT_ALLOW_PRIVATE_URLS = True`` lifts the check (an intranet newsroom).
"""

import http.client
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urljoin, urlsplit

from django.conf import settings

USER_AGENT = "pressclub-wire-import/1.0 (+https://pressclub.invalid)"
MAX_BYTES = 10 * 1024 * 1024  # a news page is well under this; more is not an article
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class ArticleFetchError(OSError):
    """The page could not be read from its URL (bad URL, private address, offline, HTTP error, too large)."""


@dataclass(frozen=True)
class HttpAnswer:
    """One HTTP response: status code, reason phrase, ``Location`` header ("" if none) and body bytes."""

    status: int
    reason: str
    location: str
    body: bytes


def fetch_page(url: str, *, timeout: float = 15.0) -> bytes:
    """Return the raw bytes of the page at ``url`` (http or https), each request within ``timeout`` seconds.

    Redirects (301, 302, 303, 307, 308) are followed, at most 5. Raise ArticleFetchError with a
    message naming the URL and the reason when a URL is not http(s), a host resolves to a
    non-public address (see the module docstring), the host cannot be reached (e.g. the machine is
    offline), the server answers with an HTTP error, there are too many redirects, or the page is
    larger than 10 MB.
    """
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        parts = _http_url(current)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            address = checked_address(parts.hostname, port)
            answer = request_page(parts, address=address, timeout=timeout)
        except ArticleFetchError:
            raise
        except (OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", None) or error
            raise ArticleFetchError(
                f"Could not fetch {url}: {reason}. If this machine is offline, save the page as an .html file "
                "and import the file instead."
            )
        if answer.status in REDIRECT_STATUSES and answer.location:
            current = urljoin(current, answer.location)
            continue
        if answer.status >= 400:
            raise ArticleFetchError(f"Could not fetch {url}: the server answered {answer.status} {answer.reason}.")
        if len(answer.body) > MAX_BYTES:
            raise ArticleFetchError(
                f"Could not fetch {url}: the page is larger than {MAX_BYTES // 1024 // 1024} MB."
            )
        return answer.body
    raise ArticleFetchError(f"Could not fetch {url}: more than {MAX_REDIRECTS} redirects.")


def _http_url(url: str) -> SplitResult:
    try:
        parts = urlsplit(url or "")
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        valid = False
    if not valid:
        raise ArticleFetchError(f"“{url}” is not an http(s) URL of a news page.")
    return parts


def is_public_address(address: str) -> bool:
    """Return True when the IP address (text, IPv4 or IPv6, maybe with a ``%zone``) is public.

    Loopback, private, link-local, multicast, reserved, unspecified and other non-global ranges
    (e.g. shared 100.64.0.0/10, documentation ranges) are not public; an IPv4-mapped IPv6 address
    (``::ffff:10.0.0.1``) is judged as the IPv4 address it carries.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


def checked_address(host: str, port: int) -> str:
    """Return the IP address (text) to connect to for ``host``, after checking all its addresses.

    Raise ArticleFetchError when any address ``host`` resolves to is not public (unless
    ``PRESSCLUB_IMPORT_ALLOW_PRIVATE_URLS`` is set); ``socket.gaierror`` (an OSError) when the name
    does not resolve.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise socket.gaierror(f"{host} has no address")
    if not settings.PRESSCLUB_IMPORT_ALLOW_PRIVATE_URLS and not all(is_public_address(address) for address in addresses):
        raise ArticleFetchError(
            f"pressclub fetches only public web addresses; {host} resolves to a private or local address."
        )
    return addresses[0]


def request_page(parts: SplitResult, *, address: str, timeout: float) -> HttpAnswer:
    """GET the URL ``parts`` from the IP ``address`` (TLS still checked against the host name).

    Return an ``HttpAnswer``; a redirect's body is not read, another body up to 10 MB + 1 byte.
    Raise OSError or ``http.client.HTTPException`` when the connection or the response fails.
    """
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, parts.port, address=address, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(
            "GET", path, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5", "Connection": "close"}
        )
        response = connection.getresponse()
        location = response.getheader("Location") or ""
        redirect = response.status in REDIRECT_STATUSES and location
        body = b"" if redirect else response.read(MAX_BYTES + 1)
        return HttpAnswer(status=response.status, reason=response.reason, location=location, body=body)
    finally:
        connection.close()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a fixed, already checked IP address; ``Host`` stays the host name."""

    def __init__(self, host, port=None, *, address: str, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address
        self._create_connection = self._connect_to_address

    def _connect_to_address(self, host_port, timeout, source_address=None):
        return socket.create_connection((self._address, host_port[1]), timeout, source_address)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a fixed IP address; SNI and the certificate check use the host name."""

    def __init__(self, host, port=None, *, address: str, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address
        self._create_connection = self._connect_to_address

    def _connect_to_address(self, host_port, timeout, source_address=None):
        return socket.create_connection((self._address, host_port[1]), timeout, source_address)
