"""Search parameters: validated once, at the edge, with messages a person can act on."""

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from practices.evidence import SLUGS as EVIDENCE_LEVELS

MAX_QUERY_LENGTH = 500
MAX_PAGE_SIZE = 100
# Deep enough for any reader; an offset beyond it is no search anyone makes (and overflows
# SQLite's integers long before Python's).
MAX_PAGE = 10_000
DEFAULT_PAGE_SIZE = 20
SORTS = ("relevance", "newest", "title", "anchored", "evidence")
# Filters a user can combine: OR within one filter, AND across filters.
FILTERS = (
    "type",
    "theme",
    "audience",
    "format",
    "tag",
    "country",
    "library",
    "meeting",
    "stage",
    "language",
    "evidence",
)
MAX_FILTER_VALUES = 50
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_DIGITS = re.compile(r"[0-9]+")
_KEY = re.compile(r"[-\w]{1,200}")
# Filters whose values are keys or slugs; tags are free text.
KEYED_FILTERS = (
    "type",
    "theme",
    "audience",
    "format",
    "library",
    "meeting",
    "stage",
    "language",
    "evidence",
)
# Filters whose values are a fixed list.
CHOICES = {"evidence": EVIDENCE_LEVELS}
# Characters nobody types into a filter (tab and line breaks are allowed): as a regular
# expression class that Python and the schema's (ECMAScript) patterns both read.
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")


class InvalidParameter(ValueError):
    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class SearchParams:
    query: str = ""
    lang: str = "en"
    filters: dict = field(default_factory=dict)  # name -> tuple of values
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def effective_sort(self) -> str:
        """Without words to rank by, relevance means newest first (browse mode)."""
        if self.sort == "relevance" and not self.query:
            return "newest"
        return self.sort

    def with_filters(self, **changes) -> "SearchParams":
        filters = {**self.filters, **changes}
        return SearchParams(
            self.query,
            self.lang,
            {k: v for k, v in filters.items() if v},
            self.sort,
            1,
            self.page_size,
        )


def normalise_query(raw: str) -> str:
    """The text the user typed, as plain text: NFC, no control characters, single spaces."""
    text = unicodedata.normalize("NFC", raw)
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


def parse_params(data, default_lang: str, empty_lang_is_default: bool = True) -> SearchParams:
    """Build SearchParams from a QueryDict-like mapping (getlist) or a plain dict of lists.
    An empty `lang` (a form's unset field) means the default, unless the caller (the API,
    whose schema lists the languages) says it is not a language."""
    getlist = data.getlist if hasattr(data, "getlist") else (lambda name: _as_list(data.get(name)))
    first = lambda name: (getlist(name) or [None])[0]  # noqa: E731

    raw_query = first("q") or ""
    query = normalise_query(raw_query)
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidParameter(
            "q",
            _("The search text can be at most %(max)d characters long.")
            % {"max": MAX_QUERY_LENGTH},
        )

    languages = [code for code, _name in settings.LANGUAGES]
    lang = first("lang")
    if lang is None or (lang == "" and empty_lang_is_default):
        lang = default_lang
    if lang not in languages:
        raise InvalidParameter(
            "lang",
            _("Unknown language “%(lang)s”. Use one of: %(choices)s.")
            % {"lang": lang, "choices": ", ".join(languages)},
        )

    sort = first("sort") or "relevance"
    if sort not in SORTS:
        raise InvalidParameter(
            "sort",
            _("Unknown sort order “%(sort)s”. Use one of: %(choices)s.")
            % {"sort": sort, "choices": ", ".join(SORTS)},
        )

    page = _positive_int(first("page"), "page", 1, MAX_PAGE)
    page_size = _positive_int(first("page_size"), "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)

    filters = {}
    for name in FILTERS:
        values = tuple(dict.fromkeys(v.strip() for v in getlist(name) if v and v.strip()))
        if not values:
            continue
        if len(values) > MAX_FILTER_VALUES:
            raise InvalidParameter(
                name,
                _("Choose at most %(max)d values for one filter.") % {"max": MAX_FILTER_VALUES},
            )
        if name in KEYED_FILTERS:
            bad = [v for v in values if not _KEY.fullmatch(v)]
            if bad:
                raise InvalidParameter(
                    name,
                    _(
                        "“%(value)s” is not a value of “%(name)s”: use a key as the filters list them."
                    )
                    % {"value": normalise_query(bad[0])[:50], "name": name},
                )
            unknown = [v for v in values if name in CHOICES and v not in CHOICES[name]]
            if unknown:
                raise InvalidParameter(
                    name,
                    _("Unknown value “%(value)s” of “%(name)s”. Use one of: %(choices)s.")
                    % {"value": unknown[0], "name": name, "choices": ", ".join(CHOICES[name])},
                )
        elif _CONTROL.search("".join(values)):
            raise InvalidParameter(
                name, _("“%(name)s” contains characters that cannot be typed.") % {"name": name}
            )
        if name == "country":
            bad = [v for v in values if not _COUNTRY.match(v)]
            if bad:
                raise InvalidParameter(
                    "country",
                    _("“%(value)s” is not a two-letter country code such as LV or FI.")
                    % {"value": bad[0][:50]},
                )
            values = tuple(v.upper() for v in values)
        filters[name] = tuple(normalise_query(v)[:200] for v in values)
    return SearchParams(query, lang, filters, sort, page, page_size)


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _positive_int(raw, name, default, maximum):
    digits = "" if raw is None else str(raw).strip()
    if not digits:
        return default
    if not _DIGITS.fullmatch(digits):  # not int(): it takes "1_000", "+5" and other scripts' digits
        raise InvalidParameter(name, _("“%(name)s” must be a whole number.") % {"name": name})
    value = int(digits)
    if value < 1:
        raise InvalidParameter(name, _("“%(name)s” must be 1 or more.") % {"name": name})
    if maximum is not None and value > maximum:
        raise InvalidParameter(
            name, _("“%(name)s” can be at most %(max)d.") % {"name": name, "max": maximum}
        )
    return value
