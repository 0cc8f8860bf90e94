import sys
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practices.exchange.importer import check_document, import_document
from practices.exchange.materials import BundleFiles, FolderFiles, NoMaterialFiles
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
        "every error is listed with its place. Importing the same file again changes nothing. "
        "Material files are read relative to the JSON file's folder; a .zip bundle holds one "
        "JSON document at its root and the files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help="The JSON file or .zip bundle to import; '-' reads JSON from standard input.",
        )
        parser.add_argument(
            "--check", action="store_true", help="Only check the file; write nothing."
        )

    def handle(self, *args, file, check=False, **options):
        with self.opened(file) as (source, files):
            self.import_source(file, source, files, check)

    def import_source(self, file, source, files, check) -> None:
        try:
            data = load_document(source)
            if check:
                errors = check_document(data, files=files)
                if errors:
                    raise ExchangeValidationError(errors)
                self.stdout.write(f"{file} is valid: nothing was written.")
                return
            progress = ProgressDisplay(self.stderr, interactive=self.stderr.isatty())
            report = import_document(data, progress=progress, files=files)
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

    @contextmanager
    def opened(self, file: str):
        """The JSON text of the document and where its material files are read from."""
        if file == "-":
            yield sys.stdin.buffer.read(), NoMaterialFiles()
        elif file.lower().endswith(".zip"):
            try:
                archive = zipfile.ZipFile(file)
            except OSError as error:
                raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
            except zipfile.BadZipFile:
                raise CommandError(f"{file} is not a zip file.") from None
            with archive:
                yield self.bundle_document(file, archive), BundleFiles(archive)
        else:
            path = Path(file)
            try:
                source = path.read_bytes()
            except OSError as error:
                raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
            yield source, FolderFiles(path.parent)

    @staticmethod
    def bundle_document(file: str, archive: zipfile.ZipFile) -> bytes:
        documents = [
            name for name in archive.namelist() if "/" not in name and name.endswith(".json")
        ]
        if len(documents) != 1:
            raise CommandError(
                f"{file} must hold exactly one .json exchange document at its root, "
                f"not {len(documents)}."
            )
        return archive.read(documents[0])
