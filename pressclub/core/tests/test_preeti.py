"""Tests of legacy Preeti-font Nepali text: conversion (exact sentences) and detection both ways."""

import pytest

from pressclub.core.preeti import looks_like_preeti, preeti_html_to_unicode, preeti_to_unicode, preeti_words

# Sentences written for these tests: (typed in Preeti, the same sentence in Unicode).
SENTENCES = [
    ("g]kfnsf] /fhwfgL sf7df8f}+ xf] .", "नेपालको राजधानी काठमाडौं हो ।"),
    (";'/Iff kl/ifb\\sf] a}7s a:of] .", "सुरक्षा परिषद्को बैठक बस्यो ।"),
    ("dGqLn] kq k7fP .", "मन्त्रीले पत्र पठाए ।"),
    ("lj1fg / k|ljlw dGqfno", "विज्ञान र प्रविधि मन्त्रालय"),
    (">ldsx¿ sfddf kms]{ .", "श्रमिकहरू काममा फर्के ।"),
    ("o'4lj/fd ;Demf}tf eof] .", "युद्धविराम सम्झौता भयो ।"),
    ("lgjf{rg cfof]un] ldlt tf]Sof] .", "निर्वाचन आयोगले मिति तोक्यो ।"),
    ("sLlt{k'/df wd{;ef eof] .", "कीर्तिपुरमा धर्मसभा भयो ।"),
    ("ç gdM lzjfo", "ॐ नमः शिवाय"),
    ("@)*! ;fndf !@ hgf 3fOt] eP .", "२०८१ सालमा १२ जना घाइते भए ।"),
    ("s] eof] < pgn] eg], æl7s 5 .Æ", "के भयो ? उनले भने, “ठिक छ ।”"),
    (":jf:Yo dGqfnon] vf]k k7fof] .", "स्वास्थ्य मन्त्रालयले खोप पठायो ।"),
    ("k|wfgdGqLn] ;+;bdf af]n] .", "प्रधानमन्त्रीले संसदमा बोले ।"),
    ("ufpFdf kfgL cfof] .", "गाउँमा पानी आयो ।"),
    ("pmhf{ ;+s6 sd eof] .", "ऊर्जा संकट कम भयो ।"),
    ("lqms]6 6f]nL lhTof] .", "क्रिकेट टोली जित्यो ।"),
    ("pQ/L If]qdf lxdkft .", "उत्तरी क्षेत्रमा हिमपात ।"),
    ("s[lif pTkfbg a9\\of] .", "कृषि उत्पादन बढ्यो ।"),
    ("ctM b'Mv gdfg .", "अतः दुःख नमान ।"),
    ("ljåfg lzIfsn] k9fP .", "विद्वान शिक्षकले पढाए ।"),
    ("/fi6«kltn] ;Daf]wg u/] .", "राष्ट्रपतिले सम्बोधन गरे ।"),
    (">L u0f]z -g]kfn_", "श्री गणेश (नेपाल)"),
    ("O{Zj/n] /Iff u?G .", "ईश्वरले रक्षा गरुन् ।"),
    ('kmn km"nn] el/Psf] 6f]s/L', "फल फूलले भरिएको टोकरी"),
]

ENGLISH = [
    "The council voted on Tuesday to close the old bridge; repairs will start in March.",
    "Don't miss the O'Brien interview: it's the best we've run this year, and they'll say so.",
    "Read more at https://example.com/news/2026/12/story.html?ref=home or write to desk@example.org.",
    "for (i = 0; i < n; i++) { total += a[i]; }",
    "df -h /var/lib && ls /tmp",
    "Nepal's prime minister met India's foreign secretary in Kathmandu.",
    "GDP grew 4.2% (2025/26), per the IMF; exports/imports were flat.",
    "Floods cut the Prithvi Highway at Mugling overnight. Traffic police said buses from Pokhara were held "
    "at Damauli until 6 a.m., and the road department expects one lane to reopen by Thursday evening.",
    "Install with pip install npttf2utf, then run: python -m npttf2utf -m string -if Preeti -i 'text'.",
    "CSS: .card{margin:0} h1{font-size:2rem} /* html, pdf, png, mph, km */",
    "Apple's new iPhone and iPad sold out on eBay within hours, and iOS users queued in jQuery docs.",
    "नेपालमा iPhone र eBay को बिक्री बढ्यो ।",
    "",
    "नेपालको राजधानी काठमाडौं हो ।",
]


@pytest.mark.parametrize(("preeti", "unicode"), SENTENCES)
def test_each_sentence_converts_exactly(preeti, unicode):
    assert preeti_to_unicode(preeti) == unicode


@pytest.mark.parametrize(("preeti", "unicode"), SENTENCES)
def test_each_sentence_is_detected(preeti, unicode):
    assert looks_like_preeti(preeti) is True
    assert looks_like_preeti(unicode) is False


@pytest.mark.parametrize("text", ENGLISH)
def test_english_urls_code_and_unicode_are_not_flagged(text):
    assert looks_like_preeti(text) is False


def test_a_paragraph_of_preeti_counts_words():
    paragraph = " ".join(p for p, _ in SENTENCES[:3])
    assert preeti_words(paragraph) == (10, 11)
    assert looks_like_preeti(paragraph) is True


def test_headline_of_two_words_is_detected():
    assert looks_like_preeti("g]kfndf e'sDk") is True
    assert preeti_to_unicode("g]kfndf e'sDk") == "नेपालमा भुकम्प"


def test_html_keeps_tags_and_converts_text():
    markup = '<p><b>g]kfn</b> <a href="https://example.com/x">;/sf/</a> km&quot;n</p>'
    assert preeti_html_to_unicode(markup) == '<p><b>नेपाल</b> <a href="https://example.com/x">सरकार</a> फूल</p>'
    assert looks_like_preeti(markup) is True


def test_empty_text():
    assert preeti_to_unicode("") == ""
    assert looks_like_preeti("") is False
