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
from array import array
from collections import Counter, defaultdict
from itertools import combinations, groupby
from operator import itemgetter

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
TITLE_CHUNK = 5000  # titles a query reads

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


def learn(groups) -> dict:
    """{(language, stem): [(other language, stem), ...]} from each translation group's
    {locale: title}.

    Kept lean, as it runs in every web process: each title's words once, as numbers in
    arrays, then the pairs of one pair of languages at a time, and only of words seen in at
    least MIN_GROUPS groups with the other language (a pair seen less is no evidence)."""
    words = _Words()
    for titles in groups:
        if len(titles) > 1:
            words.add_group({code: title_words(title, code) for code, title in titles.items()})
    partners = defaultdict(list)
    for a, b in combinations(sorted(words.languages), 2):
        for first, second, dice in words.translations(a, b):
            partners[first].append((dice, second))
            partners[second].append((dice, first))
    glossary = {}
    for word, found in partners.items():
        best = defaultdict(list)
        for _dice, (language, stem) in sorted(found, key=lambda item: (-item[0], item[1])):
            if len(best[language]) < MAX_TRANSLATIONS:
                best[language].append((language, stem))
        glossary[word] = [pair for pairs in best.values() for pair in pairs]
    return glossary


class _Words:
    """The title words of many groups, language by language, as numbers (one per language and
    stem): a few bytes a word, where tuples of strings took about a hundred."""

    def __init__(self):
        self.numbers = {}  # (language, stem) -> number, in the order first seen
        self.languages = defaultdict(_Language)
        self.groups = 0

    def add_group(self, words_by_language: dict) -> None:
        numbers = self.numbers
        for code, words in words_by_language.items():
            # A title without content words still counts for Dice: its group has the language.
            found = [numbers.setdefault((code, word), len(numbers)) for word in words]
            self.languages[code].add(self.groups, found)
        self.groups += 1

    def translations(self, a: str, b: str):
        """(word in a, word in b, Dice) of the pairs that translate each other, counted
        over the groups with titles in both languages; a pair is counted as one number,
        x * number of words + y."""
        first, second = self.languages[a], self.languages[b]
        alone = Counter()
        for words_a, words_b in first.shared_with(second):
            alone.update(words_a)
            alone.update(words_b)
        together = Counter()
        size = len(self.numbers)
        for words_a, words_b in first.shared_with(second):
            seen_b = [y for y in words_b if alone[y] >= MIN_GROUPS]
            for x in words_a:
                if alone[x] >= MIN_GROUPS:
                    together.update(x * size + y for y in seen_b)
        names = list(self.numbers)
        for pair, count in together.items():
            if count < MIN_GROUPS:
                continue
            x, y = divmod(pair, size)
            dice = 2 * count / (alone[x] + alone[y])
            if dice >= MIN_DICE:
                yield names[x], names[y], dice


class _Language:
    """One language's title words, group by group (groups in ascending order)."""

    def __init__(self):
        self.groups = array("I")
        self.starts = array("I", [0])
        self.words = array("I")

    def add(self, group: int, numbers: list[int]) -> None:
        self.groups.append(group)
        self.words.extend(numbers)
        self.starts.append(len(self.words))

    def shared_with(self, other: "_Language"):
        """(words here, words there) of each group with a title in both languages."""
        i = j = 0
        while i < len(self.groups) and j < len(other.groups):
            here, there = self.groups[i], other.groups[j]
            if here == there:
                yield (
                    self.words[self.starts[i] : self.starts[i + 1]],
                    other.words[other.starts[j] : other.starts[j + 1]],
                )
            i += here <= there
            j += there <= here


def _titles_by_group():
    """Each translation group's {locale: title}, one group at a time. Read in short queries,
    each from the translation key where the last ended, so that no read of the database stays
    open while the titles are analysed (a long read holds back SQLite's checkpoints)."""
    after = ""
    while rows := list(
        SearchEntry.objects.filter(translation_key__gt=after)
        .order_by("translation_key")
        .values_list("translation_key", "locale", "title")[:TITLE_CHUNK]
    ):
        if len(rows) == TITLE_CHUNK:  # its last group may go on in the next chunk
            rows = [row for row in rows if row[0] != rows[-1][0]] or rows
        for _key, group in groupby(rows, key=itemgetter(0)):
            yield {locale: title for _key, locale, title in group}
        after = rows[-1][0]


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
