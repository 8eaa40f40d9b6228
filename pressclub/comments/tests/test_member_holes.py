"""The comment form's holes in a member's shared page: the signed "started" time, made once per second."""

import datetime as dt

from django.core import signing

from pressclub.comments import member_holes
from pressclub.comments.tokens import STARTED_SALT, started_read


def test_the_started_time_is_signed_once_per_second(settings, monkeypatch):
    clock = [1_796_000_000.25]
    monkeypatch.setattr(member_holes.time, "time", lambda: clock[0])
    member_holes._started_html.cache_clear()
    signed = []
    monkeypatch.setattr(member_holes, "started_token", lambda shown: signed.append(shown) or f"t{len(signed)}")

    first = member_holes.fill_started(None, None, {})
    clock[0] = 1_796_000_000.95
    same = member_holes.fill_started(None, None, {})
    clock[0] = 1_796_000_001.0
    later = member_holes.fill_started(None, None, {})
    settings.SECRET_KEY = "another-secret-" + "y" * 50
    other_secret = member_holes.fill_started(None, None, {})

    assert (first, same, later, other_secret) == ("t1", "t1", "t2", "t3")
    assert signed == [
        dt.datetime(2026, 11, 30, 0, 53, 20, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 30, 0, 53, 21, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 30, 0, 53, 21, tzinfo=dt.UTC),
    ]


def test_the_started_time_reads_back_as_the_second_shown(monkeypatch):
    member_holes._started_html.cache_clear()
    monkeypatch.setattr(member_holes.time, "time", lambda: 1_796_000_000.5)
    token = member_holes.fill_started(None, None, {})
    assert signing.loads(token, salt=STARTED_SALT) == 1_796_000_000
    assert started_read(token) == dt.datetime(2026, 11, 30, 0, 53, 20, tzinfo=dt.UTC)
