import io
import os
import shutil
import tempfile
import zipfile
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
        "translations, as a kb-exchange/1 file that kb_import reads back. The practices' "
        "material files are written next to it (materials/<file>); a target ending in .zip "
        "becomes one bundle holding the JSON document and the files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help="Where to write the JSON, or a .zip bundle; '-' writes the JSON to standard "
            "output (without the material files).",
        )

    def handle(self, *args, file, **options):
        if file == "-":
            result = write_document(_Unterminated(self.stdout))
            report = self.stderr
            if result.materials:
                result.warnings.append(
                    f"{len(result.materials)} material files are not written to standard "
                    "output; export to a file or a .zip bundle to have them"
                )
        elif file.lower().endswith(".zip"):
            result = self.write_bundle(Path(file))
            report = self.stdout
        else:
            result = self.write_file(Path(file))
            report = self.stdout
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        report.write(result.summary())

    @staticmethod
    def temporary_next_to(path: Path) -> tuple[int, str]:
        try:
            return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None

    def write_file(self, path: Path) -> ExportResult:
        """Writes next to the target and renames, so a failed export leaves no half file; the
        material files are written first, so the JSON never names a file that is not there."""
        handle, temporary = self.temporary_next_to(path)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                result = write_document(out)
            for name, document in result.materials.items():
                target = path.parent / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with document.open_file() as source, open(target, "wb") as copy:
                    shutil.copyfileobj(source, copy)
            os.chmod(temporary, 0o644)  # open data: readable by all, like any other file
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return result

    def write_bundle(self, path: Path) -> ExportResult:
        """A zip holding the JSON document at its root (named as the bundle) and the files."""
        handle, temporary = self.temporary_next_to(path)
        os.close(handle)
        try:
            with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as bundle:
                with (
                    bundle.open(f"{path.stem}.json", "w") as member,
                    io.TextIOWrapper(member, encoding="utf-8") as out,
                ):
                    result = write_document(out)
                for name, document in result.materials.items():
                    with document.open_file() as source, bundle.open(name, "w") as member:
                        shutil.copyfileobj(source, member)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return result
