"""django-redis's cache with one change for a Redis outage: ``add`` succeeds when Redis is unreachable."""

from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted


class RedisCache(DjangoRedisCache):
    """django-redis's ``RedisCache`` (with ``IGNORE_EXCEPTIONS``) whose ``add`` returns True while Redis is down.

    django-redis answers every ignored failure with None, which for ``add`` means "the key exists".
    allauth's rate limits take a lock with ``add`` and refuse the request (429) after waiting a
    second for it, so every sign-in, sign-up and search would be refused while Redis is down. With
    ``add`` answering True, those limits are simply not counted during an outage (nothing is stored
    anyway), and the page cache and comment-thread versions carry on as on a miss. Every other
    method is django-redis's: a read is a miss returning the default, a write is dropped. Errors are
    still raised without ``IGNORE_EXCEPTIONS``.
    """

    def add(self, *args, **kwargs):
        try:
            return self.client.add(*args, **kwargs)
        except ConnectionInterrupted as exc:
            if not self._ignore_exceptions:
                raise exc.__cause__  # as django-redis does
            if self._log_ignored_exceptions:
                self.logger.exception("Exception ignored")
            return True
