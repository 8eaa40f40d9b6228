"""Comment flood limits, counted from the comments themselves over sliding windows.

A person is limited by their account (or, posting without one, their e-mail address) to the
policy's ``rate_per_minute`` and ``rate_per_hour``. Their network address (its keyed hash) is
limited too, but only as a wide net: ``PRESSCLUB_COMMENT_ADDRESS_SHARE`` times the per-person
limits, so the members behind one café, campus or carrier address never stop each other.

Only stored comments count, never refused attempts, so a member who retried after an error is not
punished for it; and the windows slide (the last 60 seconds, the last 3,600 seconds), so the
answer says exactly when the next comment will be accepted.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from pressclub.core.ratelimit import wait_phrase  # noqa: F401  (the comments' messages use it)

WINDOWS = (("minute", dt.timedelta(minutes=1)), ("hour", dt.timedelta(hours=1)))


@dataclass(frozen=True)
class RateLimitHit:
    """A limit reached: who (``subject`` "account" or "address"), which ``window`` ("minute" or
    "hour"), how many comments were counted in it (``count``), the ``limit``, and ``retry_after``,
    the whole seconds until one of them leaves the window (at least 1)."""

    subject: str
    window: str
    count: int
    limit: int
    retry_after: int


def address_share() -> int:
    """Return how many people one network address may stand for (``PRESSCLUB_COMMENT_ADDRESS_SHARE``)."""
    return max(1, int(settings.PRESSCLUB_COMMENT_ADDRESS_SHARE))


def _first_hit(where: Q, *, subject: str, counts: dict, per_minute: int, per_hour: int,
               now: dt.datetime) -> RateLimitHit | None:
    # ``counts`` holds the subject's comments in each window; one query more, only when refused,
    # finds when room frees up.
    from .models import Comment

    limits = {"minute": per_minute, "hour": per_hour}
    for name, length in WINDOWS:
        count, limit = counts[name], limits[name]
        if count < limit:
            continue
        # The window admits a comment again once all but limit - 1 of the counted ones have left it.
        stamps = Comment.objects.filter(where, created_at__gt=now - length, created_at__lte=now).order_by("created_at")
        leaving = stamps.values_list("created_at", flat=True)[count - limit]
        wait = (leaving + length - now).total_seconds()
        return RateLimitHit(subject, name, count, limit, max(1, math.ceil(wait)))
    return None


@dataclass(frozen=True)
class Windows:
    """The sliding windows ending at ``now`` (aware datetimes): the last minute starts after
    ``minute_start``, the last hour after ``hour_start``."""

    now: dt.datetime
    minute_start: dt.datetime
    hour_start: dt.datetime

    @classmethod
    def ending(cls, now: dt.datetime) -> Windows:
        """Return the windows that end at ``now``."""
        return cls(now, now - WINDOWS[0][1], now - WINDOWS[1][1])


def _subjects(person: Q | None, hashed_ip: str, per_minute: int, per_hour: int) -> list:
    subjects = []
    if person is not None:
        subjects.append(("account", person, per_minute, per_hour))
    if hashed_ip:
        share = address_share()
        subjects.append(("address", Q(ip_hash=hashed_ip), per_minute * share, per_hour * share))
    return subjects


def rate_limit_counts(*, person: Q | None, hashed_ip: str, windows: Windows) -> tuple[Q | None, dict]:
    """Return ``(where, counts)`` for one query over Comment that counts what :func:`rate_limit_hit`
    weighs: ``where`` selects the person's and the address's comments of the last hour (None when
    there is neither), ``counts`` maps ``account_minute``, ``account_hour``, ``address_minute``,
    ``address_hour`` (those of the subjects there are) to their ``Count`` expressions.

    For a caller that counts them in a query of its own (``comment_submit`` asks it with its other
    questions); ``person`` and ``hashed_ip`` as for :func:`rate_limit_hit`.
    """
    hour = Q(created_at__gt=windows.hour_start, created_at__lte=windows.now)
    minute = Q(created_at__gt=windows.minute_start)
    # Each subject's filter carries the hour's range, so each uses its own (subject, created_at) index;
    # each count does too, as the query may select other comments besides.
    where, counts = None, {}
    for subject, condition, _m, _h in _subjects(person, hashed_ip, 0, 0):
        where = condition & hour if where is None else where | (condition & hour)
        counts[f"{subject}_hour"] = Count("pk", filter=condition & hour)
        counts[f"{subject}_minute"] = Count("pk", filter=condition & hour & minute)
    return where, counts


def rate_limit_hit(
    *, person: Q | None, hashed_ip: str, per_minute: int, per_hour: int, now: dt.datetime, counts: dict | None = None
) -> RateLimitHit | None:
    """Return the first limit that a new comment at ``now`` would pass, or None when it may be stored.

    ``person`` is a filter (``Q``) over Comment selecting the sender's own comments (by account,
    or by e-mail address without one), or None; ``hashed_ip`` the keyed hash of their address
    ("" when unknown). The person's limit is asked first, so the message names the limit that
    concerns them. One query counts both subjects in both windows, unless ``counts`` brings those
    numbers (by the names of :func:`rate_limit_counts`, counted up to ``now``); one more when refused.
    """
    from .models import Comment

    subjects = _subjects(person, hashed_ip, per_minute, per_hour)
    if not subjects:
        return None
    if counts is None:
        where, expressions = rate_limit_counts(person=person, hashed_ip=hashed_ip, windows=Windows.ending(now))
        counts = Comment.objects.filter(where).aggregate(**expressions)
    for subject, where, limit_minute, limit_hour in subjects:
        hit = _first_hit(where, subject=subject, now=now,
                         counts={"minute": counts[f"{subject}_minute"], "hour": counts[f"{subject}_hour"]},
                         per_minute=limit_minute, per_hour=limit_hour)
        if hit is not None:
            return hit
    return None
