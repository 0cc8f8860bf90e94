"""The editors' synonym sets (`SynonymSet`), as a query sees them: a word belongs to a set
when it is one of its words or an inflection of one (the same stem in the set's language, or
in any of the site's languages for a set of several languages). Kept per process and reloaded
when a set is saved or deleted (a version in the shared cache, as for the vocabulary), and
at least every minute."""

import threading
import time
from collections import defaultdict

from . import analysis, versions
from .models import SynonymSet

_lock = threading.Lock()
# Without a shared cache (no Redis) other processes' edits are not signalled: reload anyway.
MAX_AGE_SECONDS = 60.0
_loaded = {"version": object(), "keys": {}, "loaded_at": float("-inf")}


def changed() -> None:
    versions.bump(versions.SYNONYMS)


def _keys(word: str, languages) -> set[tuple[str, str]]:
    keys = {("", analysis.fold(analysis.lowercase(word)))}
    for code in languages:
        keys.update((code, stem) for stem in analysis.analyze(word, code, "folded"))
    return keys


def _languages(language: str) -> tuple[str, ...]:
    return (language,) if language else analysis.LOCALES


def _index() -> dict:
    version = versions.current(versions.SYNONYMS)
    fresh = time.monotonic() - _loaded["loaded_at"] < MAX_AGE_SECONDS
    if _loaded["version"] == version and fresh:
        return _loaded["keys"]
    with _lock:
        keys = defaultdict(set)
        for words, language in SynonymSet.objects.values_list("words", "language"):
            members = SynonymSet(words=words).word_list()
            for word in members:
                for key in _keys(word, _languages(language)):
                    keys[key].update(members)
        _loaded["keys"], _loaded["version"] = dict(keys), version
        _loaded["loaded_at"] = time.monotonic()
    return _loaded["keys"]


def current() -> dict:
    """The sets as the next searches see them (read once per query plan)."""
    return _index()


def synonyms_of(word: str, index: dict | None = None) -> list[str]:
    """The other words of every set `word` belongs to, in the sets' spelling."""
    index = _index() if index is None else index
    if not index:
        return []
    found = set()
    for key in _keys(word, analysis.LOCALES):
        found.update(index.get(key, ()))
    own = {analysis.fold(analysis.lowercase(word))}
    return sorted(w for w in found if analysis.fold(analysis.lowercase(w)) not in own)
