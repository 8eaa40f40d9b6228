"""Body-text agreement between an extraction and a reference text (token F1).

Used by the extraction benchmark (``bench/article_extraction.py``) and the tests over real pages, so
both measure exactly the same thing.
"""

import unicodedata
from collections import Counter

# Scripts written without spaces between words: each character counts as one token, so a Japanese
# sentence is not one giant "word". Ranges: CJK symbols/kana, CJK unified ideographs (+ ext. A,
# compatibility), halfwidth kana, Thai, Lao, Khmer, Myanmar.
_UNSPACED_RANGES = (
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK unified ideographs extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # halfwidth Katakana
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x20000, 0x2FA1F),  # CJK extensions B–F and compatibility supplement
)


def _is_unspaced(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _UNSPACED_RANGES)


def tokenize(text: str) -> list[str]:
    """Return the word tokens of ``text``, case-folded.

    The text is NFKC-normalised and case-folded. A token is a maximal run of characters whose
    Unicode general category is a letter (L*), mark (M*, so Devanagari/Bengali vowel signs and
    viramas stay inside their word) or number (N*); every other character (spaces, punctuation,
    symbols) separates tokens. A character of a script written without spaces (Han, Hiragana,
    Katakana, Thai, Lao, Khmer, Myanmar) is a token by itself. Hangul words are spaced and stay whole.
    """
    tokens: list[str] = []
    current: list[str] = []
    for char in unicodedata.normalize("NFKC", text or "").casefold():
        if _is_unspaced(char):
            if current:
                tokens.append("".join(current))
                current = []
            tokens.append(char)
        elif unicodedata.category(char)[0] in "LMN":
            current.append(char)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tokens


def token_f1(extracted: str, reference: str) -> float:
    """Return the bag-of-tokens F1 (0.0–1.0) of ``extracted`` against ``reference``.

    Both texts are tokenised by ``tokenize``. With P and R the multisets of extracted and reference
    tokens, overlap = |P ∩ R| (multiset intersection: a token counts as often as it appears in
    both), precision = overlap / |P|, recall = overlap / |R|, F1 = 2·precision·recall /
    (precision + recall). Two empty texts score 1.0; one empty text, or no overlap, scores 0.0.
    """
    predicted, expected = Counter(tokenize(extracted)), Counter(tokenize(reference))
    if not predicted and not expected:
        return 1.0
    overlap = sum((predicted & expected).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(predicted.values())
    recall = overlap / sum(expected.values())
    return 2 * precision * recall / (precision + recall)
