"""Checks a ``kb-exchange/1`` document before anything of it is written.

``load_document`` parses the file; ``validate_document`` lists every problem in
it, each with its place (``practices[3].themes[1]: unknown theme 'electons'``),
so a librarian can fix a whole spreadsheet export in one go.

An optional field that is ``null``, or text that is empty or only spaces,
counts as not given: spreadsheet exports write empty cells that way. Whoever
reads a validated document should treat such values as absent too.

This module never touches the database: whatever it needs to know about the
site (its vocabularies, the keys it already holds) is passed in.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from practices.choices import SPOKEN_LANGUAGE_CODES
from practices.countries import COUNTRY_CODES

FORMAT = "kb-exchange/1"
LOCALES = ("en", "lv", "fi", "et", "da", "sv")
SECTIONS = ("libraries", "meetings", "practices", "case_studies")
MEETING_KINDS = ("international", "national", "virtual")
STAGES = ("tried", "repeated", "anchored")
COST_BANDS = ("free", "low", "medium", "high")
LICENCES = ("CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0")
DEFAULT_LICENCE = "CC-BY-4.0"
# The kinds of a practice's sections, in the order the page shows them.
SECTION_KINDS = ("materials", "tips", "accessibility", "risks", "variations")
# The four Project Outcome questions: the share of respondents agreeing, in percent.
OUTCOME_SHARES = ("learned", "confident", "will_apply", "aware")
# Languages a contact may speak: the same list as the contact's admin form.
SPOKEN_LANGUAGES = tuple(SPOKEN_LANGUAGE_CODES)

SHIPPED_VOCABULARIES: dict[str, frozenset[str]] = {
    "themes": frozenset(
        {
            "elections",
            "media-literacy",
            "participation",
            "dialogue",
            "inclusion",
            "digital-citizenship",
            "local-democracy",
            "human-rights",
            "sustainability",
            "networking",
        }
    ),
    "audiences": frozenset(
        {
            "children",
            "youth",
            "adults",
            "seniors",
            "newcomers",
            "families",
            "librarians",
            "decision-makers",
        }
    ),
    "formats": frozenset(
        {
            "workshop",
            "debate",
            "event",
            "course",
            "exhibition",
            "game",
            "service",
            "campaign",
            "toolkit",
            "meeting",
        }
    ),
}

KEY_PATTERN = re.compile(r"[a-z0-9-]{1,80}")
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TITLE_MAX_LENGTH = 255
PRACTICE_SUMMARY_MAX_LENGTH = 300
TAG_MAX_LENGTH = 100
CONTACT_NAME_MAX_LENGTH = 100
CONTACT_ROLE_MAX_LENGTH = 120
MATERIAL_DESCRIPTION_MAX_LENGTH = 255
GROUP_SIZE_MAX_LENGTH = 50
CITY_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254  # what the model's EmailField stores
# The largest values the database columns hold on every backend (PositiveIntegerField,
# PositiveSmallIntegerField): beyond them PostgreSQL refuses the write.
INTEGER_MAX = 2_147_483_647
SMALL_INTEGER_MAX = 32_767

# A typo closer than this to a known name gets a "did you mean" hint.
_SUGGESTION_CUTOFF = 0.75
# Values longer than this are cut short when a message quotes them.
_QUOTE_MAX_LENGTH = 60

_UNKNOWN_SLUG_MESSAGES = {
    "themes": gettext_noop("unknown theme %(value)s"),
    "audiences": gettext_noop("unknown audience %(value)s"),
    "formats": gettext_noop("unknown format %(value)s"),
}
_UNKNOWN_KEY_MESSAGES = {
    "libraries": gettext_noop("unknown library %(value)s"),
    "meetings": gettext_noop("unknown meeting %(value)s"),
    "practices": gettext_noop("unknown practice %(value)s"),
    "case_studies": gettext_noop("unknown case study %(value)s"),
}

_validate_web_address = URLValidator(schemes=["http", "https"])
_validate_email = EmailValidator()


def material_extensions() -> tuple[str, ...]:
    """The document types the site accepts (its uploads' ``WAGTAILDOCS_EXTENSIONS``)."""
    return tuple(getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or ())


@dataclass(frozen=True)
class ExchangeError:
    """One problem in a document: where it is and what is wrong."""

    path: str  # e.g. "practices[3].themes[1]", or "$" for the whole document
    message: str  # already translated

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ExchangeValidationError(Exception):
    """A document that cannot be imported; ``errors`` lists why."""

    def __init__(self, errors: Collection[ExchangeError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


def load_document(source: bytes | str) -> dict:
    """Parse the JSON text of an exchange document.

    Raises ExchangeValidationError with a single error at path "$" when the text
    is not JSON (giving line and column), is not one JSON object, or does not
    declare ``"format": "kb-exchange/1"``. The records are not checked here:
    that is ``validate_document``'s job.
    """
    text = _decode(source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        message = _("not valid JSON at line %(line)s, column %(column)s: %(problem)s") % {
            "line": error.lineno,
            "column": error.colno,
            "problem": error.msg,
        }
        raise ExchangeValidationError([ExchangeError("$", message)]) from None
    errors = _document_errors(data)
    if errors:
        raise ExchangeValidationError(errors)
    return data


def validate_document(
    data: dict,
    *,
    vocabularies: Mapping[str, Collection[str]] = SHIPPED_VOCABULARIES,
    existing_keys: Mapping[str, Collection[str]] | None = None,
) -> list[ExchangeError]:
    """Every error in the document, in document order; an empty list when it is valid.

    ``vocabularies`` holds the slugs the site knows ("themes", "audiences",
    "formats"); a vocabulary left out falls back to the shipped one.
    ``existing_keys`` holds the keys already in the site per list ("libraries",
    "meetings", "practices", "case_studies"); references may point at them.
    """
    if not isinstance(data, dict):
        return _document_errors(data)
    return _DocumentValidator(data, vocabularies, existing_keys or {}).errors()


def material_path_problem(path: str) -> str | None:
    """What is wrong with a material's path (an untranslated message with %(value)s and
    %(choices)s), or None: it must stay inside the folder of the exchange file and name a
    document type the site accepts."""
    if "\\" in path:
        return gettext_noop("write paths with / between folders, not \\: %(value)s")
    pure = PurePosixPath(path)
    if pure.is_absolute() or ":" in pure.parts[0] or ".." in pure.parts:
        return gettext_noop(
            "the path %(value)s leads outside the folder of the exchange file; "
            "give a path inside it, such as 'materials/handout.pdf'"
        )
    extension = pure.suffix.lower().removeprefix(".")
    if extension not in material_extensions():
        return gettext_noop(
            "%(value)s is not a document type the site accepts; use one of: %(choices)s"
        )
    return None


def _decode(source: bytes | str) -> str:
    if isinstance(source, str):
        return source.removeprefix("\ufeff")
    try:
        # utf-8-sig: spreadsheet programs on Windows like to start files with a BOM.
        return source.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _("the file is not UTF-8 text (unreadable byte at position %(position)s)") % {
            "position": error.start
        }
        raise ExchangeValidationError([ExchangeError("$", message)]) from None


def _document_errors(data: Any) -> list[ExchangeError]:
    """What is wrong with the document as a whole (its shape and its format)."""
    if not isinstance(data, dict):
        message = _("the file must hold one JSON object {…}, not %(value)s") % {
            "value": _describe(data)
        }
        return [ExchangeError("$", message)]
    declared = data.get("format")
    if declared is None:
        message = _("missing required field 'format' (it must be %(expected)s)")
    elif declared != FORMAT:
        message = _("unsupported format %(value)s; this site reads %(expected)s")
    else:
        return []
    return [ExchangeError("$", message % {"value": _describe(declared), "expected": f"'{FORMAT}'"})]


def _describe(value: Any) -> str:
    """A value as a message shows it: text in quotes, everything else by its JSON name."""
    if isinstance(value, str):
        if len(value) > _QUOTE_MAX_LENGTH:
            value = value[: _QUOTE_MAX_LENGTH - 1] + "…"
        # A stray line break would split the one-error-per-line report, so show it as \n.
        visible = "".join(char if char.isprintable() else repr(char)[1:-1] for char in value)
        return f"'{visible}'"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("an object")
    return type(value).__name__


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_date(value: Any) -> date | None:
    """The date an ISO ``YYYY-MM-DD`` text stands for, or None."""
    if not isinstance(value, str) or not DATE_PATTERN.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _first_indexes(records: Any) -> dict[str, int]:
    """Where each key first occurs in a list of records."""
    if not isinstance(records, list):
        return {}
    first: dict[str, int] = {}
    for index, record in enumerate(records):
        if isinstance(record, dict) and isinstance(record.get("key"), str):
            first.setdefault(record["key"], index)
    return first


@dataclass(frozen=True)
class _Record:
    type: _RecordType
    index: int
    data: dict

    @property
    def path(self) -> str:
        return f"{self.type.section}[{self.index}]"


# Checks one present, non-blank value found at ``path`` of ``record``.
Rule = Callable[["_DocumentValidator", Any, str, _Record], None]


@dataclass(frozen=True)
class _RecordType:
    section: str
    rules: Mapping[str, Rule]  # every field the record may have
    required: tuple[str, ...]
    title_field: str  # "name" for libraries, "title" for the rest
    translatable: tuple[str, ...]
    required_when: Callable[[dict], tuple[str, ...]] = lambda data: ()
    # How a translated field is checked where it differs from the record's own (a step's
    # minutes come from the source, a contact's translation gives only the role).
    translation_rules: Mapping[str, Rule] = field(default_factory=dict)
    cross_checks: tuple[Callable[[_DocumentValidator, _Record], None], ...] = ()

    def required_fields(self, data: dict) -> tuple[str, ...]:
        return self.required + self.required_when(data)


class _DocumentValidator:
    """Walks a document once, collecting every error in document order."""

    def __init__(
        self,
        data: dict,
        vocabularies: Mapping[str, Collection[str]],
        existing_keys: Mapping[str, Collection[str]],
    ):
        self.data = data
        self.vocabularies = vocabularies
        self.existing_keys = existing_keys
        # Collected up front so a reference may point at a record further down the file.
        self.first_indexes = {section: _first_indexes(data.get(section)) for section in SECTIONS}
        self.found: list[ExchangeError] = []

    def errors(self) -> list[ExchangeError]:
        self.found.extend(_document_errors(self.data))
        for name, value in self.data.items():
            if name in RECORD_TYPES:
                self.check_section(RECORD_TYPES[name], value)
            elif name != "format":
                self.report_unknown_name(
                    "$",
                    name,
                    known=(*SECTIONS, "format"),
                    message=gettext_noop("unknown section %(name)s"),
                    message_with_hint=gettext_noop(
                        "unknown section %(name)s; did you mean %(suggestion)s?"
                    ),
                )
        return self.found

    def report(self, path: str, message: str, **values: Any) -> None:
        """Record an error; ``message`` is an untranslated text with %(named)s placeholders."""
        self.found.append(ExchangeError(path, _(message) % values))

    def report_unknown_name(
        self, path: str, name: str, known: Collection[str], message: str, message_with_hint: str
    ) -> None:
        close = difflib.get_close_matches(name, list(known), n=1, cutoff=_SUGGESTION_CUTOFF)
        if close:
            self.report(
                path, message_with_hint, name=_describe(name), suggestion=_describe(close[0])
            )
        else:
            self.report(path, message, name=_describe(name))

    def report_unknown_field(self, path: str, name: str, known: Collection[str]) -> None:
        self.report_unknown_name(
            path,
            name,
            known,
            message=gettext_noop("unknown field %(name)s"),
            message_with_hint=gettext_noop("unknown field %(name)s; did you mean %(suggestion)s?"),
        )

    def report_wrong_type(self, path: str, value: Any) -> None:
        self.report(path, gettext_noop("must be text, not %(value)s"), value=_describe(value))

    # Records

    def check_section(self, record_type: _RecordType, records: Any) -> None:
        if records is None:
            return
        if not isinstance(records, list):
            self.report(
                record_type.section,
                gettext_noop("must be a list of records [ … ], not %(value)s"),
                value=_describe(records),
            )
            return
        for index, data in enumerate(records):
            if isinstance(data, dict):
                self.check_record(_Record(record_type, index, data))
            else:
                self.report(
                    f"{record_type.section}[{index}]",
                    gettext_noop("must be a record (a JSON object {…}), not %(value)s"),
                    value=_describe(data),
                )

    def check_record(self, record: _Record) -> None:
        required = record.type.required_fields(record.data)
        self.check_required_present(record.path, record.data, required)
        for name, value in record.data.items():
            rule = record.type.rules.get(name)
            if rule is None:
                self.report_unknown_field(record.path, name, record.type.rules)
            else:
                path = f"{record.path}.{name}"
                self.check_value(rule, value, path, record, required=name in required)
        for cross_check in record.type.cross_checks:
            cross_check(self, record)

    def check_required_present(self, path: str, data: dict, required: Collection[str]) -> None:
        for name in required:
            if data.get(name) is None:
                self.report(path, gettext_noop("missing required field %(name)s"), name=f"'{name}'")

    def check_value(
        self, rule: Rule, value: Any, path: str, record: _Record, required: bool
    ) -> None:
        if value is None:
            return  # reported with the record when required, "not given" otherwise
        if isinstance(value, str) and not value.strip():
            if required:
                self.report(path, gettext_noop("must not be empty"))
            return
        rule(self, value, path, record)

    # Field rules: each gets a value that is present and not blank.

    def check_key(self, value: Any, path: str, record: _Record) -> None:
        if not isinstance(value, str):
            self.report_wrong_type(path, value)
            return
        if not KEY_PATTERN.fullmatch(value):
            self.report(
                path,
                gettext_noop(
                    "invalid key %(value)s: use 1–80 lowercase letters a–z, digits and hyphens"
                ),
                value=_describe(value),
            )
        first = self.first_indexes[record.type.section][value]
        if first != record.index:
            self.report(
                path,
                gettext_noop("duplicate key %(value)s, first used at %(first)s"),
                value=_describe(value),
                first=f"{record.type.section}[{first}]",
            )

    def check_locale(self, value: Any, path: str, record: _Record) -> None:
        if not (isinstance(value, str) and value in LOCALES):
            self.report(
                path,
                gettext_noop("unknown locale %(value)s; use one of: %(locales)s"),
                value=_describe(value),
                locales=", ".join(LOCALES),
            )

    def check_text(self, value: Any, path: str, record: _Record, max_length: int | None = None):
        if not isinstance(value, str):
            self.report_wrong_type(path, value)
        elif max_length is not None and len(value) > max_length:
            self.report(
                path,
                gettext_noop("too long: %(length)s characters, at most %(limit)s allowed"),
                length=len(value),
                limit=max_length,
            )

    def check_choice(
        self, value: Any, path: str, record: _Record, choices: tuple[str, ...], message: str
    ) -> None:
        if not (isinstance(value, str) and value in choices):
            self.report(path, message, value=_describe(value), choices=", ".join(choices))

    def check_whole_number(
        self, value: Any, path: str, record: _Record, minimum: int, maximum: int = INTEGER_MAX
    ) -> None:
        # JSON true/false arrive as Python bools, which are ints too.
        if not isinstance(value, int) or isinstance(value, bool):
            self.report(
                path, gettext_noop("must be a whole number, not %(value)s"), value=_describe(value)
            )
        elif value < minimum:
            self.report(
                path,
                gettext_noop("must be at least %(minimum)s, not %(value)s"),
                minimum=minimum,
                value=value,
            )
        elif value > maximum:
            self.report(
                path,
                gettext_noop("must be at most %(maximum)s, not %(value)s"),
                maximum=maximum,
                value=value,
            )

    def check_boolean(self, value: Any, path: str, record: _Record) -> None:
        if not isinstance(value, bool):
            self.report(
                path, gettext_noop("must be true or false, not %(value)s"), value=_describe(value)
            )

    def check_date(self, value: Any, path: str, record: _Record) -> None:
        if not isinstance(value, str) or not DATE_PATTERN.fullmatch(value):
            self.report(
                path,
                gettext_noop("must be a date written YYYY-MM-DD, not %(value)s"),
                value=_describe(value),
            )
        elif _as_date(value) is None:
            self.report(path, gettext_noop("%(value)s is not a real date"), value=_describe(value))

    def check_country(self, value: Any, path: str, record: _Record) -> None:
        if not isinstance(value, str):
            self.report_wrong_type(path, value)
        elif value in COUNTRY_CODES:
            return
        elif value.upper() in COUNTRY_CODES:
            self.report(
                path,
                gettext_noop("write country codes in capitals: %(expected)s, not %(value)s"),
                expected=_describe(value.upper()),
                value=_describe(value),
            )
        else:
            self.report(
                path,
                gettext_noop(
                    "unknown country code %(value)s; use a two-letter ISO code such as 'LV'"
                ),
                value=_describe(value),
            )

    def check_web_address(self, value: Any, path: str, record: _Record) -> None:
        try:
            _validate_web_address(value)
        except ValidationError:
            self.report(
                path,
                gettext_noop(
                    "must be a web address starting with http:// or https://, not %(value)s"
                ),
                value=_describe(value),
            )

    def check_slug(self, value: Any, path: str, record: _Record, vocabulary: str) -> None:
        if not isinstance(value, str):
            self.report_wrong_type(path, value)
        elif value not in self.known_slugs(vocabulary):
            self.report(path, _UNKNOWN_SLUG_MESSAGES[vocabulary], value=_describe(value))

    def check_slug_list(
        self,
        value: Any,
        path: str,
        record: _Record,
        vocabulary: str,
        empty_message: str | None = None,
    ) -> None:
        if not isinstance(value, list):
            self.report(path, gettext_noop("must be a list, not %(value)s"), value=_describe(value))
            return
        if not value and empty_message:
            self.report(path, empty_message)
        for index, item in enumerate(value):
            self.check_slug(item, f"{path}[{index}]", record, vocabulary)

    def check_tags(self, value: Any, path: str, record: _Record) -> None:
        if not isinstance(value, list):
            self.report(path, gettext_noop("must be a list, not %(value)s"), value=_describe(value))
            return
        for index, tag in enumerate(value):
            tag_path = f"{path}[{index}]"
            if _is_blank(tag):
                self.report(tag_path, gettext_noop("a tag must not be empty"))
            else:
                self.check_text(tag, tag_path, record, max_length=TAG_MAX_LENGTH)

    def check_reference(self, value: Any, path: str, record: _Record, section: str) -> None:
        if not (isinstance(value, str) and self.is_known_key(section, value)):
            self.report(path, _UNKNOWN_KEY_MESSAGES[section], value=_describe(value))

    def check_translations(self, value: Any, path: str, record: _Record) -> None:
        if not isinstance(value, dict):
            self.report(
                path,
                gettext_noop("must be an object with one entry per locale, not %(value)s"),
                value=_describe(value),
            )
            return
        own_locale = record.data.get("locale")
        for locale, texts in value.items():
            translation_path = f"{path}.{locale}"
            if locale not in LOCALES:
                self.check_locale(locale, translation_path, record)
            elif locale == own_locale:
                self.report(
                    translation_path,
                    gettext_noop(
                        "%(locale)s is the record's own locale; translate into another one"
                    ),
                    locale=_describe(locale),
                )
            self.check_translation(texts, translation_path, record)

    def check_translation(self, texts: Any, path: str, record: _Record) -> None:
        if not isinstance(texts, dict):
            self.report(
                path,
                gettext_noop("must be an object with the translated texts, not %(value)s"),
                value=_describe(texts),
            )
            return
        record_type = record.type
        # A translation must carry the title and summary the record itself has.
        required = [
            name
            for name in (record_type.title_field, "summary")
            if name in record_type.translatable and not _is_blank(record.data.get(name))
        ]
        self.check_required_present(path, texts, required)
        for name, text in texts.items():
            if name in record_type.translatable:
                rule = record_type.translation_rules.get(name) or record_type.rules[name]
                self.check_value(rule, text, f"{path}.{name}", record, required=name in required)
            else:
                self.report_unknown_field(path, name, record_type.translatable)

    # Nested objects: steps, sections, a contact, materials, outcome measures

    def check_object(
        self,
        value: Any,
        path: str,
        record: _Record,
        rules: Mapping[str, Rule],
        required: tuple[str, ...] = (),
    ) -> bool:
        """Checks an object's fields with their rules; False when it is not an object."""
        if not isinstance(value, dict):
            self.report(
                path, gettext_noop("must be an object {…}, not %(value)s"), value=_describe(value)
            )
            return False
        self.check_required_present(path, value, required)
        for name, item in value.items():
            rule = rules.get(name)
            if rule is None:
                self.report_unknown_field(path, name, rules)
            else:
                self.check_value(rule, item, f"{path}.{name}", record, required=name in required)
        return True

    def check_object_list(
        self,
        value: Any,
        path: str,
        record: _Record,
        rules: Mapping[str, Rule],
        required: tuple[str, ...] = (),
    ) -> None:
        if not isinstance(value, list):
            self.report(path, gettext_noop("must be a list, not %(value)s"), value=_describe(value))
            return
        for index, item in enumerate(value):
            self.check_object(item, f"{path}[{index}]", record, rules, required)

    def check_steps(self, value: Any, path: str, record: _Record) -> None:
        self.check_object_list(value, path, record, _STEP_RULES, required=("title",))

    def check_translated_steps(self, value: Any, path: str, record: _Record) -> None:
        self.check_object_list(value, path, record, _TRANSLATED_STEP_RULES)
        source = record.data.get("steps")
        expected = len(source) if isinstance(source, list) else 0
        if isinstance(value, list) and len(value) != expected:
            self.report(
                path,
                gettext_noop(
                    "give the same number of steps as the record itself (%(expected)s), "
                    "not %(count)s"
                ),
                expected=expected,
                count=len(value),
            )

    def check_sections(self, value: Any, path: str, record: _Record) -> None:
        self.check_object(value, path, record, _SECTION_RULES)

    def check_contact(self, value: Any, path: str, record: _Record) -> None:
        self.check_object(value, path, record, _CONTACT_RULES, required=("name",))

    def check_translated_contact(self, value: Any, path: str, record: _Record) -> None:
        self.check_object(value, path, record, _TRANSLATED_CONTACT_RULES)

    def check_spoken_languages(self, value: Any, path: str, record: _Record) -> None:
        if not isinstance(value, list):
            self.report(path, gettext_noop("must be a list, not %(value)s"), value=_describe(value))
            return
        for index, code in enumerate(value):
            if not (isinstance(code, str) and code in SPOKEN_LANGUAGES):
                self.report(
                    f"{path}[{index}]",
                    gettext_noop("unknown language %(value)s; use one of: %(choices)s"),
                    value=_describe(code),
                    choices=", ".join(SPOKEN_LANGUAGES),
                )

    def check_email(self, value: Any, path: str, record: _Record) -> None:
        try:
            _validate_email(value)
            if len(value) > EMAIL_MAX_LENGTH:
                raise ValidationError("too long")
        except ValidationError:
            self.report(
                path, gettext_noop("not a valid email address: %(value)s"), value=_describe(value)
            )

    def check_materials(self, value: Any, path: str, record: _Record) -> None:
        self.check_object_list(value, path, record, _MATERIAL_RULES, required=("file", "title"))

    def check_material_file(self, value: Any, path: str, record: _Record) -> None:
        if not isinstance(value, str):
            self.report_wrong_type(path, value)
            return
        problem = material_path_problem(value)
        if problem:
            self.report(
                path, problem, value=_describe(value), choices=", ".join(material_extensions())
            )

    def check_outcome_measures(self, value: Any, path: str, record: _Record) -> None:
        if not self.check_object(value, path, record, _OUTCOME_RULES):
            return
        if value.get("respondents") is None and any(
            value.get(share) is not None for share in OUTCOME_SHARES
        ):
            self.report(
                path,
                gettext_noop(
                    "missing required field 'respondents': how many answered the questions"
                ),
            )

    def check_coordinate(self, value: Any, path: str, record: _Record, limit: int) -> None:
        if not isinstance(value, int | float) or isinstance(value, bool):
            self.report(
                path,
                gettext_noop("must be a number in decimal degrees, not %(value)s"),
                value=_describe(value),
            )
        elif not -limit <= value <= limit:
            self.report(
                path,
                gettext_noop("must be between -%(limit)s and %(limit)s, not %(value)s"),
                limit=limit,
                value=value,
            )

    # Cross-field checks

    def check_coordinates_together(self, record: _Record) -> None:
        given = [name for name in ("latitude", "longitude") if record.data.get(name) is not None]
        if len(given) == 1:
            missing = "longitude" if given == ["latitude"] else "latitude"
            self.report(
                record.path,
                gettext_noop("give both latitude and longitude, or neither: %(name)s is missing"),
                name=f"'{missing}'",
            )

    def check_meeting_dates(self, record: _Record) -> None:
        start = _as_date(record.data.get("start"))
        end = _as_date(record.data.get("end"))
        if start and end and end < start:
            self.report(
                f"{record.path}.end",
                gettext_noop("the meeting ends (%(end)s) before it starts (%(start)s)"),
                end=end.isoformat(),
                start=start.isoformat(),
            )

    # What the site and the file know

    def known_slugs(self, vocabulary: str) -> Collection[str]:
        return self.vocabularies.get(vocabulary, SHIPPED_VOCABULARIES[vocabulary])

    def is_known_key(self, section: str, key: str) -> bool:
        return key in self.first_indexes[section] or key in (self.existing_keys.get(section) or ())


_V = _DocumentValidator
_title = partial(_V.check_text, max_length=TITLE_MAX_LENGTH)
_text = _V.check_text
_common_rules: dict[str, Rule] = {"key": _V.check_key, "locale": _V.check_locale}

_STEP_RULES: dict[str, Rule] = {
    "title": _title,
    "minutes": partial(_V.check_whole_number, minimum=1),
    "who": _title,
    "description": _text,
}
_TRANSLATED_STEP_RULES: dict[str, Rule] = {
    name: _STEP_RULES[name] for name in ("title", "who", "description")
}
_SECTION_RULES: dict[str, Rule] = dict.fromkeys(SECTION_KINDS, _text)
_CONTACT_RULES: dict[str, Rule] = {
    "name": partial(_V.check_text, max_length=CONTACT_NAME_MAX_LENGTH),
    "role": partial(_V.check_text, max_length=CONTACT_ROLE_MAX_LENGTH),
    "languages": _V.check_spoken_languages,
    "email": _V.check_email,
}
_TRANSLATED_CONTACT_RULES: dict[str, Rule] = {"role": _CONTACT_RULES["role"]}
_MATERIAL_RULES: dict[str, Rule] = {
    "file": _V.check_material_file,
    "title": _title,
    "description": partial(_V.check_text, max_length=MATERIAL_DESCRIPTION_MAX_LENGTH),
    "language": _V.check_locale,
}
_OUTCOME_RULES: dict[str, Rule] = {
    "respondents": partial(_V.check_whole_number, minimum=1),
    **dict.fromkeys(OUTCOME_SHARES, partial(_V.check_whole_number, minimum=0, maximum=100)),
}


def _meeting_country_required(data: dict) -> tuple[str, ...]:
    # A virtual meeting happens nowhere in particular; an unknown kind is reported on its own.
    return ("country",) if data.get("kind") in ("international", "national") else ()


LIBRARY = _RecordType(
    section="libraries",
    rules={
        **_common_rules,
        "name": _title,
        "city": partial(_V.check_text, max_length=CITY_MAX_LENGTH),
        "country": _V.check_country,
        "website": _V.check_web_address,
        "partner": _V.check_boolean,
        "latitude": partial(_V.check_coordinate, limit=90),
        "longitude": partial(_V.check_coordinate, limit=180),
        "contact": _V.check_contact,
        "translations": _V.check_translations,
    },
    required=("key", "name", "locale", "country"),
    title_field="name",
    translatable=("name", "contact"),
    translation_rules={"contact": _V.check_translated_contact},
    cross_checks=(_V.check_coordinates_together,),
)

MEETING = _RecordType(
    section="meetings",
    rules={
        **_common_rules,
        "kind": partial(
            _V.check_choice,
            choices=MEETING_KINDS,
            message=gettext_noop("unknown meeting kind %(value)s; use one of: %(choices)s"),
        ),
        "title": _title,
        "summary": _text,
        "body": _text,
        "start": _V.check_date,
        "end": _V.check_date,
        "city": partial(_V.check_text, max_length=CITY_MAX_LENGTH),
        "country": _V.check_country,
        "host": partial(_V.check_reference, section="libraries"),
        "translations": _V.check_translations,
    },
    required=("key", "kind", "title", "locale", "start"),
    required_when=_meeting_country_required,
    title_field="title",
    translatable=("title", "summary", "body"),
    cross_checks=(_V.check_meeting_dates,),
)

PRACTICE = _RecordType(
    section="practices",
    rules={
        **_common_rules,
        "title": _title,
        "summary": partial(_V.check_text, max_length=PRACTICE_SUMMARY_MAX_LENGTH),
        "body": _text,
        "themes": partial(
            _V.check_slug_list,
            vocabulary="themes",
            empty_message=gettext_noop("give at least one theme"),
        ),
        "audiences": partial(_V.check_slug_list, vocabulary="audiences"),
        "format": partial(_V.check_slug, vocabulary="formats"),
        "tags": _V.check_tags,
        "duration_minutes": partial(_V.check_whole_number, minimum=1),
        "group_size": partial(_V.check_text, max_length=GROUP_SIZE_MAX_LENGTH),
        "preparation_minutes": partial(_V.check_whole_number, minimum=1),
        "cost_band": partial(
            _V.check_choice,
            choices=COST_BANDS,
            message=gettext_noop("unknown cost band %(value)s; use one of: %(choices)s"),
        ),
        "staff_needed": partial(_V.check_whole_number, minimum=1, maximum=SMALL_INTEGER_MAX),
        "licence": partial(
            _V.check_choice,
            choices=LICENCES,
            message=gettext_noop("unknown licence %(value)s; use one of: %(choices)s"),
        ),
        "library": partial(_V.check_reference, section="libraries"),
        "meeting": partial(_V.check_reference, section="meetings"),
        "steps": _V.check_steps,
        "sections": _V.check_sections,
        "contact": _V.check_contact,
        "materials": _V.check_materials,
        "translations": _V.check_translations,
    },
    required=("key", "locale", "title", "summary", "themes"),
    title_field="title",
    translatable=("title", "summary", "body", "steps", "sections", "contact"),
    translation_rules={
        "steps": _V.check_translated_steps,
        "contact": _V.check_translated_contact,
    },
)

CASE_STUDY = _RecordType(
    section="case_studies",
    rules={
        **_common_rules,
        "practice": partial(_V.check_reference, section="practices"),
        "library": partial(_V.check_reference, section="libraries"),
        "date": _V.check_date,
        "stage": partial(
            _V.check_choice,
            choices=STAGES,
            message=gettext_noop("unknown stage %(value)s; use one of: %(choices)s"),
        ),
        "participants": partial(_V.check_whole_number, minimum=0),
        "title": _title,
        "summary": _text,
        "body": _text,
        "tags": _V.check_tags,
        "outcome_measures": _V.check_outcome_measures,
        "outcomes": _text,
        "would_change": _text,
        "translations": _V.check_translations,
    },
    required=("key", "locale", "practice", "library", "date", "stage", "title", "summary"),
    title_field="title",
    translatable=("title", "summary", "body", "outcomes", "would_change"),
)

RECORD_TYPES: dict[str, _RecordType] = {
    record_type.section: record_type for record_type in (LIBRARY, MEETING, PRACTICE, CASE_STUDY)
}
