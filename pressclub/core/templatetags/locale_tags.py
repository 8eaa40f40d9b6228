"""Template filters for numerals and dates in the reader's language (:mod:`pressclub.core.numerals`), and
``bdi`` for names written in another direction.

``{% load locale_tags %}``, then ``{{ count|digits }}`` (१२ in Nepali and Hindi, ১২ in Bengali),
``{{ page.published_at|local_date }}`` ("७ मार्च २०२६") and ``{{ page.published_at|local_datetime }}``
("7 March 2026, 14:30 UTC+05:45") and, for Nepali readers, ``{{ value|bikram_sambat }}``. Keep ``<time datetime>`` ISO: ``{{ value|date:'c' }}``.
"""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language

from ..numerals import bikram_sambat_date, local_digits
from ..numerals import local_date as _local_date
from ..numerals import local_datetime as _local_datetime

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


@register.filter
def bikram_sambat(value) -> str:
    """Return ``value``'s Bikram Sambat date ("वि.सं. २०८२ फाल्गुण ३०") when the reader reads Nepali, else ""."""
    if not settings.PRESSCLUB_BIKRAM_SAMBAT or (get_language() or "").split("-")[0] != "ne":
        return ""
    return bikram_sambat_date(value)


@register.filter
def bdi(value) -> str:
    """Return ``value`` escaped inside ``<bdi>``: a reader's name set apart from the text around it.

    A name written in a right-to-left script (Arabic, Hebrew, Urdu) would otherwise reorder the
    punctuation and words beside it ("Replying to <name> · Cancel reply"). Safe to pass to
    ``{% blocktranslate with name=…|bdi %}``: the translation string itself is unchanged.
    """
    return format_html("<bdi>{}</bdi>", value)


@register.simple_tag
def language_autonyms() -> list[tuple[str, str]]:
    """Return ``[(code, name)]`` of the interface languages (``LANGUAGES``), each named in its own
    language and script ("English", "नेपाली", "हिन्दी", "বাংলা") whatever the active one: a reader
    who cannot read the current script still finds their own. (Django's
    ``get_available_languages`` translates the names: "English" became "अंग्रेजी" in Nepali.)"""
    return list(settings.LANGUAGES)
