"""What the pages show, gathered in a fixed number of queries however much a page holds.

Records that have a version in the reader's language are shown in it; others are shown in
their own language and carry `language_code`, so that templates can mark them with `lang`.
The template tags in `practices_tags` hand these structures to the templates.

A page served by Wagtail is in the reader's language (the URL's language prefix chooses the
tree it is found in), so a page's own locale is the reader's locale: the page views need no
query to find it."""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from languages.codes import language_name_translated, locale_code
from languages.reader import reading_order

from .browse import (
    catalogue,
    first_listed,
    live_versions,
    one_shown_per_group,
    pages_listed,
    shown_links,
    until_content_changes,
)
from .choices import Stage
from .countries import country_name
from .evidence import with_evidence_levels
from .ledger import Ledger, practice_ledger

FEATURED_PRACTICES = 6
RECENT_CASE_STUDIES = 5
TIMELINE_MEETINGS = 8
STAGE_LABELS = dict(Stage.choices)


def reader_language() -> str:
    return get_language() or "en"


def reader_locale(request=None):
    """The locale of the reader's language, else the default one (one query per request)."""
    from django.conf import settings
    from wagtail.models import Locale

    cached = getattr(request, "_practices_reader_locale", None)
    if cached is not None:
        return cached
    locales = {
        locale.language_code: locale
        for locale in Locale.objects.filter(
            language_code__in=[reader_language(), settings.LANGUAGE_CODE]
        )
    }
    locale = locales.get(reader_language()) or locales.get(settings.LANGUAGE_CODE)
    if request is not None:
        request._practices_reader_locale = locale
    return locale


class Reader:
    """The reader's locale and language, and the order of the languages they read."""

    def __init__(self, locale_id: int):
        self.locale_id = locale_id
        self.language = reader_language()
        self.order = reading_order(self.language)


def minutes_label(minutes: int | None) -> str:
    """ "45 min", "1 h 30 min": short enough for a fact sheet, in the reader's language."""
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(_("%(count)d h") % {"count": hours})
    if rest:
        parts.append(_("%(count)d min") % {"count": rest})
    return " ".join(parts)


# The index pages -------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexLink:
    kind: str  # "practices", "case-studies", "meetings", "libraries"
    title: str
    url: str


def index_links(request=None) -> list[IndexLink]:
    """The live index pages in the reader's language, in menu order; one that is missing is
    left out. One query, made once per request (the menu, the home page and a practice's
    chips all need them)."""
    cached = getattr(request, "_practices_index_links", None)
    if cached is None:
        cached = _index_links(request)
        if request is not None:
            request._practices_index_links = cached
    return cached


def _index_links(request):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    from .setup import index_page_types

    kinds = {
        ContentType.objects.get_for_model(model).pk: slug
        for model, slug, _title in index_page_types()
    }
    order = list(kinds.values())
    # Every language's index pages, four each, the reader's kept here: asked for one
    # language's, SQLite reads all of that language's pages through the locale index.
    pages = Page.objects.live().filter(content_type_id__in=kinds)
    language = reader_language()
    links = [
        IndexLink(kinds[page.content_type_id], page.title, url)
        for page in pages
        if locale_code(page.locale_id) == language and (url := page.get_url(request))
    ]
    return sorted(links, key=lambda link: order.index(link.kind))


def index_url(kind: str, request=None) -> str:
    return next((link.url for link in index_links(request) if link.kind == kind), "")


def filtered_url(index_url: str, name: str, value: str) -> str:
    """The index page filtered by one value, or "" when there is no index page to link."""
    return f"{index_url}?{urlencode({name: value})}" if index_url else ""


# A practice --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chip:
    label: str
    url: str = ""


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Material:
    title: str
    url: str
    description: str
    extension: str
    size: int | None
    language: str = ""  # its code, "" when it has no text
    language_name: str = ""  # in the reader's language


@dataclass(frozen=True)
class LedgerRow:
    case_study: object
    library: object
    country: str  # the country's name in the reader's language
    date: date
    stage: str
    stage_label: str
    participants: int | None


@dataclass(frozen=True)
class Milestone:
    """One step of a practice's journey: where it was first shared, then each adoption."""

    date: date
    page: object  # the meeting, or the case study
    shared: bool = False
    library: object = None
    stage: str = ""
    stage_label: str = ""


@dataclass
class PracticeView:
    page: object
    themes: list[Chip]
    audiences: list[Chip]
    format: Chip | None
    tags: list[Chip]
    facts: list[Fact]
    library: object
    library_country: str
    meeting: object
    materials: list[Material]
    ledger: Ledger
    rows: list[LedgerRow]
    journey: list[Milestone]
    index_url: str = ""

    @property
    def formats(self) -> list[Chip]:
        return [self.format] if self.format else []

    @property
    def classified(self) -> bool:
        return bool(self.themes or self.audiences or self.format or self.tags)


def _terms_in_locale(model, linked, locale_id):
    """The terms `linked` (a subquery of pks) in the locale, or as linked where a term has no
    translation there."""
    translated = model.objects.filter(
        translation_key=OuterRef("translation_key"), locale_id=locale_id
    )
    return model.objects.filter(
        translation_key__in=model.objects.filter(pk__in=linked).values("translation_key")
    ).filter(Q(locale_id=locale_id) | (Q(pk__in=linked) & ~Exists(translated)))


def practice_terms(page, locale_id) -> dict[str, list[tuple[str, str]]]:
    """A practice's themes, audiences, format and tags as {kind: [(slug, label)]}, the terms
    in the reader's language, sorted by label. One query for the four vocabularies."""
    from taggit.models import Tag

    from .models import Audience, Format, PracticeAudience, PracticeTag, PracticeTheme, Theme

    def rows(queryset, kind, label="label"):
        kind_value = Value(kind, output_field=CharField())
        return queryset.annotate(kind=kind_value).values_list("kind", "slug", label).order_by()

    themes = PracticeTheme.objects.filter(page_id=page.pk).values("theme_id")
    audiences = PracticeAudience.objects.filter(page_id=page.pk).values("audience_id")
    formats = Format.objects.filter(pk=page.format_id).values("pk")
    tags = PracticeTag.objects.filter(content_object_id=page.pk).values("tag_id")
    union = rows(_terms_in_locale(Theme, themes, locale_id), "theme").union(
        rows(_terms_in_locale(Audience, audiences, locale_id), "audience"),
        rows(_terms_in_locale(Format, formats, locale_id), "format"),
        rows(Tag.objects.filter(pk__in=tags), "tag", label="name"),
        all=True,
    )
    terms = {"theme": [], "audience": [], "format": [], "tag": []}
    for kind, slug, label in sorted(union, key=lambda row: row[2].casefold()):
        terms[kind].append((slug, label))
    return terms


def _facts(page) -> list[Fact]:
    staff = ""
    if page.staff_needed:
        staff = ngettext("%(count)d person", "%(count)d people", page.staff_needed) % {
            "count": page.staff_needed
        }
    facts = [
        Fact(_("Duration"), minutes_label(page.duration_minutes)),
        Fact(_("Group size"), page.group_size),
        Fact(_("Preparation time"), minutes_label(page.preparation_minutes)),
        Fact(_("Cost"), page.get_cost_band_display() if page.cost_band else ""),
        Fact(_("Staff needed"), staff),
    ]
    return [fact for fact in facts if fact.value]


def _materials(page) -> list[Material]:
    from .models import PracticeMaterial

    materials = (
        PracticeMaterial.objects.filter(page_id=page.pk)
        .select_related("document")
        .order_by("sort_order", "pk")
    )
    return [
        Material(
            title=material.document.title,
            url=material.document.url,
            description=material.description,
            extension=material.document.file_extension.upper(),
            size=material.document.file_size,
            language=material.language,
            language_name=language_name_translated(material.language) if material.language else "",
        )
        for material in materials
    ]


def ledger_rows(ledger: Ledger, reader: Reader) -> list[LedgerRow]:
    rows = []
    for adoption in ledger.adoptions:
        rows.append(
            LedgerRow(
                case_study=adoption.case_study,
                library=adoption.library,
                country=country_name(adoption.country, reader.language) if adoption.country else "",
                date=adoption.date,
                stage=adoption.stage,
                stage_label=str(STAGE_LABELS.get(adoption.stage, adoption.stage)),
                participants=adoption.participants,
            )
        )
    return rows


def journey(meeting, rows: list[LedgerRow]) -> list[Milestone]:
    """First shared at a meeting, then each library that ran it, in date order."""
    milestones = [
        Milestone(
            date=row.date,
            page=row.case_study,
            library=row.library,
            stage=row.stage,
            stage_label=row.stage_label,
        )
        for row in rows
    ]
    if meeting is not None:
        milestones.append(Milestone(date=meeting.start_date, page=meeting, shared=True))
    return sorted(milestones, key=lambda milestone: (milestone.date, not milestone.shared))


def practice_view(page, request=None) -> PracticeView:
    """Everything a practice page shows besides its own fields. Its queries: the index pages
    (shared with the menu), the terms, the materials, the library and meeting, and the
    ledger's; none of them repeats per theme, tag or case study."""
    from .models import LibraryPage, MeetingPage

    reader = Reader(page.locale_id)
    index = index_url("practices", request)
    terms = practice_terms(page, reader.locale_id)
    origin = shown_links(
        {"library": (LibraryPage, page.library_id), "meeting": (MeetingPage, page.meeting_id)},
        reader.order,
    )
    library, meeting = origin["library"], origin["meeting"]
    rows = ledger_rows(ledger := practice_ledger(page), reader)

    def chips(kind):
        return [Chip(label, filtered_url(index, kind, slug)) for slug, label in terms[kind]]

    return PracticeView(
        page=page,
        themes=chips("theme"),
        audiences=chips("audience"),
        format=next(iter(chips("format")), None),
        tags=chips("tag"),
        facts=_facts(page),
        library=library,
        library_country=country_name(library.country, reader.language) if library else "",
        meeting=meeting,
        materials=_materials(page),
        ledger=ledger,
        rows=rows,
        journey=journey(meeting, rows),
        index_url=index,
    )


# A case study, a meeting, a library --------------------------------------------------------


@dataclass
class CaseStudyView:
    page: object
    practice: object
    library: object
    country: str
    stage_label: str
    tags: list[Chip]
    practice_ledger: Ledger | None


def case_study_view(page, request=None) -> CaseStudyView:
    from taggit.models import Tag

    from .models import CaseStudyTag, LibraryPage, PracticePage

    reader = Reader(page.locale_id)
    linked = shown_links(
        {"practice": (PracticePage, page.practice_id), "library": (LibraryPage, page.library_id)},
        reader.order,
    )
    practice, library = linked["practice"], linked["library"]
    tags = Tag.objects.filter(
        pk__in=CaseStudyTag.objects.filter(content_object_id=page.pk).values("tag_id")
    ).order_by("name")
    index = index_url("case-studies", request)
    return CaseStudyView(
        page=page,
        practice=practice,
        library=library,
        country=country_name(library.country, reader.language) if library else "",
        stage_label=str(STAGE_LABELS.get(page.stage, page.stage)),
        tags=[Chip(tag.name, filtered_url(index, "tag", tag.slug)) for tag in tags],
        practice_ledger=practice_ledger(practice) if practice else None,
    )


def with_stage_labels(case_studies):
    for case_study in case_studies:
        case_study.stage_label = str(STAGE_LABELS.get(case_study.stage, case_study.stage))
    return case_studies


@dataclass
class MeetingView:
    page: object
    host: object
    country: str
    practices: list = field(default_factory=list)
    case_studies: list = field(default_factory=list)


def meeting_view(page, request=None) -> MeetingView:
    """The practices first shared at a meeting (linked to any language version of it) and
    the case studies that followed from them."""
    from .models import CaseStudyPage, LibraryPage, PracticePage

    reader = Reader(page.locale_id)
    practices = one_shown_per_group(
        live_versions(PracticePage)
        .filter(meeting__translation_key=page.translation_key)
        .select_related("library", "format")
        .prefetch_related("theme_links__theme")
        .order_by("title"),
        reader.order,
    )
    case_studies = one_shown_per_group(
        live_versions(CaseStudyPage)
        .filter(practice__translation_key__in=[p.translation_key for p in practices])
        .select_related("library", "practice")
        .order_by("date", "pk"),
        reader.order,
    )
    host = shown_links({"host": (LibraryPage, page.host_id)}, reader.order)["host"]
    return MeetingView(
        page=page,
        host=host,
        country=country_name(page.country, reader.language) if page.country else "",
        practices=with_evidence_levels(practices),
        case_studies=with_stage_labels(case_studies),
    )


@dataclass
class LibraryView:
    page: object
    country: str
    practices: list
    case_studies: list
    meetings: list


def library_view(page, request=None) -> LibraryView:
    """What a library shared, ran and hosted, whichever language version each record links."""
    from .models import CaseStudyPage, MeetingPage, PracticePage

    key = page.translation_key
    order = reading_order()
    practices = one_shown_per_group(
        live_versions(PracticePage)
        .filter(library__translation_key=key)
        .select_related("library", "format")
        .prefetch_related("theme_links__theme")
        .order_by("title"),
        order,
    )
    case_studies = one_shown_per_group(
        live_versions(CaseStudyPage)
        .filter(library__translation_key=key)
        .select_related("library", "practice")
        .order_by("-date", "-pk"),
        order,
    )
    meetings = one_shown_per_group(
        live_versions(MeetingPage).filter(host__translation_key=key).order_by("-start_date"),
        order,
    )
    return LibraryView(
        page=page,
        country=country_name(page.country, reader_language()),
        practices=with_evidence_levels(practices),
        case_studies=with_stage_labels(case_studies),
        meetings=meetings,
    )


def page_view(page, request=None):
    """The view of a practice, case study, meeting or library page (`practice_view`...)."""
    views = {
        "practicepage": practice_view,
        "casestudypage": case_study_view,
        "meetingpage": meeting_view,
        "librarypage": library_view,
    }
    return views[page._meta.model_name](page, request)


# The home page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkFigures:
    practices: int  # translation groups: a practice in three languages is one practice
    libraries: int  # libraries that ran a practice (have a case study)
    anchored: int  # adoptions that took root: (practice, library) pairs at the anchored stage
    countries: int  # of the libraries with case studies or practices


def network_figures(request=None) -> NetworkFigures:
    """The figures, counted over every live page: a hundred milliseconds and more at 10 000
    practices, so counted once for each version of the content."""
    return until_content_changes("network_figures", count_network_figures, request)


def count_network_figures() -> NetworkFigures:
    from .models import CaseStudyPage, PracticePage

    practices = live_versions(PracticePage)
    case_studies = live_versions(CaseStudyPage).filter(library__isnull=False)
    countries = set(
        case_studies.order_by().values_list("library__country", flat=True).distinct()
    ) | set(
        practices.filter(library__isnull=False)
        .order_by()
        .values_list("library__country", flat=True)
        .distinct()
    )
    anchored = (
        case_studies.filter(stage=Stage.ANCHORED, practice__isnull=False)
        .values("practice__translation_key", "library__translation_key")
        .distinct()
        .count()
    )
    return NetworkFigures(
        practices=practices.values("translation_key").distinct().count(),
        libraries=case_studies.values("library__translation_key").distinct().count(),
        anchored=anchored,
        countries=len(countries - {""}),
    )


def latest(model_name: str, locale, count: int, request=None) -> list:
    """The first `count` pages of the model's unfiltered list in `locale` (the newest), as
    its index page shows them. Which pages they are is worked out once for each version of
    the content."""
    listing = catalogue(model_name)
    shown = until_content_changes(
        f"latest.{model_name}.{locale.pk}.{count}",
        lambda: first_listed(listing, locale, count),
        request,
    )
    return pages_listed(listing, shown)


def featured_practices(locale, count: int = FEATURED_PRACTICES, request=None) -> list:
    """The most recently published practices, one per translation group, with their
    evidence levels."""
    return with_evidence_levels(latest("PracticePage", locale, count, request))


def recent_case_studies(locale, count: int = RECENT_CASE_STUDIES, request=None) -> list:
    return with_stage_labels(latest("CaseStudyPage", locale, count, request))


def meeting_timeline(locale, count: int = TIMELINE_MEETINGS, request=None) -> list:
    """The network's latest meetings, oldest first (the meetings index lists them all)."""
    return latest("MeetingPage", locale, count, request)[::-1]
