"""The shapes of the read API's parameters and answers, as its OpenAPI schema documents them.

They mirror the exchange format (``kb-exchange/1``): records are named by their key, the page
slug shared by every language version; countries are ISO 3166-1 alpha-2 codes; dates are ISO
8601; taxonomy terms are ``{slug, label}`` pairs."""

import datetime
from typing import Literal

from django.conf import settings
from ninja import Field, Schema

from .evidence import SLUGS as EVIDENCE_LEVELS

LANGUAGE_CODES = tuple(code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES)
Language = Literal[LANGUAGE_CODES]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

_LANG_DESCRIPTION = (
    "The language to read: each record in that language where a version of it exists, otherwise "
    "in its original language. Default: the language of the request (Accept-Language), else en."
)


class LanguageQuery(Schema):
    lang: Language | None = Field(None, description=_LANG_DESCRIPTION)


class ListQuery(LanguageQuery):
    page: int = Field(1, ge=1, description="The page of results, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Records per page."
    )


class Error(Schema):
    error: str = Field(description="What is wrong, in the language of the request.")
    field: str | None = Field(description="The parameter at fault, if one is.")


class Term(Schema):
    slug: str = Field(description="The term's identifier, the same in every language.")
    label: str = Field(description="The term's name in the language of the record.")


class PageLink(Schema):
    key: str
    title: str
    url: str


class LibraryRef(Schema):
    key: str
    name: str
    country: str = Field(description="ISO 3166-1 alpha-2 code.")


class MeetingRef(Schema):
    key: str
    title: str
    start: datetime.date


class Record(Schema):
    """What every record has: which version this is, and which others exist."""

    key: str = Field(description="The record's identifier, the same in every language.")
    locale: Language = Field(description="The language of this version.")
    available_locales: list[Language] = Field(
        description="Every language the record is published in, in the site's order."
    )
    title: str
    summary: str
    url: str = Field(description="The path of this version on the site.")


class Contact(Schema):
    """A person to ask. Their email address is never published: visitors write to them
    through the contact form on the record's page."""

    name: str
    role: str = Field(description="Their role, in the language of the record.")
    languages: list[str] = Field(description="Languages they speak, as language codes.")


class PracticeSummary(Record):
    themes: list[Term]
    audiences: list[Term]
    format: Term | None
    tags: list[str] = Field(description="Keywords, the same in every language.")
    library: LibraryRef | None = Field(description="The library the practice comes from.")
    meeting: MeetingRef | None = Field(description="The meeting where it was first shared.")
    duration_minutes: int | None = Field(description="How long one session lasts.")
    group_size: str = Field(description="For example 10-30; empty when not given.")
    preparation_minutes: int | None = Field(description="Preparation time before a session.")
    cost_band: Literal["free", "low", "medium", "high"] | None = Field(
        description="free; low: under 100 €; medium: 100–500 €; high: over 500 €."
    )
    staff_needed: int | None = Field(description="Library staff needed to run a session.")
    licence: str = Field(description="CC-BY-4.0, CC-BY-SA-4.0 or CC0-1.0.")
    contact: Contact | None
    evidence: Literal[EVIDENCE_LEVELS] = Field(
        description="The evidence level, worked out from the case studies of every language "
        "version (weakest to strongest): described (no library has reported running it), "
        "tried, repeated (a library ran it more than once), adopted (another library than "
        "the one it comes from did), anchored (part of regular work in at least two "
        "libraries in at least two countries)."
    )


class Step(Schema):
    title: str
    minutes: int | None
    who: str = Field(description="Who does it; empty when not given.")
    description: str = Field(description="Plain text; a blank line separates paragraphs.")


class MethodSections(Schema):
    """The parts of the method besides its steps, as plain text (a blank line separates
    paragraphs); null where the practice has none."""

    materials: str | None = Field(description="Materials and space.")
    tips: str | None = Field(description="Facilitation tips.")
    accessibility: str | None = Field(description="Accessibility and inclusion.")
    risks: str | None = Field(description="Risks and what did not work.")
    variations: str | None


class Material(Schema):
    title: str
    description: str
    language: Language | None = Field(description="The language it is written in, if any.")
    url: str = Field(description="Where to download the file.")
    file_extension: str
    file_size: int | None = Field(description="In bytes.")


class OutcomeMeasures(Schema):
    """The four Project Outcome questions: the share of respondents who agree, in percent."""

    respondents: int | None
    learned: int | None = Field(description="Learned something new.")
    confident: int | None = Field(description="Feel more confident about what they learned.")
    will_apply: int | None = Field(description="Intend to apply what they learned.")
    aware: int | None = Field(description="More aware of what the library offers.")


class Adoption(Schema):
    """A case study of a practice, as the practice's anchoring ledger lists it."""

    key: str
    library: LibraryRef | None
    country: str | None = Field(description="The library's ISO 3166-1 alpha-2 code.")
    date: datetime.date
    stage: str = Field(description="tried, repeated or anchored.")
    participants: int | None
    url: str


class Practice(PracticeSummary):
    steps: list[Step] = Field(description="How to run it, step by step.")
    sections: MethodSections
    materials: list[Material] = Field(description="Handouts, checklists and slides.")
    case_studies: list[Adoption] = Field(
        description="The case studies of every language version of the practice, oldest first, "
        "each once, in the requested language where it exists."
    )


class CaseStudy(Record):
    practice: PageLink | None
    library: LibraryRef | None
    date: datetime.date
    stage: str = Field(description="tried, repeated or anchored.")
    participants: int | None
    outcome_measures: OutcomeMeasures | None = Field(
        description="Null when the library did not ask the four questions."
    )
    outcomes: str = Field(description="What came of it, in the library's words.")
    would_change: str = Field(description="What the library would do differently.")


class MeetingSummary(Record):
    kind: str = Field(description="international, national or virtual.")
    start: datetime.date
    end: datetime.date | None
    city: str
    country: str | None = Field(description="ISO 3166-1 alpha-2 code; null for a virtual meeting.")
    host: LibraryRef | None


class Meeting(MeetingSummary):
    practices: list[PageLink] = Field(description="The practices first shared at the meeting.")


class LibrarySummary(Record):
    name: str
    city: str
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    website: str
    partner: bool = Field(description="Whether the library is a partner of the network.")
    latitude: float | None = Field(description="Decimal degrees (WGS 84).")
    longitude: float | None = Field(description="Decimal degrees (WGS 84).")
    contact: Contact | None


class Library(LibrarySummary):
    practices: list[PageLink] = Field(description="The practices that come from the library.")
    case_studies: list[PageLink] = Field(description="The library's case studies.")


class ResultPage(Schema):
    count: int = Field(description="Records in all pages.")
    page: int
    page_size: int


class PracticeList(ResultPage):
    results: list[PracticeSummary]


class CaseStudyList(ResultPage):
    results: list[CaseStudy]


class MeetingList(ResultPage):
    results: list[MeetingSummary]


class LibraryList(ResultPage):
    results: list[LibrarySummary]
