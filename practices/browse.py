"""Browsing the index pages: which pages a list shows, filtered from the query string.

Every list shows one version per translation group: the reader's language version where it
is live, otherwise the original (the first version made), so a practice written only in
Latvian still appears on the English index, marked as Latvian.

Filters come from GET parameters (`?theme=elections&theme=dialogue&country=LV`): values of
one filter are alternatives (OR), different filters all apply (AND). `clean_filters` turns a
query string into a validated filter dict; a value that cannot be right (an unknown country
code, a year that is not a number) leaves its filter with no values, which matches nothing,
rather than being silently dropped and widening the list.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .choices import MeetingKind, Stage
from .countries import COUNTRY_CODES, country_name

PER_PAGE = 20
MAX_VALUES_PER_FILTER = 20
_SLUG = re.compile(r"[-\w]{1,100}", re.ASCII)

Filters = dict[str, tuple[str, ...]]


# Versions --------------------------------------------------------------------------------


def live_versions(model) -> QuerySet:
    """Live pages of `model` that are real versions (wagtail-localize aliases are not)."""
    return model.objects.live().filter(alias_of__isnull=True)


def one_per_translation_group(queryset: QuerySet, locale) -> QuerySet:
    """The pages of `queryset` in `locale`, and for each translation group that has no live
    version in `locale`, its original. Annotates `version_count`: how many live versions
    the page's group has (1: the page exists only in its own language)."""
    versions = live_versions(queryset.model).filter(translation_key=OuterRef("translation_key"))
    original = versions.order_by("pk").values("pk")[:1]
    version_count = (
        versions.order_by().values("translation_key").annotate(n=Count("pk")).values("n")[:1]
    )
    return queryset.filter(
        Q(locale=locale) | (~Exists(versions.filter(locale=locale)) & Q(pk=Subquery(original)))
    ).annotate(version_count=Subquery(version_count), language_code=F("locale__language_code"))


# Filters ---------------------------------------------------------------------------------


def clean_slug(value: str) -> str | None:
    return value if _SLUG.fullmatch(value) else None


def clean_country(value: str) -> str | None:
    value = value.upper()
    return value if value in COUNTRY_CODES else None


def clean_year(value: str) -> str | None:
    return value if value.isascii() and value.isdigit() and len(value) == 4 else None


def clean_choice(choices) -> Callable[[str], str | None]:
    allowed = {str(value) for value, _label in choices}
    return lambda value: value if value in allowed else None


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Filter:
    """One GET parameter of an index page.

    apply(queryset, values) narrows a queryset to the pages matching any of `values`;
    counts(queryset) gives {value: number of pages}; labels(values, locale, language) gives
    {value: label} in the order the options are offered."""

    name: str
    label: str
    apply: Callable[[QuerySet, tuple[str, ...]], QuerySet]
    counts: Callable[[QuerySet], dict[str, int]]
    labels: Callable[..., dict[str, str]]
    clean: Callable[[str], str | None] = clean_slug
    widget: str = "checkbox"  # "checkbox", "select", or "hidden" (kept, but not offered)
    any_label: str = ""  # the empty choice of a select


def match(lookup: str) -> Callable:
    """Filter on a field with one value per page."""
    return lambda queryset, values: queryset.filter(**{f"{lookup}__in": values})


def match_related(lookup: str) -> Callable:
    """Filter on a relation with many values per page, without duplicating pages."""

    def apply(queryset, values):
        matching = queryset.model.objects.filter(**{f"{lookup}__in": values}).values("pk")
        return queryset.filter(pk__in=matching)

    return apply


def count_by(lookup: str, key: Callable = str) -> Callable:
    def counts(queryset):
        rows = queryset.order_by().values_list(lookup).annotate(n=Count("pk", distinct=True))
        return {key(value): n for value, n in rows if value not in (None, "")}

    return counts


def term_labels(model) -> Callable:
    def labels(values, locale, language):
        return dict(model.objects.filter(locale=locale).values_list("slug", "label"))

    return labels


def choice_labels(choices) -> Callable:
    return lambda values, locale, language: {str(value): label for value, label in choices}


def country_labels(values, locale, language):
    names = {code: country_name(code, language) for code in values}
    return dict(sorted(names.items(), key=lambda item: item[1]))


def page_labels(model, order: str = "title", newest_first: bool = False) -> Callable:
    """Labels of pages named by their key (slug), in the reader's language where translated."""

    def labels(values, locale, language):
        pages = {}
        for page in live_versions(model).filter(slug__in=values).order_by("pk"):
            current = pages.get(page.slug)
            if current is None or (page.locale_id == locale.pk and current.locale_id != locale.pk):
                pages[page.slug] = page
        ordered = sorted(
            pages.values(), key=lambda page: getattr(page, order), reverse=newest_first
        )
        return {page.slug: page.title for page in ordered}

    return labels


def year_labels(values, locale, language):
    return {value: value for value in sorted(values, reverse=True)}


def tag_labels(values, locale, language):
    from taggit.models import Tag

    return dict(Tag.objects.filter(slug__in=values).values_list("slug", "name"))


def partner_counts(queryset):
    rows = queryset.order_by().values_list("partner").annotate(n=Count("pk"))
    return {("yes" if partner else "no"): n for partner, n in rows}


PARTNER_CHOICES = [("yes", _("Partners of the network")), ("no", _("Other libraries"))]


def partner_apply(queryset, values):
    return queryset.filter(partner__in=[value == "yes" for value in values])


# Catalogues: what each index lists ---------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    model_name: str
    filters: tuple[Filter, ...]
    ordering: tuple[str, ...]
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model("practices", self.model_name)

    def filter(self, name: str) -> Filter:
        return next(f for f in self.filters if f.name == name)


@cache
def _catalogues() -> dict[str, Catalogue]:
    from .models import Audience, Format, LibraryPage, MeetingPage, Theme

    country = Filter(
        "country",
        _("Country"),
        match("library__country"),
        count_by("library__country"),
        country_labels,
        clean=clean_country,
    )
    library = Filter(
        "library",
        _("Library"),
        match("library__slug"),
        count_by("library__slug"),
        page_labels(LibraryPage),
        widget="select",
        any_label=_("All libraries"),
    )
    return {
        "PracticePage": Catalogue(
            "PracticePage",
            filters=(
                Filter(
                    "theme",
                    _("Theme"),
                    match_related("theme_links__theme__slug"),
                    count_by("theme_links__theme__slug"),
                    term_labels(Theme),
                ),
                Filter(
                    "audience",
                    _("Audience"),
                    match_related("audience_links__audience__slug"),
                    count_by("audience_links__audience__slug"),
                    term_labels(Audience),
                ),
                Filter(
                    "format",
                    _("Format"),
                    match("format__slug"),
                    count_by("format__slug"),
                    term_labels(Format),
                ),
                country,
                library,
                Filter(
                    "meeting",
                    _("First shared at"),
                    match("meeting__slug"),
                    count_by("meeting__slug"),
                    page_labels(MeetingPage, order="start_date", newest_first=True),
                    widget="select",
                    any_label=_("All meetings"),
                ),
                Filter(
                    "tag",
                    _("Tag"),
                    match_related("tagged_items__tag__slug"),
                    count_by("tagged_items__tag__slug"),
                    tag_labels,
                    widget="hidden",
                ),
            ),
            ordering=("-first_published_at", "-pk"),
            select_related=("locale", "format", "library"),
            prefetch_related=("theme_links__theme",),
        ),
        "CaseStudyPage": Catalogue(
            "CaseStudyPage",
            filters=(
                Filter(
                    "stage",
                    _("Stage"),
                    match("stage"),
                    count_by("stage"),
                    choice_labels(Stage.choices),
                    clean=clean_choice(Stage.choices),
                ),
                country,
                library,
                Filter(
                    "tag",
                    _("Tag"),
                    match_related("tagged_items__tag__slug"),
                    count_by("tagged_items__tag__slug"),
                    tag_labels,
                    widget="hidden",
                ),
            ),
            ordering=("-date", "-pk"),
            select_related=("locale", "library", "practice"),
        ),
        "MeetingPage": Catalogue(
            "MeetingPage",
            filters=(
                Filter(
                    "kind",
                    _("Kind of meeting"),
                    match("kind"),
                    count_by("kind"),
                    choice_labels(MeetingKind.choices),
                    clean=clean_choice(MeetingKind.choices),
                ),
                Filter(
                    "year",
                    _("Year"),
                    match("start_date__year"),
                    count_by("start_date__year"),
                    year_labels,
                    clean=clean_year,
                    widget="select",
                    any_label=_("All years"),
                ),
            ),
            ordering=("-start_date", "-pk"),
            select_related=("locale",),
        ),
        "LibraryPage": Catalogue(
            "LibraryPage",
            filters=(
                Filter(
                    "country",
                    _("Country"),
                    match("country"),
                    count_by("country"),
                    country_labels,
                    clean=clean_country,
                ),
                Filter(
                    "partner",
                    _("Partnership"),
                    partner_apply,
                    partner_counts,
                    choice_labels(PARTNER_CHOICES),
                    clean=clean_choice(PARTNER_CHOICES),
                    widget="select",
                    any_label=_("All libraries"),
                ),
            ),
            ordering=("-first_published_at", "-pk"),
            select_related=("locale",),
        ),
    }


INDEX_CATALOGUES = {
    "PracticeIndexPage": "PracticePage",
    "CaseStudyIndexPage": "CaseStudyPage",
    "MeetingIndexPage": "MeetingPage",
    "LibraryIndexPage": "LibraryPage",
}


def catalogue(model_name: str) -> Catalogue:
    """The catalogue of a page model ("PracticePage") or of its index ("PracticeIndexPage")."""
    return _catalogues()[INDEX_CATALOGUES.get(model_name, model_name)]


def clean_filters(catalogue: Catalogue, params: QueryDict) -> Filters:
    """The filters asked for in `params`, validated. A filter whose values are all invalid
    is kept with no values: it matches nothing."""
    filters = {}
    for spec in catalogue.filters:
        raw = [value.strip() for value in params.getlist(spec.name)]
        raw = [value for value in raw if value][:MAX_VALUES_PER_FILTER]
        if not raw:
            continue
        cleaned = (spec.clean(value) for value in raw)
        filters[spec.name] = tuple(dict.fromkeys(value for value in cleaned if value))
    return filters


def apply_filters(catalogue: Catalogue, queryset: QuerySet, filters: Filters) -> QuerySet:
    for name, values in filters.items():
        if not values:
            return queryset.none()
        queryset = catalogue.filter(name).apply(queryset, values)
    return queryset


def matching(catalogue: Catalogue, locale, filters: Filters) -> QuerySet:
    """The pages matching `filters`, one per translation group."""
    queryset = apply_filters(catalogue, live_versions(catalogue.model), filters)
    return one_per_translation_group(queryset, locale)


def browse(catalogue: Catalogue, locale, filters: Filters) -> QuerySet:
    """The pages a list shows: matching the filters, one per translation group, newest first,
    with what their list items show."""
    return (
        matching(catalogue, locale, filters)
        .select_related(*catalogue.select_related)
        .prefetch_related(*catalogue.prefetch_related)
        .order_by(*catalogue.ordering)
    )


# The page of a list ----------------------------------------------------------------------


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    widget: str
    any_label: str
    options: list[Option]

    @property
    def selected(self) -> list[Option]:
        return [option for option in self.options if option.selected]


@dataclass(frozen=True)
class ActiveFilter:
    filter_label: str
    label: str
    remove_url: str


@dataclass
class Listing:
    page: object  # a Paginator page of the pages shown
    count: int
    facets: list[Facet]
    active: list[ActiveFilter] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)  # hidden filters to resubmit

    @property
    def items(self):
        return self.page.object_list

    @property
    def page_numbers(self) -> list:
        """Page numbers around the current one, with "…" for the gaps."""
        return list(
            self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)
        )


def facets(catalogue: Catalogue, locale, language: str, filters: Filters) -> list[Facet]:
    """Each filter's options with how many pages each would give, counted with the other
    filters applied (so ticking a second theme shows how many more it adds)."""
    result = []
    for spec in catalogue.filters:
        selected = filters.get(spec.name, ())
        if spec.widget == "hidden":
            counts = {}
        else:
            others = {name: values for name, values in filters.items() if name != spec.name}
            counts = spec.counts(matching(catalogue, locale, others))
        labels = spec.labels(list(counts) + list(selected), locale, language)
        options = [
            Option(value, str(label), counts.get(value, 0), value in selected)
            for value, label in labels.items()
            if counts.get(value) or value in selected
        ]
        options += [Option(value, value, 0, True) for value in selected if value not in labels]
        result.append(Facet(spec.name, str(spec.label), spec.widget, str(spec.any_label), options))
    return result


def without(params: QueryDict, name: str, value: str | None = None) -> str:
    """The query string of `params` less one value of a filter (or all of it), from page 1."""
    params = params.copy()
    params.pop("page", None)
    if value is None:
        params.pop(name, None)
    else:
        params.setlist(name, [v for v in params.getlist(name) if v.strip() != value])
    query = params.urlencode()
    return f"?{query}" if query else "?"


def listing(catalogue: Catalogue, locale, language: str, params: QueryDict) -> Listing:
    filters = clean_filters(catalogue, params)
    pages = browse(catalogue, locale, filters)
    page = Paginator(pages, PER_PAGE).get_page(params.get("page"))
    facet_list = facets(catalogue, locale, language, filters)
    active = []
    kept = []
    for facet in facet_list:
        if facet.name not in filters:
            continue
        if not filters[facet.name]:  # nothing valid was asked for: offer to drop the filter
            active.append(
                ActiveFilter(facet.label, _("unknown value"), without(params, facet.name))
            )
        for option in facet.selected:
            active.append(
                ActiveFilter(facet.label, option.label, without(params, facet.name, option.value))
            )
            if facet.widget == "hidden":
                kept.append((facet.name, option.value))
    return Listing(
        page=page, count=page.paginator.count, facets=facet_list, active=active, kept=kept
    )
