"""Comment bodies are cleaned exactly as before the cleaning was made faster.

``fixtures/comment_bodies.json`` holds Blogger comment HTML (ordinary text with line breaks, links,
scripts, unclosed raw-text tags and comments, players, entities, Devanagari and Bengali, block
markup) with the ``(text, body_html)`` that :func:`comment_body` gave for each when the allow-list
was still built on every call. Any change to the output shows here, input by input.
"""

import json
from pathlib import Path

import pytest

from pressclub.core.sanitize import sanitize_html
from pressclub.importers.blogger.html import COMMENT_LINK_REL, comment_body

CASES = json.loads((Path(__file__).parent / "fixtures" / "comment_bodies.json").read_text(encoding="utf-8"))


def test_each_link_rel_gets_its_own_cleaner():
    # One cleaner is kept per link_rel: each call, in any order, sets its own rel (or none).
    link = '<a href="https://example.org/" rel="author" onclick="x()">Ram</a>'
    outputs = [
        sanitize_html(link, link_rel=link_rel)
        for link_rel in (COMMENT_LINK_REL, None, "noopener", COMMENT_LINK_REL, None)
    ] + [sanitize_html(link)]
    assert outputs == [
        '<a href="https://example.org/" rel="nofollow ugc noopener">Ram</a>',
        '<a href="https://example.org/">Ram</a>',
        '<a href="https://example.org/" rel="noopener">Ram</a>',
        '<a href="https://example.org/" rel="nofollow ugc noopener">Ram</a>',
        '<a href="https://example.org/">Ram</a>',
        '<a href="https://example.org/" rel="noopener">Ram</a>',
    ]


@pytest.mark.parametrize("case", CASES, ids=range(len(CASES)))
def test_a_comment_body_is_cleaned_as_before(case):
    assert comment_body(case["html"]) == (case["text"], case["body_html"])
