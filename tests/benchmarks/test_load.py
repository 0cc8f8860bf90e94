"""The open-loop load of `make bench` and its report, against a tiny local HTTP server (the
whole step, with gunicorn on a real corpus, runs in CI's `make bench PRACTICES=40`)."""

import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from benchmarks import report
from benchmarks.corpus import generate
from benchmarks.load import (
    IMPORT_KEY_PREFIX,
    MIX,
    drive,
    extra_corpus,
    level_seconds,
    requests_of,
    summarise,
)
from practices.exchange.validation import SECTIONS, SHIPPED_VOCABULARIES, validate_document


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/slow"):
            time.sleep(0.3)
        status = 500 if self.path.startswith("/broken") else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _always(kind, path):
    while True:
        yield kind, path


def test_requests_arrive_at_the_offered_rate_whatever_the_answers(server):
    figures = drive(server, _always("home page", "/"), 50, 1.0, random.Random(1))

    assert 30 <= figures["sent"] <= 75
    assert figures["errors"] == 0 and figures["dropped"] == 0
    assert figures["achieved_per_second"] > 25
    assert figures["by_kind"]["home page"]["count"] == figures["sent"]


def test_server_errors_are_counted_as_errors(server):
    figures = drive(server, _always("search API", "/broken"), 20, 0.5, random.Random(1))

    assert figures["sent"] > 0
    assert figures["5xx"] == figures["errors"] == figures["sent"]
    assert figures["achieved_per_second"] == 0


def test_requests_due_while_too_many_are_waiting_are_dropped(server):
    figures = drive(
        server, _always("search page", "/slow"), 40, 0.5, random.Random(1), max_in_flight=2
    )

    assert figures["dropped"] > 0
    assert figures["sent"] <= 4


def test_latency_counts_from_when_a_request_was_due(server):
    """Answers take 0.3 s: no request can be timed at less, however late it was sent."""
    figures = drive(server, _always("practice page", "/slow"), 10, 1.0, random.Random(2))

    assert figures["p50_ms"] >= 300


def test_connection_errors_and_timeouts_are_errors():
    outcomes = [
        ("home page", 200, 10.0),
        ("home page", "ConnectionRefusedError", 1.0),
        ("home page", "TimeoutError", 10000.0),
        ("home page", 404, 5.0),
    ]

    figures = summarise(outcomes, 5, 1.0, 1.0, 0)

    assert (figures["5xx"], figures["timeouts"], figures["connection_errors"]) == (0, 1, 1)
    assert figures["errors"] == 2
    assert figures["other_statuses"] == {"404": 1}
    assert figures["achieved_per_second"] == 1.0


def test_a_level_lasts_longer_while_the_import_runs(server):
    ends = time.monotonic() + 1.0

    figures = drive(
        server,
        _always("home page", "/"),
        20,
        0.2,
        random.Random(1),
        longer_while=lambda: time.monotonic() < ends,
        max_seconds=5,
    )

    assert figures["seconds"] >= 0.9


def test_the_mix_has_every_kind_in_about_its_share():
    paths = {kind: [f"/{kind}/{n}" for n in range(3)] for kind in MIX}
    requests = requests_of(paths, random.Random(1))

    kinds = [next(requests)[0] for _ in range(2000)]

    for kind, share in MIX.items():
        assert abs(kinds.count(kind) / 2000 - share / sum(MIX.values())) < 0.04


def test_small_corpora_get_short_levels():
    assert level_seconds(40) <= 5
    assert level_seconds(10_000) <= 20


def test_the_corpus_imported_under_load_is_valid_and_all_new():
    existing = generate(40)
    existing_keys = {section: {r["key"] for r in existing[section]} for section in SECTIONS}

    extra = extra_corpus(10, seed=1001)

    assert validate_document(extra, vocabularies=SHIPPED_VOCABULARIES, existing_keys={}) == []
    assert all(r["key"].startswith(IMPORT_KEY_PREFIX) for s in SECTIONS for r in extra[s])
    assert not any({r["key"] for r in extra[s]} & existing_keys[s] for s in SECTIONS)


def _level(rate, errors=0):
    return {
        "offered_per_second": rate,
        "seconds": 4.0,
        "sent": 4 * rate,
        "dropped": 0,
        "achieved_per_second": rate * 0.98,
        "p50_ms": 20.0,
        "p99_ms": 80.0,
        "by_kind": {"home page": {"count": 3, "p50_ms": 20.0, "p99_ms": 30.0}},
        "errors": errors,
        "5xx": errors,
        "timeouts": 0,
        "connection_errors": 0,
        "other_statuses": {},
    }


def _load_result(errors=0):
    return {
        "server": "gunicorn, 3 sync workers",
        "mix": MIX,
        "level_seconds": 4,
        "max_in_flight": 32,
        "request_timeout_seconds": 10,
        "warm_up": {"requests": 30, "statuses": {"200": 30}},
        "levels": [_level(5), _level(10, errors)],
        "during_import": {
            **_level(10),
            "imported": True,
            "import_seconds": 5.0,
            "import_practices": 10,
            "load_outlived_by_import": False,
        },
        "worker_peak_rss_mb": [150.0, 151.0, 149.0],
    }


def test_load_report_shows_every_level_and_the_import():
    lines = "\n".join(report.load_lines(_load_result()))

    assert "10+import" in lines
    assert "kb_import of 10 more practices" in lines
    assert "gunicorn workers' peak RSS: 150, 151, 149 MB" in lines


def _steps(load):
    latency = {"p50_ms": 20.0, "p95_ms": 40.0, "p99_ms": 60.0, "mean_ms": 25.0}
    return {
        "search": {"ours": latency, "wagtail": {**latency, "stopped": 0}, "floor": latency},
        "pages": {
            "kinds": {"practice page": {**latency, "sql_queries_max": 15}},
            "peak_rss_mb": 180.0,
        },
        "import": {"pages_per_second": 120.0},
        "reindex": {
            "seconds": 10.0,
            "index_megabytes": {"full_text_index": 2.5, "token_columns": 1.5},
        },
        "load": load,
    }


def test_errors_under_load_fail_their_target():
    found = {t.name: t for t in report.targets(_steps(_load_result(errors=2)), 40)}

    assert found["errors under load"].figure == "2"
    assert not found["errors under load"].met
    assert found["import under load"].met


def test_the_headline_gives_search_percentiles_memory_index_size_and_what_was_not_run():
    lines = "\n".join(report.headline_lines(_steps(_load_result()), ["reindex into ES (why)"]))

    assert "p50 / p95 / p99: 20.0 / 40.0 / 60.0 ms" in lines
    assert "web process peak RSS: 180 MB (the pages step's process" in lines
    assert "gunicorn workers' peak RSS under load: 151 MB" in lines
    assert "2.5 MB full-text index" in lines
    assert "not run: reindex into ES (why)" in lines
