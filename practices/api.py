"""The read API: practices, case studies, meetings and libraries, under /api/v1/.

A record is a translation group: the language versions of one page, which share a key (the
slug) and a translation key. A request names a language; each record, and each record it
refers to, comes back in the version a reader of that language sees (`shown_versions`): in
that language where a version of it is published, else in the first of the reader's reading
languages that has one, else in its original language. Only live, public pages are read, never alias pages.

Lists are built in two steps so that the number of queries does not grow with the results:
one light query finds the translation groups and the version to show of each, then the
versions on the requested page are loaded with what they refer to, a query per relation."""

import re
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import get_language_from_request
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from languages.groups import shown_versions
from languages.reader import reading_order
from practices import api_schemas as schemas
from practices.browse import live_versions
from practices.evidence import evidence_of_practices
from practices.exchange.exporter import practice_materials, practice_sections, practice_steps
from practices.exchange.validation import OUTCOME_SHARES, SECTION_KINDS
from practices.models import (
    Audience,
    CaseStudyPage,
    Format,
    LibraryPage,
    MeetingPage,
    PracticeAudience,
    PracticeMaterial,
    PracticePage,
    PracticeTheme,
    Theme,
)

router = Router()

_KEY = re.compile(r"[-\w]{1,255}")
_BY_KEY = ("slug",)
_BY_DATE = ("date", "slug")
_BY_START = ("start_date", "slug")


@dataclass(frozen=True)
class Record:
    """One translation group, and which of its versions to show."""

    pk: int  # of the version shown
    translation_key: uuid.UUID
    language: str  # of the version shown
    available_locales: list[str]


class Reader:
    """Reads pages for one request, in one language."""

    def __init__(self, request, language: str):
        self.request = request
        self.language = language
        self.order = reading_order(language)

    def pages(self, model):
        """The pages of `model` that anyone may read (`practices.browse.live_versions`)."""
        return live_versions(model)

    def records(self, versions, order_by=_BY_KEY) -> list[Record]:
        """The translation groups in `versions`, a queryset that holds all the readable versions
        of each group, sorted by the `order_by` fields of the version shown."""
        groups = defaultdict(dict)
        rows = versions.values_list("pk", "translation_key", "locale__language_code", *order_by)
        for pk, translation_key, language, *sort_key in rows:
            groups[translation_key][language] = (sort_key, pk, language)
        records = []
        for translation_key, (sort_key, pk, language) in shown_versions(groups, self.order).items():
            available = sorted(groups[translation_key], key=schemas.LANGUAGE_CODES.index)
            records.append((sort_key, pk, Record(pk, translation_key, language, available)))
        records.sort(key=lambda item: item[:2])
        return [record for _sort_key, _pk, record in records]

    def find(self, model, key: str) -> Record | None:
        pages = self.pages(model)
        records = self.records(
            pages.filter(translation_key__in=pages.filter(slug=key).values("translation_key"))
        )
        # Unrelated pages in two languages may share a slug; prefer the one readable as asked.
        readable_as_asked = [record for record in records if record.language == self.language]
        return (readable_as_asked or records or [None])[0]

    def shown(self, versions, records: list[Record]) -> list:
        """The pages shown for `records`, in their order, loaded through `versions`."""
        pages = versions.in_bulk([record.pk for record in records])
        return [pages[record.pk] for record in records]

    def references(self, model, pages) -> dict:
        """The version to show of each of `pages` (referenced records, which may be in another
        language or unpublished), by translation key."""
        keys = {page.translation_key for page in pages if page is not None}
        if not keys:
            return {}
        versions = self.pages(model).filter(translation_key__in=keys)
        records = self.records(versions)
        return {
            record.translation_key: page
            for record, page in zip(records, self.shown(versions, records), strict=True)
        }

    def links(self, model, order_by=_BY_KEY, **relation) -> list[dict]:
        """Links to the records of `model` that have a version matching `relation`."""
        pages = self.pages(model)
        versions = pages.filter(
            translation_key__in=pages.filter(**relation).values("translation_key")
        )
        return [self.link(page) for page in self.shown(versions, self.records(versions, order_by))]

    def link(self, page) -> dict | None:
        if page is None:
            return None
        return {"key": page.slug, "title": page.title, "url": self.url(page)}

    def url(self, page) -> str:
        return page.get_url(self.request)


def _referenced(references: dict, page):
    return references.get(page.translation_key) if page is not None else None


class _TermLabels:
    """Taxonomy terms in the language of the record that shows them.

    A translated practice links the translations of its source's terms; should a link still
    point at another language's term, the term's translation is looked up (one query per
    vocabulary, and none when every link is in its practice's language)."""

    def __init__(self, practices):
        self._translations = {}
        wanted = {
            Theme: [(link.theme, p.locale_id) for p in practices for link in p.theme_links.all()],
            Audience: [
                (link.audience, p.locale_id) for p in practices for link in p.audience_links.all()
            ],
            Format: [(p.format, p.locale_id) for p in practices if p.format is not None],
        }
        for model, pairs in wanted.items():
            elsewhere = [
                (term, locale_id) for term, locale_id in pairs if term.locale_id != locale_id
            ]
            if elsewhere:
                translations = model.objects.filter(
                    translation_key__in={term.translation_key for term, _locale in elsewhere},
                    locale_id__in={locale_id for _term, locale_id in elsewhere},
                )
                self._translations.update(
                    ((model, t.translation_key, t.locale_id), t) for t in translations
                )

    def term(self, term, locale_id) -> dict | None:
        if term is None:
            return None
        term = self._translations.get((type(term), term.translation_key, locale_id), term)
        return {"slug": term.slug, "label": term.label}


def _record(reader: Reader, record: Record, page) -> dict:
    return {
        "key": page.slug,
        "locale": record.language,
        "available_locales": record.available_locales,
        "title": page.title,
        "summary": page.summary,
        "url": reader.url(page),
    }


def _library(library) -> dict | None:
    if library is None:
        return None
    return {"key": library.slug, "name": library.title, "country": library.country}


def _practices(reader: Reader, records: list[Record]) -> list[dict]:
    practices = reader.shown(
        reader.pages(PracticePage)
        .select_related("format", "library", "meeting")
        .prefetch_related(
            Prefetch(
                "theme_links",
                queryset=PracticeTheme.objects.select_related("theme").order_by("sort_order"),
            ),
            Prefetch(
                "audience_links",
                queryset=PracticeAudience.objects.select_related("audience").order_by("sort_order"),
            ),
            "tagged_items__tag",
        ),
        records,
    )
    libraries = reader.references(LibraryPage, [p.library for p in practices])
    meetings = reader.references(MeetingPage, [p.meeting for p in practices])
    terms = _TermLabels(practices)
    evidence = evidence_of_practices(p.translation_key for p in practices)
    results = []
    for record, practice in zip(records, practices, strict=True):
        meeting = _referenced(meetings, practice.meeting)
        results.append(
            {
                **_record(reader, record, practice),
                "themes": [
                    terms.term(link.theme, practice.locale_id)
                    for link in practice.theme_links.all()
                ],
                "audiences": [
                    terms.term(link.audience, practice.locale_id)
                    for link in practice.audience_links.all()
                ],
                "format": terms.term(practice.format, practice.locale_id),
                "tags": sorted(item.tag.name for item in practice.tagged_items.all()),
                "library": _library(_referenced(libraries, practice.library)),
                "meeting": {
                    "key": meeting.slug,
                    "title": meeting.title,
                    "start": meeting.start_date,
                }
                if meeting
                else None,
                "duration_minutes": practice.duration_minutes,
                "group_size": practice.group_size,
                "preparation_minutes": practice.preparation_minutes,
                "cost_band": practice.cost_band or None,
                "staff_needed": practice.staff_needed,
                "licence": practice.licence,
                "contact": practice.public_contact(),
                "evidence": evidence[str(practice.translation_key)].slug,
            }
        )
    return results


def _method(practice) -> dict:
    """How to run a practice: its steps, sections and materials."""
    sections = practice_sections(practice.body)
    return {
        "steps": [
            {
                "title": step["title"] or "",
                "minutes": step["minutes"],
                "who": step["who"] or "",
                "description": step["description"] or "",
            }
            for step in practice_steps(practice.body)
        ],
        "sections": {kind: sections.get(kind) for kind in SECTION_KINDS},
        "materials": [
            {
                "title": material.document.title,
                "description": material.description,
                "language": material.language or None,
                "url": material.document.url,
                "file_extension": material.document.file_extension,
                "file_size": material.document.file_size,
            }
            for material in practice_materials(practice)
        ],
    }


def _adoptions(reader: Reader, practice: Record) -> list[dict]:
    """The practice's case studies, as its anchoring ledger (practices.ledger) lists them."""
    case_studies = reader.pages(CaseStudyPage)
    versions = case_studies.filter(
        translation_key__in=case_studies.filter(
            practice__translation_key=practice.translation_key
        ).values("translation_key")
    )
    shown = reader.shown(versions.select_related("library"), reader.records(versions, _BY_DATE))
    libraries = reader.references(LibraryPage, [c.library for c in shown])
    adoptions = []
    for case_study in shown:
        library = _referenced(libraries, case_study.library)
        adoptions.append(
            {
                "key": case_study.slug,
                "library": _library(library),
                "country": library.country if library else None,
                "date": case_study.date,
                "stage": case_study.stage,
                "participants": case_study.participants,
                "url": reader.url(case_study),
            }
        )
    return adoptions


def _case_studies(reader: Reader, records: list[Record]) -> list[dict]:
    case_studies = reader.shown(
        reader.pages(CaseStudyPage).select_related("practice", "library"), records
    )
    practices = reader.references(PracticePage, [c.practice for c in case_studies])
    libraries = reader.references(LibraryPage, [c.library for c in case_studies])
    return [
        {
            **_record(reader, record, case_study),
            "practice": reader.link(_referenced(practices, case_study.practice)),
            "library": _library(_referenced(libraries, case_study.library)),
            "date": case_study.date,
            "stage": case_study.stage,
            "participants": case_study.participants,
            "outcome_measures": _outcome_measures(case_study),
            "outcomes": case_study.outcomes,
            "would_change": case_study.would_change,
        }
        for record, case_study in zip(records, case_studies, strict=True)
    ]


def _outcome_measures(case_study) -> dict | None:
    shares = {share: getattr(case_study, f"outcome_{share}") for share in OUTCOME_SHARES}
    if case_study.outcome_respondents is None and all(v is None for v in shares.values()):
        return None
    return {"respondents": case_study.outcome_respondents, **shares}


def _meetings(reader: Reader, records: list[Record]) -> list[dict]:
    meetings = reader.shown(reader.pages(MeetingPage).select_related("host"), records)
    hosts = reader.references(LibraryPage, [m.host for m in meetings])
    return [
        {
            **_record(reader, record, meeting),
            "kind": meeting.kind,
            "start": meeting.start_date,
            "end": meeting.end_date,
            "city": meeting.city,
            "country": meeting.country or None,
            "host": _library(_referenced(hosts, meeting.host)),
        }
        for record, meeting in zip(records, meetings, strict=True)
    ]


def _libraries(reader: Reader, records: list[Record]) -> list[dict]:
    libraries = reader.shown(reader.pages(LibraryPage), records)
    return [
        {
            **_record(reader, record, library),
            "name": library.title,
            "city": library.city,
            "country": library.country,
            "website": library.website,
            "partner": library.partner,
            "latitude": library.latitude,
            "longitude": library.longitude,
            "contact": library.public_contact(),
        }
        for record, library in zip(records, libraries, strict=True)
    ]


def _reader(request, lang: str | None) -> Reader:
    language = lang or get_language_from_request(request)
    if language not in schemas.LANGUAGE_CODES:
        language = settings.LANGUAGE_CODE
    return Reader(request, language)


_LIST = {400: schemas.Error}
_DETAIL = {400: schemas.Error, 404: schemas.Error}


@dataclass(frozen=True)
class Resource:
    """One kind of record the API serves, as a list (`/<path>`) and one by key
    (`/<path>/{key}`): what it reads, in what order, and how it describes a page of records."""

    path: str
    name: str  # of the one-record route: "case-study", "case_study" in operation ids
    tag: str
    model: type
    order_by: tuple[str, ...]
    describe: Callable  # (reader, records) -> their descriptions
    list_schema: type
    schema: type
    list_summary: str
    summary: str
    not_found: str
    related: Callable | None = None  # (reader, record) -> what only the one-record view adds


def _practice_related(reader, record):
    practice = (
        reader.pages(PracticePage)
        .prefetch_related(
            Prefetch("materials", queryset=PracticeMaterial.objects.select_related("document"))
        )
        .get(pk=record.pk)
    )
    return {**_method(practice), "case_studies": _adoptions(reader, record)}


def _meeting_related(reader, record):
    return {
        "practices": reader.links(PracticePage, meeting__translation_key=record.translation_key)
    }


def _library_related(reader, record):
    key = record.translation_key
    return {
        "practices": reader.links(PracticePage, library__translation_key=key),
        "case_studies": reader.links(CaseStudyPage, _BY_DATE, library__translation_key=key),
    }


RESOURCES = (
    Resource(
        "practices",
        "practice",
        "practices",
        PracticePage,
        _BY_KEY,
        _practices,
        schemas.PracticeList,
        schemas.Practice,
        "Practices, by key",
        "A practice, with its case studies",
        _("There is no practice with the key %(key)s."),
        _practice_related,
    ),
    Resource(
        "case-studies",
        "case-study",
        "case studies",
        CaseStudyPage,
        _BY_DATE,
        _case_studies,
        schemas.CaseStudyList,
        schemas.CaseStudy,
        "Case studies, oldest first",
        "A case study",
        _("There is no case study with the key %(key)s."),
    ),
    Resource(
        "meetings",
        "meeting",
        "meetings",
        MeetingPage,
        _BY_START,
        _meetings,
        schemas.MeetingList,
        schemas.Meeting,
        "Meetings, oldest first",
        "A meeting, with the practices first shared there",
        _("There is no meeting with the key %(key)s."),
        _meeting_related,
    ),
    Resource(
        "libraries",
        "library",
        "libraries",
        LibraryPage,
        _BY_KEY,
        _libraries,
        schemas.LibraryList,
        schemas.Library,
        "Libraries, by key",
        "A library, with its practices and case studies",
        _("There is no library with the key %(key)s."),
        _library_related,
    ),
)


def _list(request, query: schemas.ListQuery, resource: Resource) -> dict:
    reader = _reader(request, query.lang)
    with translation.override(reader.language):
        records = reader.records(reader.pages(resource.model), resource.order_by)
        start = (query.page - 1) * query.page_size
        return {
            "count": len(records),
            "page": query.page,
            "page_size": query.page_size,
            "results": resource.describe(reader, records[start : start + query.page_size]),
        }


def _detail(request, key: str, query: schemas.LanguageQuery, resource: Resource):
    reader = _reader(request, query.lang)
    with translation.override(reader.language):
        # A key is a slug: anything else (a NUL byte, which PostgreSQL refuses) finds nothing.
        record = reader.find(resource.model, key) if _KEY.fullmatch(key) else None
        if record is None:
            return Status(404, {"error": resource.not_found % {"key": key}, "field": "key"})
        described = resource.describe(reader, [record])[0]
        return {**described, **resource.related(reader, record)} if resource.related else described


def _add_routes(resource: Resource) -> None:
    def list_view(request, query: Query[schemas.ListQuery]):
        return _list(request, query, resource)

    def detail_view(request, key: str, query: Query[schemas.LanguageQuery]):
        return _detail(request, key, query, resource)

    snake = resource.path.replace("-", "_")
    router.get(
        f"/{resource.path}",
        response={**_LIST, 200: resource.list_schema},
        tags=[resource.tag],
        url_name=f"{resource.name}-list",
        summary=resource.list_summary,
        operation_id=f"practices_api_list_{snake}",
    )(list_view)
    router.get(
        f"/{resource.path}/{{key}}",
        response={**_DETAIL, 200: resource.schema},
        tags=[resource.tag],
        url_name=resource.name,
        summary=resource.summary,
        operation_id=f"practices_api_{resource.name.replace('-', '_')}",
    )(detail_view)


for _resource in RESOURCES:
    _add_routes(_resource)
