"""Keeping the indexes in step with the pages: what to (re)index when something changes.

Every change goes through a django-tasks task: run at once in development and tests, queued for
the worker in production, so a slow Elasticsearch never slows an editor, and a failing one never
stops a publication (the task fails, `search_index sync` catches up later). The database index
is always kept: it is the embedded backend and the fallback when Elasticsearch is down."""

import logging
from collections import Counter

from django.conf import settings
from django_tasks import task
from wagtail.models import Page

from .backends import database
from .documents import MODELS, TYPES, build_documents, indexable_pages
from .parallel import with_analyses
from .vocabulary import Vocabulary

logger = logging.getLogger(__name__)
BATCH_SIZE = 200


def elasticsearch_backend():
    if not settings.ELASTICSEARCH_URL:
        return None
    from .backends.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend.from_settings(for_indexing=True)


# Page ids per query: far below the limit of parameters in one statement (32 766 or 250 000 on
# SQLite, as it was built; 65 535 on PostgreSQL), which an import of 100 000 practices passes.
GROUP_CHUNK = 5000


def group_page_ids(page_ids) -> list[int]:
    """The pages and every other version of them: a new or removed translation changes the
    available languages shown with each version."""
    page_ids = sorted(set(page_ids))
    grouped = set(page_ids)
    for start in range(0, len(page_ids), GROUP_CHUNK):
        keys = Page.objects.filter(pk__in=page_ids[start : start + GROUP_CHUNK]).values(
            "translation_key"
        )
        grouped.update(Page.objects.filter(translation_key__in=keys).values_list("pk", flat=True))
    return sorted(grouped)


def refresh_pages(page_ids, workers: int = 1) -> dict:
    """Index the indexable ones among these pages, remove the others from the index.

    The database index is written first and always; an Elasticsearch failure is raised only
    after every chunk has reached the database, so the fallback stays complete. `workers`:
    processes analysing the texts (`search.parallel`; 1, in this process)."""
    from .backends import BackendUnavailable

    page_ids = sorted(set(page_ids))
    indexed = removed = 0
    es_error = None
    es = elasticsearch_backend()
    # The vocabulary is updated once, not with every chunk (an import refreshes thousands).
    vocabulary_changes = Counter()
    chunks = [page_ids[start : start + BATCH_SIZE] for start in range(0, len(page_ids), BATCH_SIZE)]
    batches = (list(build_documents(_indexable_specific(chunk))) for chunk in chunks)
    try:
        for chunk, (documents, analyses) in zip(
            chunks, with_analyses(batches, workers if len(chunks) > 1 else 1), strict=True
        ):
            gone = sorted(set(chunk) - {d["id"] for d in documents})
            database.index_documents(documents, vocabulary_changes, analyses)
            database.remove_pages(gone)
            if es is not None and es_error is None:
                try:
                    es.index_documents(documents)
                    es.remove_pages(gone)
                except Exception as error:  # whatever it is, the database index goes on
                    es_error = (
                        error
                        if isinstance(error, BackendUnavailable)
                        else BackendUnavailable(f"Elasticsearch indexing: {error!r}")
                    )
            indexed += len(documents)
            removed += len(gone)
    finally:
        Vocabulary.apply(vocabulary_changes)
    if es_error is not None:
        logger.warning(
            "Elasticsearch did not take the update; `search_index sync` will catch up: %s", es_error
        )
        raise es_error
    return {"indexed": indexed, "removed": removed}


def _indexable_specific(page_ids):
    pages = []
    for model in TYPES:
        pages += list(indexable_pages(model).filter(pk__in=page_ids).only("pk", "translation_key"))
    return pages


@task()
def refresh_pages_task(page_ids: list[int]) -> dict:
    return refresh_pages(page_ids)


def schedule_refresh(page_ids) -> None:
    from practices.bulk import collect

    page_ids = list(page_ids)
    if not page_ids or collect(page_ids):
        return
    refresh_pages_task.enqueue(group_page_ids(page_ids))


def live_indexable_ids() -> set[int]:
    ids = set()
    for model in MODELS.values():
        ids.update(indexable_pages(model).values_list("pk", flat=True))
    return ids
