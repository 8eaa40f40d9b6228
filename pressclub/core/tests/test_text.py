import pytest

from pressclub.core.text import is_valid_slug, slugify, strip_control_chars


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("प्रेस क्लब की बैठक", "प्रेस-क्लब-की-बैठक"),
        ("প্রেস ক্লাবের সভা", "প্রেস-ক্লাবের-সভা"),
        ("पोखरामा नयाँ पुल", "पोखरामा-नयाँ-पुल"),
        ("Council approves new footbridge!", "council-approves-new-footbridge"),
        ("!!!", "story"),
        ("  --  ", "story"),
    ],
)
def test_slugify_keeps_every_mark(title, slug):
    assert slugify(title) == slug


def test_slug_validation_accepts_vowel_signs_and_rejects_punctuation():
    assert is_valid_slug("प्रेस-क्लब-की-बैठक") is True
    assert is_valid_slug("a/b") is False
    assert is_valid_slug("---") is False


def test_strip_control_chars():
    assert strip_control_chars("Dek\x0bwith\x00controls\n") == "Dekwithcontrols\n"


def test_html_block_search_text_is_the_visible_text():
    from pressclub.core.blocks import SanitizedHTMLBlock

    block = SanitizedHTMLBlock()
    assert block.get_searchable_content("<p>Hello <b>world</b></p><script>alert(1)</script><p>पोखरा</p>") == [
        "Hello world पोखरा"
    ]
    assert block.get_searchable_content("<script>only()</script>") == []


def test_words_keep_marks_and_split_on_punctuation():
    from pressclub.core.text import words

    assert words("प्रेस, क्लब!") == ["प्रेस", "क्लब"]
    assert words("  “Bridge” 2026 — সভা ") == ["Bridge", "2026", "সভা"]
    assert words("!!!") == []
