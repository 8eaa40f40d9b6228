"""The Redis that tests of processes under the production settings use (the task queue, the cache).

CI starts one (``.ci/run``); :data:`REDIS_URL` names it, from ``PRESSCLUB_TEST_REDIS_URL``.
"""

import os

#: ``PRESSCLUB_TEST_REDIS_URL``, by default database 1 of the Redis on 127.0.0.1:6379.
REDIS_URL = os.environ.get("PRESSCLUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


def redis_or_skip():
    """Return a ``redis.Redis`` client of :data:`REDIS_URL` once it has answered a PING (1 s to connect).

    When it does not answer, skip the calling test, or, under CI (``CI=true``), fail it. Call it
    from a test or a fixture.
    """
    import pytest
    import redis

    try:
        connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        connection.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    return connection
