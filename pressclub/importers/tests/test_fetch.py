"""fetch_page: only public addresses, connecting to the checked address, redirects re-checked.

Name resolution is replaced by a table; the only real connections go to a server on 127.0.0.1.
"""

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from pressclub.importers import fetch

REFUSAL = "pressclub fetches only public web addresses; {} resolves to a private or local address."
PUBLIC = "93.184.215.14"
DNS = {
    "localhost": ["127.0.0.1", "::1"],
    "news.example.com": [PUBLIC],
    "mirror.example.com": ["93.184.215.15"],
    "intranet.example.com": ["10.0.0.7"],
    "split.example.com": [PUBLIC, "192.168.1.20"],
    "mapped.example.com": ["::ffff:127.0.0.1"],
}


def fake_getaddrinfo(host, port, *args, **kwargs):
    """Answer from DNS; IP literals resolve to themselves, as the real resolver does."""
    addresses = DNS.get(host, [host])
    return [
        (socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
        for address in addresses
    ]


@pytest.fixture
def network(monkeypatch):
    """Fake DNS; record every connection and send it to ``network.server`` on 127.0.0.1 if one is set."""

    class Network:
        connections: list[tuple[str, int]] = []
        server: tuple[str, int] | None = None

    real_connect = socket.create_connection

    def connect(address, timeout=None, source_address=None):
        Network.connections.append(address)
        if Network.server is None:
            raise AssertionError(f"unexpected connection to {address}")
        return real_connect(Network.server, timeout)

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", connect)
    Network.connections = []
    return Network


def serve(routes: dict[str, tuple[int, dict, bytes]]):
    """Start a loopback HTTP server answering ``path -> (status, headers, body)``; return (server, seen)."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.headers["Host"], self.path, self.headers["User-Agent"]))
            status, headers, body = routes[self.path]
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://127.0.0.1:8000/admin/", "127.0.0.1"),
        ("http://localhost/admin/", "localhost"),
        ("http://10.20.30.40/", "10.20.30.40"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::1]:8000/", "::1"),
        ("http://[fe80::1]/", "fe80::1"),
        ("http://0.0.0.0/", "0.0.0.0"),
        ("http://224.0.0.1/", "224.0.0.1"),
        ("http://240.0.0.1/", "240.0.0.1"),
        ("https://intranet.example.com/", "intranet.example.com"),
        ("https://split.example.com/", "split.example.com"),
        ("https://mapped.example.com/", "mapped.example.com"),
    ],
)
def test_private_and_local_addresses_are_refused_without_a_request(network, url, host):
    with pytest.raises(fetch.ArticleFetchError) as caught:
        fetch.fetch_page(url)
    assert str(caught.value) == REFUSAL.format(host)
    assert network.connections == []


def test_a_redirect_to_a_private_host_is_refused(network):
    server, seen = serve({"/story": (302, {"Location": "http://intranet.example.com/secrets"}, b"")})
    network.server = server.server_address
    try:
        with pytest.raises(fetch.ArticleFetchError) as caught:
            fetch.fetch_page("http://news.example.com/story")
    finally:
        server.shutdown()
    assert str(caught.value) == REFUSAL.format("intranet.example.com")
    assert network.connections == [(PUBLIC, 80)]
    assert seen == [("news.example.com", "/story", fetch.USER_AGENT)]


def test_redirects_between_public_hosts_are_followed_to_the_checked_addresses(network):
    server, seen = serve(
        {
            "/story?id=7": (301, {"Location": "http://mirror.example.com/2026/story"}, b""),
            "/2026/story": (200, {"Content-Type": "text/html"}, b"<h1>Floods</h1>"),
        }
    )
    network.server = server.server_address
    try:
        assert fetch.fetch_page("http://news.example.com/story?id=7", timeout=4) == b"<h1>Floods</h1>"
    finally:
        server.shutdown()
    assert network.connections == [(PUBLIC, 80), ("93.184.215.15", 80)]
    assert [(host, path) for host, path, _agent in seen] == [
        ("news.example.com", "/story?id=7"),
        ("mirror.example.com", "/2026/story"),
    ]


def test_more_than_five_redirects_are_refused(network):
    server, seen = serve({"/loop": (302, {"Location": "/loop"}, b"")})
    network.server = server.server_address
    try:
        with pytest.raises(fetch.ArticleFetchError) as caught:
            fetch.fetch_page("http://news.example.com/loop")
    finally:
        server.shutdown()
    assert str(caught.value) == "Could not fetch http://news.example.com/loop: more than 5 redirects."
    assert len(seen) == 6


def test_http_errors_name_the_status(network):
    server, _seen = serve({"/gone": (404, {}, b"")})
    network.server = server.server_address
    try:
        with pytest.raises(fetch.ArticleFetchError) as caught:
            fetch.fetch_page("http://news.example.com/gone")
    finally:
        server.shutdown()
    assert str(caught.value) == "Could not fetch http://news.example.com/gone: the server answered 404 Not Found."


def test_the_setting_allows_private_addresses(network, settings):
    settings.PRESSCLUB_IMPORT_ALLOW_PRIVATE_URLS = True
    server, seen = serve({"/local": (200, {}, b"intranet page")})
    network.server = server.server_address
    try:
        assert fetch.fetch_page(f"http://127.0.0.1:{server.server_address[1]}/local") == b"intranet page"
    finally:
        server.shutdown()
    assert network.connections == [("127.0.0.1", server.server_address[1])]
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::1111", True),
        ("100.64.0.1", False),
        ("172.16.0.1", False),
        ("::ffff:192.168.0.1", False),
        ("fc00::1", False),
        ("ff0e::1", False),
        ("::", False),
        ("fe80::1%eth0", False),
        ("not-an-ip", False),
    ],
)
def test_is_public_address(address, public):
    assert fetch.is_public_address(address) is public
