"""Indic scripts in Debian's chromium with the reader theme: no slanted letters where Latin text is italic."""

import pytest

from pressclub.news.tests.test_form_styles import CSS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE = """<!doctype html><html lang="en"><head><style>{css}</style></head><body>
<blockquote class="pull" lang="ne" id="ne"><p>पुल बन्यो, बजार जोडियो।</p></blockquote>
<blockquote class="pull" id="en"><p>The bridge is open.</p></blockquote>
<p lang="bn">নতুন <em id="bn-em">সেতু</em> খুলেছে, <em id="en-in-bn" lang="en">at last</em>.</p>
</body></html>"""


def test_pull_quotes_and_emphasis_stay_upright_in_devanagari_and_bengali(chromium):
    page = chromium.new_page()
    page.set_content(PAGE.format(css=CSS.read_text(encoding="utf-8")))
    styles = page.evaluate("""() => Object.fromEntries(
        ['#ne p', '#en p', '#bn-em', '#en-in-bn'].map(s => {
            const style = getComputedStyle(document.querySelector(s));
            return [s, style.fontStyle + ' ' + style.fontWeight];
        }))""")
    page.close()
    assert styles == {
        "#ne p": "normal 400",
        "#en p": "italic 400",
        "#bn-em": "normal 600",
        "#en-in-bn": "italic 400",
    }
