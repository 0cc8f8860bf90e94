"""The log of what people search for, and what editors learn from it: the searches that find
little or nothing (content to write, words to add), and the filters people reach for.

One row per search made on the page or through the API: the query as typed (lowercased, spaces
collapsed), the language, the filters, how many results it found and which backend answered.
Nothing about who searched. Autocomplete, feeds and plain browsing are not logged."""

import logging
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django_tasks import task

from .models import SearchQueryLog
from .params import MAX_QUERY_LENGTH, SearchParams

logger = logging.getLogger(__name__)
FEW_RESULTS = 2
DEFAULT_RETENTION_DAYS = 365


def normalised(query: str) -> str:
    return " ".join(query.lower().split())[:MAX_QUERY_LENGTH]


# How long a search waits to write its log row while another process writes (an import,
# on SQLite): a row not written by then is dropped and counted, never waited for.
LOG_WAIT_MILLISECONDS = 100
dropped = 0  # rows dropped in this process


def record(params: SearchParams, result) -> SearchQueryLog | None:
    """Log one search. Browsing everything (no words, no filters) is not a search; a log that
    cannot be written must never cost the reader their results, nor keep them waiting."""
    global dropped
    query = normalised(params.query)
    if not query and not params.filters:
        return None
    try:
        with _brief_wait(), transaction.atomic():
            return SearchQueryLog.objects.create(
                query=query,
                lang=params.lang,
                filters={name: list(values) for name, values in params.filters.items()},
                result_count=result.total,
                backend=result.backend,
            )
    except DatabaseError as error:
        dropped += 1
        logger.warning(
            "The search %r was not logged (%s); %d dropped so far", query, error, dropped
        )
        return None


@contextmanager
def _brief_wait():
    """On SQLite, a busy timeout of `LOG_WAIT_MILLISECONDS` instead of the connection's."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    usual = int(connection.settings_dict["OPTIONS"].get("timeout", 5) * 1000)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {LOG_WAIT_MILLISECONDS}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {usual}")


def _since(days: int):
    return timezone.now() - timedelta(days=days)


def zero_result_queries(
    days: int, lang: str | None = None, max_results: int = FEW_RESULTS, limit: int = 50
) -> list[dict]:
    """The queries most often searched over the last `days` days that found at most
    `max_results` results, per language: {query, lang, searches, results, last_searched}, where
    `results` is the most any of those searches found."""
    rows = SearchQueryLog.objects.filter(
        created_at__gte=_since(days), result_count__lte=max_results
    ).exclude(query="")
    if lang:
        rows = rows.filter(lang=lang)
    rows = (
        rows.values("query", "lang")
        .annotate(
            searches=Count("id"), results=Max("result_count"), last_searched=Max("created_at")
        )
        .order_by("-searches", "-last_searched", "query", "lang")
    )
    return list(rows[:limit])


def popular_filters(days: int, limit: int = 30) -> list[dict]:
    """The filter values used most over the last `days` days: {facet, value, count}."""
    counts = Counter()
    rows = (
        SearchQueryLog.objects.filter(created_at__gte=_since(days))
        .exclude(filters={})
        .values_list("filters", flat=True)
    )
    for filters in rows.iterator(chunk_size=2000):
        for facet, values in (filters or {}).items():
            for value in values:
                counts[(facet, value)] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"facet": f, "value": v, "count": n} for (f, v), n in ranked[:limit]]


def retention_days() -> int:
    return getattr(settings, "SEARCH_LOG_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)


def prune(older_than_days: int | None = None) -> int:
    """Delete the searches logged more than `older_than_days` days ago (default: the
    SEARCH_LOG_RETENTION_DAYS setting). Returns how many were deleted."""
    days = retention_days() if older_than_days is None else older_than_days
    deleted, _detail = SearchQueryLog.objects.filter(created_at__lt=_since(days)).delete()
    return deleted


@task()
def prune_search_log_task() -> int:
    return prune()
