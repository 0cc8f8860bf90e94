"""Practices related to a practice: the ones that share its themes and tags.

A shared theme counts twice as much as a shared tag. Each related practice is shown once (one
per translation group), in the reader's language where it has a version, else in its original
language. Elasticsearch answers when it is the active backend and can (`related`); the database
answers otherwise, and whenever Elasticsearch is unavailable."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Max, Q
from django.utils import translation

from .backends import BackendUnavailable
from .backends.database import group_versions
from .models import SearchEntry, SearchFacetValue
from .service import display_version, get_backend

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
    # The page's own themes and tags, as indexed, inside the same query: one query however
    # many it has.
    own = SearchFacetValue.objects.filter(entry_id=page.pk)
    themes = own.filter(facet="theme").values("value")
    tags = own.filter(facet="tag").values("value")
    shared = (
        SearchFacetValue.objects.filter(entry__type="practice")
        .exclude(entry__translation_key=str(page.translation_key))
        .filter(Q(facet="theme", value__in=themes) | Q(facet="tag", value__in=tags))
        .values("entry__translation_key")
        .annotate(
            themes=Count("value", filter=Q(facet="theme"), distinct=True),
            tags=Count("value", filter=Q(facet="tag"), distinct=True),
            published_at=Max("entry__published_at"),
        )
        .annotate(score=F("themes") * THEME_WEIGHT + F("tags") * TAG_WEIGHT)
        .order_by("-score", F("published_at").desc(nulls_last=True), "entry__translation_key")
    )
    scored = [(row["entry__translation_key"], row["score"]) for row in shared[:limit]]
    return _present(scored, lang or _reader_language(page))


def _present(scored, lang: str, exclude: str | None = None) -> list:
    versions = group_versions([key for key, _score in scored])
    related = []
    for key, score in scored:
        group = versions.get(key)
        if not group or key == exclude:
            continue
        document = display_version(group, lang)
        related.append(
            RelatedPractice(
                key=document["key"],
                title=document["title"],
                summary=document["summary"],
                url=document["url"],
                locale=document["locale"],
                available_locales=document["available_locales"],
                score=float(score),
            )
        )
    return related


def _reader_language(page) -> str:
    active = translation.get_language()
    return active if active in LANGUAGES else page.locale.language_code
