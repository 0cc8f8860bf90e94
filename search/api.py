"""The search API, /api/v1/search: the same search as the search page, as JSON.

Parameters are validated by `search.params.parse_params`, like the page's, so that both answer
a bad parameter with the same message; the Query schemas below only document them."""

from django.conf import settings
from django.utils.translation import get_language_from_request
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel

from practices.api_schemas import Error
from practices.evidence import SLUGS as EVIDENCE_LEVELS

from . import querylog
from .params import (
    CONTROL_CHARACTERS,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    SORTS,
    InvalidParameter,
)
from .params import parse_params as parse_search_params
from .service import search as run_search
from .suggest import MAX_SUGGESTIONS, MIN_LENGTH, suggestions

router = Router(tags=["search"])
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
_LANGUAGES = ", ".join(LANGUAGE_CODES)
_REPEATABLE = "May be repeated: any of the values (OR); different filters combine with AND."
# The forms the view accepts (search.params), declared for clients and schema-driven tests;
# an empty value is ignored.
_KEYS = {"items": {"type": "string", "pattern": r"^[-\w]{0,200}$"}}
_COUNTRIES = {"items": {"type": "string", "pattern": r"^([A-Za-z]{2})?$"}}
_TYPABLE = {"items": {"type": "string", "pattern": f"^[^{CONTROL_CHARACTERS}]*$"}}


class LanguageParameter(Schema):
    # The enums document the values; the view checks them itself, so that a wrong one gets
    # its 400 answer with a message saying what to use.
    lang: str | None = Field(
        None,
        description=f"The language to show each result in ({_LANGUAGES}): that version where it "
        "exists, otherwise the original. Default: the request's Accept-Language, else en.",
        json_schema_extra={"enum": list(LANGUAGE_CODES)},
    )


class SearchParameters(LanguageParameter):
    q: str | None = Field(
        None,
        description=f"What to look for, as plain text (at most {MAX_QUERY_LENGTH} characters), "
        "in any of the six languages. Pages matching every word come first, then those "
        "matching fewer; words in double quotes must appear together. Without it, everything "
        "that matches the filters, newest first.",
        json_schema_extra={"maxLength": MAX_QUERY_LENGTH},
    )
    type: list[str] | None = Field(
        None,
        description=f"practice, case_study, meeting or library. {_REPEATABLE}",
        json_schema_extra=_KEYS,
    )
    theme: list[str] | None = Field(
        None, description=f"A theme's slug. {_REPEATABLE}", json_schema_extra=_KEYS
    )
    audience: list[str] | None = Field(
        None, description=f"An audience's slug. {_REPEATABLE}", json_schema_extra=_KEYS
    )
    format: list[str] | None = Field(
        None, description=f"A format's slug. {_REPEATABLE}", json_schema_extra=_KEYS
    )
    tag: list[str] | None = Field(
        None, description=f"A tag. {_REPEATABLE}", json_schema_extra=_TYPABLE
    )
    country: list[str] | None = Field(
        None,
        description=f"An ISO 3166-1 alpha-2 country code. {_REPEATABLE}",
        json_schema_extra=_COUNTRIES,
    )
    library: list[str] | None = Field(
        None, description=f"A library's key. {_REPEATABLE}", json_schema_extra=_KEYS
    )
    meeting: list[str] | None = Field(
        None, description=f"A meeting's key. {_REPEATABLE}", json_schema_extra=_KEYS
    )
    stage: list[str] | None = Field(
        None,
        description=f"A case study's stage: tried, repeated or anchored. {_REPEATABLE}",
        json_schema_extra=_KEYS,
    )
    language: list[str] | None = Field(
        None,
        description=f"A language the page is available in ({_LANGUAGES}). {_REPEATABLE}",
        json_schema_extra=_KEYS,
    )
    evidence: list[str] | None = Field(
        None,
        description="A practice's evidence level, worked out from its case studies: "
        f"{', '.join(EVIDENCE_LEVELS)} (weakest to strongest). {_REPEATABLE}",
        json_schema_extra={"items": {"type": "string", "enum": ["", *EVIDENCE_LEVELS]}},
    )
    sort: str | None = Field(
        None,
        description=f"{', '.join(SORTS)}. Default: relevance (newest without a query); "
        "evidence: the strongest evidence level first.",
        json_schema_extra={"enum": list(SORTS)},
    )
    page: str | None = Field(
        None,
        description=f"The page of results, 1 to {MAX_PAGE}.",
        json_schema_extra={"pattern": r"^\s*(0*([1-9][0-9]{0,3}|10000))?\s*$"},
    )
    page_size: str | None = Field(
        None,
        description=f"Results per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
        json_schema_extra={"pattern": r"^\s*(0*([1-9][0-9]?|100))?\s*$"},
    )


class SuggestParameters(LanguageParameter):
    q: str | None = Field(
        None,
        description=f"The text typed so far; the last word may be partial. Fewer than "
        f"{MIN_LENGTH} characters: no suggestions.",
        json_schema_extra={"maxLength": MAX_QUERY_LENGTH},
    )


# The answer's schemas are plain pydantic models: they validate the dictionaries the view
# returns without ninja's per-object attribute lookups (a search with many facet values made
# hundreds of them, about 5 ms an answer).
class Spread(BaseModel):
    libraries: int = Field(description="Libraries that ran the practice (its case studies).")
    countries: int = Field(description="Countries of those libraries.")
    anchored: int = Field(description="Libraries where it became part of regular work.")
    repeated: int = Field(
        0, description="Libraries that ran it more than once (stage repeated or anchored)."
    )
    repeated_elsewhere: int = Field(
        0, description="Of those, the libraries other than the one the practice comes from."
    )
    anchored_countries: int = Field(
        0, description="Countries of the libraries where it became part of regular work."
    )


class Hit(BaseModel):
    key: str = Field(description="The page's key (slug), the same in every language.")
    type: str = Field(description="practice, case_study, meeting or library.")
    locale: str = Field(description="The language of the version shown.")
    available_locales: list[str] = Field(description="Every language the page is published in.")
    title: str
    summary: str
    url: str
    highlight: str = Field(
        description="The summary, or a passage of the text, as HTML: escaped, with the "
        "matching words in <mark>."
    )
    score: float
    spread: Spread | None = Field(
        None, description="Practices: how far the practice took root; null for other types."
    )
    evidence: str | None = Field(
        None,
        description="Practices: the evidence level worked out from the case studies "
        f"({', '.join(EVIDENCE_LEVELS)}); null for other types.",
    )


class FacetCount(BaseModel):
    value: str = Field(description="The value to filter by.")
    label: str = Field(description="Its name in the requested language.")
    count: int = Field(description="Results with this value, given the other filters.")


class SearchResponse(BaseModel):
    query: str
    total: int
    page: int
    page_size: int
    results: list[Hit]
    facets: dict[str, list[FacetCount]] = Field(
        description="Per filter (type, theme, audience, format, tag, country, library, "
        "meeting, stage, language, evidence), its values among the results."
    )
    suggestion: str | None = Field(
        description="A corrected query that finds more, when this one finds little."
    )
    backend: str = Field(description="Which search backend answered: elasticsearch or database.")


class Suggestion(Schema):
    key: str
    type: str
    title: str
    url: str


def default_language(request) -> str:
    language = get_language_from_request(request)
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


def _invalid(error: InvalidParameter):
    return Status(400, {"error": error.message, "field": error.field})


@router.get(
    "",
    response={200: SearchResponse, 400: Error, 429: Error},
    url_name="search",
    summary="Search practices, case studies, meetings and libraries",
)
def search(request, parameters: Query[SearchParameters]):
    try:
        params = parse_search_params(
            request.GET, default_language(request), empty_lang_is_default=False
        )
    except InvalidParameter as error:
        return _invalid(error)
    result = run_search(params)
    querylog.record(params, result)
    return result.as_dict()


@router.get(
    "/suggest",
    response={200: list[Suggestion], 400: Error, 429: Error},
    url_name="search-suggest",
    summary=f"Autocomplete: up to {MAX_SUGGESTIONS} pages whose title has words starting "
    "with the text typed",
)
def suggest(request, parameters: Query[SuggestParameters]):
    try:
        params = parse_search_params(
            {"q": request.GET.get("q", ""), "lang": request.GET.get("lang")},
            default_language(request),
            empty_lang_is_default=False,
        )
    except InvalidParameter as error:
        return _invalid(error)
    return suggestions(params.query, params.lang)
