"""Version counters of what each process keeps in memory (the vocabulary, the synonym sets,
anything read from the index): bumped when the data changes, in the shared cache (Redis in
production), so that every process sees the change and reloads.

The embedded index has a counter in the database as well (`IndexGeneration`), raised after
each change is committed: processes that share no cache (the embedded default, whose cache
is each process's own memory) see each other's changes through it."""

import time

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F

from .models import IndexGeneration

INDEX = "search:index-version"  # entries written or removed
VOCABULARY = "search:vocabulary-version"
SYNONYMS = "search:synonyms-version"


def current(key: str):
    return cache.get(key)


def bump(key: str) -> None:
    global _index_version_read
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, None)
    _index_version_read = None


# A search asks for the index's version several times (the facet sets, the facet labels, the
# glossary); it is read again at most this often, and at once after a change made here.
INDEX_VERSION_SECONDS = 1.0
_index_version_read = None  # (version, when read)


def index_version() -> tuple:
    """The embedded index's version, as every process sees it."""
    global _index_version_read
    now = time.monotonic()
    if _index_version_read is not None and now - _index_version_read[1] < INDEX_VERSION_SECONDS:
        return _index_version_read[0]
    generation = IndexGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
    version = (cache.get(INDEX), generation)
    _index_version_read = (version, now)
    return version


def index_changed() -> None:
    """Call where the index's entries were written or removed, inside or outside their
    transaction: the database's counter rises once they are committed (and not if they are
    rolled back), outside the transaction, so that no writer waits on another for it."""
    bump(INDEX)
    transaction.on_commit(_raise_generation)


def _raise_generation() -> None:
    global _index_version_read
    if not IndexGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        try:
            with transaction.atomic():
                IndexGeneration.objects.create(pk=1, value=1)
        except IntegrityError:  # created by another process just now
            IndexGeneration.objects.filter(pk=1).update(value=F("value") + 1)
    _index_version_read = None
