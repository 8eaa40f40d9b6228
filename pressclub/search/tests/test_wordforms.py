import json
import unicodedata
from pathlib import Path

from pressclub.core.text import words
from pressclub.search.backend import with_bases
from pressclub.search.wordforms import index_bases, search_bases, stem, word_forms


def test_stem_cuts_the_longest_known_ending():
    assert stem("বাজারে") == "বাজার"
    assert stem("বাজারগুলোতেই") == "বাজার"
    assert stem("बजारहरूमा") == "बजार"
    assert stem("किताबों") == "किताब"
    assert stem("press") == "press"
    # A stem keeps two letters: घरमा (at home) is cut to घर, मामा (uncle) is not cut to म.
    assert stem("घरमा") == "घर"
    assert stem("मामा") == "मामा"


def test_word_forms():
    forms = word_forms("বাজার")
    assert forms[0] == "বাজার" and {"বাজারে", "বাজারের", "বাজারটি", "বাজারগুলো"} <= set(forms)
    assert len(forms) == len(set(forms)) == 72
    assert {"लड़के", "लड़कों", "लड़का"} <= set(word_forms("लड़कों"))
    assert {"लड़कियाँ", "लड़कियों"} <= set(word_forms("लड़की"))
    assert word_forms("bazaar") == ["bazaar"]
    assert word_forms("क") == ["क"]
    assert word_forms("२०८२") == ["२०८२"]


def test_index_bases():
    assert index_bases("বাজারে") == ["বাজার"]
    assert index_bases("बजारहरूमा") == ["बजार", "बजारहरू"]
    assert index_bases("लड़के") == ["लड़का"]  # the Hindi -ā noun
    assert index_bases("लड़कियों") == ["लड़क", "लड़किय", "लड़किया", "लड़की"]
    assert index_bases("বইমেলায়") == ["বইমেলা"]  # never the word inside the compound (বই)
    assert index_bases("press") == index_bases("क") == index_bases("२०८२") == []


def test_search_bases():
    assert search_bases("বাজারে") == ["বাজার"]
    assert search_bases("बजारहरूमा") == ["बजार", "बजारहरूमा"]
    assert search_bases("लड़का") == ["लड़", "लड़का"]
    assert search_bases("press") == ["press"]
    assert search_bases("क") == ["क"]


def test_every_word_form_has_a_base_of_the_query_word():
    """What the query-time expansion finds (SQLite), the index-time bases find too (PostgreSQL),
    over every word of the relevance set's stories and queries."""
    relevance = json.loads((Path(__file__).parent / "data" / "relevance.json").read_text(encoding="utf-8"))
    texts = [story["title"] + " " + story["body"] for story in relevance["stories"]] + list(relevance["queries"])
    vocabulary = {word for text in texts for word in words(unicodedata.normalize("NFC", text))}
    pairs = missed = 0
    for query in vocabulary:
        for form in word_forms(query):
            pairs += 1
            missed += not set(search_bases(query)) & {form, *index_bases(form)}
    assert (pairs, missed) == (6235, 0)


def test_with_bases_adds_each_base_at_its_words_positions():
    assert with_bases("'bazaar':5 'बजारमा':1,7 'বাজারে':2") == "'bazaar':5 'बजारमा':1,7 'বাজারে':2 'बजार':1,7 'বাজার':2"
    assert with_bases("'o''brien':1 'press':2") == "'o''brien':1 'press':2"
