"""The indexed words (unstemmed, folded) of the embedded backend, for typo tolerance and
"did you mean". Kept in the database (SearchTerm) and cached in memory by word length."""

import threading
import time
from collections import Counter, defaultdict

from django.db import connection
from rapidfuzz import process
from rapidfuzz.distance import OSA

from search import versions
from search.models import SearchTerm
from search.plan import allowed_edits

MAX_AGE_SECONDS = 60
MAX_EXPANSIONS = 50  # as Elasticsearch's fuzzy max_expansions


class _Cache:
    def __init__(self):
        self.lock = threading.Lock()
        self.version = None
        self.loaded_at = 0.0
        self.by_length: dict[int, list[str]] = {}
        self.counts: dict[str, int] = {}
        self.expansions: dict[str, list[str]] = {}  # of the words asked for since loading


_cache = _Cache()


class Vocabulary:
    @staticmethod
    def apply_changes(old_words: dict, new_words: dict) -> None:
        """Count each entry's words once: removed entries' words down, new entries' up."""
        Vocabulary.apply(Vocabulary.changes(old_words, new_words))

    @staticmethod
    def changes(old_words: dict, new_words: dict) -> Counter:
        """How the count of each word changes when entries' words go from old to new."""
        delta = Counter()
        for words in old_words.values():
            delta.subtract(words)
        for words in new_words.values():
            delta.update(words)
        return delta

    @staticmethod
    def apply(changes: Counter) -> None:
        delta = {word: n for word, n in changes.items() if n}
        if not delta:
            return
        existing = {}
        words = list(delta)
        for start in range(0, len(words), 500):
            for term in SearchTerm.objects.filter(term__in=words[start : start + 500]):
                existing[term.term] = term
        to_update, to_delete, to_create = [], [], []
        for word, change in delta.items():
            term = existing.get(word)
            if term is None:
                if change > 0:
                    to_create.append(SearchTerm(term=word, length=len(word), entry_count=change))
            elif term.entry_count + change <= 0:
                to_delete.append(term.pk)
            else:
                term.entry_count += change
                to_update.append(term)
        SearchTerm.objects.bulk_create(to_create, batch_size=1000)
        with connection.cursor() as cursor:  # cheaper than bulk_update's CASE expressions
            cursor.executemany(
                f"UPDATE {SearchTerm._meta.db_table} SET entry_count = %s WHERE id = %s",
                [(term.entry_count, term.pk) for term in to_update],
            )
        for start in range(0, len(to_delete), 500):
            SearchTerm.objects.filter(pk__in=to_delete[start : start + 500]).delete()
        Vocabulary.changed()

    @staticmethod
    def clear() -> None:
        SearchTerm.objects.all().delete()
        Vocabulary.changed()

    @staticmethod
    def changed() -> None:
        versions.bump(versions.VOCABULARY)

    @staticmethod
    def _current():
        version = versions.current(versions.VOCABULARY)
        now = time.monotonic()
        if _cache.version != version or now - _cache.loaded_at > MAX_AGE_SECONDS:
            with _cache.lock:
                by_length, counts = defaultdict(list), {}
                for term, count in SearchTerm.objects.values_list("term", "entry_count").iterator(
                    chunk_size=5000
                ):
                    by_length[len(term)].append(term)
                    counts[term] = count
                _cache.by_length, _cache.counts = dict(by_length), counts
                _cache.expansions = {}
                _cache.version, _cache.loaded_at = version, now
        return _cache

    @staticmethod
    def expansions(words) -> dict:
        """{word: [indexed words within the typos the word's length allows, excluding itself]}"""
        current = None
        result = {}
        for word in words:
            edits = allowed_edits(word)
            if not edits:
                continue
            current = current or Vocabulary._current()
            known = current.expansions.get(word)
            if known is not None:
                result[word] = known
                continue
            candidates = [
                term
                for length in range(len(word) - edits, len(word) + edits + 1)
                for term in current.by_length.get(length, ())
            ]
            matches = process.extract(
                word, candidates, scorer=OSA.distance, score_cutoff=edits, limit=None
            )
            ranked = sorted(
                (m for m in matches if m[0] != word),
                key=lambda m: (m[1], -current.counts.get(m[0], 0), m[0]),
            )
            result[word] = [term for term, _distance, _index in ranked[:MAX_EXPANSIONS]]
            current.expansions[word] = result[word]
        return result

    @staticmethod
    def is_known(word: str) -> bool:
        return word in Vocabulary._current().counts

    @staticmethod
    def best_correction(word: str) -> str | None:
        """The most used indexed word within reach of a word that is not indexed itself."""
        if Vocabulary.is_known(word):
            return None
        candidates = Vocabulary.expansions([word]).get(word) or []
        return candidates[0] if candidates else None
