"""core.http.client_ip: X-Forwarded-For is believed only through PRESSCLUB_TRUSTED_PROXIES."""

import pytest
from django.test import RequestFactory

from pressclub.core.http import client_ip
from pressclub.members.adapter import AccountAdapter


def _request(remote: str, xff: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if xff is not None:
        headers["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.PRESSCLUB_TRUSTED_PROXIES = []
    assert client_ip(_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_a_request_from_an_untrusted_address_keeps_its_own(settings):
    settings.PRESSCLUB_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("proxies", "xff", "expected"),
    [
        (["10.0.0.1"], "203.0.113.9", "203.0.113.9"),
        # A forged hop written by the client sits left of the real one and is ignored.
        (["10.0.0.1"], "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        # Two proxies of ours (a CDN edge in a network, then nginx): the client is left of both.
        (["10.0.0.1", "192.0.2.0/24"], "1.2.3.4, 203.0.113.9, 192.0.2.44", "203.0.113.9"),
        (["10.0.0.0/8"], "2001:db8::5", "2001:db8::5"),
        (["10.0.0.1"], "[2001:db8::5]:4711", "2001:db8::5"),
        (["10.0.0.1"], "203.0.113.9:4711", "203.0.113.9"),
        # A malformed hop stops the walk at the last trusted proxy.
        (["10.0.0.1"], "203.0.113.9, not-an-address", "10.0.0.1"),
        # Every hop trusted: the leftmost is the best we know.
        (["10.0.0.0/8"], "10.1.1.1, 10.2.2.2", "10.1.1.1"),
        (["10.0.0.1"], "", "10.0.0.1"),
    ],
)
def test_trusted_proxies_are_walked_from_the_right(settings, proxies, xff, expected):
    settings.PRESSCLUB_TRUSTED_PROXIES = proxies
    assert client_ip(_request("10.0.0.1", xff)) == expected


def test_an_ipv4_client_on_an_ipv6_socket_is_the_ipv4_address(settings):
    settings.PRESSCLUB_TRUSTED_PROXIES = []
    assert client_ip(_request("::ffff:198.51.100.7")) == "198.51.100.7"


def test_no_usable_remote_address_gives_an_empty_string(settings):
    assert client_ip(_request("")) == ""
    assert client_ip(_request("unix:/run/pressclub.sock")) == ""


def test_allauth_counts_by_the_same_address(settings):
    """allauth's login limits see the client behind the proxy, not the proxy itself."""
    settings.PRESSCLUB_TRUSTED_PROXIES = ["127.0.0.1"]
    request = _request("127.0.0.1", "203.0.113.9")
    assert AccountAdapter(request).get_client_ip(request) == "203.0.113.9"
