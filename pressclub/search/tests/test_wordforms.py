from pressclub.search.wordforms import stem, word_forms


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
