"""Readers' display names: invisible characters removed, and names that pass for the newsroom refused.

A display name is shown beside a member's comments. Two things could make it mislead: characters
that are not seen but change what is seen (bidirectional overrides turn "Ana" into "anA", a zero-width
space hides inside "Editor"), and a name that is someone else's — a staff member's, an author's,
another member's, the site's, a role such as "Editor", or the "former member" that comments of a
deleted account are shown under.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

# Zero-width non-joiner and joiner are format characters too, but Devanagari and Bengali need them
# to choose a conjunct's shape (क्‍ष, ক্‌ষ), so names keep them.
_JOINERS = frozenset("\u200c\u200d")
# Role words nobody outside the newsroom may use as a name; compared as name_key() values.
RESERVED_NAMES = ("Editor", "Moderator", "Admin", "Administrator", "pressclub")


def display_name_clean(value: str) -> str:
    """Return ``value`` without control and format characters, its spaces collapsed to one.

    Removed: Unicode categories Cc (controls; tabs and line breaks become spaces first) and Cf
    (format: the bidirectional embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069,
    the marks U+200E, U+200F, U+061C, zero-width space, soft hyphen, byte order mark), except the
    joiners U+200C and U+200D. ``"\\u202eAna\\u202c  Ruiz"`` → ``"Ana Ruiz"``.
    """
    value = value or ""
    if value.isprintable():  # no character of Unicode's "Other" categories (Cc, Cf among them): most names
        return " ".join(value.split())
    kept = "".join(
        ch
        for ch in " ".join(value.split())
        if ch in _JOINERS or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    return " ".join(kept.split())


def name_key(value: str) -> str:
    """Return the form in which two names are compared: NFKC, case-folded, no format characters, single spaces.

    ``"ＥＤＩＴＯＲ"``, ``"editor"`` and ``"Edi\\u200dtor"`` all give ``"editor"``.
    """
    value = unicodedata.normalize("NFKC", value or "")
    value = "".join(ch for ch in value if unicodedata.category(ch) not in ("Cc", "Cf"))
    return " ".join(value.casefold().split())


def display_name_refusal(name: str, *, user) -> str | None:
    """Return why ``user`` may not call themselves ``name`` (a sentence in the active language), or
    None when they may.

    Refused, when compared by ``name_key()``: the words in ``RESERVED_NAMES``, "former member" in
    each of the site's languages (what a deleted account's comments show), a site's name, the
    display name of a staff account other than ``user``, and the name of a ``people.Author`` not
    linked to ``user``; compared without regard to case, the display name of any other account.
    Staff accounts are not checked: they speak for the newsroom already.
    """
    from django.contrib.auth import get_user_model
    from wagtail.models import Site

    from pressclub.people.models import Author

    from .signals import FORMER_MEMBER_NAME

    if user is not None and user.pk and user.is_staff:
        return None
    key = name_key(name)
    if not key:
        return None
    if key in {name_key(word) for word in RESERVED_NAMES} | _former_member_keys(FORMER_MEMBER_NAME):
        return gettext("“%(name)s” is the name of a role on this site; choose a display name of your own.") % {
            "name": name
        }
    if any(name_key(other) == key for other in Site.objects.values_list("site_name", flat=True)):
        return gettext("That is the name of the site; choose a display name of your own.")
    accounts = get_user_model().objects.all()
    authors = Author.objects.all()
    if user is not None and user.pk:
        accounts = accounts.exclude(pk=user.pk)
        authors = authors.exclude(user=user)
    staff = accounts.filter(is_staff=True).exclude(display_name="")
    if any(name_key(other) == key for other in staff.values_list("display_name", flat=True)):
        return gettext("That is the name of a member of the newsroom's staff; choose a display name of your own.")
    if any(name_key(other) == key for other in authors.values_list("name", flat=True)):
        return gettext("That is the name of one of the site's authors; choose a display name of your own.")
    if accounts.filter(display_name__iexact=name).exists():
        return gettext("Another member uses that name; add an initial or choose another display name.")
    return None


def _former_member_keys(english: str) -> set[str]:
    """Return the ``name_key()`` of "former member" in English and in each language of ``LANGUAGES``."""
    keys = {name_key(english)}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            keys.add(name_key(gettext(english)))
    return keys
