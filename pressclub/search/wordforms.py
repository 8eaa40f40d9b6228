"""Word forms for search: a light suffix stemmer for Nepali, Hindi and Bengali.

A reader who types a base word ("বাজার", market) should find its inflected forms ("বাজারে", in the
market; "বাজারের", of the market), and one who types an inflected form should find the others.
Neither SQLite's FTS5 nor PostgreSQL's ``english`` configuration stems Devanagari or Bengali, so
pressclub does it, in one of two equivalent ways:

- at query time (SQLite): :func:`word_forms` strips the longest known ending from a query word and
  returns the whole words that the stem and the word take with each ending; the search matches any
  of those whole words (never a fragment inside another word);
- at index time (PostgreSQL): the index stores each word together with its bases
  (:func:`index_bases`: the word without each ending it has, and a Hindi noun's -ā/-ī form), at the
  word's own position, and a query word is looked up by one to four bases (:func:`search_bases`).
  Every word that :func:`word_forms` gives for a query word has one of the query word's bases among
  its own, so this finds at least what the query-time expansion finds, with one lexeme per base
  instead of 55 to 75 word forms per query word.

The endings are the common noun endings and attached postpositions, not a full grammar:

- Nepali (Devanagari): the plural हरू (also typed हरु) and the case markers written joined to the
  noun: ले (ergative), लाई (dative), को/का/की (genitive), मा (locative), बाट/देखि (ablative),
  सँग/संग (with), सम्म (until), भित्र (inside), माथि (on), तिर (towards), each also after हरू.
- Hindi (Devanagari): the noun endings of the light stemmer of Ramanathan and Rao ("A Lightweight
  Stemmer for Hindi", 2003): plurals and oblique forms ों ें ाएँ ाएं ाओं ियाँ ियां ियों ुओं, and the
  vowel endings ा ी े (लड़का, लड़के, लड़कों). Hindi writes its postpositions apart (बाज़ार में).
- Bengali: the case endings ে তে য় (locative), ের র (genitive), কে (objective), রা েরা দের
  (plural), the classifiers টি টা টার টির টিতে টাকে গুলো গুলি গুলোর গুলোতে গুলোকে গুলির খানা খানি,
  and the particles ই (emphatic) and ও (also) after any of them.

English words are left alone: the databases stem English themselves (FTS5's ``porter`` tokenizer,
PostgreSQL's ``english`` configuration).

A stem keeps at least ``MIN_STEM_LETTERS`` letters (vowel signs and virama not counted), so a short
word is not cut down to a letter or two that would then be grown into unrelated words; a query word
is always searched as itself too. Known limits: a word whose stem plus an ending is another word
(Hindi लड़का, boy, also finds लड़की, girl), and irregular forms, are what a light stemmer gets wrong.
"""

import unicodedata

MIN_STEM_LETTERS = 2

_NEPALI_CASES = ("ले", "लाई", "को", "का", "की", "मा", "बाट", "देखि", "सँग", "संग", "सम्म", "भित्र", "माथि", "तिर")
_NEPALI = (*_NEPALI_CASES, "हरू", "हरु", *(plural + case for plural in ("हरू", "हरु") for case in _NEPALI_CASES))
_HINDI_PLURALS = ("ों", "ें", "ाएँ", "ाएं", "ाओं", "ियाँ", "ियां", "ियों", "ुओं")
_BENGALI_CASES = (
    "ে", "তে", "ের", "কে", "েরা", "দের",
    "টি", "টা", "টার", "টির", "টিতে", "টাকে", "গুলো", "গুলি", "গুলোর", "গুলোতে", "গুলোকে", "গুলির", "খানা", "খানি",
)
# After a vowel: genitive র, plural রা, locative য়.
_BENGALI_AFTER_VOWEL = ("র", "রা", "য়")


def _longest_first(endings) -> tuple[str, ...]:
    return tuple(sorted(set(endings), key=len, reverse=True))


# Endings a word is cut at (only those that are rarely the end of a bare word) and endings a stem
# is grown with (all of them).
CUT = {
    "devanagari": _longest_first(_NEPALI + _HINDI_PLURALS),
    "bengali": _longest_first((*_BENGALI_CASES, *(e + p for e in _BENGALI_CASES for p in ("ই", "ও")))),
}
GROW = {
    "devanagari": CUT["devanagari"],
    "bengali": _longest_first(
        (*CUT["bengali"], *_BENGALI_AFTER_VOWEL, "ই", "ও", *(e + p for e in _BENGALI_AFTER_VOWEL for p in ("ই", "ও")))
    ),
}
# Hindi nouns in -ā and -ī change their vowel: लड़का → लड़के, लड़कों; लड़की → लड़कियाँ, लड़कियों.
_HINDI_VOWEL_FORMS = {"ा": ("ा", "े", "ों"), "ी": ("ी", "ियाँ", "ियां", "ियों")}
_HINDI_VOWEL_OF = {"ों": ("ा", "े"), "ियाँ": ("ी",), "ियां": ("ी",), "ियों": ("ी",)}


def _script(word: str) -> str:
    """Return "devanagari", "bengali" or "" for the script of ``word``'s first letter."""
    for ch in word:
        if unicodedata.category(ch)[0] == "L":
            if "\u0900" <= ch <= "\u097f":
                return "devanagari"
            if "\u0980" <= ch <= "\u09ff":
                return "bengali"
            return ""
    return ""


def _letters(text: str) -> int:
    return sum(1 for ch in text if unicodedata.category(ch)[0] == "L")


def _cut(word: str) -> tuple[str, str]:
    for ending in CUT.get(_script(word), ()):
        if word.endswith(ending) and _letters(word[: -len(ending)]) >= MIN_STEM_LETTERS:
            return word[: -len(ending)], ending
    return word, ""


def stem(word: str) -> str:
    """Return ``word`` without its longest known Nepali, Hindi or Bengali ending (see the module
    docstring), or ``word`` itself when it has none or the stem would keep fewer than
    ``MIN_STEM_LETTERS`` letters. ``stem("বাজারে")`` → ``"বাজার"``; ``stem("press")`` → ``"press"``.
    """
    return _cut(word)[0]


def word_forms(word: str) -> list[str]:
    """Return the whole words a search for ``word`` (NFC) matches: the word itself first, then its stem
    (``word`` without its longest known ending), the stem with each ending of its script, and for a
    Hindi noun in -ā or -ī its changed vowels (लड़का, लड़के, लड़कों), without repeats.

    ``word_forms("বাজার")`` → ``["বাজার", "বাজারগুলোতেও", …, "বাজারে", …]``; a Latin-script word, a
    number or a word of another script gives ``[word]``. Shape: a list of 1 to about 75 strings.
    """
    script = _script(word)
    if script not in GROW:
        return [word]
    base, ending = _cut(word)
    forms = dict.fromkeys([word, base])
    if _letters(base) >= MIN_STEM_LETTERS:
        forms.update(dict.fromkeys(base + grown for grown in GROW[script]))
    if script == "devanagari":
        for root in dict.fromkeys([*(base + vowel for vowel in _HINDI_VOWEL_OF.get(ending, ())), base, word]):
            if root[-1:] in _HINDI_VOWEL_FORMS and _letters(root) > MIN_STEM_LETTERS:
                forms.update(dict.fromkeys(root[:-1] + form for form in _HINDI_VOWEL_FORMS[root[-1]]))
    return list(forms)


def index_bases(word: str) -> list[str]:
    """Return the bases an index stores ``word`` (NFC) under besides itself: ``word`` without each
    known ending of its script that it ends with (each stem keeping ``MIN_STEM_LETTERS`` letters),
    and for a Devanagari word ending like a Hindi noun in -ā or -ī (लड़के, लड़कियों) that noun's
    form (लड़का, लड़की). Sorted, without ``word`` itself or repeats.

    ``index_bases("বাজারে")`` → ``["বাজার"]``; ``index_bases("बजारहरूमा")`` → ``["बजार", "बजारहरू"]``;
    a Latin-script word, a number or a word of another script gives ``[]``. Shape: 0 to about 8 strings.
    """
    script = _script(word)
    if script not in GROW:
        return []
    bases = {word[: -len(ending)] for ending in GROW[script]
             if word.endswith(ending) and _letters(word[: -len(ending)]) >= MIN_STEM_LETTERS}
    if script == "devanagari":
        for vowel, forms in _HINDI_VOWEL_FORMS.items():
            for form in forms:
                root = word[: -len(form)] + vowel
                if word.endswith(form) and _letters(root) > MIN_STEM_LETTERS:
                    bases.add(root)
    bases.discard(word)
    return sorted(bases)


def search_bases(word: str) -> list[str]:
    """Return the bases to look a query ``word`` (NFC) up by in an index that stores each word with
    its :func:`index_bases`: the stem (``word`` without its longest known ending, or ``word``),
    then for Devanagari the Hindi -ā/-ī nouns ``word`` may be a form of, without repeats.

    A word ``w`` in ``word_forms(word)`` always has one of these among ``[w, *index_bases(w)]``.
    ``search_bases("বাজারে")`` → ``["বাজার"]``; ``search_bases("लड़का")`` → ``["लड़", "लड़का"]``;
    ``search_bases("press")`` → ``["press"]``. Shape: a list of 1 to 4 strings.
    """
    script = _script(word)
    if script not in GROW:
        return [word]
    base, ending = _cut(word)
    bases = dict.fromkeys([base])
    if script == "devanagari":
        for root in (*(base + vowel for vowel in _HINDI_VOWEL_OF.get(ending, ())), base, word):
            if root[-1:] in _HINDI_VOWEL_FORMS and _letters(root) > MIN_STEM_LETTERS:
                bases[root] = None
    return list(bases)
