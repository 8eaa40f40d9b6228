"""Token F1 and the public benchmark's string-shingle scores, the measures of the extraction benchmark."""

import pytest

from pressclub.importers.article.quality import (
    ShingleMatch,
    shingle_match,
    shingle_scores,
    token_f1,
    tokenize,
)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("The river, it ROSE—fast!", ["the", "river", "it", "rose", "fast"]),
        ("प्रेस क्लब की बैठक", ["प्रेस", "क्लब", "की", "बैठक"]),  # vowel signs and virama stay in the word
        ("সংবাদ সম্মেলন", ["সংবাদ", "সম্মেলন"]),
        ("方法です", ["方", "法", "で", "す"]),
        ("方法・です。", ["方", "法", "で", "す"]),  # punctuation of an unspaced script separates
        ("엔터 미디어", ["엔터", "미디어"]),
        ("ＡＢＣ 2,300", ["abc", "2", "300"]),  # NFKC folds full-width letters
        ("", []),
    ],
)
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


def test_token_f1_counts_repeats_as_a_multiset():
    # extracted: a a b (3 tokens); reference: a b c d (4); overlap a, b = 2.
    assert token_f1("a a b", "a b c d") == pytest.approx(2 * (2 / 3) * (2 / 4) / (2 / 3 + 2 / 4))


@pytest.mark.parametrize(
    ("extracted", "reference", "score"),
    [("The river rose.", "the RIVER rose", 1.0), ("", "", 1.0), ("", "river", 0.0), ("bridge", "river", 0.0)],
)
def test_token_f1_edges(extracted, reference, score):
    assert token_f1(extracted, reference) == score


def test_shingle_match_counts_runs_of_four_tokens():
    # reference: a b c d e (shingles abcd, bcde); extracted: a b c d x (abcd, bcdx).
    match = shingle_match("a b c d x", "a b c d e")
    assert (match.tp, match.fp, match.fn, match.exact) == (1 / 3, 1 / 3, 1 / 3, False)
    assert (match.precision, match.recall) == (0.5, 0.5)


def test_shingle_match_keeps_case_and_ignores_punctuation():
    assert shingle_match("The river, rose!", "The river rose") == ShingleMatch(1.0, 0.0, 0.0, True)
    assert shingle_match("the river rose", "The river rose") == ShingleMatch(0.0, 0.5, 0.5, False)


def test_shingle_match_of_nothing():
    assert shingle_match("", "The river rose") == ShingleMatch(0.0, 0.0, 1.0, False)
    assert shingle_match("", "") == ShingleMatch(0.0, 0.0, 0.0, True)
    assert (shingle_match("", "").precision, shingle_match("", "").recall) == (1.0, 1.0)


def test_shingle_scores_is_the_harmonic_mean_of_mean_precision_and_mean_recall():
    perfect = shingle_match("a b c d", "a b c d")
    half = shingle_match("a b c d x", "a b c d e")
    empty = shingle_match("", "a b c d")  # counts for recall only: nothing was extracted
    scores = shingle_scores([perfect, half, empty])
    assert scores["precision"] == pytest.approx((1.0 + 0.5) / 2)
    assert scores["recall"] == pytest.approx((1.0 + 0.5 + 0.0) / 3)
    assert scores["f1"] == pytest.approx(2 * 0.75 * 0.5 / 1.25)
    assert scores["accuracy"] == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="No pages to score."):
        shingle_scores([])
