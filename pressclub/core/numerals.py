"""Numerals and dates as readers of each language write them.

Nepali and Hindi write Devanagari digits (०–९, U+0966–U+096F), Bengali its own (০–৯, U+09E6–U+09EF),
English ASCII digits. Month names are Django's (``django.utils.dates.MONTHS``), translated by our
own catalogues, which come before Django's: Django's Nepali and Hindi month names are misspelt
("डिसम्वर", "दिसमबर"), ours are the spellings newspapers use ("डिसेम्बर", "दिसंबर"); times are shown in the site's time zone (``TIME_ZONE``, from
``PRESSCLUB_TIME_ZONE``) with its name, e.g. "7 March 2026, 14:30 UTC+05:45". Nepali readers may also
get the Bikram Sambat date (:func:`bikram_sambat_date`, from the ``nepali-datetime`` library).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import get_language, gettext_noop

# Listed so that makemessages keeps them in our catalogues, which override Django's spellings.
MONTH_NAMES = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)

_DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
_BENGALI = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
DIGIT_TABLES = {"ne": _DEVANAGARI, "hi": _DEVANAGARI, "bn": _BENGALI}


def local_digits(value, language: str | None = None) -> str:
    """Return ``str(value)`` with its ASCII digits written in ``language``'s script (default: the active one).

    ``local_digits(2026, "ne")`` → ``"२०२६"``, ``local_digits("12:05", "bn")`` → ``"১২:০৫"``; languages
    without a table of their own (English) keep ASCII digits. Only the digits 0–9 change.
    """
    table = DIGIT_TABLES.get((language or get_language() or "en").split("-")[0])
    text = str(value)
    return text.translate(table) if table else text


def zone_name(moment: dt.datetime) -> str:
    """Return the name of ``moment``'s time zone as readers know it: "UTC", "IST", or "UTC+05:45".

    tzdata gives zones without a common abbreviation (Asia/Kathmandu) a bare offset ("+0545"),
    written here as an offset from UTC.
    """
    name = moment.tzname() or ""
    if name[:1] in "+-" and len(name) == 5:
        return f"UTC{name[:3]}:{name[3:]}"
    if name[:1] in "+-" and len(name) == 3:
        return f"UTC{name}:00"
    return name


def local_date(value: dt.date | dt.datetime | None, *, language: str | None = None) -> str:
    """Return ``value`` as "day month year" in the site's time zone and the language's words and digits.

    ``"७ मार्च २०२६"`` (ne), ``"7 March 2026"`` (en). An aware datetime is moved to the current time zone
    first; None gives "".
    """
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return local_digits(f"{value.day} {MONTHS[value.month]} {value.year}", language)


def local_datetime(value: dt.datetime | None, *, language: str | None = None) -> str:
    """Return ``value`` as "day month year, HH:MM zone" in the site's time zone, in the language's digits.

    ``"7 March 2026, 14:30 UTC+05:45"`` (en, Asia/Kathmandu); ``"७ मार्च २०२६, १४:३० UTC+०५:४५"`` (ne).
    None gives "".
    """
    if value is None or value == "":
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    text = f"{value.day} {MONTHS[value.month]} {value.year}, {value:%H:%M} {zone_name(value)}".rstrip()
    return local_digits(text, language)


def bikram_sambat_date(value: dt.date | dt.datetime | None) -> str:
    """Return ``value``'s Bikram Sambat date in Nepali: ``"वि.सं. २०८२ फाल्गुण ३०"`` for 14 March 2026.

    An aware datetime is first moved to the current time zone (the date a Nepali reader sees). The
    conversion is the ``nepali-datetime`` library's (its month-length tables, checked against the
    new years 2080–2083 BS: 14 April 2023, 13 April 2024, 14 April 2025, 14 April 2026). Dates outside
    its table (1975–2100 BS, about 1918–2044) and None give "".
    """
    if value is None or value == "":
        return ""
    import nepali_datetime

    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    try:
        bs = nepali_datetime.date.from_datetime_date(value)
    except (ValueError, OverflowError):
        return ""
    return f"वि.सं. {local_digits(bs.year, 'ne')} {bs.strftime('%N')} {local_digits(bs.day, 'ne')}"
