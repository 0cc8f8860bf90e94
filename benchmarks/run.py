"""Runs every step on a fresh database and prints the figures next to the targets.

The database is a new SQLite file in a temporary directory, or, when BENCH_DATABASE_URL names
a PostgreSQL server, a new database created there and dropped afterwards. Each step runs in a
process of its own (`benchmarks.steps`), so that its peak memory is measured alone."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from . import report
from .load import IMPORT_FILE
from .machine import describe_machine
from .server import RATE_LIMIT
from .steps import CORPUS_FILE

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PRACTICES = 10_000


@dataclass(frozen=True)
class Database:
    url: str
    vendor: str
    version: str
    description: str


@contextmanager
def fresh_database(workdir: Path, stamp: str, keep: bool) -> Iterator[Database]:
    server_url = os.environ.get("BENCH_DATABASE_URL")
    if not server_url:
        path = workdir / "bench.sqlite3"
        yield Database(
            f"sqlite:///{path}", "sqlite", f"SQLite {sqlite3.sqlite_version}", f"SQLite file {path}"
        )
        return
    if not server_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("BENCH_DATABASE_URL must be a postgres:// or postgresql:// URL")
    import dj_database_url
    import psycopg
    from psycopg import sql

    settings = dj_database_url.parse(server_url)
    name = f"kb_bench_{stamp}_{os.getpid()}"
    parameters = {
        "dbname": settings["NAME"] or "postgres",
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "host": settings["HOST"],
        "port": settings["PORT"],
    }
    with psycopg.connect(**{k: v for k, v in parameters.items() if v}, autocommit=True) as admin:
        server_version = admin.execute("SHOW server_version").fetchone()[0]
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            url = urlsplit(server_url)._replace(path=f"/{name}").geturl()
            yield Database(
                url, "postgresql", f"PostgreSQL {server_version}", f"PostgreSQL database {name}"
            )
        finally:
            if not keep:
                admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def step_environment(database: Database, workdir: Path, elasticsearch: bool = False) -> dict:
    environment = dict(os.environ)
    # A shared Redis or Elasticsearch of the developer's must not see the benchmark's data;
    # Elasticsearch is given back to its own reindex step, under an index prefix of its own.
    for name in ("ELASTICSEARCH_URL", "REDIS_URL"):
        environment.pop(name, None)
    environment.update(
        DJANGO_SETTINGS_MODULE="kb.settings.dev",
        # DEBUG keeps every SQL query in memory, which would skew time and memory alike.
        DEBUG="0",
        DATABASE_URL=database.url,
        ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
        SEARCH_RATE_LIMIT=RATE_LIMIT,
        SEARCH_SUGGEST_RATE_LIMIT=RATE_LIMIT,
        MEDIA_ROOT=str(workdir / "media"),
        LOG_LEVEL="WARNING",
    )
    if elasticsearch:
        environment["ELASTICSEARCH_URL"] = os.environ["ELASTICSEARCH_URL"]
        # The run's own directory name (kb-bench-<date>_<time>-<random>): a prefix no one else uses.
        environment["ELASTICSEARCH_INDEX_PREFIX"] = workdir.name.lower()
    return environment


class StepFailed(Exception):
    pass


def run_step(
    step: str, workdir: Path, environment: dict, practices: int, seed: int, key: str = ""
) -> dict:
    """Runs a step in a process of its own; `key` names its figures when a step runs twice."""
    out = workdir / f"{key or step}.json"
    command = [
        sys.executable, "-m", "benchmarks.steps", step,
        "--workdir", str(workdir), "--practices", str(practices), "--seed", str(seed),
        "--out", str(out),
    ]  # fmt: skip
    completed = subprocess.run(command, env=environment, cwd=BASE_DIR)
    if completed.returncode != 0:
        raise StepFailed(f"step {key or step} failed (exit status {completed.returncode})")
    return json.loads(out.read_text(encoding="utf-8"))


def migrate(environment: dict) -> float:
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        env=environment,
        cwd=BASE_DIR,
    )
    if completed.returncode != 0:
        raise StepFailed(f"migrate failed (exit status {completed.returncode})")
    return time.monotonic() - started


def say(lines: list[str] | str) -> None:
    print("\n".join([lines] if isinstance(lines, str) else lines), flush=True)


def run(practices: int, seed: int, json_path: Path | None, keep: bool) -> int:
    started = time.monotonic()
    now = datetime.now().astimezone()
    stamp = now.strftime("%Y%m%d_%H%M%S")
    workdir = Path(tempfile.mkdtemp(prefix=f"kb-bench-{stamp}-"))
    command = shlex.join(["python", "-m", "benchmarks", *sys.argv[1:]])
    results: dict = {"date": now.isoformat(timespec="seconds"), "command": command}
    results.update(practices=practices, seed=seed, workdir=str(workdir), steps={})
    try:
        with fresh_database(workdir, stamp, keep) as database:
            results["machine"] = describe_machine(database.version)
            results["database"] = database.description
            say(
                report.machine_lines(
                    results["machine"], command, results["date"], database.description
                )
            )
            say("")
            results["not_run"] = run_steps(results["steps"], database, workdir, practices, seed)
    except StepFailed as failure:
        say(f"\n{failure}; the figures so far are in {workdir}")
        return 1
    finally:
        if not keep:
            _remove_bulky_files(workdir)
    found = report.targets(results["steps"], practices)
    results["targets"] = [target.as_dict() for target in found]
    say("")
    say(report.headline_lines(results["steps"], results["not_run"]))
    say(report.summary_lines(found, practices))
    results["seconds"] = time.monotonic() - started
    json_path = json_path or workdir / f"{now:%Y-%m-%d}-{practices}.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    say(f"\n{results['seconds']:.0f} s in all; figures written to {json_path}")
    return 0


def run_steps(
    steps: dict, database: Database, workdir: Path, practices: int, seed: int
) -> list[str]:
    """Runs every step into `steps`; returns what was not run, and why."""
    not_run = []
    environment = step_environment(database, workdir)

    def step(name: str, label: str = "", key: str = "", environment: dict = environment) -> dict:
        print(f"[{label or name} ...]", file=sys.stderr, flush=True)
        steps[key or name] = run_step(name, workdir, environment, practices, seed, key)
        return steps[key or name]

    generated = step("generate")
    say(report.generate_lines(generated))
    print("[migrate ...]", file=sys.stderr, flush=True)
    steps["migrate"] = {"seconds": migrate(environment)}
    say(f"migrate         {steps['migrate']['seconds']:.1f} s")
    say(report.import_lines(step("import"), generated["expected_pages"]))
    say(report.reindex_lines("reindex", step("reindex", "reindex (embedded)")))
    say(report.wagtail_index_lines(step("wagtail-index")))
    say(report.search_lines(step("search"), database.vendor))
    say(report.pages_lines(step("pages")))
    say(report.load_lines(step("load", "load on the production server")))
    # Last, so that an Elasticsearch failing half-way cannot leave the embedded index that the
    # search and page figures come from half rebuilt.
    if os.environ.get("ELASTICSEARCH_URL"):
        try:
            both = step(
                "reindex",
                "reindex (embedded + Elasticsearch)",
                key="reindex-elasticsearch",
                environment=step_environment(database, workdir, elasticsearch=True),
            )
        except StepFailed as failure:
            say(report.reindex_lines("reindex + ES", None, f"{failure}; see the error above"))
            not_run.append(f"reindex into Elasticsearch ({failure})")
        else:
            say(report.reindex_lines("reindex + ES", both))
            elasticsearch_share = both["seconds"] - steps["reindex"]["seconds"]
            say(f"                of which Elasticsearch about {elasticsearch_share:.1f} s")
    else:
        say(report.reindex_lines("reindex + ES", None, "skipped: ELASTICSEARCH_URL is not set"))
        not_run.append("reindex into Elasticsearch (ELASTICSEARCH_URL is not set)")
    return not_run


REUSABLE_STEPS = ("reindex", "wagtail-index", "search", "pages", "load")
STEP_LINES = {
    "reindex": lambda result, vendor: report.reindex_lines("reindex", result),
    "wagtail-index": lambda result, vendor: report.wagtail_index_lines(result),
    "search": report.search_lines,
    "pages": lambda result, vendor: report.pages_lines(result),
    "load": lambda result, vendor: report.load_lines(result),
}


def rerun(workdir: Path, steps_wanted: list[str], seed: int, json_path: Path | None) -> int:
    """Runs some steps again on the SQLite database a `--keep` run left in `workdir` (after
    migrating it to this code), beside the figures of the steps it does not run: to measure a
    change without importing the corpus again (an hour and more at 100 000 practices)."""
    started = time.monotonic()
    now = datetime.now().astimezone()
    path = workdir / "bench.sqlite3"
    if not path.exists():
        raise SystemExit(f"--reuse: no bench.sqlite3 in {workdir} (a SQLite run with --keep)")
    results = {"date": now.isoformat(timespec="seconds"), "workdir": str(workdir)}
    results["command"] = shlex.join(["python", "-m", "benchmarks", *sys.argv[1:]])
    steps = {}
    for name in ("generate", "import", *REUSABLE_STEPS):
        figures = workdir / f"{name}.json"
        if figures.exists():
            steps[name] = json.loads(figures.read_text(encoding="utf-8"))
    practices = steps["generate"]["records"]["practices"] if "generate" in steps else 0
    database = Database(
        f"sqlite:///{path}", "sqlite", f"SQLite {sqlite3.sqlite_version}", f"SQLite file {path}"
    )
    results["machine"] = describe_machine(database.version)
    say(
        report.machine_lines(
            results["machine"], results["command"], results["date"], database.description
        )
    )
    say(
        f"reused:   the database and figures of the run in {workdir}; "
        f"run again here: {', '.join(steps_wanted)}\n"
    )
    environment = step_environment(database, workdir)
    try:
        say(f"migrate         {migrate(environment):.1f} s")
        for name in steps_wanted:
            print(f"[{name} ...]", file=sys.stderr, flush=True)
            steps[name] = run_step(name, workdir, environment, practices, seed)
            say(STEP_LINES[name](steps[name], database.vendor))
    except StepFailed as failure:
        say(f"\n{failure}; the figures so far are in {workdir}")
        return 1
    results["steps"], results["rerun"] = steps, steps_wanted
    not_run = ["reindex into Elasticsearch (not with --reuse)"]
    found = report.targets(steps, practices)
    results["targets"] = [target.as_dict() for target in found]
    say("")
    say(report.headline_lines(steps, not_run))
    say(report.summary_lines(found, practices))
    results["seconds"] = time.monotonic() - started
    json_path = json_path or workdir / f"{now:%Y-%m-%d}-{practices}-rerun.json"
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    say(f"\n{results['seconds']:.0f} s in all; figures written to {json_path}")
    return 0


def _remove_bulky_files(workdir: Path) -> None:
    """The database and the corpus; the figures stay."""
    bulky = (workdir / "media", workdir / CORPUS_FILE, workdir / IMPORT_FILE)
    for path in (*bulky, *workdir.glob("bench.sqlite3*")):
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Import, index, search and render a synthetic corpus; print the figures "
        "next to the targets of issue #7. See docs/performance.md.",
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--practices", type=int, default=DEFAULT_PRACTICES, help="default 10 000")
    size.add_argument("--large", action="store_true", help="100 000 practices")
    parser.add_argument("--seed", type=int, default=1, help="of the corpus and the queries")
    parser.add_argument(
        "--json",
        type=Path,
        help="where to write the figures (default: the run's temporary directory)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and the corpus file afterwards"
    )
    parser.add_argument(
        "--reuse",
        type=Path,
        metavar="DIR",
        help="run --steps again on the SQLite database a --keep run left in DIR",
    )
    parser.add_argument(
        "--steps",
        default="search,pages,load",
        help=f"with --reuse, which steps, comma-separated, of {', '.join(REUSABLE_STEPS)} "
        "(default search,pages,load)",
    )
    args = parser.parse_args(argv)
    if args.reuse:
        wanted = [name.strip() for name in args.steps.split(",") if name.strip()]
        unknown = [name for name in wanted if name not in REUSABLE_STEPS]
        if unknown or not wanted:
            parser.error(f"--steps: choose among {', '.join(REUSABLE_STEPS)}")
        sys.exit(rerun(args.reuse, wanted, args.seed, args.json))
    practices = report.LARGE_PRACTICES if args.large else args.practices
    sys.exit(run(practices, args.seed, args.json, args.keep))
