"""Whole-index operations behind `manage.py search_index`: rebuild, sync and status."""

from collections import Counter

from django.conf import settings
from django_tasks import task

from .backends import BackendUnavailable, database
from .documents import MODELS, documents_of, indexable_pages
from .indexing import BATCH_SIZE, elasticsearch_backend, live_indexable_ids, refresh_pages
from .models import SearchEntry
from .parallel import with_analyses, worker_count
from .vocabulary import Vocabulary

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def iter_document_batches():
    """Every indexable page's document, in batches, oldest pages first, per model."""
    for model in MODELS.values():
        ids = list(indexable_pages(model).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH_SIZE):
            yield list(documents_of(model, ids[start : start + BATCH_SIZE]))


def rebuild(progress=None, workers: int | None = None) -> dict:
    """Build everything anew. Elasticsearch: into new timestamped indices, then one alias
    swap, so search keeps answering from the old indices meanwhile.

    `workers`: processes analysing the texts (`search.parallel.worker_count`: by default the
    SEARCH_INDEX_WORKERS setting, else one per usable core; 1 analyses in this process)."""
    es = elasticsearch_backend()
    words = Counter()
    batches = with_analyses(iter_document_batches(), worker_count(workers))
    count = 0
    if es is not None:
        with es.rebuilding() as new_indices:
            database.clear_index()
            for documents, analyses in batches:
                database.index_documents(documents, words, analyses)
                new_indices.index_documents(documents)
                count += len(documents)
                if progress:
                    progress(documents)
            Vocabulary.apply(words)
        return {"indexed": count}
    database.clear_index()
    for documents, analyses in batches:
        count += database.index_documents(documents, words, analyses)
        if progress:
            progress(documents)
    Vocabulary.apply(words)
    return {"indexed": count}


def sync(workers: int | None = 1) -> dict:
    """Index what is missing or stale, remove what should not be there. `workers` as for
    `rebuild` (by default in this process: a task worker syncs a few pages at a time)."""
    live = live_indexable_ids()
    indexed = set(SearchEntry.objects.values_list("page_id", flat=True))
    es = elasticsearch_backend()
    if es is not None:
        indexed &= es.indexed_ids()
    stale = _stale_ids(live & indexed)
    result = refresh_pages(sorted((live - indexed) | stale), workers=worker_count(workers))
    database.remove_pages(sorted(indexed - live))
    extra = set(SearchEntry.objects.values_list("page_id", flat=True)) - live
    if es is not None:
        extra |= es.indexed_ids() - live
        es.remove_pages(sorted(extra))
    database.remove_pages(sorted(extra))
    result["removed"] += len(extra)
    return result


def _stale_ids(ids) -> set[int]:
    """Indexed pages published again since they were indexed (an outage, say)."""
    from wagtail.models import Page

    published = dict(Page.objects.filter(pk__in=ids).values_list("pk", "last_published_at"))
    stale = set()
    for page_id, document in SearchEntry.objects.filter(page_id__in=ids).values_list(
        "page_id", "document"
    ):
        last = published.get(page_id)
        if last and document.get("last_published_at") != last.isoformat():
            stale.add(page_id)
    return stale


def status() -> list[dict]:
    """Per language: live pages, entries in the database index and, when configured, in
    Elasticsearch (or, when it cannot be reached, `elasticsearch_error`: why)."""
    live = Counter()
    for model in MODELS.values():
        for code in indexable_pages(model).values_list("locale__language_code", flat=True):
            live[code] += 1
    in_database = Counter(SearchEntry.objects.values_list("locale", flat=True))
    es = elasticsearch_backend()
    in_elasticsearch = None
    if es is not None:
        try:
            in_elasticsearch = es.count_per_locale()
        except BackendUnavailable as error:
            in_elasticsearch = str(error)  # unreachable: what the client said
    rows = []
    for code in LANGUAGES:
        row = {"locale": code, "live": live[code], "database": in_database[code]}
        if isinstance(in_elasticsearch, dict):
            row["elasticsearch"] = in_elasticsearch.get(code, 0)
        elif in_elasticsearch is not None:
            row["elasticsearch_error"] = in_elasticsearch
        rows.append(row)
    return rows


@task()
def sync_task() -> dict:
    return sync()
