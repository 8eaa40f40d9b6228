"""A hard time budget for the database work of one search, so one search cannot pin a worker.

SQLite gets a progress handler that interrupts the running statement once the deadline has
passed; PostgreSQL gets ``statement_timeout`` before each statement, set to what is left of the
budget, inside one transaction. PostgreSQL also runs the search's statements without parallel
workers (``max_parallel_workers_per_gather = 0``, in the same statement): on a small server a
search's index scans start workers that cost more than they save (at 100,000 stories, a Bengali
word 130 → 29 ms, a quoted phrase 140 → 31 ms), and take cores from the readers' requests. Either way the search ends with ``SearchBusy`` at the
deadline, and the view answers "search is busy" instead of waiting or failing.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

# How often (in SQLite virtual-machine instructions) the progress handler looks at the clock:
# about every millisecond on a slow machine, at no measurable cost.
SQLITE_CHECK_EVERY = 10_000
# PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout.
QUERY_CANCELED = "57014"


class SearchBusy(Exception):
    """The search used up its time budget and was stopped."""


def _timed_out(error: OperationalError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == QUERY_CANCELED or str(cause or error) == "interrupted"


@contextmanager
def time_budget(seconds: float, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block's queries on the database ``using`` within ``seconds`` of wall-clock time.

    Raise SearchBusy when a statement is stopped at the deadline, or when the deadline has passed
    before the next statement starts (a short statement may finish a little past it). Other database errors pass through. On PostgreSQL the block
    runs in a transaction (a savepoint inside one), which a stopped statement rolls back; backends
    other than SQLite and PostgreSQL run the block without a budget.
    """
    connection = connections[using]
    deadline = time.monotonic() + seconds
    postgresql = connection.vendor == "postgresql"

    def cap(execute, sql, params, many, context):
        left = deadline - time.monotonic()
        if left <= 0:
            raise SearchBusy
        if postgresql:
            # The raw cursor: the wrapped one would run this through cap() again.
            context["cursor"].cursor.execute(
                "SELECT set_config('statement_timeout', %s, true), "
                "set_config('max_parallel_workers_per_gather', '0', true)",
                [str(max(1, int(left * 1000)))],
            )
        return execute(sql, params, many, context)

    try:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            raw = connection.connection
            raw.set_progress_handler(lambda: time.monotonic() > deadline, SQLITE_CHECK_EVERY)
            try:
                with connection.execute_wrapper(cap):
                    yield
            finally:
                raw.set_progress_handler(None, SQLITE_CHECK_EVERY)
        elif postgresql:
            with transaction.atomic(using=using), connection.execute_wrapper(cap):
                yield
        else:
            yield
    except OperationalError as error:
        if _timed_out(error):
            raise SearchBusy from error
        raise
