"""The shapes of the read API's parameters and answers, as its OpenAPI schema documents them.

They mirror the exchange format (``kb-exchange/1``): records are named by their key, the page
slug shared by every language version; countries are ISO 3166-1 alpha-2 codes; dates are ISO
8601; taxonomy terms are ``{slug, label}`` pairs."""

import datetime
from typing import Literal

from django.conf import settings
from ninja import Field, Schema

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


class PracticeSummary(Record):
    themes: list[Term]
    audiences: list[Term]
    format: Term | None
    tags: list[str] = Field(description="Keywords, the same in every language.")
    library: LibraryRef | None = Field(description="The library the practice comes from.")
    meeting: MeetingRef | None = Field(description="The meeting where it was first shared.")


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
