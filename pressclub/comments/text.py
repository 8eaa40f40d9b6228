"""Comment text: the Markdown subset readers may use, link counting, the abuse-word filter, and the
hiding of e-mail addresses typed into a comment."""

from __future__ import annotations

import functools
import re
import unicodedata

from markdown_it import MarkdownIt

from pressclub.core.sanitize import sanitize_html
from pressclub.core.text import strip_control_chars

COMMENT_LINK_REL = "nofollow ugc noopener"
MAX_BODY_CHARS = 5000

# Paragraphs, line breaks, *emphasis*/**strong**, [links](https://…) and > quotes; nothing else.
# "zero" starts with paragraphs and text only; raw HTML stays off, so "<b>" shows as typed.
_markdown = MarkdownIt("zero", {"html": False, "breaks": True, "linkify": False}).enable(
    ["emphasis", "link", "blockquote", "newline", "escape", "backticks"]
)

_LINK_RE = re.compile(r"(?i)\b(?:https?://|www\.)")

# An e-mail address as people type one: a local part of letters, digits and ``.+_-``, then "@" and
# a domain of at least two labels. Matched in text and in sanitised HTML (whose text has ``<``,
# ``>``, ``&`` and ``"`` escaped, so a match never spans markup).
_EMAIL_RE = re.compile(r"(?<![\w.+-])([\w][\w.+-]*)@((?:[^\W_][\w-]*\.)+[^\W\d_][\w-]*)")
_MAILTO_HREF_RE = re.compile(r"""\shref=(["'])\s*mailto:[^"']*\1""", re.I)
_TAG_RE = re.compile(r"(<[^>]*>)")
_SHOWN_ATTRIBUTE_RE = re.compile(r"""\s(?:title|alt)=(["'])[^"']*\1""", re.I)

# Unicode categories that draw nothing: controls, format characters (zero-width space, joiners,
# word joiner, BOM…), unassigned and private-use code points, and separators.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cn", "Co", "Cs", "Zs", "Zl", "Zp"}
# Letters, marks and symbols that are drawn as blanks: Hangul fillers, the blank Braille pattern,
# the combining grapheme joiner, Khmer's invisible inherent vowels and the variation selectors.
_BLANK_CHARS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5") | frozenset(
    chr(c) for c in [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]
)
# Embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI): they change
# the order in which the following text is shown, so "gnp.exe" can read as "exe.png". The plain
# direction marks (LRM, RLM, ALM) only nudge neutral characters and are kept.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def normalize_body(body: str) -> str:
    """Return ``body`` as stored: NFC, control characters removed, newlines unified, ends stripped."""
    text = unicodedata.normalize("NFC", body or "").replace("\r\n", "\n").replace("\r", "\n")
    return strip_control_chars(text).strip()


def only_invisible(text: str) -> bool:
    """Return True if ``text`` is not empty but shows nothing: only blanks, zero-width and other
    format characters (ZWSP, ZWJ, ZWNJ, word joiner, BOM, Hangul fillers, the blank Braille cell…).

    A ZWJ or ZWNJ inside an Indic word is fine: the word's letters are visible.
    """
    return bool(text) and all(
        ch in _BLANK_CHARS or unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in text
    )


def bidi_controls(text: str) -> list[str]:
    """Return the bidirectional embedding, override and isolate characters in ``text``, each once,
    in the order they first appear (U+202A–U+202E, U+2066–U+2069); [] when there are none."""
    found = dict.fromkeys(ch for ch in text or "" if ch in BIDI_CONTROLS)
    return list(found)


def render_body(body: str) -> str:
    """Return the sanitised HTML of a comment body (plain text with the small Markdown subset).

    Links keep only http/https/mailto targets and get ``rel="nofollow ugc noopener"``.
    """
    return sanitize_html(_markdown.render(body or ""), link_rel=COMMENT_LINK_REL)


def _mask_address(match: re.Match) -> str:
    return f"{match.group(1)[0]}…@{match.group(2)}"


def hide_email_addresses(text: str) -> str:
    """Return ``text`` (plain text, or sanitised HTML such as a comment's ``body_html``) with every
    e-mail address masked: ``jane.doe@example.org`` → ``j…@example.org``, and ``mailto:`` links
    made plain text (their ``href`` removed). In HTML, text and ``title``/``alt`` attributes are
    masked; other attributes (``src="…/logo@2x.png"``) are left alone.

    For every public render of a comment (page, feeds, reply e-mails): commenters, Blogger's among
    them, type their address into comments, and harvesters read those pages. The stored comment
    keeps the original, which editors see in the admin. Text without "@" is returned unchanged.
    """
    if not text or "@" not in text:
        return text
    pieces = _TAG_RE.split(_MAILTO_HREF_RE.sub("", text))
    for index, piece in enumerate(pieces):
        if "@" not in piece:
            continue
        if index % 2:  # a tag: only the text of its title and alt attributes, never a URL
            pieces[index] = _SHOWN_ATTRIBUTE_RE.sub(lambda m: _EMAIL_RE.sub(_mask_address, m.group(0)), piece)
        else:
            pieces[index] = _EMAIL_RE.sub(_mask_address, piece)
    return "".join(pieces)


def count_links(body: str) -> int:
    """Return how many web addresses ``body`` contains (``http://``, ``https://`` or ``www.``)."""
    return len(_LINK_RE.findall(body or ""))


def _is_word_char(ch: str) -> bool:
    # Letters, marks (Devanagari and Bengali vowel signs, virama, nukta) and digits, plus the
    # zero-width joiners some Indic spellings need; Python's \b splits words at vowel signs.
    return unicodedata.category(ch)[0] in "LMN" or ch in "\u200c\u200d"


def _words(text: str) -> str:
    """Return ``text`` casefolded and NFC-normalised as its words joined by single spaces."""
    text = unicodedata.normalize("NFC", text).casefold()
    out, word = [], []
    for ch in text:
        if _is_word_char(ch):
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return " ".join(out)


@functools.lru_cache(maxsize=16)
def _abuse_pattern(word_list: str) -> re.Pattern | None:
    alternatives = []
    for line in word_list.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        prefix = line.endswith("*")
        words = _words(line.rstrip("*"))
        if not words:
            continue
        alternatives.append(re.escape(words) + (r"\S*" if prefix else ""))
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)
    return re.compile(r"(?:^| )(" + "|".join(alternatives) + r")(?= |$)")


def find_abuse_word(text: str, word_list: str) -> str:
    """Return the first term of ``word_list`` found in ``text`` as a whole word or phrase, else "".

    ``word_list`` has one term a line (any script, case ignored, "#" lines skipped); a term ending
    in "*" matches words starting with it. Matching is on words, so "class" does not match "ass",
    and Devanagari/Bengali words keep their vowel signs.
    """
    pattern = _abuse_pattern(word_list or "")
    if pattern is None:
        return ""
    match = pattern.search(_words(text or ""))
    return match.group(1) if match else ""
