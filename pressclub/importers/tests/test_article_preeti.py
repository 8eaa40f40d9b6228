"""Importing a story typed in the legacy Preeti font: a note, and conversion with --preeti / the checkbox."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from pressclub.importers.article.services import PREETI_CONVERTED_NOTE, PREETI_FOUND_NOTE
from pressclub.news.models import ArticlePage

from .test_article_admin import URL, editor, world  # noqa: F401 - fixtures

# नेपालमा भुकम्प / कीर्तिपुरमा धर्मसभा भयो । …, typed in Preeti.
PAGE = """<!doctype html><html lang="ne"><head><meta charset="utf-8"><title>g]kfndf e'sDk</title>
<meta property="og:site_name" content="Hill Press"></head><body><article>
<h1>g]kfndf e'sDk</h1><p class="byline">By Sita Rai</p>
<p>sLlt{k'/df wd{;ef eof] . g]kfnsf] /fhwfgL sf7df8f}+ xf] . dGqLn] kq k7fP .</p>
<p>lgjf{rg cfof]un] ldlt tf]Sof] . k|wfgdGqLn] ;+;bdf af]n] . ufpFdf kfgL cfof] .</p>
<p>s[lif pTkfbg a9\\of] . pQ/L If]qdf lxdkft . ljåfg lzIfsn] k9fP .</p>
</article></body></html>""".encode()


def run(path, *args) -> str:
    out = StringIO()
    call_command("import_article", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def page_file(tmp_path):
    path = tmp_path / "quake.html"
    path.write_bytes(PAGE)
    return path


def test_without_the_flag_the_text_is_kept_and_a_note_says_so(section, page_file):
    output = run(page_file)
    page = ArticlePage.objects.get()
    assert page.title == "g]kfndf e'sDk"
    assert page.import_notes == PREETI_FOUND_NOTE
    assert f"Note: {PREETI_FOUND_NOTE}" in output.splitlines()


def test_the_flag_converts_headline_and_paragraphs(section, page_file):
    output = run(page_file, "--preeti")
    page = ArticlePage.objects.get()
    assert output.splitlines()[0] == "Headline: नेपालमा भुकम्प"
    assert page.title == "नेपालमा भुकम्प"
    assert page.language == "ne"
    assert page.import_notes == PREETI_CONVERTED_NOTE
    assert [block.value.source for block in page.body] == [
        "<p>कीर्तिपुरमा धर्मसभा भयो । नेपालको राजधानी काठमाडौं हो । मन्त्रीले पत्र पठाए ।</p>",
        "<p>निर्वाचन आयोगले मिति तोक्यो । प्रधानमन्त्रीले संसदमा बोले । गाउँमा पानी आयो ।</p>",
        "<p>कृषि उत्पादन बढ्यो । उत्तरी क्षेत्रमा हिमपात । विद्वान शिक्षकले पढाए ।</p>",
    ]


def test_english_story_gets_no_preeti_note(section, page_file):
    page_file.write_text(
        "<html><body><article><h1>Floods close the highway</h1><p>By Sita Rai</p>"
        "<p>Floods cut the Prithvi Highway at Mugling overnight, and buses were held at Damauli.</p>"
        "<p>The road department expects one lane to reopen by Thursday evening, officials said.</p>"
        "</article></body></html>"
    )
    run(page_file, "--preeti")
    page = ArticlePage.objects.get()
    assert page.title == "Floods close the highway"
    assert "Preeti" not in page.import_notes


def test_admin_checkbox_converts(client, editor, section):  # noqa: F811 - fixture
    upload = SimpleUploadedFile("quake.html", PAGE, content_type="text/html")
    form = client.get(URL).content.decode()
    assert "Convert legacy Preeti text to Unicode" in form
    response = client.post(URL, {"file": upload, "url": "", "section": section.pk, "preeti": "on"}, follow=True)
    page = ArticlePage.objects.get()
    assert response.status_code == 200
    assert page.title == "नेपालमा भुकम्प"
    assert PREETI_CONVERTED_NOTE in response.content.decode()


def test_admin_without_the_checkbox_warns(client, editor, section):  # noqa: F811 - fixture
    upload = SimpleUploadedFile("quake.html", PAGE, content_type="text/html")
    response = client.post(URL, {"file": upload, "url": "", "section": section.pk}, follow=True)
    assert ArticlePage.objects.get().title == "g]kfndf e'sDk"
    assert "The text looks like Nepali typed in the Preeti font: import it again with --preeti" in (
        response.content.decode()
    )
