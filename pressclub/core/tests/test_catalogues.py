"""The Nepali, Hindi and Bengali catalogues: every marked string translated, none left fuzzy, and the
compiled ``.mo`` beside each ``.po`` up to date with it."""

import ast
import gettext
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ["ne", "hi", "bn"]


def po_entries(path: Path) -> list[dict]:
    """Parse a gettext ``.po`` file into its entries.

    Each entry is ``{"flags": set[str], "msgctxt": str | None, "msgid": str, "msgid_plural": str | None,
    "msgstr": list[str], "obsolete": bool}`` (``msgstr`` holds one string, or one per plural form), strings
    unescaped as Python literals. Format: GNU gettext manual, "The Format of PO Files". The header
    (empty ``msgid``) is included. Raises ``ValueError`` on a line it does not understand.
    """
    entries, entry, field = [], None, None

    def start():
        return {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": [],
                "obsolete": False}

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            continue
        if line.startswith("#,"):
            if entry is not None and entry["msgid"] is not None:
                entries.append(entry)
                entry = None
            entry = entry or start()
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value, keyword = ast.literal_eval(line), None
        else:
            value = ast.literal_eval(rest)
        if keyword in ("msgctxt", "msgid") and entry is not None and entry["msgid"] is not None:
            entries.append(entry)
            entry = None
        if keyword is not None:
            entry = entry or start()
            entry["obsolete"] = entry["obsolete"] or obsolete
            if keyword in ("msgctxt", "msgid", "msgid_plural"):
                entry[keyword], field = value, keyword
            elif keyword == "msgstr" or keyword.startswith("msgstr["):
                entry["msgstr"].append(value)
                field = "msgstr"
            else:
                raise ValueError(f"{path}:{number}: unknown keyword {keyword!r}")
        elif entry is None or field is None:
            raise ValueError(f"{path}:{number}: a string outside an entry")
        elif field == "msgstr":
            entry["msgstr"][-1] += value
        else:
            entry[field] += value
    if entry is not None and entry["msgid"] is not None:
        entries.append(entry)
    return entries


def test_the_parser_reads_flags_plurals_and_continued_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ne\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "One %(n)s"\nmsgid_plural "Many "\n"%(n)s"\n'
        'msgstr[0] "एक"\nmsgstr[1] ""\n\n'
        'msgctxt "byline"\nmsgid "By"\nmsgstr "लेखक:"\n\n#~ msgid "Old"\n#~ msgstr "पुरानो"\n',
        encoding="utf-8",
    )
    header, plural, byline, old = po_entries(po)
    assert header["msgstr"] == ["Language: ne\n"]
    assert (plural["flags"], plural["msgid_plural"], plural["msgstr"]) == (
        {"fuzzy", "python-format"}, "Many %(n)s", ["एक", ""])
    assert (byline["msgctxt"], byline["msgid"], byline["msgstr"]) == ("byline", "By", ["लेखक:"])
    assert (old["obsolete"], old["msgstr"]) == (True, ["पुरानो"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language):
    entries = [e for e in po_entries(LOCALE / language / "LC_MESSAGES" / "django.po") if not e["obsolete"]]
    assert len(entries) > 400  # the whole catalogue was read
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in entries if e["msgid"] and not all(e["msgstr"])] == []
    plurals = [e for e in entries if e["msgid_plural"] is not None]
    assert plurals and {len(e["msgstr"]) for e in plurals} == {2}  # nplurals=2


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po_entries(folder / "django.po"):
        if entry["obsolete"] or not entry["msgid"]:
            continue
        context = entry["msgctxt"]
        if entry["msgid_plural"] is None:
            got = compiled.pgettext(context, entry["msgid"]) if context else compiled.gettext(entry["msgid"])
            assert got == entry["msgstr"][0], entry["msgid"]
        else:
            got = [compiled.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
            assert got == entry["msgstr"], entry["msgid"]
