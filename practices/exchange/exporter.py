"""Writes the knowledge base as a ``kb-exchange/1`` document (see docs: the exchange format).

Every live library, meeting, practice and case study is written once, from the language
version it was written in (its *source*), with the other language versions as its
``translations``. Records are sorted by key, translations follow ``LOCALES``, and only
optional fields that have a value are written, so exporting, importing into an empty site
and exporting again gives the same document.

``normalise_record`` is the one definition of what a record looks like once it is in the
site: the exporter builds every record through it, and the importer compares an incoming
record, normalised the same way, with the page's record to tell "unchanged" from "updated".
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource

from practices.models import CaseStudyPage, LibraryPage, MeetingPage, PracticePage
from practices.text import body_text, clean_line, html_text, text_paragraphs

from .validation import (
    DEFAULT_LICENCE,
    FORMAT,
    LOCALES,
    OUTCOME_SHARES,
    SECTION_KINDS,
    SECTIONS,
)

SECTION_MODELS = {
    "libraries": LibraryPage,
    "meetings": MeetingPage,
    "practices": PracticePage,
    "case_studies": CaseStudyPage,
}
# The texts a translation carries, per section (libraries are only named).
TRANSLATABLE_FIELDS = {
    "libraries": ("name", "contact"),
    "meetings": ("title", "summary", "body"),
    "practices": ("title", "summary", "body", "steps", "sections", "contact"),
    "case_studies": ("title", "summary", "body", "outcomes", "would_change"),
}
# Where an export puts the files of the practices' materials, next to the JSON file.
MATERIALS_FOLDER = "materials"
# Body blocks the format carries as fields of their own rather than as body paragraphs.
STRUCTURED_BLOCKS = ("steps", "section")
# Pages exported per round of queries: bounds memory whatever the size of the site.
CHUNK_SIZE = 200
_WHITESPACE = re.compile(r"\s+")


# Records


def _line(value: Any) -> str | None:
    return (clean_line(value) or None) if isinstance(value, str) else None


def _body(value: Any) -> str | None:
    return ("\n\n".join(text_paragraphs(value)) or None) if isinstance(value, str) else None


def _word(value: Any) -> str | None:
    """Keys, slugs, codes, dates and addresses: only surrounding spaces are dropped."""
    return (value.strip() or None) if isinstance(value, str) else None


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _flag(value: Any) -> bool:
    return value is True


def _words(value: Any) -> list[str] | None:
    """A list of slugs in the order given, each once."""
    if not isinstance(value, list):
        return None
    return list(dict.fromkeys(item for item in map(_word, value) if item)) or None


def _tags(value: Any) -> list[str] | None:
    """Tags are a set of keywords; they are written sorted."""
    if not isinstance(value, list):
        return None
    return sorted({tag for tag in map(_line, value) if tag}) or None


def _coordinate(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _licence(value: Any) -> str | None:
    """The default licence is not written: a record without one has it."""
    value = _word(value)
    return None if value == DEFAULT_LICENCE else value


def _object(fields: Mapping[str, Callable[[Any], Any]], value: Any) -> dict[str, Any] | None:
    """The fields of an object that have a value, in the given order."""
    if not isinstance(value, Mapping):
        return None
    normalised = {}
    for name, normalise in fields.items():
        item = normalise(value.get(name))
        if item is not None:
            normalised[name] = item
    return normalised or None


def _objects(fields, value: Any, required: str | None = None) -> list[dict[str, Any]] | None:
    if not isinstance(value, list):
        return None
    items = [_object(fields, item) for item in value]
    return [item for item in items if item and (not required or required in item)] or None


STEP_FIELDS = {"title": _line, "minutes": _number, "who": _line, "description": _body}
TRANSLATED_STEP_FIELDS = {"title": _line, "who": _line, "description": _body}
CONTACT_FIELDS = {"name": _line, "role": _line, "languages": _words, "email": _word}
MATERIAL_FIELDS = {"file": _word, "title": _line, "description": _line, "language": _word}
OUTCOME_FIELDS = {"respondents": _number, **dict.fromkeys(OUTCOME_SHARES, _number)}


def _steps(value: Any) -> list[dict[str, Any]] | None:
    return _objects(STEP_FIELDS, value, required="title")


def _sections(value: Any) -> dict[str, str] | None:
    return _object(dict.fromkeys(SECTION_KINDS, _body), value)


def _contact(value: Any) -> dict[str, Any] | None:
    contact = _object(CONTACT_FIELDS, value)
    return contact if contact and "name" in contact else None


def _materials(value: Any) -> list[dict[str, Any]] | None:
    return _objects(MATERIAL_FIELDS, value, required="file")


def _outcome_measures(value: Any) -> dict[str, int] | None:
    return _object(OUTCOME_FIELDS, value)


# The fields of each section in the order they are written, and how a value is normalised.
FIELDS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "libraries": {
        "key": _word,
        "name": _line,
        "locale": _word,
        "city": _line,
        "country": _word,
        "website": _word,
        "partner": _flag,
        "latitude": _coordinate,
        "longitude": _coordinate,
        "contact": _contact,
    },
    "meetings": {
        "key": _word,
        "kind": _word,
        "title": _line,
        "summary": _line,
        "body": _body,
        "locale": _word,
        "start": _word,
        "end": _word,
        "city": _line,
        "country": _word,
        "host": _word,
    },
    "practices": {
        "key": _word,
        "locale": _word,
        "title": _line,
        "summary": _line,
        "body": _body,
        "themes": _words,
        "audiences": _words,
        "format": _word,
        "tags": _tags,
        "duration_minutes": _number,
        "group_size": _line,
        "preparation_minutes": _number,
        "cost_band": _word,
        "staff_needed": _number,
        "licence": _licence,
        "library": _word,
        "meeting": _word,
        "steps": _steps,
        "sections": _sections,
        "contact": _contact,
        "materials": _materials,
    },
    "case_studies": {
        "key": _word,
        "locale": _word,
        "practice": _word,
        "library": _word,
        "date": _word,
        "stage": _word,
        "participants": _number,
        "title": _line,
        "summary": _line,
        "body": _body,
        "tags": _tags,
        "outcome_measures": _outcome_measures,
        "outcomes": _body,
        "would_change": _body,
    },
}


def normalise_record(section: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """A record as the site holds it: blank optional values left out, text tidied the way the
    page stores it, and each translation complete (a text it leaves out is the source's)."""
    normalised: dict[str, Any] = {}
    for name, normalise in FIELDS[section].items():
        value = normalise(record.get(name))
        if value is not None:
            normalised[name] = value
    translations = record.get("translations")
    if isinstance(translations, Mapping):
        texts = {
            locale: normalise_translation(section, normalised, translations[locale])
            for locale in LOCALES
            if isinstance(translations.get(locale), Mapping) and locale != normalised.get("locale")
        }
        if texts:
            normalised["translations"] = texts
    return normalised


def normalise_translation(
    section: str, source: Mapping[str, Any], texts: Mapping[str, Any]
) -> dict[str, Any]:
    translated = {}
    for name in TRANSLATABLE_FIELDS[section]:
        translate = _TRANSLATED.get(name)
        if translate:
            value = translate(source.get(name), texts.get(name))
        else:
            value = FIELDS[section][name](texts.get(name)) or source.get(name)
        if value:
            translated[name] = value
    return translated


def _translated_steps(source: Any, given: Any) -> list[dict[str, Any]] | None:
    """Each of the source's steps with its texts in the translation, where given (the
    minutes are the source's: they are not written in a translation)."""
    if not source:
        return None
    given = given if isinstance(given, list) and len(given) == len(source) else [{}] * len(source)
    steps = []
    for source_step, given_step in zip(source, given, strict=True):
        texts = _object(TRANSLATED_STEP_FIELDS, given_step) or {}
        steps.append(
            {
                name: texts.get(name) or source_step[name]
                for name in TRANSLATED_STEP_FIELDS
                if texts.get(name) or source_step.get(name)
            }
        )
    return steps


def _translated_sections(source: Any, given: Any) -> dict[str, str] | None:
    """The source's sections, in the translation's words where it gives them; a kind the
    source does not have cannot be translated."""
    if not source:
        return None
    texts = _sections(given) or {}
    return {kind: texts.get(kind) or text for kind, text in source.items()}


def _translated_contact(source: Any, given: Any) -> dict[str, str] | None:
    """A translation gives the contact's role only: the name and languages are the person's."""
    role = _line(given.get("role")) if isinstance(given, Mapping) else None
    role = role or (source or {}).get("role")
    return {"role": role} if source and role else None


_TRANSLATED: dict[str, Callable[[Any, Any], Any]] = {
    "steps": _translated_steps,
    "sections": _translated_sections,
    "contact": _translated_contact,
}


def without_private_fields(record: dict[str, Any]) -> dict[str, Any]:
    """A record as anyone may read it: the contact's email address is only for relaying
    visitors' messages and never leaves the site."""
    contact = record.get("contact")
    if contact and "email" in contact:
        record = {**record, "contact": {k: v for k, v in contact.items() if k != "email"}}
    return record


def normalise_document(data: Mapping[str, Any]) -> dict[str, Any]:
    """A whole document normalised as the exporter would write it (records sorted by key)."""
    document: dict[str, Any] = {"format": FORMAT}
    for section in SECTIONS:
        records = [
            without_private_fields(normalise_record(section, record))
            for record in data.get(section) or ()
        ]
        document[section] = sorted(records, key=lambda record: record["key"])
    return document


def _key(page) -> str | None:
    return page.slug if page is not None else None


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def page_texts(section: str, page) -> dict[str, Any]:
    """The translatable texts of one language version of a page, not yet normalised."""
    title_field = TRANSLATABLE_FIELDS[section][0]
    texts = {title_field: page.title}
    if section != "libraries":
        texts["summary"] = page.summary
        texts["body"] = body_text(
            [child for child in page.body if child.block_type not in STRUCTURED_BLOCKS]
        )
    if section == "practices":
        texts["steps"] = practice_steps(page.body)
        texts["sections"] = practice_sections(page.body)
    if section in ("practices", "libraries"):
        texts["contact"] = {"role": page.contact_role}
    if section == "case_studies":
        texts["outcomes"] = page.outcomes
        texts["would_change"] = page.would_change
    return texts


def practice_steps(body) -> list[dict[str, Any]]:
    """The steps of a practice's method, from every steps block of its body, in order."""
    return [
        {
            "title": step.get("title"),
            "minutes": step.get("duration_minutes"),
            "who": step.get("who"),
            "description": html_text(step["description"].source)
            if step.get("description")
            else None,
        }
        for child in body
        if child.block_type == "steps"
        for step in child.value
    ]


def practice_sections(body) -> dict[str, str]:
    """The text of each kind of section of a practice's body (two of a kind are joined)."""
    texts: dict[str, list[str]] = defaultdict(list)
    for child in body:
        if child.block_type == "section" and child.value.get("text"):
            texts[child.value["kind"]].append(html_text(child.value["text"].source))
    return {kind: "\n\n".join(texts[kind]) for kind in SECTION_KINDS if texts[kind]}


def _contact_fields(page, private: bool) -> dict[str, Any]:
    contact = {
        "name": page.contact_name,
        "role": page.contact_role,
        "languages": list(page.contact_languages),
    }
    if private:
        contact["email"] = page.contact_email
    return contact


def material_path(document) -> str:
    """Where a material's file goes in an export, relative to the JSON file."""
    return posixpath.join(MATERIALS_FOLDER, posixpath.basename(document.file.name))


def practice_materials(page) -> list:
    return sorted(
        page.materials.all(), key=lambda material: (material.sort_order or 0, material.pk)
    )


def _library_fields(page) -> dict[str, Any]:
    return {
        "city": page.city,
        "country": page.country,
        "website": page.website,
        "partner": page.partner,
        "latitude": page.latitude,
        "longitude": page.longitude,
    }


def _meeting_fields(page) -> dict[str, Any]:
    return {
        "kind": page.kind,
        "start": _iso(page.start_date),
        "end": _iso(page.end_date),
        "city": page.city,
        "country": page.country,
        "host": _key(page.host),
    }


def _practice_fields(page) -> dict[str, Any]:
    return {
        "themes": [link.theme.slug for link in page.theme_links.all()],
        "audiences": [link.audience.slug for link in page.audience_links.all()],
        "format": page.format.slug if page.format_id else None,
        "tags": [item.tag.name for item in page.tagged_items.all()],
        "duration_minutes": page.duration_minutes,
        "group_size": page.group_size,
        "preparation_minutes": page.preparation_minutes,
        "cost_band": page.cost_band,
        "staff_needed": page.staff_needed,
        "licence": page.licence,
        "library": _key(page.library),
        "meeting": _key(page.meeting),
        "materials": [
            {
                "file": material_path(material.document),
                "title": material.document.title,
                "description": material.description,
                "language": material.language,
            }
            for material in practice_materials(page)
        ],
    }


def _case_study_fields(page) -> dict[str, Any]:
    return {
        "practice": _key(page.practice),
        "library": _key(page.library),
        "date": _iso(page.date),
        "stage": page.stage,
        "participants": page.participants,
        "tags": [item.tag.name for item in page.tagged_items.all()],
        "outcome_measures": {
            "respondents": page.outcome_respondents,
            **{share: getattr(page, f"outcome_{share}") for share in OUTCOME_SHARES},
        },
    }


_SECTION_FIELDS = {
    "libraries": _library_fields,
    "meetings": _meeting_fields,
    "practices": _practice_fields,
    "case_studies": _case_study_fields,
}


def page_record(
    section: str, page, translations: Iterable = (), private: bool = False
) -> dict[str, Any]:
    """The normalised record of a source page and its translated pages; ``private`` adds
    what only the site itself may know (the contact's email address), to compare with an
    incoming record."""
    raw = {"key": page.slug, "locale": page.locale.language_code}
    raw.update(page_texts(section, page))
    raw.update(_SECTION_FIELDS[section](page))
    if section in ("practices", "libraries"):
        raw["contact"] = _contact_fields(page, private)
    translated = {
        translation.locale.language_code: page_texts(section, translation)
        for translation in translations
    }
    if translated:
        raw["translations"] = translated
    return normalise_record(section, raw)


def record_queryset(section: str):
    """The pages of a section with what their records need, in a constant number of queries."""
    queryset = SECTION_MODELS[section].objects.select_related("locale")
    if section == "meetings":
        queryset = queryset.select_related("host")
    elif section == "practices":
        queryset = queryset.select_related("format", "library", "meeting").prefetch_related(
            "theme_links__theme",
            "audience_links__audience",
            "tagged_items__tag",
            "materials__document",
        )
    elif section == "case_studies":
        queryset = queryset.select_related("practice", "library").prefetch_related(
            "tagged_items__tag"
        )
    return queryset


# Which language version is the source


@dataclass(frozen=True)
class PageRow:
    pk: int
    slug: str
    locale_id: int
    translation_key: Any


def default_locale_id() -> int | None:
    return (
        Locale.objects.filter(language_code=settings.LANGUAGE_CODE)
        .values_list("pk", flat=True)
        .first()
    )


def translation_source_locales(model) -> dict[Any, list[int]]:
    """For each translation key, the locales wagtail-localize translated it from, oldest first."""
    content_type = ContentType.objects.get_for_model(model)
    locales: dict[Any, list[int]] = defaultdict(list)
    rows = (
        TranslationSource.objects.filter(specific_content_type=content_type)
        .order_by("created_at", "pk")
        .values_list("object_id", "locale_id")
    )
    for translation_key, locale_id in rows:
        locales[translation_key].append(locale_id)
    return locales


def choose_source(
    rows: list[PageRow], source_locales: Iterable[int], default_locale: int | None
) -> PageRow:
    """The original of a group of language versions: the one wagtail-localize translates from,
    else the one in the default language, else the oldest."""
    by_locale = {row.locale_id: row for row in rows}
    for locale_id in (*source_locales, default_locale):
        if locale_id in by_locale:
            return by_locale[locale_id]
    return min(rows, key=lambda row: row.pk)


def page_groups(queryset) -> dict[Any, list[PageRow]]:
    """The pages of a queryset grouped by translation key (one group per record)."""
    groups: dict[Any, list[PageRow]] = defaultdict(list)
    for values in queryset.values_list("pk", "slug", "locale_id", "translation_key"):
        row = PageRow(*values)
        groups[row.translation_key].append(row)
    return groups


# Export


@dataclass
class ExportResult:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))
    translations: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))
    warnings: list[str] = field(default_factory=list)
    # The documents behind the materials written, by their path in the document.
    materials: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [
            f"{self.counts[section]} {section.replace('_', ' ')} "
            f"({self.translations[section]} translations)"
            for section in SECTIONS
        ]
        return "Exported " + ", ".join(parts) + "."


def iter_records(section: str, result: ExportResult | None = None) -> Iterator[dict[str, Any]]:
    """The records of a section, sorted by key, read a chunk of pages at a time."""
    result = result or ExportResult()
    model = SECTION_MODELS[section]
    locale_ids = list(Locale.objects.filter(language_code__in=LOCALES).values_list("pk", flat=True))
    live_pages = model.objects.live().filter(alias_of__isnull=True, locale_id__in=locale_ids)
    groups = page_groups(live_pages)
    source_locales = translation_source_locales(model)
    default_locale = default_locale_id()
    origins = sorted(
        (
            choose_source(rows, source_locales.get(key, ()), default_locale)
            for key, rows in groups.items()
        ),
        key=lambda row: (row.slug, row.pk),
    )
    origins = _without_duplicate_keys(section, origins, result)
    for start in range(0, len(origins), CHUNK_SIZE):
        chunk = origins[start : start + CHUNK_SIZE]
        sources = record_queryset(section).in_bulk([row.pk for row in chunk])
        translation_ids = [
            row.pk for origin in chunk for row in groups[origin.translation_key] if row != origin
        ]
        translations = defaultdict(list)
        for page in live_pages.filter(pk__in=translation_ids).select_related("locale"):
            translations[page.translation_key].append(page)
        for origin in chunk:
            versions = sorted(
                translations[origin.translation_key],
                key=lambda page: LOCALES.index(page.locale.language_code),
            )
            result.counts[section] += 1
            result.translations[section] += len(versions)
            source = sources[origin.pk]
            if section == "practices":
                for material in practice_materials(source):
                    result.materials[material_path(material.document)] = material.document
            yield without_private_fields(page_record(section, source, versions))


def _without_duplicate_keys(section: str, origins: list[PageRow], result: ExportResult):
    """Two unrelated pages may share a slug in different languages; a file can hold the key
    once, so the later page is left out and named in a warning."""
    kept: list[PageRow] = []
    for row in origins:
        if kept and kept[-1].slug == row.slug:
            result.warnings.append(
                f"{section}: page {row.pk} left out, its key {row.slug!r} is already used by "
                f"page {kept[-1].pk}, which is not a translation of it"
            )
            continue
        kept.append(row)
    return kept


def export_document(result: ExportResult | None = None) -> dict[str, Any]:
    """The whole knowledge base as one document, in memory (see ``write_document`` for files)."""
    document: dict[str, Any] = {"format": FORMAT}
    for section in SECTIONS:
        document[section] = list(iter_records(section, result))
    return document


def write_document(out: TextIO, result: ExportResult | None = None) -> ExportResult:
    """Writes the document to ``out`` record by record, so that the site is never held in
    memory; the text is what ``json.dumps(export_document(), indent=2, ensure_ascii=False)``
    would give."""
    result = result or ExportResult()
    out.write('{\n  "format": ' + json.dumps(FORMAT))
    for section in SECTIONS:
        out.write(f',\n  "{section}": [')
        separator = "\n    "
        for record in iter_records(section, result):
            out.write(separator)
            out.write(json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n    "))
            separator = ",\n    "
        out.write("]" if separator == "\n    " else "\n  ]")
    out.write("\n}\n")
    return result
