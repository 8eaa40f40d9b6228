"""Body-text agreement between an extraction and a reference text (token F1).

Used by the extraction benchmark (``bench/article_extraction.py``) and the tests over real pages, so
both measure exactly the same thing.
"""

import re
import unicodedata
from collections import Counter

from pressclub.core.text import words

# Scripts written without spaces between words: each character counts as one token, so a Japanese
# sentence is not one giant "word". Ranges: Hiragana/Katakana (+ phonetic extensions, halfwidth),
# CJK unified ideographs (+ ext. A, B–F, compatibility), Thai, Lao, Myanmar, Khmer.
_UNSPACED = re.compile(
    "([\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\U00020000-\U0002fa1f])"
)


def tokenize(text: str) -> list[str]:
    """Return the word tokens of ``text``, case-folded.

    The text is NFKC-normalised and case-folded, then split into words by ``core.text.words`` (runs
    of letters L*, marks M* and numbers N*, so Devanagari/Bengali vowel signs and viramas stay inside
    their word; everything else separates). Within a word, each character of a script written
    without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) is a token by itself.
    Hangul words are spaced and stay whole.
    """
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return [piece for word in words(folded) for piece in _UNSPACED.split(word) if piece]


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
