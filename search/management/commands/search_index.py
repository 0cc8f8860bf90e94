import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search import operations
from search.backends.breaker import open_circuits

BAR_WIDTH = 30


class Progress:
    """Reports indexing per language: a bar redrawn in place on a terminal, otherwise a line
    every `interval` seconds (logs and cron mail stay short)."""

    def __init__(self, out, totals: dict, tty: bool, interval: float = 5.0, clock=time.monotonic):
        self.out = out
        self.totals = totals
        self.done = dict.fromkeys(totals, 0)
        self.tty = tty
        self.interval = interval
        self.clock = clock
        self.started = self.last_line = clock()

    def __call__(self, documents):
        for document in documents:
            self.done[document["locale"]] = self.done.get(document["locale"], 0) + 1
        if self.tty:
            self.out.write("\r" + self.bar(), ending="")
            self.out.flush()
        elif self.clock() - self.last_line >= self.interval:
            self.out.write(self.line())
            self.last_line = self.clock()

    def per_locale(self) -> str:
        return "  ".join(
            f"{code} {self.done[code]}/{self.totals.get(code, 0)}" for code in self.done
        )

    def counts(self):
        done = sum(self.done.values())
        return done, max(sum(self.totals.values()), done)

    def bar(self) -> str:
        done, total = self.counts()
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        percent = 100 * done // total if total else 100
        return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}%  {self.per_locale()}"

    def line(self) -> str:
        done, total = self.counts()
        return f"Indexed {done}/{total}: {self.per_locale()}"

    def finish(self):
        if self.tty:
            self.out.write("")
        seconds = self.clock() - self.started
        self.out.write(f"{self.line()} in {seconds:.1f} s.")


class Command(BaseCommand):
    help = (
        "The public search index. rebuild: index every live page anew (Elasticsearch: into new "
        "indices, swapped in when complete). status: indexed documents per language against "
        "live pages. sync: index what is missing or stale, remove what should not be there."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "status", "sync"])
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help="Without a terminal, seconds between progress lines of a rebuild (default 5).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="rebuild and sync: processes analysing the texts (default: the "
            "SEARCH_INDEX_WORKERS setting, else one per core; 1: none besides this one).",
        )

    def handle(self, *args, action, interval, workers, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be 1 or more.")
        self.workers = workers
        getattr(self, action)(interval)

    def rebuild(self, interval):
        totals = {row["locale"]: row["live"] for row in operations.status()}
        self.stdout.write(f"Rebuilding the search index: {sum(totals.values())} live pages.")
        progress = Progress(self.stdout, totals, tty=self._is_tty(), interval=interval)
        result = operations.rebuild(progress=progress, workers=self.workers)
        progress.finish()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt: {result['indexed']} documents indexed."))

    def status(self, interval):
        rows = operations.status()
        columns = [("locale", "Language"), ("live", "Live pages"), ("database", "Database")]
        if rows and "elasticsearch" in rows[0]:
            columns.append(("elasticsearch", "Elasticsearch"))
        total = {"locale": "all", **{key: sum(r[key] for r in rows) for key, _t in columns[1:]}}
        widths = [max(len(title), 8) for _key, title in columns]
        self.stdout.write("  ".join(t.ljust(w) for (_k, t), w in zip(columns, widths, strict=True)))
        for row in [*rows, total]:
            cells = [str(row[key]) for key, _title in columns]
            self.stdout.write(
                "  ".join(
                    cell.ljust(w) if i == 0 else cell.rjust(w)
                    for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
                )
            )
        behind = [
            row["locale"]
            for row in rows
            if any(row[key] != row["live"] for key, _title in columns[2:])
        ]
        if rows and "elasticsearch_error" in rows[0]:
            self.stdout.write(
                self.style.WARNING(
                    f"Elasticsearch cannot be reached ({rows[0]['elasticsearch_error']}): "
                    "searches are answered from the database index."
                )
            )
        if settings.ELASTICSEARCH_URL:
            self.circuits()
        if behind:
            self.stdout.write(
                self.style.WARNING(
                    f"Out of step in: {', '.join(behind)}. Run `manage.py search_index sync`."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Every live page is indexed."))

    def circuits(self):
        circuits = open_circuits()
        if not circuits:
            self.stdout.write("Circuit breaker: closed in every server process.")
            return
        self.stdout.write(
            self.style.WARNING(
                f"Circuit breaker open in {len(circuits)} server process(es): they answer "
                "searches from the database and try Elasticsearch again at the time shown."
            )
        )
        for circuit in circuits:
            self.stdout.write(
                f"  {circuit.process}: open since {circuit.opened_at:%Y-%m-%d %H:%M:%S %Z}, "
                f"{circuit.failures} failures, next try {circuit.next_probe_at:%H:%M:%S %Z}; "
                f"last error: {circuit.last_error}"
            )

    def sync(self, interval):
        result = operations.sync(workers=self.workers)
        self.stdout.write(
            self.style.SUCCESS(
                f"Synchronised: {result['indexed']} pages indexed, {result['removed']} removed."
            )
        )

    def _is_tty(self) -> bool:
        stream = getattr(self.stdout, "_out", sys.stdout)
        return hasattr(stream, "isatty") and stream.isatty()
