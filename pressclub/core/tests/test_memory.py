"""Freed memory handed back every PRESSCLUB_MALLOC_TRIM_REQUESTS requests (core.memory)."""

import itertools

import pytest

from pressclub.core import memory


@pytest.fixture
def trims(monkeypatch):
    """Record the calls of malloc_trim instead of making them; count requests from 1 again."""
    calls = []

    def trim(pad):
        calls.append(pad)
        return 1

    monkeypatch.setattr(memory, "_malloc_trim", lambda: trim)
    monkeypatch.setattr(memory, "_finished", itertools.count(1))
    return calls


def test_every_nth_finished_request_releases_memory(db, client, settings, trims):
    settings.PRESSCLUB_MALLOC_TRIM_REQUESTS = 3
    for _ in range(7):
        assert client.get("/healthz").status_code == 200
    assert trims == [0, 0]


def test_no_release_when_turned_off(db, client, settings, trims):
    settings.PRESSCLUB_MALLOC_TRIM_REQUESTS = 0
    for _ in range(4):
        client.get("/healthz")
    assert trims == []


def test_release_is_false_without_malloc_trim(monkeypatch):
    monkeypatch.setattr(memory, "_malloc_trim", lambda: None)
    assert memory.memory_release() is False


def test_glibc_malloc_trim_is_found_and_called(monkeypatch):
    # The machines pressclub runs on use glibc: malloc_trim is found in the C library already loaded.
    import ctypes

    trim = memory._malloc_trim()
    assert (trim.__name__, trim.argtypes, trim.restype) == ("malloc_trim", [ctypes.c_size_t], ctypes.c_int)
    calls = []

    def spy(pad):
        calls.append((pad, trim(pad)))
        return calls[-1][1]

    monkeypatch.setattr(memory, "_malloc_trim", lambda: spy)
    released = memory.memory_release()
    assert calls == [(0, int(released))]


def test_no_malloc_trim_in_the_c_library_means_none(monkeypatch):
    class Musl:
        def __init__(self, name):
            assert name is None  # the library already loaded, never a search by name

    memory._malloc_trim.cache_clear()
    monkeypatch.setattr(memory.ctypes, "CDLL", Musl)
    try:
        assert memory._malloc_trim() is None
        assert memory.memory_release() is False
    finally:
        memory._malloc_trim.cache_clear()
