"""Comment flood limits kept in Django's cache (locmem in development, Redis in production)."""

from __future__ import annotations

import time

from django.core.cache import cache

WINDOWS = (("minute", 60), ("hour", 3600))


def _bump(key: str, timeout: int) -> int:
    # add() is atomic on Redis and locmem: the first request of a window creates the counter.
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout)
        return 1


def rate_limit_hit(*, subjects: list[str], per_minute: int, per_hour: int, now: float | None = None) -> str:
    """Count one comment for every subject and return the window exceeded ("minute"/"hour"), else "".

    ``subjects`` are opaque identities (e.g. ``"user:12"``, ``"ip:<hash>"``); each is limited
    separately to ``per_minute`` comments in a fixed minute and ``per_hour`` in a fixed hour.
    Every call counts, refused ones too, so hammering the form does not help.
    """
    now = time.time() if now is None else now
    limits = {"minute": per_minute, "hour": per_hour}
    exceeded = ""
    for subject in subjects:
        for name, seconds in WINDOWS:
            bucket = int(now // seconds)
            count = _bump(f"pressclub:comment-rate:{subject}:{name}:{bucket}", seconds + 5)
            if count > limits[name] and not exceeded:
                exceeded = name
    return exceeded
