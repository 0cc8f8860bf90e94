"""The one entry point for finding things: validated SearchParams in, a plain SearchResult out.
The search page, the JSON API and the Atom feed all render this structure."""

import logging
from collections import defaultdict
from dataclasses import dataclass, field, fields

from babel import Locale as BabelLocale
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from languages.groups import shown_version
from languages.reader import reading_order
from practices.choices import Stage
from practices.countries import country_name
from practices.evidence import LEVELS as EVIDENCE_LEVELS
from practices.models import Audience, Format, Theme

from . import glossary, lexicon
from . import highlight as highlighting
from .backends import BackendUnavailable, RawResult
from .backends.database import FACET_SETS, FACETS, DatabaseBackend, shown_documents
from .matching import all_forms, word_matches
from .models import SearchEntry
from .params import SearchParams
from .plan import plan_query
from .snapshots import Snapshot
from .versions import index_version
from .vocabulary import Vocabulary

logger = logging.getLogger(__name__)
FEW_RESULTS = 3


def type_labels() -> dict:
    return {
        "practice": _("Practice"),
        "case_study": _("Case study"),
        "meeting": _("Meeting"),
        "library": _("Library"),
    }


@dataclass
class Hit:
    key: str
    type: str
    locale: str
    available_locales: list
    title: str
    summary: str
    url: str
    highlight: str
    score: float
    spread: dict | None = None  # practices: `practices.ledger.Spread.as_dict`
    evidence: str | None = None  # practices: the slug of its evidence level


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    query: str
    total: int
    page: int
    page_size: int
    results: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    backend: str = "database"
    notice: str | None = None  # e.g. that Elasticsearch is unavailable and the fallback answered

    def as_dict(self) -> dict:
        """What the API returns (dataclasses.asdict would deep-copy hundreds of facet values)."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "page_size": self.page_size,
            "results": [
                {f.name: getattr(hit, f.name) for f in fields(Hit)} for hit in self.results
            ],
            "facets": {
                name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                for name, values in self.facets.items()
            },
            "suggestion": self.suggestion,
            "backend": self.backend,
        }

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))


def get_backend():
    if settings.ELASTICSEARCH_URL:
        from .backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend.from_settings()
    return DatabaseBackend()


def search(params: SearchParams, backend=None) -> SearchResult:
    backend = backend or get_backend()
    notice = None
    try:
        raw = backend.search(params)
    except BackendUnavailable as error:
        logger.warning(
            "Search backend %s unavailable, answering from the database: %s", backend.name, error
        )
        backend = DatabaseBackend()
        raw = backend.search(params)
        notice = _(
            "The main search service is not answering right now; these results come from the simpler built-in search."
        )
    with translation.override(params.lang):
        result = _present(params, raw, backend.name)
        result.notice = notice
        if params.query and result.total < FEW_RESULTS:
            result.suggestion = suggest_correction(params, result.total, backend)
    return result


def _present(params: SearchParams, raw: RawResult, backend_name: str) -> SearchResult:
    matches = raw.matches
    if matches is None:
        plan = plan_query(params.query, params.lang) if params.query else None
        matches = word_matches(plan, params.lang) if plan else []
    documents = displayed_documents([hit.translation_key for hit in raw.hits], params.lang)
    hits = []
    for raw_hit in raw.hits:
        document = documents.get(raw_hit.translation_key)
        if document is None:
            continue  # indexed in Elasticsearch but gone from the database since
        snippet = highlighting.highlight(document, all_forms(matches, document["locale"]))
        hits.append(
            Hit(
                **card_fields(document),
                type=document["type"],
                highlight=snippet,
                score=round(raw_hit.score, 4),
            )
        )
    return SearchResult(
        query=params.query,
        total=raw.total,
        page=params.page,
        page_size=params.page_size,
        results=hits,
        facets=label_facets(raw.facets, params),
        backend=backend_name,
    )


def displayed_documents(translation_keys, lang: str) -> dict:
    """The document of the version a reader of `lang` sees, of each group still in the
    database, by translation key."""
    return shown_documents(translation_keys, reading_order(lang))


def card_fields(document: dict) -> dict:
    """What every result card shows of a document."""
    # Documents indexed before a field existed lack it until the next reindex.
    return {name: document.get(name) for name in CARD_FIELDS}


CARD_FIELDS = (
    "key",
    "title",
    "summary",
    "url",
    "locale",
    "available_locales",
    "spread",
    "evidence",
)


def suggest_correction(params: SearchParams, total: int, backend) -> str | None:
    """A query with each unknown word replaced by the nearest indexed word, when it finds more."""
    plan = plan_query(params.query, params.lang)
    if plan is None:
        return None
    corrected, changed = [], False
    for word in plan.plain_words():
        # A word of the reader's language is spelt right even when no page uses it.
        correctable = len(word) >= 3 and not lexicon.is_known(word, params.lang)
        replacement = Vocabulary.best_correction(word) if correctable else None
        corrected.append(replacement or word)
        changed = changed or bool(replacement)
    if not changed:
        return None
    suggestion = " ".join(corrected)
    probe = SearchParams(suggestion, params.lang, params.filters, params.sort, 1, 1)
    try:
        found = backend.search(probe).total
    except BackendUnavailable:
        found = DatabaseBackend().search(probe).total
    return suggestion if found and found >= total else None


# --- facet labels in the reader's language ---------------------------------------------


def label_facets(raw_facets: dict, params: SearchParams) -> dict:
    lang = params.lang
    labellers = {
        "type": lambda values: type_labels(),
        "theme": lambda values: _term_labels(Theme, values, lang),
        "audience": lambda values: _term_labels(Audience, values, lang),
        "format": lambda values: _term_labels(Format, values, lang),
        "country": lambda values: {v: country_name(v, lang) for v in values},
        "library": lambda values: _page_titles("library", values, lang),
        "meeting": lambda values: _page_titles("meeting", values, lang),
        "stage": lambda values: {choice.value: str(choice.label) for choice in Stage},
        "language": lambda values: _language_names(values, lang),
        "tag": lambda values: {v: v for v in values},
        "evidence": lambda values: {level.slug: str(level.name) for level in EVIDENCE_LEVELS},
    }
    facets = {}
    for name in FACETS:
        counts = dict(raw_facets.get(name, {}))
        selected = set(params.filters.get(name, ()))
        for value in selected:
            counts.setdefault(value, 0)
        labels = labellers[name](list(counts))
        values = [
            FacetValue(value, str(labels.get(value, value)), count, value in selected)
            for value, count in counts.items()
        ]
        order = _FIXED_ORDER.get(name)
        if order:
            values.sort(
                key=lambda v: (order.index(v.value) if v.value in order else len(order), v.label)
            )
        else:
            values.sort(key=lambda v: (-v.count, v.label.casefold()))
        facets[name] = values
    return facets


_FIXED_ORDER = {
    "type": ["practice", "case_study", "meeting", "library"],
    "stage": [choice.value for choice in Stage],
    "language": [code for code, _name in settings.LANGUAGES],
    # Strongest first, as a librarian choosing a method reads it.
    "evidence": [level.slug for level in reversed(EVIDENCE_LEVELS)],
}


def _term_labels(model, slugs, lang) -> dict:
    """Each term's label in the version a reader of `lang` sees (`shown_version`)."""
    versions = _LABEL_SOURCES.get()[model.__name__]
    order = reading_order(lang)
    return {slug: shown_version(versions[slug], None, order) for slug in slugs if slug in versions}


def _page_titles(kind: str, keys, lang) -> dict:
    """Each page's title in the version a reader of `lang` sees (`shown_version`)."""
    pages = _LABEL_SOURCES.get()[kind]
    order = reading_order(lang)
    return {key: shown_version(pages[key][0], pages[key][1], order) for key in keys if key in pages}


def _read_label_sources() -> dict:
    """Every language version of the labels of the terms and of the titles of the libraries
    and meetings, which facets are named with: kept per process (`search.snapshots`) and read
    again when the index changes, as a renamed term or page is indexed again."""
    sources = {}
    for model in (Theme, Audience, Format):
        versions = defaultdict(dict)
        rows = model.objects.values_list("slug", "locale__language_code", "label")
        for slug, code, label in rows.iterator():
            versions[slug][code] = label
        sources[model.__name__] = dict(versions)
    for kind in ("library", "meeting"):
        titles, originals = defaultdict(dict), {}
        rows = SearchEntry.objects.filter(type=kind).values_list(
            "key", "locale", "original_locale", "title"
        )
        for key, locale, original, title in rows.iterator():
            titles[key][locale] = title
            originals[key] = original
        sources[kind] = {key: (titles[key], originals[key]) for key in titles}
    return sources


_LABEL_SOURCES = Snapshot(_read_label_sources, index_version)


def warm_up() -> None:
    """Starts loading, in the background, what search keeps per process (the glossary, and
    for the embedded backend the facet bitmaps and labels), so that a web worker that has just started does not make its
    first reader wait for all of it (several seconds at 100 000 practices)."""
    if not settings.ELASTICSEARCH_URL:
        FACET_SETS.warm()
        _LABEL_SOURCES.warm()
    glossary.warm()  # the query plans of either backend use it


def _language_names(codes, lang) -> dict:
    names = BabelLocale.parse(lang).languages
    return {code: _capitalised(names.get(code, code)) for code in codes}


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]
