"""`make probe`: the site tried as an attacker and as a busy site would try it, on the production
settings and server (gunicorn, two workers), on a fresh SQLite file and, when
BENCH_DATABASE_URL names a PostgreSQL server, on a fresh database there too.

Each run prints how many answers were server errors (5xx; the target is 0 everywhere):

- hostile requests: a fixed list of malformed keys, parameters and methods, then
  schemathesis generating requests from the API's own OpenAPI schema for a bounded time;
- a private (password-protected) practice: is its text anywhere public?
- the sign-in throttle: how many of fourteen concurrent wrong passwords were checked;
- load: requests/s, p50 and p99 for a mix of pages, searches and suggestions, quiet and while
  `kb_import` writes practices;
- faults: the same load with Redis refusing connections, with a Redis that accepts and never
  answers, and with an Elasticsearch that hangs;
- on PostgreSQL, the load again with `DATABASE_CONN_MAX_AGE=0` (a new connection per request).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .faults import SilentServer
from .run import Database, fresh_database
from .server import Site, free_port, is_server_error, request

PRIVATE_WORD = "zebrafinchquorum"
PRIVATE_TITLE = b"Board retreat"
PASSWORD = "probe-" + secrets.token_urlsafe(8)

HOSTILE = [
    ("GET", "/api/v1/practices/%00"),
    ("GET", "/api/v1/practices/..%2f..%2fetc%2fpasswd"),
    ("GET", "/api/v1/practices/" + "x" * 5000),
    ("GET", "/api/v1/case-studies/%F0%9F%92%A9"),
    ("GET", "/api/v1/search?audience=%00."),
    ("GET", "/api/v1/search?q=" + "a" * 600),
    ("GET", "/api/v1/search?q=%00%01%02"),
    ("GET", "/api/v1/search?q=%22+OR+1%3D1+--"),
    ("GET", "/api/v1/search?q=*%3A*+AND+_id%3A1"),
    ("GET", "/api/v1/search?page=99999999999999999999999"),
    ("GET", "/api/v1/search?page=-1&page_size=0"),
    ("GET", "/api/v1/search?page_size=1000000"),
    ("GET", "/api/v1/search?sort=%27%3Bdrop"),
    ("GET", "/api/v1/search?lang=xx"),
    ("GET", "/api/v1/search?lang="),
    ("GET", "/api/v1/search?country=LVA&theme=a%20b"),
    ("GET", "/api/v1/search?" + "&".join(f"tag=t{n}" for n in range(200))),
    ("GET", "/api/v1/search/suggest?q=%00"),
    ("GET", "/api/v1/search/suggest?q=" + "%E2%80%AE" * 300),
    ("GET", "/api/v1/practices?page=abc"),
    ("GET", "/api/v1/practices?page_size=-5"),
    ("GET", "/en/not-translated/1/"),
    ("GET", "/en/not-translated/99999999/"),
    ("GET", "/en/not-translated/%00/"),
    ("GET", "/en/search/?q=%00"),
    ("GET", "/en/search/?q=" + "%F0%9F%98%80" * 200),
    ("GET", "/en/search/?page=0&sort=x&lang=zz"),
    ("GET", "/en/practices/?theme=%00&country=ZZZ&page=abc&year=x"),
    ("GET", "/en/practices/?page=999999"),
    ("GET", "/en/case-studies/?stage=%00"),
    ("GET", "/xx/"),
    ("GET", "/en/%00/"),
    ("GET", "/sitemap.xml?p=999"),
    ("GET", "/media/open-data/..%2f..%2fkb%2fsettings%2fbase.py"),
    ("TRACE", "/en/"),
    ("TRACE", "/api/v1/practices"),
    ("HEAD", "/api/v1/practices"),
    ("OPTIONS", "/api/v1/search"),
    ("PUT", "/api/v1/practices"),
    ("DELETE", "/en/"),
    ("POST", "/api/v1/search"),
    ("PROPFIND", "/en/"),
]

LOAD_MIX = [
    "/en/",
    "/fi/",
    "/en/practices/",
    "/en/practices/?theme=elections",
    "/en/search/?q=debate",
    "/api/v1/search?q=living+library&lang=en",
    "/api/v1/search?q=kirjasto&lang=fi&type=practice",
    "/api/v1/search/suggest?q=libr&lang=en",
    "/api/v1/practices?lang=lv",
    "/en/case-studies/",
]


# --- a served site ---------------------------------------------------------------------------


def prepare(site: Site) -> None:
    """A new site with its accounts and one password-protected practice."""
    for args in (("migrate", "--noinput"), ("kb_bootstrap",)):
        done = site.manage(*args)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    site.collect_static()
    private = site.manage("shell", "-c", PRIVATE_PRACTICE)
    if private.returncode != 0:
        raise SystemExit(f"could not make the private practice:\n{private.stderr[-3000:]}")
    # What publishing it queued (indexing, then its removal when it became private).
    site.manage("db_worker", "--batch", "--queue-name", "*")


PRIVATE_PRACTICE = f"""
from wagtail.models import PageViewRestriction
from practices.models import PracticeIndexPage, PracticePage
index = PracticeIndexPage.objects.get(locale__language_code="en")
page = PracticePage(title="Board retreat {PRIVATE_WORD}", slug="board-retreat",
                    summary="Only for the board: {PRIVATE_WORD} exercises.")
index.add_child(instance=page)
page.save_revision().publish()
PageViewRestriction.objects.create(page=page, restriction_type="password", password="board")
"""


# --- the runs --------------------------------------------------------------------------------


def hostile_requests(base) -> dict:
    statuses = [request(base, method, path)[0] for method, path in HOSTILE]
    failing = [
        f"{method} {path[:60]} → {status}"
        for (method, path), status in zip(HOSTILE, statuses, strict=True)
        if is_server_error(status)
    ]
    return {"requests": len(HOSTILE), "5xx": len(failing), "failing": failing}


def fuzz(base, seconds: int, workdir: Path) -> dict:
    report = workdir / "schemathesis.json"
    command = [
        str(Path(sys.executable).with_name("st")), "run", f"{base}/api/v1/openapi.json",
        "--checks", "all", "--max-time", str(seconds), "--seed", "1",
        "--report", "json", "--report-json-path", str(report),
    ]  # fmt: skip
    subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=seconds + 300)
    data = json.loads(report.read_text())
    failures = Counter()
    for failure in data.get("failures", []):
        failures[failure.get("title") or failure.get("code") or "failure"] += 1
    server_errors = sum(
        count for title, count in failures.items() if "server error" in str(title).lower()
    )
    return {
        "test cases": data["test_cases"]["generated"],
        "5xx": server_errors,
        "other failed checks": dict(failures) if failures else {},
    }


def private_leak(base) -> dict:
    """The private practice's title on public paths (its word echoed back as the query does
    not count); a public practice found the same way shows that the check can see a title."""
    paths = [
        f"/api/v1/search?q={PRIVATE_WORD}",
        "/api/v1/search?q=board+retreat",
        "/api/v1/search/suggest?q=board+ret&lang=en",
        f"/en/search/?q={PRIVATE_WORD}",
        "/en/",
        "/en/practices/",
        "/api/v1/practices?page_size=100",
        "/en/feeds/practices.atom",
        "/sitemap.xml",
    ]
    leaking = [path for path in paths if PRIVATE_TITLE in request(base, "GET", path)[1]]
    control = b"Living library" in request(base, "GET", "/api/v1/search?q=living+library")[1]
    return {
        "public paths tried": len(paths),
        "showing the private practice": leaking,
        "a public practice found (control)": control,
    }


def sign_in_throttle(base, attempts: int = 14) -> dict:
    def attempt(number):
        token, cookie = _csrf_cookie(base)
        secure_base = base.replace("http://", "https://")  # as the TLS proxy would say
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "X-Forwarded-Proto": "https",
            "Origin": secure_base,
            "Referer": f"{secure_base}/admin/login/",
        }
        body = urllib.parse.urlencode(
            {"username": "admin", "password": f"wrong-{number}", "csrfmiddlewaretoken": token}
        )
        return request(base, "POST", "/admin/login/", headers=headers, body=body)

    with ThreadPoolExecutor(max_workers=7) as pool:
        answers = list(pool.map(attempt, range(attempts)))
    locked = sum(b"Too many failed sign-in attempts" in body for _status, body in answers)
    mismatched = sum(b"match" in body and b"Too many" not in body for _status, body in answers)
    return {
        "wrong passwords sent": attempts,
        "passwords checked": mismatched + (1 if locked else 0),
        "refused unchecked": max(locked - 1, 0),
        "5xx": sum(is_server_error(status) for status, _body in answers),
    }


def _csrf_cookie(base) -> tuple[str, str]:
    """(form token, cookie value) from one GET of the sign-in form."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", "/admin/login/")
        response = connection.getresponse()
        form = response.read()
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1).decode()
        return token, cookie
    finally:
        connection.close()


def load(base, seconds: float, clients: int, paths=LOAD_MIX, during=None) -> dict:
    """Closed-loop load: `clients` threads each requesting the mix in turn for `seconds`
    (or until `during`, a thread, ends)."""
    timings, statuses = [], Counter()
    lock = threading.Lock()
    stop = threading.Event()

    def client(offset):
        n = offset
        while not stop.is_set():
            started = time.perf_counter()
            status, _body = request(base, "GET", paths[n % len(paths)], timeout=30)
            elapsed = time.perf_counter() - started
            with lock:
                timings.append(elapsed)
                statuses[status] += 1
            n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    if during is not None:
        during.join()
    else:
        time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    timings.sort()

    def percentile(p):
        return round(1000 * timings[min(len(timings) - 1, int(p * len(timings)))], 1)

    return {
        "requests": len(timings),
        "requests/s": round(len(timings) / wall, 1),
        "p50 ms": percentile(0.50) if timings else None,
        "p99 ms": percentile(0.99) if timings else None,
        "5xx": sum(count for status, count in statuses.items() if is_server_error(status)),
        "statuses": {str(status): count for status, count in sorted(statuses.items(), key=str)},
    }


def load_during_import(site: Site, base, clients: int, practices: int) -> dict:
    import django

    django.setup()  # the corpus's vocabularies come from the exchange format, which reads models
    from .corpus import generate

    corpus = site.workdir / "import.json"
    corpus.write_text(json.dumps(generate(practices, seed=7)))
    outcome = {}

    def run_import():
        started = time.monotonic()
        done = site.manage("kb_import", str(corpus))
        outcome.update(
            imported=done.returncode == 0,
            seconds=round(time.monotonic() - started, 1),
            error=done.stderr[-500:] if done.returncode else "",
        )

    importer = threading.Thread(target=run_import)
    importer.start()
    figures = load(base, 0, clients, during=importer)
    return {**figures, "import of practices": practices, **outcome}


SEARCH_MIX = [
    "/api/v1/search?q=living+library&lang=en",
    "/api/v1/search/suggest?q=deba&lang=en",
    "/en/search/?q=source+criticism",
]


def probe(database: Database, args) -> list[tuple[str, dict]]:
    workdir = Path(tempfile.mkdtemp(prefix="kb-probe-"))
    site = Site(database.url, workdir, {"DJANGO_SUPERUSER_PASSWORD": PASSWORD})
    say(f"\n== {database.description}: preparing the site")
    prepare(site)
    results = []
    with site.serving() as base:
        results.append(("hostile requests", hostile_requests(base)))
        say(f"   schemathesis for {args.fuzz_seconds} s")
        results.append(("schemathesis (OpenAPI)", fuzz(base, args.fuzz_seconds, workdir)))
        results.append(("private practice", private_leak(base)))
        results.append(("sign-in throttle", sign_in_throttle(base)))
        say(f"   load: {args.clients} clients, {args.seconds} s")
        results.append(("load, quiet", load(base, args.seconds, args.clients)))
        results.append(
            (
                "load during an import",
                load_during_import(site, base, args.clients, args.import_practices),
            )
        )
    closed = free_port()
    with site.serving(REDIS_URL=f"redis://127.0.0.1:{closed}/0") as base:
        results.append(("Redis refusing", load(base, args.seconds, args.clients)))
    silent = SilentServer()
    try:
        with site.serving(REDIS_URL=f"redis://127.0.0.1:{silent.port}/0") as base:
            results.append(("Redis hanging", load(base, args.seconds, args.clients)))
        with site.serving(ELASTICSEARCH_URL=f"http://127.0.0.1:{silent.port}") as base:
            results.append(
                (
                    "Elasticsearch hanging (searches)",
                    load(base, args.seconds, args.clients, SEARCH_MIX),
                )
            )
    finally:
        silent.close()
    if database.vendor == "postgresql":
        for age in ("0", "60"):
            with site.serving(DATABASE_CONN_MAX_AGE=age) as base:
                results.append(
                    (
                        f"DATABASE_CONN_MAX_AGE={age}, /en/",
                        load(base, args.seconds, args.clients, ["/en/"]),
                    )
                )
    return results


def say(text: str) -> None:
    print(text, flush=True)


def print_results(database: Database, results) -> int:
    say(f"\n== {database.description}")
    server_errors = 0
    for name, figures in results:
        server_errors += figures.get("5xx", 0) if isinstance(figures.get("5xx"), int) else 0
        say(f"{name:36} {json.dumps(figures, ensure_ascii=False)}")
    say(f"5xx in all: {server_errors}")
    return server_errors


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="each load run (default 15)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--fuzz-seconds", type=int, default=90, help="schemathesis (90)")
    parser.add_argument(
        "--import-practices", type=int, default=300, help="practices imported under load (300)"
    )
    args = parser.parse_args(argv)
    stamp = time.strftime("%Y%m%d%H%M%S")
    databases = [None]
    if os.environ.get("BENCH_DATABASE_URL"):
        databases.append(os.environ["BENCH_DATABASE_URL"])
    errors = 0
    for server in databases:
        environment_url = os.environ.pop("BENCH_DATABASE_URL", None)
        if server:
            os.environ["BENCH_DATABASE_URL"] = server
        try:
            with tempfile.TemporaryDirectory(prefix="kb-probe-db-") as workdir:
                with fresh_database(Path(workdir), stamp, keep=False) as database:
                    errors += print_results(database, probe(database, args))
        finally:
            if environment_url:
                os.environ["BENCH_DATABASE_URL"] = environment_url
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
