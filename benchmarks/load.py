"""The load step of `make bench`: the production server (gunicorn with the production worker
count, the task worker beside it) on the benchmark's database, driven from this process with an
open-loop load on loopback.

Open loop: requests are sent at the times a Poisson process of the offered rate draws, whether
or not earlier ones have been answered, so that a server falling behind shows as latency (each
request is timed from the moment it was due, queueing included) instead of slowing the client
down. The load is bounded: at most MAX_IN_FLIGHT requests at once (a request due while that
many are waiting is not sent and counted as dropped), REQUEST_TIMEOUT_SECONDS each, and a fixed
duration per level. The mix is a reader's: practice pages, the home pages, searches with
filters (the page and the API) and autocomplete, with paths taken from the corpus as the
pages and search steps take theirs."""

from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from .measure import latency_summary
from .server import PRODUCTION_WORKERS, Site, is_server_error, request

RATES = (5, 10, 20, 40)  # offered requests per second, one level after the other
IMPORT_RATE = 10  # the level that runs again while kb_import writes practices
MAX_IN_FLIGHT = 32
REQUEST_TIMEOUT_SECONDS = 10
IMPORT_LEVEL_MAX_SECONDS = 300  # the load stops then even if the import goes on
MIX = {  # kind of request: share of the requests
    "practice page": 30,
    "home page": 15,
    "search page": 15,
    "search API": 15,
    "autocomplete": 25,
}
PRACTICE_PAGES = 50
WARM_UP_PER_KIND = 6
IMPORT_FILE = "load-import.json"
IMPORT_KEY_PREFIX = "load-"


def level_seconds(practices: int) -> int:
    """A few seconds per level for the small corpora of development and CI."""
    return 4 if practices < 1000 else 15


def import_practices(practices: int) -> int:
    return min(500, max(10, practices // 20))


# --- the mix -------------------------------------------------------------------------------


def load_paths(workdir: Path) -> dict[str, list[str]]:
    """Paths of each kind of the mix (needs Django): practices spread over the whole corpus in
    every language, the six home pages, and the search queries of the search step with their
    filters, as pages in the query's language, through the API, and typed into autocomplete."""
    from practices.exchange.validation import LOCALES
    from practices.models import PracticePage

    from .steps import load_queries

    queries = load_queries(workdir)
    ids = list(PracticePage.objects.live().order_by("pk").values_list("pk", flat=True))
    chosen = ids[:: max(1, len(ids) // PRACTICE_PAGES)][:PRACTICE_PAGES]
    practices = PracticePage.objects.filter(pk__in=chosen).order_by("pk")
    rng = random.Random(len(queries))
    return {
        "practice page": [page.get_url() for page in practices],
        "home page": [f"/{code}/" for code in LOCALES],
        "search page": [
            f"/{query.lang}/search/?"
            + urlencode([(k, v) for k, v in query.parameters if k != "lang"])
            for query in queries
        ],
        "search API": [query.api_url for query in queries],
        "autocomplete": [_typed(query.q, query.lang, rng) for query in queries],
    }


def _typed(text: str, lang: str, rng: random.Random) -> str:
    """The autocomplete request of a reader who has typed part of the query's first word."""
    word = text.split()[0]
    typed = word[: rng.randint(min(3, len(word)), len(word))]
    return "/api/v1/search/suggest?" + urlencode({"q": typed, "lang": lang})


def requests_of(paths: dict[str, list[str]], rng: random.Random) -> Iterator[tuple[str, str]]:
    """(kind, path) without end, the kinds in the shares of MIX."""
    kinds = [kind for kind in MIX if paths.get(kind)]
    weights = [MIX[kind] for kind in kinds]
    while True:
        kind = rng.choices(kinds, weights=weights)[0]
        yield kind, rng.choice(paths[kind])


# --- the open-loop driver ------------------------------------------------------------------


def drive(
    base: str,
    requests: Iterator[tuple[str, str]],
    rate: float,
    seconds: float,
    rng: random.Random,
    *,
    longer_while: Callable[[], bool] | None = None,
    max_seconds: float | None = None,
    max_in_flight: int = MAX_IN_FLIGHT,
    timeout: float = REQUEST_TIMEOUT_SECONDS,
) -> dict:
    """Sends requests at Poisson arrival times of `rate` per second for `seconds` (and on
    while `longer_while()` is true, up to `max_seconds`), then waits for the answers."""
    slots = threading.BoundedSemaphore(max_in_flight)
    outcomes: list[tuple[str, object, float]] = []
    lock = threading.Lock()
    dropped = 0

    def send(kind: str, path: str, due: float) -> None:
        try:
            status, _body = request(base, "GET", path, timeout=timeout)
            elapsed = (time.perf_counter() - due) * 1000
            with lock:
                outcomes.append((kind, status, elapsed))
        finally:
            slots.release()

    started = time.perf_counter()
    offset = 0.0
    with ThreadPoolExecutor(max_workers=max_in_flight) as pool:
        while True:
            offset += rng.expovariate(rate)
            if offset >= seconds and not (longer_while and longer_while()):
                break
            if max_seconds is not None and offset >= max_seconds:
                break
            due = started + offset
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            kind, path = next(requests)
            if not slots.acquire(blocking=False):
                dropped += 1
                continue
            pool.submit(send, kind, path, due)
        sending = min(offset, max_seconds or offset)
    wall = time.perf_counter() - started
    return summarise(outcomes, rate, sending, wall, dropped)


def summarise(
    outcomes: list[tuple[str, object, float]],
    rate: float,
    sending_seconds: float,
    wall_seconds: float,
    dropped: int,
) -> dict:
    statuses = Counter(status for _kind, status, _ms in outcomes)
    answered = [(kind, ms) for kind, status, ms in outcomes if isinstance(status, int)]
    ok = sum(count for status, count in statuses.items() if status == 200)
    timeouts = sum(count for status, count in statuses.items() if status == "TimeoutError")
    server_errors = sum(
        count for status, count in statuses.items() if isinstance(status, int) and status >= 500
    )
    connection_errors = sum(
        count for status, count in statuses.items() if is_server_error(status)
    ) - (server_errors + timeouts)
    by_kind: dict[str, list[float]] = {}
    for kind, ms in answered:
        by_kind.setdefault(kind, []).append(ms)
    latency = latency_summary([ms for _kind, ms in answered]) if answered else None
    return {
        "offered_per_second": rate,
        "seconds": round(sending_seconds, 1),
        "sent": len(outcomes),
        "dropped": dropped,
        "achieved_per_second": ok / max(wall_seconds, 1e-9),
        "p50_ms": latency["p50_ms"] if latency else None,
        "p99_ms": latency["p99_ms"] if latency else None,
        "latency": latency,
        "by_kind": {
            kind: {"count": len(values), **_p50_p99(values)}
            for kind, values in sorted(by_kind.items())
        },
        "errors": server_errors + timeouts + connection_errors,
        "5xx": server_errors,
        "timeouts": timeouts,
        "connection_errors": connection_errors,
        "other_statuses": {
            str(status): count
            for status, count in sorted(statuses.items(), key=str)
            if isinstance(status, int) and status != 200 and status < 500
        },
    }


def _p50_p99(values: list[float]) -> dict:
    summary = latency_summary(values)
    return {"p50_ms": summary["p50_ms"], "p99_ms": summary["p99_ms"]}


def warm_up(base: str, paths: dict[str, list[str]]) -> dict:
    """The first few paths of each kind, as many at once as there are workers, so that each
    worker has built its per-process caches (vocabulary, related practices) before timing."""
    chosen = [path for kind in MIX for path in paths.get(kind, [])[:WARM_UP_PER_KIND]]
    with ThreadPoolExecutor(max_workers=PRODUCTION_WORKERS) as pool:
        statuses = Counter(
            status for status, _body in pool.map(lambda p: request(base, "GET", p), chosen)
        )
    return {"requests": len(chosen), "statuses": {str(s): n for s, n in statuses.items()}}


# --- an import while serving ---------------------------------------------------------------


def extra_corpus(practices: int, seed: int, prefix: str = IMPORT_KEY_PREFIX) -> dict:
    """A corpus of its own (another seed) whose keys are all new to the benchmark's site, so
    that the import under load writes new pages as an editor's import of new work would."""
    from .corpus import generate

    document = generate(practices, seed=seed)
    references = {
        "meetings": ("host",),
        "practices": ("library", "meeting"),
        "case_studies": ("practice", "library"),
    }
    for section in ("libraries", "meetings", "practices", "case_studies"):
        for record in document[section]:
            record["key"] = prefix + record["key"]
            for name in references.get(section, ()):
                if name in record:
                    record[name] = prefix + record[name]
    return document


def unused_key_prefix() -> str:
    """ "load-", or "load2-"... when a run on the same database (`--reuse`) imported before."""
    from wagtail.models import Page

    prefix, number = IMPORT_KEY_PREFIX, 1
    while Page.objects.filter(slug__startswith=prefix).exists():
        number += 1
        prefix = f"load{number}-"
    return prefix


def drive_during_import(
    site: Site,
    base: str,
    requests: Iterator[tuple[str, str]],
    corpus: Path,
    seconds: float,
    rng: random.Random,
) -> dict:
    outcome: dict = {}

    def run_import() -> None:
        started = time.monotonic()
        done = site.manage("kb_import", str(corpus))
        outcome.update(
            imported=done.returncode == 0,
            import_seconds=round(time.monotonic() - started, 1),
            import_output=(done.stdout.strip().splitlines() or [""])[-1][:300],
            import_error=done.stderr[-500:] if done.returncode else "",
        )

    importer = threading.Thread(target=run_import)
    importer.start()
    figures = drive(
        base,
        requests,
        IMPORT_RATE,
        seconds,
        rng,
        longer_while=importer.is_alive,
        max_seconds=IMPORT_LEVEL_MAX_SECONDS,
    )
    outcome["load_outlived_by_import"] = importer.is_alive()
    importer.join()
    return {**figures, **outcome}


# --- the step ------------------------------------------------------------------------------


def load_step(workdir: Path, practices: int, seed: int, **options) -> dict:
    from django.db import connection

    paths = load_paths(workdir)
    prefix = unused_key_prefix()
    connection.close()
    seconds = level_seconds(practices)
    extra = import_practices(practices)
    corpus = workdir / IMPORT_FILE
    corpus.write_text(json.dumps(extra_corpus(extra, seed + 1000, prefix)), encoding="utf-8")
    site = Site(os.environ["DATABASE_URL"], workdir)
    site.collect_static()
    rng = random.Random(seed)
    requests = requests_of(paths, rng)
    with site.serving(workers=PRODUCTION_WORKERS) as base:
        warmed = warm_up(base, paths)
        levels = []
        for rate in RATES:
            print(f"    {rate} req/s for {seconds} s", flush=True, file=sys.stderr)
            levels.append(drive(base, requests, rate, seconds, rng))
        print(f"    {IMPORT_RATE} req/s during an import", flush=True, file=sys.stderr)
        during_import = drive_during_import(site, base, requests, corpus, seconds, rng)
        during_import["import_practices"] = extra
        worker_rss = site.worker_peak_rss_megabytes()
    return {
        "server": f"gunicorn, {PRODUCTION_WORKERS} sync workers, kb.settings.production, "
        "the task worker beside it",
        "mix": MIX,
        "paths": {kind: len(values) for kind, values in paths.items()},
        "level_seconds": seconds,
        "max_in_flight": MAX_IN_FLIGHT,
        "request_timeout_seconds": REQUEST_TIMEOUT_SECONDS,
        "warm_up": warmed,
        "levels": levels,
        "during_import": during_import,
        "worker_peak_rss_mb": worker_rss,
    }
