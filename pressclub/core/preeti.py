"""Legacy Nepali text typed in the Preeti font: detect it and convert it to Unicode Devanagari.

Many Nepali newsrooms still type in Preeti, a font that draws ASCII bytes as Devanagari: the
bytes ``g]kfn`` show as नेपाल on a machine with the font and as gibberish everywhere else.

The conversion is done by ``npttf2utf`` (GPL-3.0, Sabin Acharya; its ``map.json`` holds the Preeti
character map and the reordering rules for ि, reph र्, half forms and the ``m`` modifier). It was
chosen over ``preeti-unicode-converter`` and ``preetitouicode`` after judging all three on the 24
sentences of ``pressclub/core/tests/test_preeti.py`` (conjuncts क्ष त्र ज्ञ श्र द्ध द्व, half forms,
reph, ि placement, ॐ, numerals, punctuation): npttf2utf gave 24 of 24 exactly, preeti-unicode-converter
13 of 24 (ौ split, reph misplaced, ॐ and quotes left as Latin-1), preetitouicode has no Preeti map.

The detector is pressclub's own: it counts words whose shape Preeti gives and English does not
(a ``]`` or ``}`` after a letter, as in ``sf]`` को and ``g]kfn`` नेपाल; a closing ``{`` reph; a
``;`` before a letter, as in ``;/sf/`` सरकार; a digit key inside a lower-case word, as in ``k7fP`` पठाए; ``'`` inside a word other than an English
contraction) and very common Preeti words (``tyf`` तथा, ``klg`` पनि, ``df`` मा…). URLs, e-mail
addresses and code-like words (brackets, ``=``, ``()``, type names such as ``str]``) are never
counted, so a Preeti word with ``[`` (ृ) counts only through the words around it.
"""

import html
import re
from functools import cache, lru_cache
from pathlib import Path

#: Preeti spellings of very common Nepali words (case-sensitive), counted as Preeti on their own.
PREETI_WORDS = frozenset(
    {"sf]", "n]", "df", "tyf", "klg", "5g\\", "5g", "eof]", "ePsf]", "x'g]", "ug]{", "pgn]", "of]",
     "lyof]", "ul/Psf]", "eg]", ";Dd", "u/]", "xf]"}
)
#: Latin words without a vowel letter that English text uses (never counted as Preeti).
LATIN_ABBREVIATIONS = frozenset(
    "html htm http https www pdf png jpg jpeg gif svg css xml mph kph kmh mrs mr dr ltd vs hmm shh tsk pfft nth "
    "bbc cnn ndtv nrs mbps kbps ghz mhz sms cctv dj tv pm".split()
)
_URLISH_RE = re.compile(r"://|^www\.|@[\w-]+\.|\.(com|org|net|np|in|html?)\b", re.IGNORECASE)
#: Brand names in camel case (iPhone, eBay, iOS, macOS, jQuery): never counted as Preeti.
_ENGLISH_CAMEL_RE = re.compile(r"^[a-z]{1,4}([A-Z][a-z]*[aeiouy][a-z]*|[A-Z]{2,})(['’]s)?$")
_CODEISH_RE = re.compile(r"[=()<>\[]|\{.+\}|^[{}]$|\]\]|^[\d.]+[a-z%]*}$")
#: Type names of code (``dict[str, int]``): a word that is one of them once brackets are stripped is code.
CODE_WORDS = frozenset("str int float bool bytes dict list tuple set None object Any Callable Iterable".split())
_SHAPE_RE = re.compile(
    r"[A-Za-z/;:'\"][\]}]"  # े/ै after a letter: sf] को, g]kfn नेपाल, x'g] हुने
    r"|[A-Za-z\]][{]$"  # a closing reph: wd{ धर्म, ug]{ गर्ने
    r"|(^|[A-Za-z])[;:][A-Za-z'\"]"  # स / स् before a letter: ;/sf/ सरकार, :jf:Yo स्वास्थ्य
    r"|[A-Za-z]'(?!(s|t|d|m|ll|re|ve)$)[A-Za-z/;]"  # ु inside a word, not an English contraction
    r"|[A-Za-z]\\[A-Za-z0-9]"  # a halant: k9\5 पढ्छ
    r"|[A-Za-z]\"[a-z]"  # ू inside a word: km\"n फूल
    r"|^[a-z]+[A-Z]"  # a capital after small letters: kfgL पानी, dGqLn] मन्त्रीले, ctM अतः
    r"|^[b-df-hj-np-tv-xz]{3,}$"  # three or more small letters and no vowel letter: lxdkft हिमपात
    r"|[A-Za-z]\|[a-z]"  # ्र inside a word: k|ljlw प्रविधि
    r"|^/[fI][A-Za-z]*$"  # र then ा or क्ष: /fhwfgL राजधानी, /Iff रक्षा (a path has a second slash)
    r"|[a-z]\?[A-Za-z]"  # रु inside a word: u?G गरुन्
    r"|^[a-z]+[0-9][a-z]"  # a letter typed on a digit key inside a word: k7fP पठाए, sf7df8f}+ काठमाडौं
)
#: Latin-1 characters of Preeti inside a word: ¿ रू (x¿ हरू), « ्र (/fi6« राष्ट्र), Ø ्य, å द्व.
_LATIN1_SIGNS_RE = re.compile(r".[¿«Øå]")
_SPACE_RE = re.compile(r"(\s+)")
_TAG_RE = re.compile(r"(<[^>]*>)")


def _ascii_besides_signs(word: str) -> bool:
    return all(ch.isascii() or ch in "¿«Øåæ" for ch in word)


def preeti_words(text: str) -> tuple[int, int]:
    """Return ``(preeti, counted)``: how many words of ``text`` look like Preeti, of the words counted.

    Counted are the whitespace-separated words that hold a letter, or are in ``PREETI_WORDS``; a
    word with a non-ASCII letter (Devanagari, already Unicode) is counted but never Preeti, apart
    from Preeti's own Latin-1 signs (``x¿`` हरू, ``ç`` ॐ). URLs, e-mail addresses and code-like words
    are left out of both figures.
    """
    preeti = counted = 0
    for word in text.split():
        if word == "ç" or (_LATIN1_SIGNS_RE.search(word) and _ascii_besides_signs(word)):
            preeti += 1
            counted += 1
            continue
        if not word.isascii():
            counted += any(ch.isalpha() for ch in word)  # a Devanagari (or other) word weighs against
            continue
        if _URLISH_RE.search(word) or _CODEISH_RE.search(word) or word.strip("[](),:;*|.") in CODE_WORDS:
            continue
        if word in PREETI_WORDS:
            preeti += 1
            counted += 1
            continue
        if not any(ch.isalpha() for ch in word):
            continue
        counted += 1
        bare = word.rstrip(".,?<:;!")
        if bare.lower() not in LATIN_ABBREVIATIONS and not _ENGLISH_CAMEL_RE.match(bare) and _SHAPE_RE.search(bare):
            preeti += 1
    return preeti, counted


def looks_like_preeti(text: str, *, min_words: int = 2, min_share: float = 0.3) -> bool:
    """Return True when ``text`` (plain text or HTML) reads as Nepali typed in the Preeti font.

    True when at least ``min_words`` words look like Preeti (see ``preeti_words``) and they are at
    least ``min_share`` (0-1) of the words counted. Tags are ignored in HTML. English prose, URLs,
    code and Unicode Devanagari give False; so does empty text.
    """
    if not text:
        return False
    preeti, counted = preeti_words(html.unescape(_TAG_RE.sub(" ", text)))
    return preeti >= min_words and preeti >= min_share * counted


@cache
def _mapper():
    import npttf2utf
    from npttf2utf.base.fontmapper import FontMapper

    return FontMapper(str(Path(npttf2utf.__file__).with_name("map.json")))


def preeti_to_unicode(text: str) -> str:
    """Return ``text`` typed in Preeti converted to Unicode Devanagari (e.g. ``"g]kfn"`` → ``"नेपाल"``).

    Every character is read as Preeti: run it on Preeti text only (``looks_like_preeti``), since
    English words would be converted too. Whitespace is kept as it is; characters Preeti does not
    map (Devanagari, most Latin-1 symbols) pass through.
    """
    if not text:
        return text
    # npttf2utf converts word by word (runs of non-space); a story repeats its words, so each is
    # converted once (10,000 words: 1.19 s uncached on the test machine).
    return "".join(part if part.isspace() or not part else _convert_word(part) for part in _SPACE_RE.split(text))


@lru_cache(maxsize=8192)
def _convert_word(word: str) -> str:
    return _mapper().map_to_unicode(word, from_font="Preeti")


def preeti_html_to_unicode(markup: str) -> str:
    """Return the HTML fragment ``markup`` with the text between its tags converted from Preeti.

    Tags and their attributes stay as they are; entities in the text are read (``&quot;`` is the
    Preeti ``"`` ू) and the converted text is escaped again.
    """
    parts = _TAG_RE.split(markup or "")
    return "".join(
        part if part.startswith("<") else html.escape(preeti_to_unicode(html.unescape(part)), quote=False)
        for part in parts
    )


def convert_if_preeti(text: str) -> tuple[str, bool]:
    """Return ``(text converted, True)`` when ``text`` looks like Preeti, else ``(text, False)``."""
    if looks_like_preeti(text):
        return preeti_to_unicode(text), True
    return text, False

