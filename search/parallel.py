"""Indexing on several cores: the text analysis of each batch of documents (tokens, lemmas and
compound parts in six languages: `database.analysed`) runs in worker processes, while this
process reads the pages and writes the index. Every write stays here, batch by batch, as
without workers: SQLite has one writer, and the entries are the same either way.

The workers are forked from this process once its dictionaries are open (`lexicon.load`), so
they share the memory-mapped tries and the stop words instead of opening or building their own.
docs/performance.md has the figures."""

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator

from django.conf import settings

from . import analysis, lexicon
from .backends import database


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system has one)."""
    process_cpu_count = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if process_cpu_count is not None:
        return process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def worker_count(workers: int | None = None) -> int:
    """`workers` when given, else the SEARCH_INDEX_WORKERS setting, else the usable cores."""
    if workers is None:
        workers = getattr(settings, "SEARCH_INDEX_WORKERS", 0) or usable_cores()
    return max(1, int(workers))


def with_analyses(
    batches: Iterable[list[dict]], workers: int = 1
) -> Iterator[tuple[list[dict], list | None]]:
    """Each batch of documents with the analyses of its documents (`database.analysed`), in
    the order given, for `database.index_documents(documents, ..., analyses)`.

    With one worker: each batch with None, and `index_documents` analyses it itself, in this
    process, as it always did. With more: the workers analyse up to `workers` batches ahead
    of the one returned, while this process builds the next batches and writes the last."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():  # Windows
        for documents in batches:
            yield documents, None
        return
    lexicon.load()
    analysis.tokenize("")  # builds the tokenizer's character table, once, before the fork
    # Forked, not spawned: the workers start at once with this process's modules, settings and
    # open tries. They never touch the database connection they inherit.
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:  # terminated on leaving, also on an error
        pending = deque()
        for documents in batches:
            pending.append((documents, pool.apply_async(_analyse, (documents,))))
            if len(pending) > workers:
                documents, analyses = pending.popleft()
                yield documents, analyses.get()
        while pending:
            documents, analyses = pending.popleft()
            yield documents, analyses.get()
        pool.close()
        pool.join()


def _analyse(documents: list[dict]) -> list:
    return [database.analysed(document) for document in documents]
