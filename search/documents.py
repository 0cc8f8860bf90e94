"""What the search knows about a page: one plain document per live language version.

Both backends index exactly these documents, so they filter, facet and display the same
things. Built in batches, with a constant number of queries per batch."""

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.conf import settings
from wagtail.models import Page

from languages.groups import original_locales
from practices.browse import live_versions
from practices.evidence import evidence_level
from practices.ledger import Spread, spread_of_practices
from practices.models import (
    Audience,
    CaseStudyPage,
    CaseStudyTag,
    Format,
    LibraryPage,
    MeetingPage,
    PracticeAudience,
    PracticePage,
    PracticeTag,
    PracticeTheme,
    Theme,
)
from practices.text import body_text, html_text

# The public name of each indexed type, in parameters, facets and results.
TYPES = {
    PracticePage: "practice",
    CaseStudyPage: "case_study",
    MeetingPage: "meeting",
    LibraryPage: "library",
}
MODELS = {name: model for model, name in TYPES.items()}
LANGUAGE_ORDER = [code for code, _name in settings.LANGUAGES]


def indexable_pages(model):
    """The pages of `model` anyone may see (`practices.browse.live_versions`)."""
    return live_versions(model)


def build_documents(pages: Iterable[Page]) -> Iterator[dict]:
    """Documents for `pages` (specific instances of one or several indexed types)."""
    by_model = defaultdict(list)
    for page in pages:
        if type(page) in TYPES:
            by_model[type(page)].append(page.pk)
    for model, ids in by_model.items():
        yield from documents_of(model, ids)


def documents_of(model, ids) -> Iterator[dict]:
    """Documents for the pages of one indexed type with these ids, in a constant number of
    queries."""
    pages = list(_with_relations(model, ids))
    if not pages:
        return
    groups = _translation_groups({page.translation_key for page in pages})
    originals = original_locales(groups)
    labels = _term_labels()
    spread = spread_of_practices(
        {page.translation_key for page in pages} if model is PracticePage else set()
    )
    related = _related(model, pages)
    urls = _urls(pages)
    for page in pages:
        url = urls.get(page.pk) or page.url
        document = _document(page, url, groups[page.translation_key], originals, labels, related)
        if document["type"] == "practice":
            practice_spread = spread.get(document["translation_key"], Spread())
            document["spread"] = practice_spread.as_dict()
            document["evidence"] = evidence_level(practice_spread).slug
        yield document


def _urls(pages) -> dict[int, str]:
    """Each page's URL, from its parent's: Wagtail works out the URL of each parent (an index
    page per language) once, instead of once per page."""
    parent_paths = {page.url_path.rsplit("/", 2)[0] + "/" for page in pages}
    parent_urls = {
        parent.url_path: parent.url for parent in Page.objects.filter(url_path__in=parent_paths)
    }
    urls = {}
    for page in pages:
        parent_url = parent_urls.get(page.url_path.rsplit("/", 2)[0] + "/")
        if parent_url:
            urls[page.pk] = f"{parent_url}{page.slug}/"
    return urls


def _translation_groups(keys) -> dict:
    groups = defaultdict(list)
    rows = live_versions(Page).filter(translation_key__in=keys)
    for key, code in rows.values_list("translation_key", "locale__language_code"):
        groups[key].append(code)
    return {key: sorted(codes, key=LANGUAGE_ORDER.index) for key, codes in groups.items()}


def _term_labels() -> dict:
    """{(kind, slug): {language: label}} for every theme, audience and format."""
    labels = defaultdict(dict)
    for kind, model in (("theme", Theme), ("audience", Audience), ("format", Format)):
        for slug, code, label in model.objects.values_list(
            "slug", "locale__language_code", "label"
        ):
            labels[(kind, slug)][code] = label
    return labels


def _with_relations(model, ids):
    queryset = model.objects.filter(pk__in=ids).select_related("locale")
    if model is PracticePage:
        queryset = queryset.select_related("format")
    return queryset


def _related(model, pages) -> dict:
    """What the documents of these pages (all of `model`) show of the pages and terms they link
    to, a few values each, read in one query per kind: whole linked pages, themes and tags
    would cost a model instance each (three per practice, Wagtail's pages being heavy)."""
    ids = [page.pk for page in pages]
    related = {}
    if model in (PracticePage, CaseStudyPage):
        tag_model = PracticeTag if model is PracticePage else CaseStudyTag
        related["tags"] = _grouped(
            tag_model.objects.filter(content_object_id__in=ids).values_list(
                "content_object_id", "tag__name"
            )
        )
        related["libraries"] = {
            pk: (slug, country)
            for pk, slug, country in LibraryPage.objects.filter(
                pk__in={page.library_id for page in pages if page.library_id}
            ).values_list("pk", "slug", "country")
        }
    if model is PracticePage:
        # In the order the page's links have (`page.theme_links.all()`).
        for name, link_model, term in (
            ("themes", PracticeTheme, "theme"),
            ("audiences", PracticeAudience, "audience"),
        ):
            related[name] = _grouped(
                link_model.objects.filter(page_id__in=ids)
                .order_by("page_id", "pk")
                .values_list("page_id", f"{term}__slug")
            )
        related["meetings"] = {
            pk: (slug, start_date)
            for pk, slug, start_date in MeetingPage.objects.filter(
                pk__in={page.meeting_id for page in pages if page.meeting_id}
            ).values_list("pk", "slug", "start_date")
        }
    elif model is CaseStudyPage:
        related["practice_meetings"] = dict(
            PracticePage.objects.filter(
                pk__in={page.practice_id for page in pages if page.practice_id}
            ).values_list("pk", "meeting__slug")
        )
    elif model is MeetingPage:
        related["hosts"] = dict(
            LibraryPage.objects.filter(
                pk__in={page.host_id for page in pages if page.host_id}
            ).values_list("pk", "slug")
        )
    return related


def _grouped(pairs) -> dict[int, list]:
    grouped = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return grouped


def _document(page, url, available_locales, originals, labels, related) -> dict:
    kind = TYPES[type(page)]
    document = {
        "id": page.pk,
        "key": page.slug,
        "type": kind,
        "locale": page.locale.language_code,
        "translation_key": str(page.translation_key),
        "original_locale": originals.get(page.translation_key, page.locale.language_code),
        "available_locales": available_locales,
        "title": page.title,
        "summary": page.summary,
        "body": "",
        "tags": [],
        "taxonomy_labels": {code: [] for code in LANGUAGE_ORDER},
        "themes": [],
        "audiences": [],
        "format": None,
        "country": None,
        "library": None,
        "meeting": None,
        "stage": None,
        "date": None,
        "published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
        "url": url,
        # Practices: how far it took root (`practices.ledger.Spread`), else None.
        "spread": None,
        # Practices: the slug of its evidence level (`practices.evidence`), else None.
        "evidence": None,
    }
    if kind == "practice":
        _describe_practice(page, document, labels, related)
    elif kind == "case_study":
        _describe_case_study(page, document, related)
    elif kind == "meeting":
        _describe_meeting(page, document, related)
    else:
        _describe_library(page, document)
    return document


def _add_labels(document, labels, kind, slug):
    for code, label in labels.get((kind, slug), {}).items():
        document["taxonomy_labels"].setdefault(code, []).append(label)


def _describe_practice(page, document, labels, related):
    document["themes"] = list(related["themes"].get(page.pk, ()))
    document["audiences"] = list(related["audiences"].get(page.pk, ()))
    document["format"] = page.format.slug if page.format else None
    for slug in document["themes"]:
        _add_labels(document, labels, "theme", slug)
    for slug in document["audiences"]:
        _add_labels(document, labels, "audience", slug)
    if document["format"]:
        _add_labels(document, labels, "format", document["format"])
    document["tags"] = sorted(related["tags"].get(page.pk, ()))
    document["body"] = "\n\n".join(filter(None, [page.purpose, body_text(page.body, images=True)]))
    if page.library_id in related["libraries"]:
        document["library"], document["country"] = related["libraries"][page.library_id]
    if page.meeting_id in related["meetings"]:
        document["meeting"], document["date"] = related["meetings"][page.meeting_id]


def _describe_case_study(page, document, related):
    document["tags"] = sorted(related["tags"].get(page.pk, ()))
    document["body"] = "\n\n".join(
        filter(None, [body_text(page.body, images=True), page.outcomes, page.would_change])
    )
    document["stage"] = page.stage
    document["date"] = page.date
    if page.library_id in related["libraries"]:
        document["library"], document["country"] = related["libraries"][page.library_id]
    if page.practice_id in related["practice_meetings"]:
        # Filtering by a practice's meeting finds the case studies that followed from it.
        document["meeting"] = related["practice_meetings"][page.practice_id]


def _describe_meeting(page, document, related):
    document["body"] = "\n\n".join(
        filter(None, [html_text(page.agenda), body_text(page.body, images=True)])
    )
    document["country"] = page.country or None
    document["meeting"] = page.slug
    document["date"] = page.start_date
    if page.host_id in related["hosts"]:
        document["library"] = related["hosts"][page.host_id]


def _describe_library(page, document):
    document["body"] = body_text(page.body, images=True)
    document["country"] = page.country
    document["library"] = page.slug
