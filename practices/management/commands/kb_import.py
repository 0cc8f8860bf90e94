import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practices.exchange.importer import check_document, import_document
from practices.exchange.validation import ExchangeValidationError, load_document


class ProgressDisplay:
    """Shows how far an import is: a bar redrawn in place on a terminal; in a log, a line
    every few seconds and one at the end of each section."""

    BAR_WIDTH = 30

    def __init__(self, stream, interactive: bool, interval: float = 5.0):
        self.stream = stream
        self.interactive = interactive
        self.interval = interval
        self.section_started = self.last_shown = time.monotonic()

    def __call__(self, section: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done == 0:
            self.section_started = self.last_shown = now
        finished = done == total
        label = section.replace("_", " ")
        elapsed = now - self.section_started
        rate = f"{done / elapsed:.1f} records/s" if elapsed > 0 and done else ""
        if self.interactive:
            filled = self.BAR_WIDTH * done // total
            bar = "#" * filled + "-" * (self.BAR_WIDTH - filled)
            self.stream.write(
                f"\r{label:<13} [{bar}] {done}/{total} {rate}", ending="\n" if finished else ""
            )
            self.stream.flush()
        elif finished or now - self.last_shown >= self.interval:
            self.stream.write(f"{label}: {done}/{total} records {rate}".rstrip())
            self.last_shown = now


class Command(BaseCommand):
    help = (
        "Imports a kb-exchange/1 file (libraries, meetings, practices, case studies and their "
        "translations). The whole file is checked first: on any error nothing is written and "
        "every error is listed with its place. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file to import; '-' reads standard input.")
        parser.add_argument(
            "--check", action="store_true", help="Only check the file; write nothing."
        )

    def handle(self, *args, file, check=False, **options):
        source = self.read(file)
        try:
            data = load_document(source)
            if check:
                errors = check_document(data)
                if errors:
                    raise ExchangeValidationError(errors)
                self.stdout.write(f"{file} is valid: nothing was written.")
                return
            progress = ProgressDisplay(self.stderr, interactive=self.stderr.isatty())
            report = import_document(data, progress=progress)
        except ExchangeValidationError as error:
            count = len(error.errors)
            raise CommandError(
                f"{file} cannot be imported, nothing was written "
                f"({count} error{'s' if count != 1 else ''}):\n"
                + "\n".join(str(problem) for problem in error.errors)
            ) from None
        self.stdout.write(f"Imported {file}:")
        for line in report.summary_lines():
            self.stdout.write(f"  {line}")

    @staticmethod
    def read(file: str) -> bytes:
        if file == "-":
            return sys.stdin.buffer.read()
        try:
            return Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
