"""The client's address, as far as the site can trust it."""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """Return ``proxies`` (addresses or CIDR networks) as networks; raise ValueError on a bad entry."""
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Return ``value`` as an address (``[v6]`` and ``v4:port`` forms accepted), or None."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has several colons
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is the same client.
    return getattr(address, "ipv4_mapped", None) or address


def client_ip(request: HttpRequest) -> str:
    """Return the address of the client that sent ``request``, as a normalised string.

    ``X-Forwarded-For`` is read only when the connection comes from one of
    ``settings.PRESSCLUB_TRUSTED_PROXIES`` (addresses or CIDR networks): its entries are walked
    from the right, past every trusted proxy, and the first address that is not one is the client.
    Anyone can write the header, so the hops left of the first untrusted address are ignored. With
    no trusted proxies configured (the default) the header is ignored and ``REMOTE_ADDR`` is the
    client. Return ``""`` when ``REMOTE_ADDR`` is missing or not an address (a test client, a
    misconfigured server); a malformed hop in the header stops the walk at the last trusted proxy.
    """
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return ""
    trusted = _networks(tuple(settings.PRESSCLUB_TRUSTED_PROXIES))
    client = remote
    if trusted and any(client in net for net in trusted):
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed(hops):
            if not any(client in net for net in trusted):
                break
            address = _address(hop)
            if address is None:
                break
            client = address
    return str(client)
