"""Template filters for numerals and dates in the reader's language (:mod:`pressclub.core.numerals`).

``{% load locale_tags %}``, then ``{{ count|digits }}`` (१२ in Nepali and Hindi, ১২ in Bengali),
``{{ page.published_at|local_date }}`` ("७ मार्च २०२६") and ``{{ page.published_at|local_datetime }}``
("7 March 2026, 14:30 UTC+05:45"). Keep ``<time datetime>`` ISO: ``{{ value|date:'c' }}``.
"""

from django import template

from ..numerals import local_date as _local_date
from ..numerals import local_datetime as _local_datetime
from ..numerals import local_digits

register = template.Library()


@register.filter
def digits(value) -> str:
    """Return ``value`` as text with its digits in the active language's script."""
    return local_digits(value)


@register.filter
def local_date(value) -> str:
    """Return ``value`` (a date or aware datetime) as "day month year" in the active language."""
    return _local_date(value)


@register.filter
def local_datetime(value) -> str:
    """Return ``value`` (an aware datetime) as "day month year, HH:MM zone" in the active language."""
    return _local_datetime(value)
