"""Version counters of what each process keeps in memory (the vocabulary, the synonym sets,
anything read from the index): bumped when the data changes, in the shared cache (Redis in
production), so that every process sees the change and reloads."""

from django.core.cache import cache

INDEX = "search:index-version"  # entries written or removed
VOCABULARY = "search:vocabulary-version"
SYNONYMS = "search:synonyms-version"


def current(key: str):
    return cache.get(key)


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, None)
