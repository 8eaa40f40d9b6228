"""Text helpers for every script the site publishes in (Latin, Devanagari, Bengali, …)."""

import re
import unicodedata

# Cc (controls) except tab/newline/CR, plus Cs/Co/Cn: never valid in XML 1.0 or a feed.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

FALLBACK_SLUG = "story"


def strip_control_chars(value: str) -> str:
    """Return ``value`` without C0 control characters (except TAB, LF, CR), DEL and U+FFFE/U+FFFF.

    These cannot appear in XML 1.0, so a dek pasted with U+000B or U+0000 would otherwise break
    the RSS/Atom feeds and the sitemap.
    """
    if not value:
        return value
    return _CONTROL_RE.sub("", value)


def words(text: str) -> list[str]:
    """Return the runs of letters, combining marks and digits (Unicode L*, M*, N*) in ``text``.

    Everything else (spaces, punctuation, symbols) separates words, so Devanagari and Bengali
    words keep their vowel signs, virama and nukta: ``words("प्रेस, क्लब!")`` → ``["प्रेस", "क्लब"]``.
    """
    found, current = [], []
    for ch in text:
        if unicodedata.category(ch)[0] in "LMN":
            current.append(ch)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


def slugify(value: str, *, fallback: str = FALLBACK_SLUG, max_length: int = 200) -> str:
    """Return a URL slug for ``value`` that keeps every letter, vowel sign, virama and nukta.

    Django's ``slugify(allow_unicode=True)`` drops combining marks (Unicode categories Mn/Mc),
    which mangles Devanagari and Bengali ("प्रेस" → "परस"). Here a run of anything that is not a
    letter (L*), mark (M*) or digit (N*) becomes one hyphen; Latin letters are lowercased; the
    text is NFC-normalised. ``"प्रेस क्लब की बैठक"`` → ``"प्रेस-क्लब-की-बैठक"``.
    When nothing sluggable is left (``"!!!"``), return ``fallback``; never an empty or
    hyphen-only slug. The result is at most ``max_length`` characters.
    """
    value = unicodedata.normalize("NFC", strip_control_chars(str(value or ""))).lower()
    parts = words(value)
    # A leading combining mark cannot start a word on its own.
    slug = "-".join(p for p in parts if unicodedata.category(p[0])[0] != "M" or len(p) > 1)
    slug = slug[:max_length].strip("-")
    return slug or fallback


def is_valid_slug(value: str) -> bool:
    """Return True when ``value`` consists only of letters, marks, digits, ``_`` and ``-``.

    Unlike Django's ``validate_unicode_slug`` (``[-\\w]``), combining marks such as Devanagari
    vowel signs (U+093E…) and the virama are accepted.
    """
    if not value or value.strip("-") == "":
        return False
    return all(ch in "-_" or unicodedata.category(ch)[0] in "LMN" for ch in value)


def validate_unicode_slug(value: str) -> None:
    """Raise django.core.exceptions.ValidationError unless :func:`is_valid_slug` accepts ``value``."""
    from django.core.exceptions import ValidationError

    if not is_valid_slug(value):
        raise ValidationError(
            "Use letters (any script, with their vowel signs), digits, hyphens or underscores.", code="invalid"
        )
