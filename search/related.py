"""Practices related to a practice: the ones that share its themes and tags.

A shared theme counts twice as much as a shared tag. Each related practice is shown once (one
per translation group), in the reader's language where it has a version, else in its original
language. Elasticsearch answers when it is the active backend and can (`related`); the database
answers otherwise, and whenever Elasticsearch is unavailable."""

import heapq
import logging
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import translation

from .backends import BackendUnavailable
from .backends.database import (
    FACET_SEPARATOR,
    VALUE_SEPARATOR,
    entries_read_lightly,
    index_version,
)
from .models import SearchEntry
from .service import card_fields, displayed_documents, get_backend

logger = logging.getLogger(__name__)
DEFAULT_LIMIT = 5
THEME_WEIGHT = 2
TAG_WEIGHT = 1
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@dataclass
class RelatedPractice:
    key: str
    title: str
    summary: str
    url: str
    locale: str
    available_locales: list
    score: float
    spread: dict | None = None
    evidence: str | None = None  # the slug of its evidence level


def related_practices(page, limit: int = DEFAULT_LIMIT, lang: str | None = None) -> list:
    """Up to `limit` RelatedPractice for a practice page, best first."""
    lang = lang or _reader_language(page)
    try:
        backend = get_backend()
        if hasattr(backend, "related"):
            entry = SearchEntry.objects.filter(page_id=page.pk).only("document").first()
            if entry is not None:
                hits = backend.related(entry.document, limit)
                scored = [(hit.translation_key, hit.score) for hit in hits]
                return _present(scored, lang, exclude=str(page.translation_key))[:limit]
    except BackendUnavailable as error:
        logger.warning("Related practices answered from the database: %s", error)
    return database_related(page, limit, lang)


def database_related(page, limit: int = DEFAULT_LIMIT, lang: str | None = None) -> list:
    terms = _practice_terms()
    own_key = str(page.translation_key)
    scores = Counter()
    for pair in terms.values_of.get(own_key, ()):
        sharing = terms.groups_with.get(pair, ())
        for _weight in range(THEME_WEIGHT if pair.startswith(_THEME) else TAG_WEIGHT):
            scores.update(sharing)
    scores.pop(own_key, None)
    if len(scores) > limit:
        lowest = heapq.nlargest(limit, scores.values())[-1]
        candidates = [key for key, score in scores.items() if score >= lowest]
    else:
        candidates = list(scores)
    # Most shared first; then the newest; then by key, for a stable order.
    candidates.sort()
    candidates.sort(key=lambda key: terms.published[key], reverse=True)
    candidates.sort(key=lambda key: scores[key], reverse=True)
    scored = [(key, scores[key]) for key in candidates[:limit]]
    return _present(scored, lang or _reader_language(page))


_THEME = f"theme{VALUE_SEPARATOR}"
_TAG = f"tag{VALUE_SEPARATOR}"
_PRACTICE = f"type{VALUE_SEPARATOR}practice"
MAX_AGE_SECONDS = 60
UNDATED = ""  # dates are compared as ISO text


@dataclass
class _PracticeTerms:
    """Every practice's themes and tags (per translation group, over all its versions) and
    the groups that have each: read from the search index once per change of it (and at
    least every minute, for changes made by another process), so that a practice page finds
    its related practices without grouping thousands of facet rows per request."""

    version: object = None
    loaded_at: float = 0.0
    values_of: dict = field(default_factory=dict)  # translation key -> {"theme<sep>slug", ...}
    groups_with: dict = field(default_factory=dict)  # "theme<sep>slug" -> [translation keys]
    published: dict = field(default_factory=dict)  # translation key -> newest publication


_loaded = _PracticeTerms()
_lock = threading.Lock()


def _practice_terms() -> _PracticeTerms:
    global _loaded
    version = index_version()
    now = time.monotonic()
    if _loaded.version == version and now - _loaded.loaded_at < MAX_AGE_SECONDS:
        return _loaded
    with _lock:
        values_of, published = defaultdict(set), {}
        with connection.cursor() as cursor:
            # Every entry, its type read from its facet values: a WHERE on the type column
            # would make SQLite read each entry's whole row.
            cursor.execute(
                "SELECT e.translation_key, CAST(e.published_at AS TEXT), e.facet_text "
                f"FROM {entries_read_lightly('e')}"
            )
            rows = cursor.fetchall()
        for key, published_at, text in rows:
            pairs = text.split(FACET_SEPARATOR) if text else []
            if _PRACTICE not in pairs:
                continue
            values_of[key].update(pair for pair in pairs if pair.startswith((_THEME, _TAG)))
            published[key] = max(published.get(key, UNDATED), published_at or UNDATED)
        groups_with = defaultdict(list)
        for key, pairs in values_of.items():
            for pair in pairs:
                groups_with[pair].append(key)
        _loaded = _PracticeTerms(version, now, dict(values_of), dict(groups_with), published)
    return _loaded


def _present(scored, lang: str, exclude: str | None = None) -> list:
    documents = displayed_documents([key for key, _score in scored], lang)
    return [
        RelatedPractice(**card_fields(documents[key]), score=float(score))
        for key, score in scored
        if key in documents and key != exclude
    ]


def _reader_language(page) -> str:
    active = translation.get_language()
    return active if active in LANGUAGES else page.locale.language_code
