"""One benchmark step per process, so that each step's peak memory is its own.

    python -m benchmarks.steps STEP --workdir DIR [--practices N] [--seed S]

The runner (`benchmarks.run`) starts each step with the environment of the database under
test; a step writes its figures to DIR/STEP.json."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode

from .load import load_step
from .measure import latency_summary, milliseconds, peak_rss_megabytes

CORPUS_FILE = "corpus.json"
QUERIES_FILE = "queries.json"
QUERY_COUNT = 200
WARM_UP_QUERIES = 20
TOP_RESULTS = 20
WAGTAIL_TIME_LIMIT_SECONDS = 5  # a slower Wagtail search is stopped and counts as this long
PAGE_REQUESTS = 30
PAGES_PER_KIND = 5
PROGRESS_STEPS = 10


def corpus_path(workdir: Path) -> Path:
    return workdir / CORPUS_FILE


def load_corpus(workdir: Path) -> dict:
    return json.loads(corpus_path(workdir).read_text(encoding="utf-8"))


def load_queries(workdir: Path) -> list:
    """The search queries, written beside the corpus so that the search and page steps need
    not hold the corpus in memory (at 100 000 practices it would dwarf a web process)."""
    from .queries import Query

    data = json.loads((workdir / QUERIES_FILE).read_text(encoding="utf-8"))
    return [Query(**query) for query in data]


# --- generate ------------------------------------------------------------------------------


def generate_step(workdir: Path, practices: int, seed: int) -> dict:
    from .corpus import expected_pages, generate, record_counts
    from .queries import build_queries

    started = time.monotonic()
    document = generate(practices, seed)
    seconds = time.monotonic() - started
    with corpus_path(workdir).open("w", encoding="utf-8") as file:
        json.dump(document, file, ensure_ascii=False)
    queries = [query.as_dict() for query in build_queries(document, QUERY_COUNT, seed)]
    (workdir / QUERIES_FILE).write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    return {
        "records": record_counts(document),
        "expected_pages": expected_pages(document),
        "seconds": seconds,
        "megabytes": corpus_path(workdir).stat().st_size / 1e6,
    }


# --- import --------------------------------------------------------------------------------


def _print_progress(section: str, done: int, total: int) -> None:
    step = max(1, total // PROGRESS_STEPS)
    if total >= 100 and done and (done % step == 0 or done == total):
        print(f"    {section.replace('_', ' ')}: {done}/{total}", file=sys.stderr, flush=True)


def import_step(workdir: Path, **options) -> dict:
    from wagtail.search.models import IndexEntry

    from practices.exchange.importer import import_document
    from search.models import SearchEntry

    document = load_corpus(workdir)
    started = time.monotonic()
    report = import_document(document, progress=_print_progress)
    return {
        "pages_written": report.pages_written,
        "seconds": report.seconds,
        "wall_seconds": time.monotonic() - started,
        "pages_per_second": report.pages_per_second,
        "sections": {section: str(counts) for section, counts in report.pages.items()},
        "search_entries": SearchEntry.objects.count(),
        "wagtail_index_entries": IndexEntry.objects.count(),
    }


# --- reindex -------------------------------------------------------------------------------


def reindex_step(workdir: Path, **options) -> dict:
    """search.operations.rebuild(): the embedded index, and Elasticsearch too when
    ELASTICSEARCH_URL is set (the runner sets it for a second run only)."""
    from django.conf import settings

    from search.models import SearchTerm
    from search.operations import rebuild

    started = time.monotonic()
    outcome = rebuild()
    seconds = time.monotonic() - started
    result = {
        "backends": "embedded + elasticsearch" if settings.ELASTICSEARCH_URL else "embedded",
        "documents": outcome["indexed"],
        "seconds": seconds,
        "documents_per_second": outcome["indexed"] / seconds if seconds else 0.0,
        "vocabulary_terms": SearchTerm.objects.count(),
        "index_megabytes": search_index_megabytes(),
    }
    if settings.ELASTICSEARCH_URL:
        result["deleted_indices"] = _delete_benchmark_indices()
    return result


def search_index_megabytes() -> dict:
    """The embedded index on disk: {the entries' token columns, the full-text index itself}
    in MB (SQLite: the FTS5 table's pages; PostgreSQL: the tsvector column and its GIN index)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT SUM(LENGTH(title_tokens) + LENGTH(keyword_tokens) + LENGTH(summary_tokens)"
            " + LENGTH(body_tokens)) FROM search_searchentry"
        )
        # PostgreSQL's SUM of integers is a numeric: a Decimal in Python.
        tokens = float(cursor.fetchone()[0] or 0)
        if connection.vendor == "sqlite":
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_fts%'")
        else:
            cursor.execute("SELECT SUM(pg_column_size(search_vector)) FROM search_searchentry")
        full_text = float(cursor.fetchone()[0] or 0)
        if connection.vendor != "sqlite":
            cursor.execute(
                "SELECT COALESCE(SUM(pg_relation_size(indexrelid)), 0) FROM pg_index "
                "WHERE indrelid = 'search_searchentry'::regclass AND indexrelid::regclass::text "
                "LIKE '%%vector%%'"
            )
            full_text += float(cursor.fetchone()[0] or 0)
    return {"token_columns": tokens / 1e6, "full_text_index": full_text / 1e6}


def _delete_benchmark_indices() -> list[str]:
    """The indices this run created (the runner gives it an index prefix of its own)."""
    from search.indexing import elasticsearch_backend

    backend = elasticsearch_backend()
    names = sorted(backend.client.indices.get(index=f"{backend.prefix}-*").body)
    if names:
        backend.client.indices.delete(index=",".join(names))
    return names


# --- Wagtail's own search index ------------------------------------------------------------


def wagtail_index_step(workdir: Path, **options) -> dict:
    from django.core.management import call_command
    from wagtail.models import Page
    from wagtail.search.models import IndexEntry

    before = IndexEntry.objects.count()
    started = time.monotonic()
    call_command("update_index", stdout=StringIO())
    seconds = time.monotonic() - started
    return {
        "entries_before": before,
        "entries": IndexEntry.objects.count(),
        "seconds": seconds,
        "live_pages": Page.objects.live().count(),
    }


# --- search --------------------------------------------------------------------------------


class FullTextFloor:
    """The backend's own full-text query, run straight on the database without Django: the
    fastest any search over this index can answer."""

    def __init__(self):
        from django.db import connection

        settings = connection.settings_dict
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.connection = sqlite3.connect(f"file:{settings['NAME']}?mode=ro", uri=True)
            self.template = (
                "SELECT id, covered, relevance, COUNT(*) OVER () FROM ({matched}) "
                f"ORDER BY covered DESC, relevance DESC LIMIT {TOP_RESULTS}"
            )
        else:
            import psycopg

            parameters = {
                "dbname": settings["NAME"],
                "user": settings["USER"],
                "password": settings["PASSWORD"],
                "host": settings["HOST"],
                "port": settings["PORT"],
            }
            self.connection = psycopg.connect(**{k: v for k, v in parameters.items() if v})
            self.template = (
                "SELECT id, covered, relevance, COUNT(*) OVER () FROM ({matched}) AS matched "
                f"ORDER BY covered DESC, relevance DESC LIMIT {TOP_RESULTS}"
            )

    def prepare(self, query: str) -> tuple[str, list]:
        """The SQL and arguments of a query, built (typo expansions included) before timing."""
        from search.backends.database import DatabaseBackend
        from search.plan import plan_query

        matched, arguments = DatabaseBackend()._matched(plan_query(query))
        sql = self.template.format(matched=matched)
        if self.vendor == "sqlite":
            sql = sql.replace("%s", "?")
        return sql, arguments

    def run(self, prepared: tuple[str, list]) -> int:
        sql, arguments = prepared
        cursor = self.connection.cursor()
        cursor.execute(sql, arguments)
        rows = cursor.fetchall()
        return rows[0][3] if rows else 0


@contextmanager
def time_limit(seconds: float):
    """Stops the database's work after `seconds` with an OperationalError. Wagtail's own
    search takes tens of seconds for some words at 10 000 practices; a benchmark of 200
    queries must still end."""
    from django.db import connection, transaction

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        deadline = time.monotonic() + seconds
        connection.connection.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        try:
            yield
        finally:
            connection.connection.set_progress_handler(None, 0)
    else:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = %s", [int(seconds * 1000)])
            yield


def search_step(workdir: Path, **options) -> dict:
    from django.db import OperationalError, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page

    from .queries import KINDS

    queries = load_queries(workdir)
    client = Client()
    floor = FullTextFloor()
    prepared = [floor.prepare(query.q) for query in queries]

    def ours(query):
        response = client.get(query.api_url)
        if response.status_code != 200:
            raise AssertionError(f"{query.api_url}: {response.status_code} {response.content!r}")
        return response

    def wagtail(query):
        try:
            with time_limit(WAGTAIL_TIME_LIMIT_SECONDS):
                return list(Page.objects.live().search(query.q)[:TOP_RESULTS])
        except OperationalError:
            return None  # stopped at the time limit

    for query, sql in zip(queries[:WARM_UP_QUERIES], prepared, strict=False):
        ours(query)
        wagtail(query)
        floor.run(sql)

    timings = {"ours": [], "wagtail": [], "floor": []}
    stopped = 0
    totals = {"ours": [], "wagtail": [], "floor": []}
    by_kind = {kind: [] for kind in KINDS}
    # The three run side by side, query after query, so that whatever else the machine is
    # doing weighs on all three alike.
    for query, sql in zip(queries, prepared, strict=True):
        elapsed, response = milliseconds(lambda q=query: ours(q))
        timings["ours"].append(elapsed)
        by_kind[query.kind].append(elapsed)
        totals["ours"].append(response.json()["total"])
        elapsed, results = milliseconds(lambda q=query: wagtail(q))
        timings["wagtail"].append(elapsed)
        totals["wagtail"].append(len(results or ()))
        stopped += results is None
        elapsed, count = milliseconds(lambda s=sql: floor.run(s))
        timings["floor"].append(elapsed)
        totals["floor"].append(count)

    query_counts = []
    for query in queries[:WARM_UP_QUERIES]:
        with CaptureQueriesContext(connection) as captured:
            ours(query)
        query_counts.append(len(captured))

    result = {name: latency_summary(values) for name, values in timings.items()}
    for name, values in totals.items():
        result[name]["without_results"] = sum(1 for total in values if not total)
        result[name]["median_results"] = sorted(values)[len(values) // 2]
    result["ours"]["sql_queries_per_request"] = {
        "min": min(query_counts),
        "max": max(query_counts),
    }
    result["wagtail"]["stopped"] = stopped
    result["wagtail"]["time_limit_seconds"] = WAGTAIL_TIME_LIMIT_SECONDS
    result["warm_up"] = WARM_UP_QUERIES
    result["ours_by_kind"] = {kind: latency_summary(values) for kind, values in by_kind.items()}
    result["queries"] = [query.as_dict() for query in queries]
    return result


# --- pages ---------------------------------------------------------------------------------


def _page_urls(workdir: Path) -> dict[str, list[str]]:
    """The pages to render: the heaviest practices and case studies (most case studies, tags
    and themes), several of each; the English home page; searches in English."""
    from django.db.models import Count

    from practices.models import CaseStudyPage, PracticePage

    practices = (
        PracticePage.objects.live()
        .annotate(
            case_study_count=Count("case_studies", distinct=True),
            tag_count=Count("tagged_items", distinct=True),
            theme_count=Count("theme_links", distinct=True),
        )
        .order_by("-case_study_count", "-tag_count", "-theme_count", "pk")[:PAGES_PER_KIND]
    )
    case_studies = (
        CaseStudyPage.objects.live()
        .annotate(tag_count=Count("tagged_items", distinct=True))
        .order_by("-tag_count", "pk")[:PAGES_PER_KIND]
    )
    english = [q for q in load_queries(workdir) if q.lang == "en" and q.kind != "rare"][
        :PAGES_PER_KIND
    ]
    return {
        "home page": ["/en/"],
        "practice page": [page.get_url() for page in practices],
        "case-study page": [page.get_url() for page in case_studies],
        "search page": [
            "/en/search/?" + urlencode([(k, v) for k, v in query.parameters if k != "lang"])
            for query in english
        ],
        "search API": [query.api_url for query in english],
    }


def pages_step(workdir: Path, **options) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()

    def fetch(url):
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"{url}: status {response.status_code}")
        return response

    kinds = {}
    for kind, urls in _page_urls(workdir).items():
        # Each page's first view: nothing of it kept yet (the practice page keeps its parts,
        # search.fragments), though the process has served the kinds before.
        first_views = [milliseconds(lambda u=url: fetch(u))[0] for url in urls]
        rounds = [urls[number % len(urls)] for number in range(PAGE_REQUESTS)]
        timings = [milliseconds(lambda u=url: fetch(u))[0] for url in rounds]
        queries = {}
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                fetch(url)
            queries[url] = len(captured)
        kinds[kind] = {
            **latency_summary(timings),
            "first_view": latency_summary(first_views),
            "sql_queries_max": max(queries.values()),
            "sql_queries": queries,
        }
    return {"requests": PAGE_REQUESTS, "kinds": kinds}


STEPS: dict[str, Callable[..., dict]] = {
    "generate": generate_step,
    "import": import_step,
    "reindex": reindex_step,
    "wagtail-index": wagtail_index_step,
    "search": search_step,
    "pages": pages_step,
    "load": load_step,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.steps")
    parser.add_argument("step", choices=STEPS)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--practices", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="where to write the figures")
    args = parser.parse_args(argv)
    # Every step, generate too: the corpus's vocabularies come from the exchange format, which
    # reads the models.
    import django

    django.setup()
    started = time.monotonic()
    result = STEPS[args.step](args.workdir, practices=args.practices, seed=args.seed)
    result["step_seconds"] = time.monotonic() - started
    result["peak_rss_mb"] = peak_rss_megabytes()
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
