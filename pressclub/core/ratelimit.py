"""Limits on anonymous requests per client address, counted in Django's cache over sliding windows.

Rates are written as allauth writes its ``ACCOUNT_RATE_LIMITS`` (so the site's settings read
alike): ``"20/m/ip,300/h/ip"`` is at most 20 in the last minute and 300 in the last hour, per
address. The periods are ``s``, ``m``, ``h`` and ``d``, optionally with a count (``"5/10m/ip"``).
What is counted is the caller's choice: :func:`consume` counts per client address (IPv6 clients
per /64, the block one household or phone is given, as allauth does for sign-ins), and
:func:`consume_key` per any key the caller builds; a trailing ``/ip`` or ``/key`` is only read.

Each key holds the times of the requests that were let through in its longest window (a list in
the cache); refused requests are not counted. Two requests at the same instant may both see the
last free slot: a limit here is a net against floods, not an exact quota.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import re
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import ngettext

from .http import client_ip
from .numerals import local_digits

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*(?:/\s*(?:ip|key)\s*)?$")


@dataclass(frozen=True)
class Rate:
    """At most ``amount`` requests in any ``seconds`` long window."""

    amount: int
    seconds: int


def parse_rates(rates: str) -> list[Rate]:
    """Return the rates of ``"20/m/ip,300/h/ip"`` (empty for ``""``).

    Raise ValueError naming the part that is not ``<count>/<period>[/ip]``.
    """
    parsed = []
    for part in (rates or "").split(","):
        if not part.strip():
            continue
        match = _RATE_RE.match(part)
        if match is None:
            raise ValueError(f"Not a rate: {part.strip()!r} (write it as 20/m/ip, 300/h/ip or 5/10m/ip).")
        amount, count, unit = match.groups()
        parsed.append(Rate(int(amount), int(count or 1) * _UNITS[unit]))
    return parsed


def address_key(request: HttpRequest) -> str:
    """Return the client's address as counted: itself for IPv4, its /64 network for IPv6."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def consume(request: HttpRequest, *, scope: str, rates: str, now: float | None = None) -> int:
    """Count one request of the client's address in ``scope`` ("search"); see :func:`consume_key`."""
    return consume_key(address_key(request), scope=scope, rates=rates, now=now)


def consume_key(key: str, *, scope: str, rates: str, now: float | None = None) -> int:
    """Count one request under ``key`` in ``scope`` if every rate of ``rates`` lets it through, and
    return 0; else count nothing and return the whole seconds until it would pass (at least 1).

    ``key`` is any text (an address, an e-mail address, both joined); it is stored hashed. ``now``
    (seconds since the epoch) is for tests. Raise ValueError for a malformed ``rates``.
    """
    limits = parse_rates(rates)
    if not limits:
        return 0
    now = time.time() if now is None else now
    longest = max(rate.seconds for rate in limits)
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    cache_key = f"pressclub:ratelimit:{scope}:{digest}"
    history = [stamp for stamp in cache.get(cache_key, []) if stamp > now - longest]
    wait = 0.0
    for rate in limits:
        inside = [stamp for stamp in history if stamp > now - rate.seconds]
        if len(inside) >= rate.amount:
            # Room comes back once all but amount - 1 of the counted requests have left the window.
            leaving = sorted(inside)[len(inside) - rate.amount]
            wait = max(wait, leaving + rate.seconds - now)
    if wait > 0:
        return max(1, math.ceil(wait))
    history.append(now)
    cache.set(cache_key, history, timeout=longest)
    return 0


def wait_phrase(seconds: int) -> str:
    """Return ``seconds`` as a reader reads it: "1 second", "45 seconds", "1 minute", "12 minutes"."""
    if seconds < 60:
        return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": local_digits(seconds)}
    minutes = -(-seconds // 60)  # rounded up: never tell someone to come back too early
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": local_digits(minutes)}
