"""Comment bodies are cleaned exactly as before the cleaning was made faster.

``fixtures/comment_bodies.json`` holds Blogger comment HTML (ordinary text with line breaks, links,
scripts, unclosed raw-text tags and comments, players, entities, Devanagari and Bengali, block
markup) with the ``(text, body_html)`` that :func:`comment_body` gave for each when the allow-list
was still built on every call. Any change to the output shows here, input by input.
"""

import json
from pathlib import Path

import pytest

from pressclub.importers.blogger.html import comment_body

CASES = json.loads((Path(__file__).parent / "fixtures" / "comment_bodies.json").read_text(encoding="utf-8"))


def test_the_fixture_covers_the_hard_cases():
    assert len(CASES) == 68
    assert sum("<script" in case["html"].lower() for case in CASES) == 4


@pytest.mark.parametrize("case", CASES, ids=range(len(CASES)))
def test_a_comment_body_is_cleaned_as_before(case):
    assert comment_body(case["html"]) == (case["text"], case["body_html"])
