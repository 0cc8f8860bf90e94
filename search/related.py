"""Practices related to a practice: the ones that share its themes and tags.

A shared theme counts twice as much as a shared tag. Each related practice is shown once (one
per translation group), in the reader's language where it has a version, else in its original
language. Elasticsearch answers when it is the active backend and can (`related`); the database
answers otherwise, and whenever Elasticsearch is unavailable."""

import heapq
import logging
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from .backends import BackendUnavailable
from .backends.database import FACET_SETS, facet_pairs
from .facet_sets import EMPTY
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
    """From the facet bitmaps of the index (`search.facet_sets`): the practices sharing a
    theme or tag with any version of this one."""
    sets = FACET_SETS.get()
    own_key = str(page.translation_key)
    practices = sets.groups_with.get("type", {}).get("practice", EMPTY)
    own_ids, own_values = _indexed_versions(own_key)
    scores = Counter()
    for facet, value in own_values:
        weight = THEME_WEIGHT if facet == "theme" else TAG_WEIGHT
        for group in sets.groups_with.get(facet, {}).get(value, EMPTY) & practices:
            scores[group] += weight
    for page_id in own_ids:
        if page_id in sets.page_ids:
            scores.pop(sets.group_of[page_id], None)
    if len(scores) > limit:
        lowest = heapq.nlargest(limit, scores.values())[-1]
        candidates = [group for group, score in scores.items() if score >= lowest]
    else:
        candidates = list(scores)
    newest = {group: _newest(sets, group) for group in candidates}
    # Most shared first; then the newest; then by key, for a stable order.
    candidates.sort(key=lambda group: sets.keys[group])
    candidates.sort(key=lambda group: newest[group], reverse=True)
    candidates.sort(key=lambda group: scores[group], reverse=True)
    scored = [(sets.keys[group], scores[group]) for group in candidates[:limit]]
    return _present(scored, lang or _reader_language(page))


def _indexed_versions(translation_key: str) -> tuple[list[int], set[tuple[str, str]]]:
    """The page ids of a page's indexed versions, and the themes and tags of any of them."""
    page_ids, values = [], set()
    rows = SearchEntry.objects.filter(translation_key=translation_key).values_list(
        "page_id", "facet_text"
    )
    for page_id, text in rows:
        page_ids.append(page_id)
        values.update(pair for pair in facet_pairs(text) if pair[0] in ("theme", "tag"))
    return page_ids, values


def _newest(sets, group: int) -> int:
    return max(sets.dates[i] for i in sets.members(group))


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
