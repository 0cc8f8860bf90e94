"""Open data: everything published, as files anyone may download and reuse under CC BY 4.0.

The files are written to ``MEDIA_ROOT/open-data/`` from the exporter's ``kb-exchange/1``
document, never built per request:

- ``kb-exchange.json``: the whole document, as ``manage.py kb_export`` writes it;
- ``libraries.csv``, ``meetings.csv``, ``practices.csv``, ``case-studies.csv``: one row per
  record with the record's fields in its original language (``locale``), then each text
  field once per language (``title_en``, ``summary_en``, ``body_en``, ``title_lv``…), empty
  where the record has no version in that language; lists are joined with ``;``;
- ``manifest.json``: when the files were made, their sizes and record counts.

They are regenerated when a library, meeting, practice or case study is published,
unpublished or deleted (a task, at most once per ``OPEN_DATA_DEBOUNCE_SECONDS`` when a worker
runs the tasks), after a bulk import, by ``manage.py kb_open_data`` and by the
``regenerate_open_data`` task (run it nightly). Each file is written next to its final name and
renamed into place, so a download never sees half a file."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since
from django_tasks import task
from wagtail.signals import page_published, page_unpublished

from practices.exchange.exporter import (
    FIELDS,
    SECTION_MODELS,
    TRANSLATABLE_FIELDS,
    ExportResult,
    export_document,
)
from practices.exchange.validation import FORMAT, LOCALES, SECTIONS
from practices.models import CaseStudyPage, LibraryPage, MeetingPage, PracticePage

from .bulk import bulk_publishing_finished, collect

logger = logging.getLogger(__name__)

DIRECTORY = "open-data"
EXCHANGE_FILE = "kb-exchange.json"
MANIFEST_FILE = "manifest.json"
CSV_FILES = {
    "libraries": "libraries.csv",
    "meetings": "meetings.csv",
    "practices": "practices.csv",
    "case_studies": "case-studies.csv",
}
CONTENT_TYPES = {
    EXCHANGE_FILE: "application/json",
    MANIFEST_FILE: "application/json",
    **dict.fromkeys(CSV_FILES.values(), "text/csv; charset=utf-8"),
}
LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
OPEN_DATA_MODELS = (LibraryPage, MeetingPage, PracticePage, CaseStudyPage)
LIST_SEPARATOR = ";"
# A spreadsheet runs a cell that starts with one of these as a formula: such a text gets a
# leading apostrophe in the CSV files (the JSON keeps the exact text).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PENDING_KEY = "open-data:regeneration-pending"


def directory() -> Path:
    return Path(settings.MEDIA_ROOT) / DIRECTORY


# --- CSV -----------------------------------------------------------------------------------


def csv_columns(section: str) -> list[str]:
    """The record's own fields, then ``languages``, then each text field per language."""
    own = list(FIELDS[section])
    per_language = [
        f"{name}_{locale}" for locale in LOCALES for name in TRANSLATABLE_FIELDS[section]
    ]
    return [*own, "languages", *per_language]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(i, dict) for i in value)
    ):
        # Steps, sections, a contact, materials, outcome measures: their JSON, as in the
        # exchange file, since a cell cannot hold a structure.
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, list):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def csv_row(section: str, record: dict[str, Any], licences: dict[str, str]) -> dict[str, str]:
    texts = {record["locale"]: record, **record.get("translations", {})}
    row = {name: record.get(name) for name in FIELDS[section]}
    if section == "practices":
        row["licence"] = licences.get(record["key"], LICENCE)
    row["languages"] = [locale for locale in LOCALES if locale in texts]
    for locale, version in texts.items():
        for name in TRANSLATABLE_FIELDS[section]:
            row[f"{name}_{locale}"] = version.get(name)
    return {name: _cell(value) for name, value in row.items()}


def write_csv(section: str, records: Iterable[dict[str, Any]], out, licences=None) -> int:
    writer = csv.DictWriter(out, fieldnames=csv_columns(section), lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(csv_row(section, record, licences or {}))
        count += 1
    return count


def practice_licences(records: list[dict[str, Any]]) -> dict[str, str]:
    """The licence of each exported practice, by key: that of the version it was written in."""
    wanted = {(record["key"], record["locale"]) for record in records}
    rows = (
        PracticePage.objects.live()
        .filter(slug__in={key for key, _locale in wanted})
        .values_list("slug", "locale__language_code", "licence")
    )
    return {slug: licence for slug, locale, licence in rows if (slug, locale) in wanted}


# --- What is published --------------------------------------------------------------------


def without_private_versions(document: dict[str, Any]) -> dict[str, Any]:
    """The exporter writes every live page; open data leaves out the versions behind a login
    or password (Wagtail's privacy settings): a record whose own version is private goes, a
    private translation is dropped from its record."""
    for section, model in SECTION_MODELS.items():
        private = set(
            model.objects.live().not_public().values_list("slug", "locale__language_code")
        )
        if not private:
            continue
        records = []
        for record in document[section]:
            if (record["key"], record["locale"]) in private:
                continue
            translations = {
                locale: texts
                for locale, texts in record.get("translations", {}).items()
                if (record["key"], locale) not in private
            }
            record = {k: v for k, v in record.items() if k != "translations"}
            if translations:
                record["translations"] = translations
            records.append(record)
        document[section] = records
    return document


# --- Writing the files ---------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenFile:
    name: str
    bytes: int
    sha256: str
    records: int | None


def write_atomically(path: Path, write: Callable[[io.TextIOBase], Any], **open_options):
    """Writes a temporary file next to `path` and renames it into place. Returns what
    `write` returned."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", **open_options) as out:
            returned = write(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)  # open data: readable by the web server, like other media
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return returned


def _describe(path: Path, records: int | None) -> WrittenFile:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return WrittenFile(path.name, path.stat().st_size, digest, records)


def generate_open_data() -> dict[str, Any]:
    """Writes every open-data file from what is published now; returns the manifest."""
    target = directory()
    target.mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    document = without_private_versions(export_document(result))
    for warning in result.warnings:
        logger.warning("Open data: %s", warning)

    written = []
    write_atomically(
        target / EXCHANGE_FILE,
        lambda out: out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n"),
    )
    total = sum(len(document[section]) for section in SECTIONS)
    written.append(_describe(target / EXCHANGE_FILE, total))

    licences = practice_licences(document["practices"])
    for section, name in CSV_FILES.items():

        def write(out, section=section):
            out.write("\ufeff")  # the byte-order mark tells spreadsheet programs it is UTF-8
            return write_csv(section, document[section], out, licences)

        count = write_atomically(target / name, write, newline="")
        written.append(_describe(target / name, count))

    manifest = {
        "generated_at": timezone.now().astimezone(UTC).isoformat(timespec="seconds"),
        "format": FORMAT,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "counts": {section: len(document[section]) for section in SECTIONS},
        "files": [
            {"name": f.name, "bytes": f.bytes, "sha256": f.sha256, "records": f.records}
            for f in written
        ],
    }
    write_atomically(
        target / MANIFEST_FILE,
        lambda out: out.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"),
    )
    logger.info("Open data regenerated: %s", result.summary())
    return manifest


def read_manifest() -> dict[str, Any] | None:
    try:
        return json.loads((directory() / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --- Keeping the files up to date ----------------------------------------------------------


@task()
def regenerate_open_data() -> dict[str, int]:
    """Regenerates the open-data files; enqueued after content changes, and nightly."""
    return generate_open_data()["counts"]


def _enqueue_regeneration() -> None:
    regeneration = regenerate_open_data
    delay = settings.OPEN_DATA_DEBOUNCE_SECONDS
    if delay > 0 and regeneration.get_backend().supports_defer:
        # One run a little later sees every change made until then: while it is pending, a
        # further change needs no run of its own. The key lives exactly as long as the wait,
        # so a change after the run has started always schedules another.
        if not cache.add(_PENDING_KEY, True, timeout=delay):
            return
        regeneration = regeneration.using(run_after=timezone.now() + timedelta(seconds=delay))
    regeneration.enqueue()


def schedule_regeneration() -> None:
    """Regenerates the files once the current transaction has committed."""
    transaction.on_commit(_enqueue_regeneration)


def _on_page_changed(sender, instance, **kwargs):
    if isinstance(instance, OPEN_DATA_MODELS) and not collect([instance.pk]):
        schedule_regeneration()


def _on_bulk_finished(sender, page_ids, **kwargs):
    if page_ids:
        schedule_regeneration()


def connect() -> None:
    page_published.connect(_on_page_changed, dispatch_uid="practices.open_data.published")
    page_unpublished.connect(_on_page_changed, dispatch_uid="practices.open_data.unpublished")
    for model in OPEN_DATA_MODELS:
        post_delete.connect(
            _on_page_changed, sender=model, dispatch_uid=f"practices.open_data.{model.__name__}"
        )
    bulk_publishing_finished.connect(_on_bulk_finished, dispatch_uid="practices.open_data.bulk")


# --- Views ---------------------------------------------------------------------------------

FILE_LABELS = {
    EXCHANGE_FILE: _("Everything, with all translations (JSON, kb-exchange/1)"),
    CSV_FILES["libraries"]: _("Libraries (CSV)"),
    CSV_FILES["meetings"]: _("Meetings (CSV)"),
    CSV_FILES["practices"]: _("Practices (CSV)"),
    CSV_FILES["case_studies"]: _("Case studies (CSV)"),
}


def open_data_page(request):
    """/<lang>/open-data/: what can be downloaded, how big it is, how fresh, under which
    licence and how to credit it."""
    manifest = read_manifest()
    files = []
    generated_at = None
    if manifest is not None:
        generated_at = datetime.fromisoformat(manifest["generated_at"])
        for entry in manifest["files"]:
            if entry["name"] in FILE_LABELS and (directory() / entry["name"]).is_file():
                files.append({**entry, "label": FILE_LABELS[entry["name"]]})
    context = {
        "files": files,
        "generated_at": generated_at,
        "licence_url": LICENCE_URL,
        "site_url": request.build_absolute_uri("/"),
        "csv_files": [
            {"name": name, "columns": csv_columns(section)} for section, name in CSV_FILES.items()
        ],
        "list_separator": LIST_SEPARATOR,
    }
    return render(request, "practices/open_data.html", context)


@require_safe
def download(request, name: str):
    """One open-data file, from disk, as an attachment. The files are regenerated in the
    background; this only reads them."""
    if name not in CONTENT_TYPES:
        raise Http404
    path = directory() / name
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise Http404 from None
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), stat.st_mtime):
        return HttpResponseNotModified()
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[name]
    )
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = "public, max-age=300"
    return response


# Listening starts when the module is first imported (the URLconf imports it). A process that
# serves no URL (a management command, the task worker) listens once PracticesConfig.ready()
# calls connect() too; connecting twice is harmless (dispatch_uid).
connect()
