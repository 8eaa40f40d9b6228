"""Stories in Nepali, Hindi and Bengali as Debian's chromium draws them with the reader theme's font stack.

No web fonts: the theme names the Noto fonts a phone (or Debian's ``fonts-noto-core``) carries. For
each script the story page is opened at 360 px; the test asks chromium (DevTools' ``CSS.
getPlatformFontsForNode``) which installed font drew the headline and the body, checks that
conjuncts and vowel signs are shaped (a conjunct is narrower than the same letters with the virama
shown, a vowel sign joins its consonant instead of standing on a dotted circle), and saves a
screenshot of the first screen to ``$PRESSCLUB_TEST_ARTIFACTS`` (default ``test-artifacts/`` beside
``manage.py``) as ``script-<language>-360.png`` for a person to look at.
"""

import os
from pathlib import Path

import pytest

from pressclub.testing import factories

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("PRESSCLUB_TEST_ARTIFACTS") or Path(__file__).resolve().parents[3] / "test-artifacts")
ZWNJ = "\u200c"  # between virama and consonant: the explicit (half-form-free) virama, no conjunct

# language → (headline, body paragraph, conjunct, consonant, vowel sign, serif font, sans font).
# Headlines and bodies carry conjuncts (क्ष त्र द्य স্থ গ্র), reph (र्थ র্থ) and vowel signs on both
# sides of their consonant (ि before, ी ु े after).
STORIES = {
    "ne": (
        "कक्षा दसका विद्यार्थीले सेती नदीको किनार सफा गरे",
        "पोखरा — स्थानीय विद्यालयका छात्रछात्राले शनिबार बिहान नदीको किनारबाट प्लास्टिक उठाए। "
        "वडा अध्यक्षले उनीहरूलाई धन्यवाद दिँदै अर्को महिना पनि यस्तै अभियान चलाउने बताए।",
        "क्ष", "क", "ि", "Noto Serif Devanagari", "Noto Sans Devanagari",
    ),
    "hi": (
        "शिक्षा मंत्री ने पहाड़ी कस्बे में नए पुस्तकालय का उद्घाटन किया",
        "देहरादून — मंत्री ने कहा कि पुस्तकालय में हिंदी और अंग्रेज़ी की दो हज़ार किताबें होंगी। "
        "विद्यार्थियों के लिए यह शाम सात बजे तक खुला रहेगा।",
        "त्र", "क", "ि", "Noto Serif Devanagari", "Noto Sans Devanagari",
    ),
    "bn": (
        "কলকাতায় নতুন গ্রন্থাগারে শিক্ষার্থীদের ভিড়",
        "কলকাতা — পাড়ার গ্রন্থাগারে রবিবার সকাল থেকেই ছাত্রছাত্রীরা লাইন দিয়েছিল। "
        "কর্তৃপক্ষ জানিয়েছে, প্রতিদিন সন্ধ্যা সাতটা পর্যন্ত পড়ার ঘর খোলা থাকবে।",
        "ক্ষ", "ক", "ি", "Noto Serif Bengali", "Noto Sans Bengali",
    ),
}

# Widths (CSS px) of test strings drawn inside the story's body, so with its font and language.
MEASURE = """([conjunct, shown, consonant, sign]) => {
    const body = document.querySelector('.body');
    const width = (text) => {
        const span = document.createElement('span');
        span.textContent = text;
        body.appendChild(span);
        const w = span.getBoundingClientRect().width;
        span.remove();
        return w;
    };
    return {conjunct: width(conjunct), shown: width(shown), joined: width(consonant + sign),
            apart: width(consonant) + width(sign)};
}"""


def platform_fonts(page, selector: str) -> dict[str, int]:
    """Return ``{family: glyphs drawn}`` of the installed fonts chromium drew ``selector``'s text with."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    session.detach()
    return {font["familyName"]: font["glyphCount"] for font in fonts}


def test_nepali_hindi_and_bengali_stories_are_drawn_in_noto_with_conjuncts_and_vowel_signs(
    chromium, live_server, ground
):
    home = factories.build_home_page()
    section = factories.add_section(home)
    urls = {}
    for number, (language, (headline, body, *_)) in enumerate(STORIES.items()):
        story = factories.publish_article(
            section, title=headline, slug=f"story-{language}", language=language,
            when=factories.utc(2026, 11, 20 + number), body=[("paragraph", f"<p>{body}</p>")],
        )  # fmt: skip
        urls[language] = f"{live_server.url}{story.url}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    context.set_default_timeout(20_000)
    page = context.new_page()
    for language, (headline, _, conjunct, consonant, sign, serif, sans) in STORIES.items():
        page.goto(urls[language])
        assert page.locator("h1").inner_text() == headline
        assert page.locator("h1").get_attribute("lang") == language
        # The headline takes the serif stack, the body the sans one: each script's Noto face.
        # Spaces and dashes come from the Latin Noto face, named first; every letter from the script's.
        for selector, font in (("h1", serif), (".body p", sans)):
            fonts = platform_fonts(page, selector)
            latin = font.replace(" Devanagari", "").replace(" Bengali", "")
            # The danda (।, U+0964) is in the Devanagari block and in both script faces; the stack names
            # Devanagari first, so Bengali sentences end with its dandas (one glyph each).
            dandas = page.locator(selector).first.inner_text().count("\u0964")
            expected = {latin, font} | ({"Noto Sans Devanagari"} if language == "bn" and dandas else set())
            assert set(fonts) == expected, (language, selector, fonts)
            assert fonts[font] > 2 * fonts[latin], (language, selector, fonts)
            if language == "bn" and dandas:
                assert fonts["Noto Sans Devanagari"] == dandas, fonts
        widths = page.evaluate(MEASURE, [conjunct, conjunct[0] + conjunct[1] + ZWNJ + conjunct[2:], consonant, sign])
        # A conjunct takes less room than its letters with a visible virama; a vowel sign alone is drawn
        # on a dotted circle, joined to its consonant it is not.
        assert widths["conjunct"] < widths["shown"] * 0.85, (language, widths)
        assert widths["joined"] < widths["apart"] * 0.85, (language, widths)
        page.screenshot(path=str(ARTIFACTS / f"script-{language}-360.png"))
    context.close()
