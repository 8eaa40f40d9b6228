"""Per-address limits over sliding windows in Django's cache (search uses them)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from pressclub.core.ratelimit import Rate, address_key, consume, parse_rates


@pytest.fixture
def empty_limits():
    cache.clear()
    yield
    cache.clear()


def request(address="192.0.2.7"):
    return RequestFactory().get("/search/", REMOTE_ADDR=address)


def test_rates_read_like_allauths():
    assert parse_rates("20/m/ip, 300/h/ip,5/10m,1/d") == [Rate(20, 60), Rate(300, 3600), Rate(5, 600), Rate(1, 86400)]
    assert parse_rates("") == []
    with pytest.raises(ValueError, match=r"^Not a rate: '20/fortnight' \(write it as 20/m/ip"):
        parse_rates("20/m/ip,20/fortnight")


def test_the_window_slides_and_the_wait_is_true(empty_limits):
    rates = "3/m/ip,5/h/ip"
    assert [consume(request(), scope="search", rates=rates, now=1000 + t) for t in (0, 10, 20)] == [0, 0, 0]
    # The fourth within the minute waits until the first leaves the window (t = 60).
    assert consume(request(), scope="search", rates=rates, now=1030) == 30
    # Refusals are not counted: at t = 61 one slot is free again.
    assert consume(request(), scope="search", rates=rates, now=1061) == 0
    assert consume(request(), scope="search", rates=rates, now=1062) == 8
    assert consume(request(), scope="search", rates=rates, now=1075) == 0
    # Five in the hour: the next waits for the first of them to be an hour old.
    assert consume(request(), scope="search", rates=rates, now=1200) == 3600 - 200
    # Another address and another scope are counted apart.
    assert consume(request("192.0.2.8"), scope="search", rates=rates, now=1200) == 0
    assert consume(request(), scope="signup", rates=rates, now=1200) == 0


def test_ipv6_clients_are_counted_per_64(empty_limits):
    assert address_key(request("2001:db8:1:2::7")) == "2001:db8:1:2::/64"
    assert address_key(request("192.0.2.7")) == "192.0.2.7"
    assert consume(request("2001:db8:1:2::7"), scope="search", rates="1/m", now=0) == 0
    assert consume(request("2001:db8:1:2:ffff::1"), scope="search", rates="1/m", now=1) == 59
    assert consume(request("2001:db8:1:3::7"), scope="search", rates="1/m", now=1) == 0
