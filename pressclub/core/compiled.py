"""Queries built and compiled to SQL once per process, then run with each call's values.

Building a queryset through the ORM and compiling it to SQL costs 0.5–2 ms of CPU for the
queries a comment POST asks (filters over a page tree, counts with conditions), several times what
the database takes to answer them. A :class:`CompiledQuery` builds its queryset once per database
and *shape* (what changes the SQL itself, such as the list of restricted page paths), with
stand-in values (*sentinels*) where each call's values go; later calls put their values in the
parameters and run the SQL. The rows pass the ORM's converters as usual, and model instances are
made as the ORM makes them, so callers get what the queryset itself would have returned.

A query is only kept when it is known to follow its values: it is built twice, with two sets of
sentinels, and the SQL must be the same and the parameters must differ exactly where the sentinels
went. Otherwise (and when the queryset cannot be compiled, an empty ``__in`` for instance) the
queryset is built and run through the ORM at each call, as without this module.

``pressclub.members.permissions`` compiles the standing query the same way, by hand.
"""

from __future__ import annotations

import datetime as dt
import operator
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, router
from django.db.models.query import FlatValuesListIterable, ModelIterable, ValuesIterable, ValuesListIterable

# Shapes kept per query at most (each is a few kilobytes of SQL); past it, the query starts afresh.
MAX_SHAPES = 32


@dataclass(frozen=True)
class Slot:
    """Where a call's value goes: ``sentinels`` are two stand-in values no real call passes, and
    ``adapt(value, connection)`` returns the query parameter the ORM makes of a value (None: the
    value itself)."""

    sentinels: tuple
    adapt: Callable | None = None

    def param(self, value, connection):
        """Return the query parameter for ``value`` on ``connection``."""
        return value if self.adapt is None else self.adapt(value, connection)


def exact(first, second) -> Slot:
    """Return a slot for a value the ORM passes as it is (an id; a string compared with ``=``),
    with the stand-ins ``first`` and ``second``.

    The stand-ins must be values the field can hold: Django leaves out a condition that no value
    of the field could fail (``depth >= -1`` on a positive field), and the query is then run
    through the ORM each time.
    """
    return Slot((first, second))


def primary_key(number: int = 0) -> Slot:
    """Return a slot for a primary or foreign key (``pk=``, ``page_id=``, ``tag_id__in=``); each
    ``number`` (0, 1 …) gets its own stand-ins, for a query with several keys. The stand-ins are
    negative: no row has them."""
    return exact(-7_654_321 - 2 * number, -7_654_322 - 2 * number)


def _iexact_param(value, connection):
    return connection.ops.prep_for_iexact_query(value)


def iexact(first: str, second: str) -> Slot:
    """Return a slot for a string compared without regard to case (``author_email__iexact``)."""
    return Slot((first, second), _iexact_param)


def _datetime_param(value, connection):
    return connection.ops.adapt_datetimefield_value(value)


def datetime_value(number: int = 0) -> Slot:
    """Return a slot for an aware datetime compared with a ``DateTimeField`` (``created_at__gte``);
    each ``number`` (0–50) gets its own stand-ins, for a query with several such values."""
    return Slot((dt.datetime(1901 + 2 * number, 2, 3, 4, 5, 6, 789012, tzinfo=dt.UTC),
                 dt.datetime(1902 + 2 * number, 3, 4, 5, 6, 7, 890123, tzinfo=dt.UTC)), _datetime_param)


def _prefix_param(value, connection):
    return f"{connection.ops.prep_for_like_query(value)}%"


def prefix(first: str, second: str) -> Slot:
    """Return a slot for a string a field must start with (``path__startswith``), with the stand-ins
    ``first`` and ``second``."""
    return Slot((first, second), _prefix_param)


@dataclass(frozen=True)
class _Compiled:
    compiler: object  # the first sentinel query's compiler: its select list and converters
    sql: str
    params: tuple
    positions: dict  # slot name → indexes of its parameter in params
    kind: str  # "rows" (values_list), "flat" (values_list(flat=True)), "dicts" (values) or "model"
    reorder: Callable | None = None  # values_list's columns in the order asked, when the SELECT has another
    names: tuple = ()  # values()' keys, in the SELECT's order


_UNCOMPILABLE = object()


def _kind(queryset) -> str | None:
    iterable = queryset._iterable_class
    if iterable is ValuesListIterable:
        return "rows"
    if iterable is FlatValuesListIterable:
        return "flat"
    if iterable is ValuesIterable:
        return "dicts"
    if iterable is ModelIterable and not queryset._prefetch_related_lookups and not queryset._known_related_objects:
        return "model"
    return None


def _reorder(queryset):
    # As ValuesListIterable: the SELECT puts extra columns, then fields, then annotations.
    query = queryset.query
    if not queryset._fields:
        return None
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    fields = [*queryset._fields, *(f for f in query.annotation_select if f not in queryset._fields)]
    if fields == names:
        return None
    index = {name: i for i, name in enumerate(names)}
    getter = operator.itemgetter(*[index[f] for f in fields])
    return getter if len(fields) > 1 else (lambda row: (getter(row),))


class CompiledQuery:
    """A queryset built by ``build(shape, **values)``, compiled once per database and shape, run with new values.

    ``slots`` names each value of ``build`` and says how it becomes a parameter (:func:`exact`,
    :func:`primary_key`, :func:`iexact`, :func:`datetime_value`, :func:`prefix`). ``shape`` (hashable; ``()`` by default)
    is everything else that changes the SQL, such as a list of restricted paths: ``build`` must
    take it from there, never read it itself, so that the SQL kept for a shape is the SQL of that
    shape. ``build`` returns a ``values_list`` or ``values`` queryset (run with :meth:`rows`) or a queryset of
    model instances (run with :meth:`instance`), sliced and ordered as wanted. ``model`` is the
    queryset's model or its ``"app_label.ModelName"`` (for the database router).
    """

    def __init__(self, build: Callable, *, model, slots: dict[str, Slot]):
        self.build = build
        self.model = model
        self.slots = slots
        self._compiled: dict = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str, shape):
        built = [self.build(shape, **{name: slot.sentinels[i] for name, slot in self.slots.items()}) for i in (0, 1)]
        kind = _kind(built[0])
        if kind is None:
            return _UNCOMPILABLE
        compilers = [queryset.query.get_compiler(alias) for queryset in built]
        try:
            (sql, params), (other_sql, other_params) = (compiler.as_sql() for compiler in compilers)
        except (EmptyResultSet, FullResultSet):
            return _UNCOMPILABLE
        connection = connections[alias]
        params, other_params = tuple(params), tuple(other_params)
        if sql != other_sql or len(params) != len(other_params):
            return _UNCOMPILABLE
        positions, placed = {}, set()
        for name, slot in self.slots.items():
            first, second = (slot.param(sentinel, connection) for sentinel in slot.sentinels)
            found = [i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a == first and b == second]
            if not found or placed.intersection(found):
                return _UNCOMPILABLE
            positions[name] = found
            placed.update(found)
        # Every other parameter must be the same in both: a constant of the query, not a value.
        if any(params[i] != other_params[i] for i in range(len(params)) if i not in placed):
            return _UNCOMPILABLE
        reorder = _reorder(built[0]) if kind == "rows" else None
        query = built[0].query
        names = (*query.extra_select, *query.values_select, *query.annotation_select) if kind == "dicts" else ()
        return _Compiled(compilers[0], sql, params, positions, kind, reorder, names)

    def _get(self, alias: str, shape):
        key = (alias, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compile(alias, shape)
            with self._lock:
                if len(self._compiled) >= MAX_SHAPES:
                    self._compiled.clear()
                self._compiled[key] = compiled
        return compiled

    def _execute(self, compiled: _Compiled, alias: str, values: dict) -> list:
        connection = connections[alias]
        params = list(compiled.params)
        for name, slot in self.slots.items():
            value = slot.param(values[name], connection)
            for i in compiled.positions[name]:
                params[i] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return cursor.fetchall()

    def _compiled_for(self, values: dict, shape, using: str | None, kind: str):
        missing, extra = set(self.slots) - set(values), set(values) - set(self.slots)
        if missing or extra:
            raise TypeError(f"This query takes the values {sorted(self.slots)}; "
                            f"missing {sorted(missing)}, unknown {sorted(extra)}.")
        model = apps.get_model(self.model) if isinstance(self.model, str) else self.model
        alias = using or router.db_for_read(model)
        compiled = self._get(alias, shape)
        if compiled is _UNCOMPILABLE or compiled.kind not in kind:
            return alias, None
        return alias, compiled

    def rows(self, *, shape=(), using: str | None = None, **values) -> list:
        """Return the rows of the ``values_list`` or ``values`` queryset built with ``values`` (one
        query): tuples, single values for ``flat=True``, or dicts, as the queryset gives them.

        Raise TypeError when a value of ``slots`` is missing or one more is given.
        """
        alias, compiled = self._compiled_for(values, shape, using, ("rows", "flat", "dicts"))
        if compiled is None:
            return list(self.build(shape, **values).using(alias))
        rows = compiled.compiler.results_iter(results=[self._execute(compiled, alias, values)])
        if compiled.kind == "flat":
            return [row[0] for row in rows]
        if compiled.kind == "dicts":
            return [dict(zip(compiled.names, row, strict=True)) for row in rows]
        if compiled.reorder is not None:
            return [compiled.reorder(row) for row in rows]
        return [tuple(row) for row in rows]

    def instance(self, *, shape=(), using: str | None = None, **values):
        """Return the first model instance of the queryset built with ``values``, or None (one query).

        Made as Django's ``ModelIterable`` makes it; a queryset with ``select_related`` or
        annotations is run through the ORM. Raise TypeError as :meth:`rows` does.
        """
        alias, compiled = self._compiled_for(values, shape, using, ("model",))
        info = compiled.compiler.klass_info if compiled is not None else None
        if not info or info.get("related_klass_infos") or compiled.compiler.annotation_col_map:
            return next(iter(self.build(shape, **values).using(alias)), None)
        rows = self._execute(compiled, alias, values)
        if not rows:
            return None
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in compiled.compiler.select[start:end]]
        row = next(iter(compiled.compiler.results_iter(results=[rows[:1]])))
        return info["model"].from_db(alias, names, row[start:end])
