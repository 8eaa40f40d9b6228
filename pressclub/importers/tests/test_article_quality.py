"""Token F1, the measure of the extraction benchmark."""

import pytest

from pressclub.importers.article.quality import token_f1, tokenize


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
