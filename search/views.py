"""The search page, /<lang>/search/: the same search as the API, as HTML, with facets to narrow
it, in the language of the URL. Every state is a GET URL that can be shared; `?format=atom`
gives the same search as an Atom feed."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from practices.evidence import LEVELS as EVIDENCE_LEVELS

from . import querylog, zero_results
from .backends.database import FACETS
from .feeds import search_feed
from .params import SORTS, InvalidParameter, SearchParams, normalise_query, parse_params
from .service import search

TEMPLATE = "search/search_page.html"
FEED_FORMAT = "atom"
FACET_LEGENDS = {
    "type": _("Type"),
    "theme": _("Theme"),
    "audience": _("Audience"),
    "format": _("Format"),
    "tag": _("Tag"),
    "country": _("Country"),
    "library": _("Library"),
    "meeting": _("Meeting"),
    "stage": _("Stage"),
    "language": _("Available in"),
    "evidence": _("Evidence"),
}
SORT_LABELS = {
    "relevance": _("Best match"),
    "newest": _("Newest first"),
    "title": _("Title (A–Z)"),
    "anchored": _("Most anchored first"),
    "evidence": _("Strongest evidence first"),
}


def search_page(request):
    data, wants_feed = page_parameters(request.GET)
    try:
        params = parse_params(data, translation.get_language())
    except InvalidParameter as error:
        context = {"error": error, "search_query": data.get("q", "")[:500]}
        return render(request, TEMPLATE, context, status=400)
    if wants_feed:
        return search_feed(request, params, f"{request.path}{query_string(data)}")
    result = search(params)
    querylog.record(params, result)
    context = page_context(request, data, params, result)
    if not result.total:
        context.update(nothing_found_context(request, params))
    return render(request, TEMPLATE, context)


def evidence_levels(request):
    """/<lang>/search/evidence/: what each evidence level means, strongest first, with the
    practices found at each."""
    params = SearchParams(lang=translation.get_language(), filters={"type": ("practice",)})
    counts = {value.value: value.count for value in search(params).facets["evidence"]}
    levels = [
        {
            "level": level,
            "count": counts.get(level.slug, 0),
            "url": reverse("search:page")
            + query_string(QueryDict(mutable=True), type="practice", evidence=level.slug),
        }
        for level in reversed(EVIDENCE_LEVELS)
    ]
    return render(request, "search/evidence_levels.html", {"levels": levels})


# --- what the page shows, beyond the search result itself --------------------------------


def page_parameters(querydict):
    """The search parameters in a page's query string, and whether it asks for the feed.
    The page's language is the URL's; `format=atom` asks for the feed (and is not a format
    to filter by)."""
    data = querydict.copy()
    data.pop("lang", None)
    formats = data.getlist("format")
    data.setlist("format", [value for value in formats if value != FEED_FORMAT])
    return data, FEED_FORMAT in formats


def query_string(data, **changes) -> str:
    """`?…` for `data` (a QueryDict) with some parameters replaced (None drops them)."""
    data = data.copy()
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data.setlist(name, value if isinstance(value, list) else [value])
    encoded = urlencode([(k, v) for k, values in data.lists() for v in values if v != ""])
    return f"?{encoded}" if encoded else "?"


def page_context(request, data, params, result) -> dict:
    paginator = Paginator(range(result.total), params.page_size)
    page_obj = paginator.page(params.page) if params.page <= paginator.num_pages else None
    return {
        "params": params,
        "result": result,
        "search_query": params.query,
        "facet_groups": facet_groups(result),
        "active_filters": active_filters(data, result),
        "clear_filters_url": request.path
        + query_string(data, page=None, **dict.fromkeys(FACETS)).rstrip("?"),
        "sort_options": [(value, SORT_LABELS[value]) for value in SORTS],
        "page_obj": page_obj,
        "page_numbers": list(
            paginator.get_elided_page_range(params.page, on_each_side=2, on_ends=1)
        )
        if page_obj
        else [],
        "first_page_url": request.path + query_string(data, page=None),
        "suggestion_url": request.path + query_string(data, q=result.suggestion, page=None)
        if result.suggestion
        else None,
        "feed_url": request.path
        + query_string(data, page=None, format=[*data.getlist("format"), FEED_FORMAT]),
        "browsing": not params.query and not params.filters,
    }


def nothing_found_context(request, params) -> dict:
    """What a search that found nothing offers instead (`search.zero_results`): the same
    words without the filters, when that finds something, and related themes, audiences and
    formats to browse."""
    unfiltered = zero_results.unfiltered_total(search, params)
    concepts = zero_results.related_concepts(
        params.query, params.lang, counts=lambda: zero_results.term_counts(search, params.lang)
    )
    return {
        "unfiltered_total": unfiltered,
        "related_concepts": [
            {
                "concept": concept,
                "legend": FACET_LEGENDS[concept.facet],
                "url": request.path + concept.query_string,
            }
            for concept in concepts
        ],
    }


def facet_groups(result) -> list[dict]:
    return [
        {"name": name, "legend": FACET_LEGENDS[name], "values": values}
        for name, values in result.facets.items()
        if values
    ]


def active_filters(data, result) -> list[dict]:
    """One removable chip per selected filter value: a link to the same search without it."""
    chips = []
    for name, values in result.facets.items():
        for value in values:
            if value.selected:
                kept = [v for v in data.getlist(name) if _as_filtered(name, v) != value.value]
                chips.append(
                    {
                        "legend": FACET_LEGENDS[name],
                        "label": value.label,
                        "remove_url": query_string(data, **{name: kept, "page": None}),
                    }
                )
    return chips


def _as_filtered(name: str, raw: str) -> str:
    """A filter value from the query string as `parse_params` reads it."""
    value = normalise_query(raw)[:200]
    return value.upper() if name == "country" else value
