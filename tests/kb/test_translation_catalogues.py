"""Every interface string is translated into all six languages, with nothing left fuzzy and
every placeholder kept, so a Danish visitor never meets an English interface string."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = {
    code: Path(settings.BASE_DIR) / "locale" / code / "LC_MESSAGES" / "django.po"
    for code, _ in settings.LANGUAGES
}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("code", list(CATALOGUES))
def test_every_interface_string_is_translated_and_none_is_fuzzy(code):
    catalogue = polib.pofile(str(CATALOGUES[code]))

    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("code", list(CATALOGUES))
def test_translations_keep_every_placeholder(code):
    broken = []
    for entry in polib.pofile(str(CATALOGUES[code])):
        if entry.msgid_plural:
            expected = placeholders(entry.msgid_plural)
            got = [placeholders(text) for text in entry.msgstr_plural.values()]
            # A singular form may say "one" in words instead of using the count.
            ok = all(
                set(g) <= set(expected)
                and set(g) >= set(expected) - {"%(count)d", "%(counter)s", "%d", "%s"}
                for g in got
            )
        else:
            ok = placeholders(entry.msgstr) == placeholders(entry.msgid)
        if not ok:
            broken.append(entry.msgid)
    assert broken == []


def test_all_six_catalogues_hold_the_same_strings():
    msgids = {code: {e.msgid for e in polib.pofile(str(path))} for code, path in CATALOGUES.items()}

    assert all(ids == msgids["en"] for ids in msgids.values())
