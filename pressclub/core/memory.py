"""Freed memory handed back to the system every ``PRESSCLUB_MALLOC_TRIM_REQUESTS`` requests.

A server worker's requests allocate and free far more than they keep: a cold article page with its
comments, a search, a section page build lists, strings and rows of several MB that are freed when
the response is sent. glibc's malloc keeps freed memory for reuse, and gives the system back only
what lies at the top of a heap; what lies between blocks still in use stays in the process's
resident set. On a day's mix of requests (``bench/serve_memory.py``, 10,000 stories) a worker's
malloc heaps held about 45 MB free against 33 MB in use after 2,000 requests, with or without
``MALLOC_ARENA_MAX=2`` or a fixed ``MALLOC_MMAP_THRESHOLD_``.

``malloc_trim(0)`` returns the free pages inside the heaps too (``madvise(MADV_DONTNEED)``), keeping
every block in use where it is. It runs in the thread that finished the request (after the response
was sent), takes a few milliseconds, and is skipped where the C library has no ``malloc_trim``
(musl, macOS).
"""

import ctypes
import functools
import itertools

from django.conf import settings

_finished = itertools.count(1)


@functools.cache
def _malloc_trim():
    """Return glibc's ``malloc_trim`` (a ctypes function of one ``size_t``, returning ``int``), or None.

    It is looked up in the C library the process already loaded (``dlopen(NULL)``), not by name:
    ``ctypes.util.find_library`` would run ``ldconfig -p`` in a subprocess inside a request.
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def memory_release() -> bool:
    """Hand the free pages of this process's malloc heaps back to the system (``malloc_trim(0)``).

    Return True when some memory was returned, False when none was or the C library has no
    ``malloc_trim``.
    """
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False


def request_finished_receiver(sender, **kwargs):
    """Call :func:`memory_release` once every ``PRESSCLUB_MALLOC_TRIM_REQUESTS`` finished requests of
    this process (0 never)."""
    every = settings.PRESSCLUB_MALLOC_TRIM_REQUESTS
    # itertools.count is advanced atomically under the GIL: each request gets its own number.
    if every and next(_finished) % every == 0:
        memory_release()
