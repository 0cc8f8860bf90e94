"""Reads a ``kb-exchange/1`` document into the site.

The whole document is validated against the site's own vocabularies and keys before anything
is written; then, in one transaction, libraries, meetings, practices and case studies are
imported in that order, so that a record may refer to one further down the file.

A record is a page under its type's index page in the record's locale, found again by its key
(the slug): importing a file twice changes nothing the second time, and a changed record
becomes a new published revision of the same page. Each translation becomes the page's
wagtail-localize translation in that locale: the translated texts are stored as wagtail-
localize string translations of the source's segments, so the translation editor shows them
and a later "sync translated pages" keeps them.
"""

from __future__ import annotations

import html
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail.rich_text import RichText
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.strings import StringValue

from practices.models import (
    Audience,
    CaseStudyIndexPage,
    Format,
    LibraryIndexPage,
    MeetingIndexPage,
    PracticeAudience,
    PracticeIndexPage,
    PracticeMaterial,
    PracticeTheme,
    Theme,
)
from practices.text import text_paragraphs

from ..bulk import bulk_publishing
from . import bulk
from .exporter import (
    FIELDS,
    SECTION_MODELS,
    TRANSLATABLE_FIELDS,
    choose_source,
    default_locale_id,
    normalise_record,
    normalise_translation,
    page_groups,
    page_record,
    page_texts,
    practice_materials,
    record_queryset,
    translation_source_locales,
)
from .materials import (
    MaterialFile,
    MaterialFiles,
    NoMaterialFiles,
    check_material_files,
    find_document,
    store_document,
)
from .validation import (
    DEFAULT_LICENCE,
    LOCALES,
    OUTCOME_SHARES,
    SECTION_KINDS,
    SECTIONS,
    ExchangeError,
    ExchangeValidationError,
    validate_document,
)

INDEX_MODELS = {
    "libraries": LibraryIndexPage,
    "meetings": MeetingIndexPage,
    "practices": PracticeIndexPage,
    "case_studies": CaseStudyIndexPage,
}
VOCABULARY_MODELS = {"themes": Theme, "audiences": Audience, "formats": Format}

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

# Called after each record with the section, the records done in it and its record count.
ProgressCallback = Callable[[str, int, int], None]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def written(self) -> int:
        return self.created + self.updated

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportReport:
    """What an import did, per section: pages (the records' own) and their translations."""

    pages: dict[str, Counts] = field(default_factory=lambda: {s: Counts() for s in SECTIONS})
    translations: dict[str, Counts] = field(default_factory=lambda: {s: Counts() for s in SECTIONS})
    seconds: float = 0.0

    @property
    def pages_written(self) -> int:
        return sum(c.written for c in (*self.pages.values(), *self.translations.values()))

    @property
    def pages_per_second(self) -> float:
        return self.pages_written / self.seconds if self.seconds else 0.0

    def summary_lines(self) -> list[str]:
        width = max(len(section) for section in SECTIONS) + 1
        lines = [
            f"{section.replace('_', ' ') + ':':<{width}} {self.pages[section]}; "
            f"translations: {self.translations[section]}"
            for section in SECTIONS
        ]
        lines.append(
            f"{self.pages_written} pages written in {self.seconds:.1f} s "
            f"({self.pages_per_second:.1f} pages/s)."
        )
        return lines


class _RecordProblem(Exception):
    """Something the validator cannot know about, found while writing a record."""

    def __init__(self, errors: list[ExchangeError]):
        self.errors = errors


def _problem(path: str, message: str) -> _RecordProblem:
    return _RecordProblem([ExchangeError(path, message)])


# The record's field behind each model field, to place a model validation error.
_MODEL_FIELD_NAMES = {"start_date": "start", "end_date": "end", "slug": "key"}


def _placed_errors(path: str, error: ValidationError, section: str) -> _RecordProblem:
    if not hasattr(error, "error_dict"):
        return _RecordProblem([ExchangeError(path, message) for message in error.messages])
    errors = []
    for name, field_errors in error.message_dict.items():
        if name == "title" and section == "libraries":
            name = "name"
        name = _MODEL_FIELD_NAMES.get(name, name)
        place = f"{path}.{name}" if name in FIELDS[section] else path
        errors.extend(ExchangeError(place, message) for message in field_errors)
    return _RecordProblem(errors)


def paragraph_html(paragraph: str) -> str:
    """One plain-text paragraph as rich text; its single line breaks become ``<br/>``."""
    lines = (html.escape(line, quote=False) for line in paragraph.split("\n"))
    return "<p>" + "<br/>".join(lines) + "</p>"


def body_blocks(text: str | None) -> list[tuple[str, RichText]]:
    """A normalised body as StreamField content: one paragraph block per paragraph."""
    return [("paragraph", RichText(paragraph_html(p))) for p in (text or "").split("\n\n") if p]


def rich_text(text: str | None) -> RichText:
    """A normalised plain text as one rich text, a ``<p>`` per paragraph."""
    return RichText("".join(paragraph_html(p) for p in (text or "").split("\n\n") if p))


def practice_body_blocks(record: dict) -> list[tuple[str, Any]]:
    """A practice's body: its paragraphs, then one steps block, then its sections in the
    order the page shows them."""
    blocks: list[tuple[str, Any]] = body_blocks(record.get("body"))
    if record.get("steps"):
        steps = [
            {
                "title": step.get("title", ""),
                "duration_minutes": step.get("minutes"),
                "who": step.get("who", ""),
                "description": rich_text(step.get("description")),
            }
            for step in record["steps"]
        ]
        blocks.append(("steps", steps))
    sections = record.get("sections") or {}
    blocks += [
        ("section", {"kind": kind, "text": rich_text(sections[kind])})
        for kind in SECTION_KINDS
        if kind in sections
    ]
    return blocks


class _Site:
    """What the importer needs to know about the site, loaded once: locales, the terms of
    each vocabulary per locale, and the page ids of every key per locale."""

    def __init__(self):
        self.locales = {
            locale.language_code: locale
            for locale in Locale.objects.filter(language_code__in=LOCALES)
        }
        self.default_locale_id = default_locale_id()
        self.terms: dict[str, dict[tuple[str, int], int]] = {
            vocabulary: {
                (slug, locale_id): pk
                for pk, slug, locale_id in model.objects.values_list("pk", "slug", "locale_id")
            }
            for vocabulary, model in VOCABULARY_MODELS.items()
        }
        self.pages: dict[str, dict[str, dict[int, int]]] = {}
        self.origins: dict[str, dict[str, int]] = {}
        for section, model in SECTION_MODELS.items():
            self.pages[section], self.origins[section] = {}, {}
            source_locales = translation_source_locales(model)
            for translation_key, rows in page_groups(model.objects.all()).items():
                for row in rows:
                    self.pages[section].setdefault(row.slug, {})[row.locale_id] = row.pk
                origin = choose_source(
                    rows, source_locales.get(translation_key, ()), self.default_locale_id
                )
                self.origins[section].setdefault(origin.slug, origin.pk)
        self.index_pages = {
            section: dict(model.objects.values_list("locale_id", "pk"))
            for section, model in INDEX_MODELS.items()
        }

    def vocabularies(self) -> dict[str, set[str]]:
        return {
            vocabulary: {slug for slug, locale_id in terms if locale_id == self.default_locale_id}
            for vocabulary, terms in self.terms.items()
        }

    def existing_keys(self) -> dict[str, set[str]]:
        return {section: set(keys) for section, keys in self.pages.items()}

    def term(self, vocabulary: str, slug: str, locale_id: int) -> int:
        """The term in the page's language, or in the default language where it has none."""
        terms = self.terms[vocabulary]
        return terms.get((slug, locale_id)) or terms[(slug, self.default_locale_id)]

    def page_id(self, section: str, key: str, locale_id: int) -> int | None:
        """The page of a key in a locale; else the original language version."""
        versions = self.pages[section].get(key)
        if not versions:
            return None
        return versions.get(locale_id) or self.origins[section].get(key) or min(versions.values())


def check_document(
    data: Any, site: _Site | None = None, files: MaterialFiles | None = None
) -> list[ExchangeError]:
    """Every error in a document, checked against this site's vocabularies and keys, against
    the lengths its pages can store, and the material files it names against ``files`` (the
    folder of the JSON file or a zip bundle) as an upload would be checked."""
    return _checked(data, site or _Site(), files or NoMaterialFiles())[0]


def _checked(data: Any, site: _Site, files: MaterialFiles):
    errors = validate_document(
        data, vocabularies=site.vocabularies(), existing_keys=site.existing_keys()
    )
    found: dict[str, MaterialFile] = {}
    if isinstance(data, dict):
        errors += _length_errors(data)
        file_errors, found = check_material_files(data, files)
        errors += file_errors
    return errors, found


def _max_length(section: str, name: str) -> int | None:
    try:
        field = SECTION_MODELS[section]._meta.get_field("title" if name == "name" else name)
    except FieldDoesNotExist:
        return None
    return getattr(field, "max_length", None)


def _length_errors(data: dict) -> list[ExchangeError]:
    """Texts longer than their page field holds (a summary, a city...), which the format
    itself does not limit."""
    errors = []
    for section in SECTIONS:
        records = data.get(section)
        for index, record in enumerate(records if isinstance(records, list) else ()):
            if not isinstance(record, dict):
                continue
            path = f"{section}[{index}]"
            normalised = normalise_record(section, record)
            values = [(f"{path}.{name}", name, normalised.get(name)) for name in FIELDS[section]]
            given = record.get("translations")
            for locale, texts in normalised.get("translations", {}).items():
                given_texts = given.get(locale) or {}
                values += [
                    (f"{path}.translations.{locale}.{name}", name, value)
                    for name, value in texts.items()
                    if name in given_texts
                ]
            for place, name, value in values:
                limit = _max_length(section, name)
                if isinstance(value, str) and limit and len(value) > limit:
                    message = gettext(
                        "too long: %(length)s characters, at most %(limit)s allowed"
                    ) % {"length": len(value), "limit": limit}
                    errors.append(ExchangeError(place, message))
    return errors


def import_document(
    data: dict,
    *,
    progress: ProgressCallback | None = None,
    files: MaterialFiles | None = None,
) -> ImportReport:
    """Imports a parsed document, all of it or (on any error) nothing.

    ``files`` reads the files its materials name (see ``materials``). Raises
    ExchangeValidationError listing every error, each with its place.
    """
    files = files or NoMaterialFiles()
    stored: list = []
    try:
        return _import_document(data, progress, files, stored)
    except BaseException:
        # The database forgets the documents of a failed import; their files go too.
        for document in stored:
            document.file.storage.delete(document.file.name)
        raise


def _import_document(data, progress, files, stored) -> ImportReport:
    started = time.monotonic()
    # Listeners of each publication (the search index) handle all the pages once, at the end,
    # after the transaction is committed.
    # Wagtail's reference index would be rebuilt on every save of every page and child object
    # (a page is saved several times on its way to publication); it is updated once per
    # written page instead (``_Importer.index_references``).
    with bulk_publishing(), disable_reference_index_auto_update(), transaction.atomic():
        site = _Site()
        errors, found = _checked(data, site, files)
        if errors:
            raise ExchangeValidationError(errors)
        importer = _Importer(site, progress, files, found, stored)
        for section in SECTIONS:
            importer.import_section(section, data.get(section) or [])
        if importer.errors:
            raise ExchangeValidationError(importer.errors)
    importer.report.seconds = time.monotonic() - started
    return importer.report


class _Importer:
    def __init__(
        self,
        site: _Site,
        progress: ProgressCallback | None,
        files: MaterialFiles,
        found: dict[str, MaterialFile],
        stored: list,
    ):
        self.site = site
        self.progress = progress
        self.files = files
        self.found = found
        self.stored = stored  # the documents this import created
        self.documents: dict[tuple[str, str], Any] = {}
        self.report = ImportReport()
        self.errors: list[ExchangeError] = []
        self.positions = bulk.TreePositions()
        self.index_page_cache: dict[int, Page] = {}
        self.setters: dict[str, dict[str, Callable[..., None]]] = {
            "libraries": {
                "name": self._text("title"),
                "city": self._text("city"),
                "country": self._text("country"),
                "website": self._text("website"),
                "partner": self._value("partner"),
                "latitude": self._value("latitude"),
                "longitude": self._value("longitude"),
                "contact": self._contact,
            },
            "meetings": {
                "kind": self._value("kind"),
                "title": self._text("title"),
                "summary": self._text("summary"),
                "body": self._body,
                "start": self._date("start_date"),
                "end": self._date("end_date"),
                "city": self._text("city"),
                "country": self._text("country"),
                "host": self._reference("host", "libraries"),
            },
            "practices": {
                "title": self._text("title"),
                "summary": self._text("summary"),
                "body": self._body,
                "themes": self._terms("theme_links", PracticeTheme, "theme", "themes"),
                "audiences": self._terms(
                    "audience_links", PracticeAudience, "audience", "audiences"
                ),
                "format": self._term("format", "formats"),
                "tags": self._tags,
                "duration_minutes": self._value("duration_minutes"),
                "group_size": self._text("group_size"),
                "preparation_minutes": self._value("preparation_minutes"),
                "cost_band": self._text("cost_band"),
                "staff_needed": self._value("staff_needed"),
                "licence": self._licence,
                "library": self._reference("library", "libraries"),
                "meeting": self._reference("meeting", "meetings"),
                # The body, steps and sections are one StreamField: see ``_apply``.
                "steps": None,
                "sections": None,
                "contact": self._contact,
                "materials": self._materials,
            },
            "case_studies": {
                "practice": self._reference("practice", "practices"),
                "library": self._reference("library", "libraries"),
                "date": self._date("date"),
                "stage": self._value("stage"),
                "participants": self._value("participants"),
                "title": self._text("title"),
                "summary": self._text("summary"),
                "body": self._body,
                "tags": self._tags,
                "outcome_measures": self._outcome_measures,
                "outcomes": self._text("outcomes"),
                "would_change": self._text("would_change"),
            },
        }

    # Records

    def import_section(self, section: str, records: list[dict]) -> None:
        """Records whose key the site does not know yet are created in bulk, a batch at a
        time; the others are compared with their pages and updated one by one."""
        total = len(records)
        if self.progress and total:
            self.progress(section, 0, total)
        new, known = [], []
        for index, record in enumerate(records):
            is_new = record.get("key") not in self.site.pages[section]
            (new if is_new else known).append((f"{section}[{index}]", record))
        done = 0
        for start in range(0, len(new), bulk.BATCH_SIZE):
            batch = new[start : start + bulk.BATCH_SIZE]
            self.create_records(section, batch)
            done += len(batch)
            if self.progress:
                self.progress(section, done, total)
        for path, record in known:
            self.import_record(section, path, record)
            done += 1
            if self.progress:
                self.progress(section, done, total)

    def create_records(self, section: str, items: list[tuple[str, dict]]) -> None:
        """Creates the pages of new records and their translations (see ``bulk``)."""
        built = []
        for path, record in items:
            wanted = normalise_record(section, record)
            try:
                built.append((path, record, wanted, self._built_page(section, path, wanted)))
            except _RecordProblem as problem:
                self.errors.extend(problem.errors)
        if self.errors:
            return  # nothing will be kept: only the remaining records' errors matter now
        for _path, _record, _wanted, page in built:
            self.positions.place(page, self._index_page(section, page.locale_id))
        bulk.write_live_pages([page for *_item, page in built])
        for _path, _record, wanted, page in built:
            self.site.pages[section].setdefault(wanted["key"], {})[page.locale_id] = page.pk
            self.site.origins[section].setdefault(wanted["key"], page.pk)
            self.report.pages[section].add(CREATED)

        translated = [item for item in built if item[2].get("translations")]
        sources = bulk.write_sources([page for *_item, page in translated])
        new_translations = []
        for (path, record, wanted, page), source in zip(translated, sources, strict=True):
            given = record.get("translations") or {}
            layout = body_layout(page)
            strings = [
                (row.pk, value.path, value.string) for value, row in source.string_segments()
            ]
            for code, texts in wanted["translations"].items():
                translation_path = f"{path}.translations.{code}"
                try:
                    locale = self._locale(code, translation_path)
                    self._check_index_page(section, translation_path, locale)
                except _RecordProblem as problem:
                    self.errors.extend(problem.errors)
                    continue
                planned, overrides = plan_translation(
                    section, strings, wanted, texts, _given_texts(given, code), layout
                )
                new_translations.append(
                    bulk.NewTranslation(
                        source=source,
                        locale=locale,
                        parent=self._index_page(section, locale.pk),
                        texts={key: text for key, text in planned if text is not None},
                        overrides=overrides,
                    )
                )
        if self.errors:
            return
        pages = bulk.write_translations(new_translations, self.positions)
        for translation, page in zip(new_translations, pages, strict=True):
            key = translation.source.page.slug
            self.site.pages[section].setdefault(key, {})[page.locale_id] = page.pk
            self.report.translations[section].add(CREATED)
        self.positions.count_children()

    def _built_page(self, section: str, path: str, wanted: dict):
        """The page of a new record, not saved yet, with its fields checked."""
        locale = self._locale(wanted["locale"], f"{path}.locale")
        self._check_index_page(section, f"{path}.locale", locale)
        page = SECTION_MODELS[section](slug=wanted["key"], locale=locale)
        fields = [name for name in self.setters[section] if name in FIELDS[section]]
        self._apply(section, path, page, wanted, fields, locale.pk)
        page.draft_title = page.title
        # Related rows come from the site's own maps; tree fields are set when placed.
        unchecked = [f.name for f in page._meta.concrete_fields if f.is_relation]
        try:
            page.clean_fields(exclude=[*unchecked, "path", "depth", "numchild", "url_path"])
        except ValidationError as error:
            raise _placed_errors(path, error, section) from None
        return page

    def _index_page(self, section: str, locale_id: int) -> Page:
        page_id = self.site.index_pages[section][locale_id]
        if page_id not in self.index_page_cache:
            self.index_page_cache[page_id] = Page.objects.get(pk=page_id)
        return self.index_page_cache[page_id]

    def import_record(self, section: str, path: str, record: dict) -> None:
        wanted = normalise_record(section, record)
        key = wanted["key"]
        known_versions = dict(self.site.pages[section].get(key, {}))
        try:
            # A savepoint per record: a record that cannot be saved is undone and reported,
            # and the import goes on to find the errors of the records after it.
            with transaction.atomic():
                page, outcome = self.import_source(section, path, wanted)
                self.report.pages[section].add(outcome)
                written = [page] if outcome != UNCHANGED else []
                written += self.import_translations(
                    section, path, page, wanted, record, source_changed=outcome != UNCHANGED
                )
                for written_page in written:
                    ReferenceIndex.create_or_update_for_object(written_page)
        except _RecordProblem as problem:
            self.errors.extend(problem.errors)
            if known_versions:
                self.site.pages[section][key] = known_versions
            else:
                self.site.pages[section].pop(key, None)
                self.site.origins[section].pop(key, None)

    def import_source(self, section: str, path: str, wanted: dict):
        """Creates or updates the page of a record in the record's own locale."""
        key = wanted["key"]
        locale = self._locale(wanted["locale"], f"{path}.locale")
        fields = [name for name in self.setters[section] if name in FIELDS[section]]
        page_id = self.site.pages[section].get(key, {}).get(locale.pk)
        if page_id is None:
            page = self._new_page(section, path, key, locale)
            outcome = CREATED
        else:
            page = record_queryset(section).get(pk=page_id)
            current = page_record(section, page, private=True)
            fields = [
                name for name in fields if self._differs(section, name, current, wanted, page)
            ]
            if not fields and page.live and not page.alias_of_id:
                return page, UNCHANGED
            outcome = UPDATED
        try:
            self._apply(section, path, page, wanted, fields, locale.pk)
            if page.pk is None:
                parent = Page.objects.get(pk=self.site.index_pages[section][locale.pk])
                parent.add_child(instance=page)
            elif page.alias_of_id:
                # An alias only mirrors its original; the record makes it a page of its own.
                page.alias_of_id = None
                page.save(update_fields=["alias_of_id"], clean=False)
            page.save_revision().publish()
        except ValidationError as error:
            raise _placed_errors(path, error, section) from None
        self.site.pages[section].setdefault(key, {})[locale.pk] = page.pk
        self.site.origins[section].setdefault(key, page.pk)
        return page, outcome

    def _check_index_page(self, section: str, path: str, locale: Locale) -> None:
        if locale.pk not in self.site.index_pages[section]:
            raise _problem(
                path,
                f"the site has no {section.replace('_', ' ')} index page in "
                f"'{locale.language_code}'",
            )

    def _new_page(self, section: str, path: str, key: str, locale: Locale):
        self._check_index_page(section, f"{path}.locale", locale)
        origin_id = self.site.origins[section].get(key)
        if origin_id is None:
            # Created live, as Wagtail's own page factories do, so that saving it validates it
            # in full; it is published (with a revision and the page_published signal) next.
            page = SECTION_MODELS[section](slug=key, locale=locale)
        else:
            # The key exists in other languages only: the record adds this language version.
            origin = SECTION_MODELS[section].objects.get(pk=origin_id)
            page = origin.copy_for_translation(locale)
        return page

    def _differs(self, section: str, name: str, current: dict, wanted: dict, page) -> bool:
        if name == "materials":
            return self._wanted_materials(wanted.get(name)) != _page_materials(page)
        if name == "contact" and "email" not in (wanted.get(name) or {}):
            # Exports never carry the email address: a record without one keeps the site's.
            current = {**current, "contact": _without_email(current.get(name))}
        return current.get(name) != wanted.get(name)

    def _apply(self, section, path, page, wanted, fields, locale_id) -> None:
        if section == "practices" and {"body", "steps", "sections"} & set(fields):
            page.body = practice_body_blocks(wanted)
            fields = [name for name in fields if name not in ("body", "steps", "sections")]
        for name in fields:
            self.setters[section][name](page, wanted.get(name), locale_id, f"{path}.{name}")

    def _locale(self, code: str, path: str) -> Locale:
        locale = self.site.locales.get(code)
        if locale is None:
            raise _problem(path, f"the site has no '{code}' language")
        return locale

    # Setters: each sets one record field on a page (``None``: the record leaves it out).

    @staticmethod
    def _text(attribute):
        def set_text(page, value, locale_id, path):
            setattr(page, attribute, value or "")

        return set_text

    @staticmethod
    def _value(attribute):
        def set_value(page, value, locale_id, path):
            setattr(page, attribute, value)

        return set_value

    @staticmethod
    def _date(attribute):
        def set_date(page, value, locale_id, path):
            setattr(page, attribute, date.fromisoformat(value) if value else None)

        return set_date

    @staticmethod
    def _body(page, value, locale_id, path):
        page.body = body_blocks(value)

    @staticmethod
    def _tags(page, value, locale_id, path):
        page.tags.set(value or [])

    @staticmethod
    def _licence(page, value, locale_id, path):
        page.licence = value or DEFAULT_LICENCE

    @staticmethod
    def _contact(page, value, locale_id, path):
        value = value or {}
        # A record without an address (every export) keeps the site's address for the same
        # person; a different person never receives the previous one's messages.
        same_person = value.get("name", "") == page.contact_name
        if "email" in value or not same_person:
            page.contact_email = value.get("email", "")
        page.contact_name = value.get("name", "")
        page.contact_role = value.get("role", "")
        page.contact_languages = value.get("languages", [])

    @staticmethod
    def _outcome_measures(page, value, locale_id, path):
        value = value or {}
        page.outcome_respondents = value.get("respondents")
        for share in OUTCOME_SHARES:
            setattr(page, f"outcome_{share}", value.get(share))

    def _materials(self, page, value, locale_id, path):
        materials = []
        for item in value or ():
            material = PracticeMaterial(
                document=self._document(item),
                description=item.get("description", ""),
                language=item.get("language", ""),
            )
            material.locale_id = locale_id
            materials.append(material)
        page.materials = materials

    def _document(self, item: dict):
        """The document of a material's file: one the site already has for the same file
        and title, else a new one (once per import)."""
        key = (item["file"], item["title"])
        if key not in self.documents:
            file = self.found[item["file"]]
            document = find_document(file, item["title"])
            if document is None:
                document = store_document(file, self.files.read(item["file"]), item["title"])
                self.stored.append(document)
            self.documents[key] = document
        return self.documents[key]

    def _wanted_materials(self, materials) -> list[tuple] | None:
        return [
            (
                self.found[item["file"]].sha1,
                item["title"],
                item.get("description"),
                item.get("language"),
            )
            for item in materials or ()
        ] or None

    def _reference(self, attribute, section):
        def set_reference(page, value, locale_id, path):
            page_id = self.site.page_id(section, value, locale_id) if value else None
            if value and page_id is None:
                raise _problem(path, f"'{value}' could not be imported (see its own errors)")
            setattr(page, f"{attribute}_id", page_id)

        return set_reference

    def _term(self, attribute, vocabulary):
        def set_term(page, value, locale_id, path):
            term_id = self.site.term(vocabulary, value, locale_id) if value else None
            setattr(page, f"{attribute}_id", term_id)

        return set_term

    def _terms(self, relation, link_model, attribute, vocabulary):
        def set_terms(page, value, locale_id, path):
            links = [
                link_model(**{f"{attribute}_id": self.site.term(vocabulary, slug, locale_id)})
                for slug in value or ()
            ]
            for link in links:
                link.locale_id = locale_id
            setattr(page, relation, links)

        return set_terms

    # Translations

    def import_translations(
        self, section: str, path: str, page, wanted: dict, record: dict, source_changed: bool
    ) -> list:
        """Creates or updates the translations of a record; returns the pages written."""
        translations = wanted.get("translations") or {}
        if not translations:
            return []
        model = SECTION_MODELS[section]
        versions = {
            version.locale_id: version
            for version in model.objects.filter(translation_key=page.translation_key)
            .exclude(pk=page.pk)
            .select_related("locale")
        }
        due = []
        for code, texts in translations.items():
            translation_path = f"{path}.translations.{code}"
            locale = self._locale(code, translation_path)
            version = versions.get(locale.pk)
            if version is None:
                if locale.pk in self.site.pages[section].get(wanted["key"], {}):
                    raise _problem(
                        translation_path,
                        f"another page in '{code}' already has the key '{wanted['key']}' "
                        "and is not a translation of this one",
                    )
                due.append((code, locale, CREATED))
            elif (
                source_changed
                or not version.live
                or version.alias_of_id
                or normalise_translation(section, wanted, page_texts(section, version)) != texts
            ):
                due.append((code, locale, UPDATED))
            else:
                self.report.translations[section].add(UNCHANGED)
        if not due:
            return []
        written = []
        source, _created = TranslationSource.update_or_create_from_instance(page)
        segments = list(
            StringSegment.objects.filter(source=source)
            .select_related("string", "context")
            .order_by("order")
        )
        given = record.get("translations") or {}
        for code, locale, outcome in due:
            translation_path = f"{path}.translations.{code}"
            given_texts = _given_texts(given, code)
            try:
                translated = self._translate(
                    section,
                    source,
                    segments,
                    wanted,
                    translations[code],
                    given_texts,
                    locale,
                    body_layout(page),
                )
            except ValidationError as error:
                raise _placed_errors(translation_path, error, section) from None
            self.site.pages[section].setdefault(wanted["key"], {})[locale.pk] = translated.pk
            self.report.translations[section].add(outcome)
            written.append(translated)
        return written

    def _translate(self, section, source, segments, wanted, texts, given_texts, locale, layout):
        """Stores the translated texts as wagtail-localize string translations, (re)creates
        the translation from the source, and publishes it."""
        translated_strings, overrides = plan_translation(
            section,
            [(segment, segment.context.path, segment.string.as_value()) for segment in segments],
            wanted,
            texts,
            given_texts,
            layout,
        )
        for segment, text in translated_strings:
            self._store_string_translation(segment, locale, text)

        Translation.objects.update_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        translated, _created = source.create_or_update_translation(
            locale, publish=False, fallback=True
        )
        if overrides:
            for attribute, value in overrides.items():
                setattr(translated, attribute, value)
            translated.save_revision(overwrite_revision=translated.latest_revision)
        translated.latest_revision.publish()
        return translated

    @staticmethod
    def _store_string_translation(segment: StringSegment, locale: Locale, text: str | None):
        """Records ``text`` as the translation of a source segment; ``None`` removes it, so
        that the translation shows the source text."""
        lookup = {
            "translation_of_id": segment.string_id,
            "locale": locale,
            "context_id": segment.context_id,
        }
        if text is None:
            StringTranslation.objects.filter(**lookup).delete()
            return
        data = StringValue.from_plaintext(text).data
        existing = StringTranslation.objects.filter(**lookup).first()
        if existing is None:
            StringTranslation.objects.create(
                **lookup, data=data, translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL
            )
        elif existing.data != data or existing.has_error:
            existing.data = data
            existing.translation_type = StringTranslation.TRANSLATION_TYPE_MANUAL
            existing.tool_name = ""
            existing.has_error = False
            existing.field_error = ""
            existing.save()


def _page_materials(page) -> list[tuple] | None:
    return [
        (
            material.document.file_hash,
            material.document.title,
            material.description or None,
            material.language or None,
        )
        for material in practice_materials(page)
    ] or None


def _without_email(contact: dict | None) -> dict | None:
    return {k: v for k, v in contact.items() if k != "email"} if contact else contact


def _given_texts(given: dict, code: str) -> dict:
    """The texts a record's translation into ``code`` gives (not blank)."""
    return {
        name: value
        for name, value in (given.get(code) or {}).items()
        if (value.strip() if isinstance(value, str) else value)
    }


@dataclass
class BodyLayout:
    """Which part of a record each block of a page's body holds: body paragraphs, a step
    (by the id of its list item) or a section."""

    paragraphs: set[str] = field(default_factory=set)
    steps: dict[str, int] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)


def body_layout(page) -> BodyLayout:
    layout = BodyLayout()
    for child in getattr(page, "body", None) or ():
        if child.block_type == "steps":
            for item in child.value.bound_blocks:
                layout.steps[item.id] = len(layout.steps)
        elif child.block_type == "section":
            layout.sections[child.id] = child.value["kind"]
        else:
            layout.paragraphs.add(child.id)
    return layout


def _body_part(path: str, layout: BodyLayout) -> tuple | None:
    """The part of the record a body segment translates: ("body",), ("sections", kind) or
    ("steps", index, field)."""
    parts = path.split(".")
    if parts[0] != "body" or len(parts) < 2:
        return None
    if parts[1] in layout.paragraphs:
        return ("body",)
    if parts[1] in layout.sections and parts[2:] == ["text"]:
        return ("sections", layout.sections[parts[1]])
    if len(parts) == 4 and parts[2] in layout.steps:
        return ("steps", layout.steps[parts[2]], parts[3])
    return None


def _part_text(record: dict, part: tuple) -> Any:
    """The text of a part of a (normalised or given) record, or None."""
    if part[0] == "body":
        return record.get("body")
    if part[0] == "sections":
        sections = record.get("sections")
        return sections.get(part[1]) if isinstance(sections, dict) else None
    steps = record.get("steps")
    if isinstance(steps, list) and part[1] < len(steps) and isinstance(steps[part[1]], dict):
        return steps[part[1]].get(part[2])
    return None


def _given(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


_ONE_LINE_STEP_FIELDS = ("title", "who")


def plan_translation(section, strings, wanted, texts, given_texts, layout: BodyLayout):
    """How a record's translation maps onto the source's string segments.

    ``strings``: (segment, path, StringValue) of each source string segment, in order;
    ``layout``: what the source's body blocks hold.
    Returns the translated text of each segment (``None``: the source text stays) and the
    values to set on the translation directly: a text that cannot be mapped onto segments (a
    summary the source lacks, a body whose paragraphs do not match the source's one to one)
    becomes the page's own text, which wagtail-localize then shows as such.
    """
    translatable = TRANSLATABLE_FIELDS[section]
    by_path = {path: segment for segment, path, _value in strings}
    overrides: dict[str, Any] = {}
    translated: list[tuple[Any, str | None]] = []

    own_fields = (
        (translatable[0], "title"),
        ("summary", "summary"),
        ("outcomes", "outcomes"),
        ("would_change", "would_change"),
    )
    for name, attribute in own_fields:
        if name not in translatable:
            continue
        segment = by_path.get(attribute)
        text = texts.get(name) if name in given_texts else None
        if segment is not None:
            translated.append((segment, text))
        elif texts.get(name) != wanted.get(name):
            overrides[attribute] = texts.get(name) or ""

    if "contact" in translatable and "contact_role" in by_path:
        given_contact = given_texts.get("contact")
        role_given = isinstance(given_contact, dict) and _given(given_contact.get("role"))
        role = (texts.get("contact") or {}).get("role") if role_given else None
        translated.append((by_path["contact_role"], role))

    if "body" in translatable:
        translated += _plan_body(section, strings, wanted, texts, given_texts, layout, overrides)
    return translated, overrides


def _plan_body(section, strings, wanted, texts, given_texts, layout, overrides):
    """The body's segments: paragraphs, steps and sections each mapped one to one where the
    translation has as many paragraphs as the source; otherwise the translated body is the
    translation's own."""
    parts: dict[tuple, list] = defaultdict(list)
    for segment, path, value in strings:
        part = _body_part(path, layout)
        if part is not None:
            parts[part].append((segment, value))
    planned: list[tuple[Any, str | None]] = []
    maps_one_to_one = True
    for part, members in parts.items():
        if not _given(_part_text(given_texts, part)):
            planned += [(segment, None) for segment, _value in members]
            continue
        text = _part_text(texts, part) or ""
        if part[0] == "steps" and part[2] in _ONE_LINE_STEP_FIELDS and len(members) == 1:
            planned.append((members[0][0], text))
            continue
        source_paragraphs = [p for p in (_part_text(wanted, part) or "").split("\n\n") if p]
        paragraphs = text.split("\n\n")
        if len(members) == len(source_paragraphs) == len(paragraphs) and all(
            "\n\n".join(text_paragraphs(value.render_text())) == paragraph
            for (_segment, value), paragraph in zip(members, source_paragraphs, strict=True)
        ):
            planned += [
                (segment, paragraph)
                for (segment, _value), paragraph in zip(members, paragraphs, strict=True)
            ]
        else:
            maps_one_to_one = False
    if maps_one_to_one:
        return planned
    if section == "practices":
        steps = [
            {**step, "minutes": source_step.get("minutes")}
            for step, source_step in zip(
                texts.get("steps") or (), wanted.get("steps") or (), strict=False
            )
        ]
        overrides["body"] = practice_body_blocks({**texts, "steps": steps})
    else:
        overrides["body"] = body_blocks(texts.get("body"))
    return [(segment, None) for members in parts.values() for segment, _value in members]
