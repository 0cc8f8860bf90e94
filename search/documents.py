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
    Format,
    LibraryPage,
    MeetingPage,
    PracticePage,
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
    pages = [page for page in pages if type(page) in TYPES]
    if not pages:
        return
    groups = _translation_groups({page.translation_key for page in pages})
    originals = original_locales(groups)
    labels = _term_labels()
    spread = spread_of_practices(
        {page.translation_key for page in pages if isinstance(page, PracticePage)}
    )
    by_model = defaultdict(list)
    for page in pages:
        by_model[type(page)].append(page.pk)
    for model, ids in by_model.items():
        pages_of_model = list(_with_relations(model, ids))
        urls = _urls(pages_of_model)
        for page in pages_of_model:
            url = urls.get(page.pk) or page.url
            document = _document(page, url, groups[page.translation_key], originals, labels)
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
        queryset = queryset.select_related("library", "meeting", "format").prefetch_related(
            "theme_links__theme", "audience_links__audience", "tagged_items__tag"
        )
    elif model is CaseStudyPage:
        queryset = queryset.select_related("library", "practice__meeting").prefetch_related(
            "tagged_items__tag"
        )
    elif model is MeetingPage:
        queryset = queryset.select_related("host")
    return queryset


def _document(page, url, available_locales, originals, labels) -> dict:
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
        _describe_practice(page, document, labels)
    elif kind == "case_study":
        _describe_case_study(page, document)
    elif kind == "meeting":
        _describe_meeting(page, document)
    else:
        _describe_library(page, document)
    return document


def _add_labels(document, labels, kind, slug):
    for code, label in labels.get((kind, slug), {}).items():
        document["taxonomy_labels"].setdefault(code, []).append(label)


def _describe_practice(page, document, labels):
    document["themes"] = [link.theme.slug for link in page.theme_links.all()]
    document["audiences"] = [link.audience.slug for link in page.audience_links.all()]
    document["format"] = page.format.slug if page.format else None
    for slug in document["themes"]:
        _add_labels(document, labels, "theme", slug)
    for slug in document["audiences"]:
        _add_labels(document, labels, "audience", slug)
    if document["format"]:
        _add_labels(document, labels, "format", document["format"])
    document["tags"] = sorted(item.tag.name for item in page.tagged_items.all())
    document["body"] = "\n\n".join(filter(None, [page.purpose, body_text(page.body, images=True)]))
    if page.library:
        document["library"] = page.library.slug
        document["country"] = page.library.country
    if page.meeting:
        document["meeting"] = page.meeting.slug
        document["date"] = page.meeting.start_date


def _describe_case_study(page, document):
    document["tags"] = sorted(item.tag.name for item in page.tagged_items.all())
    document["body"] = "\n\n".join(
        filter(None, [body_text(page.body, images=True), page.outcomes, page.would_change])
    )
    document["stage"] = page.stage
    document["date"] = page.date
    if page.library:
        document["library"] = page.library.slug
        document["country"] = page.library.country
    if page.practice:
        # Filtering by a practice's meeting finds the case studies that followed from it.
        document["meeting"] = page.practice.meeting.slug if page.practice.meeting_id else None


def _describe_meeting(page, document):
    document["body"] = "\n\n".join(
        filter(None, [html_text(page.agenda), body_text(page.body, images=True)])
    )
    document["country"] = page.country or None
    document["meeting"] = page.slug
    document["date"] = page.start_date
    if page.host:
        document["library"] = page.host.slug


def _describe_library(page, document):
    document["body"] = body_text(page.body, images=True)
    document["country"] = page.country
    document["library"] = page.slug
