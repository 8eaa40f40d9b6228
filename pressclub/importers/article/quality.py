"""Body-text agreement between an extraction and a reference text.

Two measures: our token F1 (a bag of words, Unicode-aware), and the public article-extraction
benchmark's own string-shingle scores (Scrapinghub's ``article-extraction-benchmark``, whose
``evaluate.py`` ranks published extractors). Used by the extraction benchmark
(``bench/article_extraction.py``) and the tests over real pages, so both measure exactly the same
thing.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

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


# The benchmark's tokens: runs of word characters (Python's ``\w``), case kept.
_SHINGLE_TOKEN = re.compile(r"\w+")
SHINGLE_SIZE = 4


def _shingles(text: str) -> Counter:
    """Return the multiset of SHINGLE_SIZE-token runs of ``text`` (one shorter run for a shorter text)."""
    tokens = _SHINGLE_TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + SHINGLE_SIZE]) for i in range(max(1, len(tokens) - SHINGLE_SIZE + 1)))


@dataclass(frozen=True)
class ShingleMatch:
    """One page's shingle agreement: true positives, false positives and false negatives as shares.

    The three add up to 1.0 (or are all 0.0 when both texts are empty), so a long story weighs no
    more than a short one in an average over pages. ``exact`` is True when both texts have the same
    token sequence.
    """

    tp: float
    fp: float
    fn: float
    exact: bool

    @property
    def precision(self) -> float:
        """Return tp / (tp + fp); 1.0 when nothing is missing or extra, 0.0 when nothing was extracted."""
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """Return tp / (tp + fn); 1.0 when nothing is missing or extra, 0.0 when the reference is empty."""
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


def shingle_match(extracted: str, reference: str) -> ShingleMatch:
    """Return the benchmark's per-page ``ShingleMatch`` of ``extracted`` against ``reference``.

    As the public benchmark measures: both texts are cut into tokens (runs of word characters, case kept,
    no normalisation) and then into shingles, every run of 4 consecutive tokens (a text of fewer
    tokens is one shorter shingle). Over the two multisets of shingles, tp = shingles in both (as
    often as in both), fp = extracted only, fn = reference only; the three are divided by their sum.
    """
    predicted, expected = _shingles(extracted), _shingles(reference)
    tp = sum((predicted & expected).values())
    fp = sum((predicted - expected).values())
    fn = sum((expected - predicted).values())
    total = tp + fp + fn
    exact = _SHINGLE_TOKEN.findall(extracted or "") == _SHINGLE_TOKEN.findall(reference or "")
    if not total:
        return ShingleMatch(0.0, 0.0, 0.0, exact)
    return ShingleMatch(tp / total, fp / total, fn / total, exact)


def shingle_scores(matches: list[ShingleMatch]) -> dict[str, float]:
    """Return the benchmark's summary of per-page matches: precision, recall, f1 and accuracy (0.0–1.0).

    precision is the mean of the pages' precisions (pages where something was extracted or expected
    to be: tp + fp > 0), recall the mean of their recalls (tp + fn > 0), f1 the harmonic mean of
    those two means (not a mean of per-page F1s), accuracy the share of pages whose token sequence
    is exactly the reference's. Raise ValueError for an empty list.
    """
    if not matches:
        raise ValueError("No pages to score.")
    precisions = [match.precision for match in matches if match.tp + match.fp > 0]
    recalls = [match.recall for match in matches if match.tp + match.fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(match.exact for match in matches) / len(matches)
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": accuracy}
