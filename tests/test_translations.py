"""The committed catalogues are complete and compiled: a fresh machine has no gettext to fix them."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])
TRANSLATED_LANGUAGES = ["nl", "tr", "ar"]


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file as dicts of msgid, msgid_plural, msgstr / msgstr[n] and fuzzy; no header."""
    entries: list[dict] = []
    entry: dict = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry.get("msgid"):
                entries.append(entry)
            entry, key = {}, ""
        elif line.startswith("#,"):
            entry["fuzzy"] = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _space, quoted = line.partition(" ")
            entry[key] = ast.literal_eval(quoted)
    return entries


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    entries = po_entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    untranslated = [
        entry["msgid"]
        for entry in entries
        if not all(value for key, value in entry.items() if key.startswith("msgstr"))
    ]

    assert len(entries) > 100
    assert untranslated == []
    assert [entry["msgid"] for entry in entries if entry.get("fuzzy")] == []


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_the_compiled_catalogue_matches_the_po_file(language):
    folder = LOCALE / language / "LC_MESSAGES"
    entries = po_entries(folder / "django.po")
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = [
        entry["msgid"]
        for entry in entries
        if "msgstr" in entry and compiled.gettext(entry["msgid"]) != entry["msgstr"]
    ]

    assert stale == [], "run `manage.py compilemessages` and commit the .mo files"
