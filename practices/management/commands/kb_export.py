import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practices.exchange.exporter import ExportResult, write_document


class _Unterminated:
    """Lets the exporter write to a command's stdout without a line ending after each piece."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")


class Command(BaseCommand):
    help = (
        "Exports every published library, meeting, practice and case study, with their "
        "translations, as a kb-exchange/1 file that kb_import reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the JSON; '-' writes to standard output.")

    def handle(self, *args, file, **options):
        if file == "-":
            result = write_document(_Unterminated(self.stdout))
            report = self.stderr
        else:
            result = self.write_file(Path(file))
            report = self.stdout
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        report.write(result.summary())

    @staticmethod
    def write_file(path: Path) -> ExportResult:
        """Writes next to the target and renames, so a failed export leaves no half file."""
        try:
            handle, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
            )
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                result = write_document(out)
            os.chmod(temporary, 0o644)  # open data: readable by all, like any other file
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return result
