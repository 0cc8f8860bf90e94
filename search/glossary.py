"""A glossary learned from the site's own translations: the titles of one translation group
are parallel text ("Living library" / "Elävä kirjasto" / "Levende bibliotek"), so words that
keep appearing together in the titles of the same groups, in two languages, translate each
other. A query word then also finds pages in the other language that hold its translation
(`search.matching`'s `translation` kind), even a page with no version in the query's
language.

A word pair counts when it appears together in the titles of at least MIN_GROUPS groups
and its Dice coefficient (2 × groups together / (groups with the one + groups with the
other), over the groups having both languages) is at least MIN_DICE; a word keeps its
MAX_TRANSLATIONS best partners per language. Words are compared as their folded stems (the
index's `folded` tokens), stop words left out. Learned from the index's titles and learned
again when the index has changed (`current`)."""

import logging
import threading
import time
from collections import Counter, defaultdict
from itertools import combinations

from django.core.cache import cache
from django.db import connection

from . import analysis, lexicon, versions
from .models import SearchEntry

logger = logging.getLogger(__name__)

MIN_GROUPS = 2
MIN_DICE = 0.5
MAX_TRANSLATIONS = 3
MAX_AGE_SECONDS = 300.0
SHARED_SECONDS = 86400.0

_lock = threading.Lock()
_state = {"version": object(), "learned_at": float("-inf"), "pairs": None}


def title_words(title: str, locale: str) -> set[str]:
    """The folded stems of a title's content words in `locale`."""
    stop = lexicon.stopwords(locale)
    words = set()
    for plain in analysis.analyze(title, None, "plain"):
        if len(plain) < 3 or not plain.isalpha() or plain in stop:
            continue
        words.update(analysis.analyze(plain, locale, "folded"))
    return words


def learn(titles_by_group) -> dict:
    """{(language, stem): [(other language, stem), ...]} from {group: {locale: title}}."""
    together = Counter()  # ((a, x), (b, y)) with a < b
    alone = Counter()  # ((a, x), b): groups with both languages where x is in a's title
    for titles in titles_by_group.values():
        words = {code: title_words(title, code) for code, title in titles.items()}
        for a, b in combinations(sorted(words), 2):
            for x in words[a]:
                alone[((a, x), b)] += 1
            for y in words[b]:
                alone[((b, y), a)] += 1
            for x in words[a]:
                for y in words[b]:
                    together[((a, x), (b, y))] += 1
    partners = defaultdict(list)
    for (first, second), count in together.items():
        if count < MIN_GROUPS:
            continue
        dice = 2 * count / (alone[(first, second[0])] + alone[(second, first[0])])
        if dice >= MIN_DICE:
            partners[first].append((dice, second))
            partners[second].append((dice, first))
    glossary = {}
    for word, found in partners.items():
        best = {}
        for _dice, (language, stem) in sorted(found, key=lambda item: (-item[0], item[1])):
            best.setdefault(language, [])
            if len(best[language]) < MAX_TRANSLATIONS:
                best[language].append((language, stem))
        glossary[word] = [pair for pairs in best.values() for pair in pairs]
    return glossary


def _titles_by_group() -> dict:
    groups = defaultdict(dict)
    rows = SearchEntry.objects.values_list("translation_key", "locale", "title")
    for key, locale, title in rows.iterator(chunk_size=5000):
        groups[key][locale] = title
    return {key: titles for key, titles in groups.items() if len(titles) > 1}


def current() -> dict:
    """The glossary of the index as it is, or as it was a moment ago. Learning takes about
    2.5 s at 10 000 practices: a process learns once on first use (unless another process
    left the glossary of this index version in the shared cache); afterwards a changed
    index is learned anew in a background thread, at most every MAX_AGE_SECONDS, and the
    previous glossary answers meanwhile."""
    version = versions.index_version()
    age = time.monotonic() - _state["learned_at"]
    if _state["version"] == version or _shared(version):
        return _state["pairs"]
    if _state["pairs"] is None:
        with _lock:
            if _state["pairs"] is None:
                _learn(version)
        return _state["pairs"]
    previous = _state["pairs"]
    if age >= MAX_AGE_SECONDS and _lock.acquire(blocking=False):
        _state["learned_at"] = time.monotonic()  # one learner at a time, then wait again
        threading.Thread(target=_learn_in_background, args=(version,), daemon=True).start()
    return previous


def warm() -> None:
    """Learns in a background thread now when this process has no glossary yet (a web worker
    that has just started): a search arriving meanwhile waits for it instead of learning too."""
    if _state["pairs"] is None and _lock.acquire(blocking=False):
        threading.Thread(target=_learn_in_background, daemon=True).start()


def _shared(version) -> bool:
    """Takes the glossary of this index version from the shared cache, when another process
    left it there."""
    shared = cache.get(_cache_key(version))
    if shared is None:
        return False
    _state.update(version=version, pairs=shared, learned_at=time.monotonic())
    return True


def _learn(version) -> None:
    pairs = learn(_titles_by_group())
    cache.set(_cache_key(version), pairs, SHARED_SECONDS)
    _state.update(version=version, pairs=pairs, learned_at=time.monotonic())


def _learn_in_background(version=None) -> None:
    """Without a version: a worker warming up, which may find the glossary of the index as
    it is in the shared cache."""
    try:
        if version is None:
            version = versions.index_version()
            if _shared(version):
                return
        _learn(version)
    except Exception:  # the previous glossary, or the first search, learns instead
        logger.exception("Could not learn the glossary in the background")
    finally:
        _lock.release()
        connection.close()  # this thread's own database connection


def _cache_key(version) -> str:
    return "search:glossary:" + ":".join(str(part) for part in version)


def translations(word: str, glossary: dict | None = None) -> dict:
    """{language: [stems]} the word (in any of the site's languages) translates to."""
    glossary = current() if glossary is None else glossary
    if not glossary:
        return {}
    found = defaultdict(list)
    plain = analysis.fold(analysis.lowercase(word))
    for code in analysis.LOCALES:
        for stem in analysis.analyze(plain, code, "folded"):
            for language, other in glossary.get((code, stem), ()):
                if other not in found[language]:
                    found[language].append(other)
    return dict(found)
