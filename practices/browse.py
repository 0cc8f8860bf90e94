"""Browsing the index pages: which pages a list shows, filtered from the query string.

Every list shows one version per translation group, the one the reader sees
(`languages.groups.shown_version`: their language, then their reading languages, then the
original), so a practice written only in Latvian still appears on the English index, marked
as Latvian; only pages anyone may see are listed (`live_versions`).

Filters come from GET parameters (`?theme=elections&theme=dialogue&country=LV`): values of
one filter are alternatives (OR), different filters all apply (AND). `clean_filters` turns a
query string into a validated filter dict; a value that cannot be right (an unknown country
code, a year that is not a number) leaves its filter with no values, which matches nothing,
rather than being silently dropped and widening the list.

Which version of each group a list shows, in what order, and each shown version's values for
every filter (its `Entries`) are worked out once for each version of the content and kept in
the cache: applying that rule in SQL to every page of a type, once for the list and once per
filter's counts, took about a second at 10 000 practices. A request filters, counts and
pages the entries in Python, and reads from the database only the pages it shows.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, compress, groupby, repeat
from operator import itemgetter

from django.core.cache import cache as shared_cache
from django.core.paginator import Paginator
from django.db.models import (
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Length, Substr
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from languages.codes import locale_code
from languages.groups import shown_version, shown_versions
from languages.reader import reading_order

from .choices import MeetingKind, Stage
from .countries import COUNTRY_CODES, country_name

PER_PAGE = 20
MAX_VALUES_PER_FILTER = 20
CONTENT_CACHE_SECONDS = 5 * 60
_SLUG = re.compile(r"[-\w]{1,100}", re.ASCII)

Filters = dict[str, tuple[str, ...]]


# Versions --------------------------------------------------------------------------------


def live_versions(model) -> QuerySet:
    """The pages of `model` anyone may see: the one rule of what is publicly visible, for
    every list, the home page, the ledger, feeds and the search index. Live, not private (no
    view restriction on the page or above it), real versions (wagtail-localize aliases
    mirror another page)."""
    # Not `alias_of IS NULL`: SQLite, which has no statistics, takes that for a narrow
    # condition and reads every page of every type through the `alias_of` index (nearly all
    # of them match) instead of following the index of the query's other conditions or of
    # its ordering, 100 ms and more at 10 000 practices. It uses no index for a negation.
    return model.objects.exclude(alias_of__isnull=False).filter(publicly_visible())


def publicly_visible() -> Q:
    """Live and not private: what anyone may see of a page (aliases included)."""
    return Q(live=True) & ~Exists(_restriction())


def _restriction():
    """The view restriction on a page or above it: a restricted page whose path begins the
    page's. In the query itself, where Wagtail's `public()` reads every restriction first."""
    from wagtail.models import PageViewRestriction

    return PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )


def one_shown_per_group(queryset: QuerySet, order=None) -> list:
    """Of the pages of `queryset` (live versions of pages linked to one record: a meeting's
    practices, a library's case studies), the one of each translation group that a reader
    whose reading order is `order` (default: the reader's) sees, in `queryset`'s order.
    Each has `version_count` (how many of its group's versions `queryset` holds; 1: only in
    its own language) and `language_code`, and its links in the version the reader sees
    (`show_linked`). One query, and those of `show_linked`."""
    pages = list(queryset)
    groups = {}
    for page in pages:
        groups.setdefault(page.translation_key, {})[locale_code(page.locale_id)] = page
    shown = shown_versions(groups, order)
    listed = [page for page in pages if shown[page.translation_key] is page]
    for page in listed:
        page.version_count = len(groups[page.translation_key])
        page.language_code = locale_code(page.locale_id)
    return show_linked(listed, order)


def shown_links(links: dict, order=None) -> dict:
    """For each linked page ({name: (page model, pk)}), the version of its group that a
    reader whose reading order is `order` (default: the reader's) sees, with its
    `language_code`; None when no version is publicly visible (`live_versions`). A few
    queries for all the links, whatever their page types."""
    from wagtail.models import Page

    pks = [pk for _model, pk in links.values() if pk]
    if not pks:
        return dict.fromkeys(links)
    order = reading_order() if order is None else order
    # Following each page type's reverse parent link ("librarypage", "meetingpage") brings
    # the specific fields in the same query, where `.specific()` would add one per type.
    accessors = sorted({model._meta.model_name for model, _pk in links.values()})
    keys = Page.objects.filter(pk__in=pks).values("translation_key")
    versions = list(
        Page.objects.filter(Q(pk__in=pks) | Q(translation_key__in=keys))
        .annotate(restricted=Exists(_restriction()))
        .select_related(*accessors)
        .order_by("pk")
    )
    key_of = {page.pk: page.translation_key for page in versions}
    visible = {}
    for page in versions:  # as `live_versions` keeps them
        if page.live and page.alias_of_id is None and not page.restricted:
            visible.setdefault(page.translation_key, {})[locale_code(page.locale_id)] = page
    shown = shown_versions(visible, order)
    result = {}
    for name, (model, pk) in links.items():
        chosen = shown.get(key_of.get(pk))
        specific = getattr(chosen, model._meta.model_name, None) if chosen else None
        if specific is not None:
            specific.language_code = locale_code(specific.locale_id)
        result[name] = specific
    return result


def show_linked(pages: list, order=None) -> list:
    """Each page's links to other pages (its foreign keys to page models: a case study's
    practice and library, a practice's library) replaced by the version of the linked group
    that the reader sees, so that a linked name follows the same rule as the page itself,
    and its vocabulary terms too (`show_terms`). A link to a group no version of which is
    publicly visible (unpublished, private) is removed: its name is not shown."""
    from wagtail.models import Page

    links = {}
    for index, page in enumerate(pages):
        for link in page._meta.concrete_fields:
            target = link.related_model
            if link.many_to_one and link.model is not Page and target and issubclass(target, Page):
                if getattr(page, link.attname) is not None:
                    links[(index, link.name)] = (target, getattr(page, link.attname))
    for (index, name), shown in shown_links(links, order).items():
        setattr(pages[index], name, shown)
    return show_terms(pages, order)


def show_terms(pages: list, order=None) -> list:
    """The vocabulary terms of the pages shown in another language than the reader's (a
    practice's format, and its themes where they were read with it) replaced by the version
    of each term the reader sees: a Latvian practice on an English list shows English labels.
    One query per vocabulary, none when every page is in the reader's language."""
    order = reading_order() if order is None else order
    holders = []  # (object, attribute, term)
    for page in pages:
        if locale_code(page.locale_id) == order[0]:
            continue
        if getattr(page, "format_id", None):
            holders.append((page, "format", page.format))
        for link in getattr(page, "_prefetched_objects_cache", {}).get("theme_links", ()):
            holders.append((link, "theme", link.theme))
    keys = {}
    for _holder, _attribute, term in holders:
        keys.setdefault(type(term), set()).add(term.translation_key)
    versions = {}
    for model, translation_keys in keys.items():
        for term in model.objects.filter(translation_key__in=translation_keys):
            group = versions.setdefault((model, term.translation_key), {})
            group[locale_code(term.locale_id)] = term
    for holder, attribute, term in holders:
        group = versions.get((type(term), term.translation_key), {})
        setattr(holder, attribute, shown_version(group, locale_code(term.locale_id), order) or term)
    return pages


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
    """One GET parameter of an index page: it keeps the pages whose `lookup` (a field,
    through relations: a page can have several values) has any of the values asked for.
    `value` gives a stored value as the query string writes it; labels(values, locale,
    language) gives {value: label} in the order the options are offered."""

    name: str
    label: str
    lookup: str
    labels: Callable[..., dict[str, str]]
    value: Callable[[object], str] = str
    clean: Callable[[str], str | None] = clean_slug
    widget: str = "checkbox"  # "checkbox", "select", or "hidden" (kept, but not offered)
    any_label: str = ""  # the empty choice of a select


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
        versions = (
            live_versions(model)
            .filter(slug__in=values)
            .order_by("pk")
            .values("slug", "locale_id", "title", order)
        )
        chosen = {}
        for version in versions:
            current = chosen.get(version["slug"])
            if current is None or (
                version["locale_id"] == locale.pk and current["locale_id"] != locale.pk
            ):
                chosen[version["slug"]] = version
        ordered = sorted(chosen.values(), key=lambda page: page[order], reverse=newest_first)
        return {page["slug"]: page["title"] for page in ordered}

    return labels


def year_labels(values, locale, language):
    return {value: value for value in sorted(values, reverse=True)}


def tag_labels(values, locale, language):
    from taggit.models import Tag

    return dict(Tag.objects.filter(slug__in=values).values_list("slug", "name"))


PARTNER_CHOICES = [("yes", _("Partners of the network")), ("no", _("Other libraries"))]


def yes_or_no(value: bool) -> str:
    return "yes" if value else "no"


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
        "country", _("Country"), "library__country", country_labels, clean=clean_country
    )
    library = Filter(
        "library",
        _("Library"),
        "library__slug",
        page_labels(LibraryPage),
        widget="select",
        any_label=_("All libraries"),
    )
    tag = Filter("tag", _("Tag"), "tagged_items__tag__slug", tag_labels, widget="hidden")
    return {
        "PracticePage": Catalogue(
            "PracticePage",
            filters=(
                Filter("theme", _("Theme"), "theme_links__theme__slug", term_labels(Theme)),
                Filter(
                    "audience",
                    _("Audience"),
                    "audience_links__audience__slug",
                    term_labels(Audience),
                ),
                Filter("format", _("Format"), "format__slug", term_labels(Format)),
                country,
                library,
                Filter(
                    "meeting",
                    _("First shared at"),
                    "meeting__slug",
                    page_labels(MeetingPage, order="start_date", newest_first=True),
                    widget="select",
                    any_label=_("All meetings"),
                ),
                tag,
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
                    "stage",
                    choice_labels(Stage.choices),
                    clean=clean_choice(Stage.choices),
                ),
                country,
                library,
                tag,
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
                    "kind",
                    choice_labels(MeetingKind.choices),
                    clean=clean_choice(MeetingKind.choices),
                ),
                Filter(
                    "year",
                    _("Year"),
                    "start_date__year",
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
                Filter("country", _("Country"), "country", country_labels, clean=clean_country),
                Filter(
                    "partner",
                    _("Partnership"),
                    "partner",
                    choice_labels(PARTNER_CHOICES),
                    value=yes_or_no,
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


# Kept until the content changes -------------------------------------------------------------


def content_version(request=None) -> str:
    """A value that changes whenever a page is published, unpublished, moved or deleted, seen
    alike by every process: Wagtail logs each of these (and every edit) in the pages'
    history, whose newest entry one indexed query finds (once per request). Its time goes
    with its id, so that an id given out again (after a rollback on SQLite, a restored
    database) makes a new version."""
    from wagtail.models import PageLogEntry

    cached = getattr(request, "_practices_content_version", None)
    if cached is not None:
        return cached
    latest = PageLogEntry.objects.order_by("-pk").values_list("pk", "timestamp").first()
    version = f"{latest[0]}-{latest[1].isoformat()}" if latest else "none"
    if request is not None:
        request._practices_content_version = version
    return version


def until_content_changes(name: str, compute: Callable, request=None):
    """`compute()`, kept in the cache under `name` until a page is published, unpublished,
    moved or deleted; and at most CONTENT_CACHE_SECONDS, for a change Wagtail did not log (a
    script's `update()`, a renamed theme or tag) or two publications committed in another
    order than they were logged. The value of a newer version replaces the older one rather
    than waiting beside it for its time to run out: a list's versions take megabytes."""
    version = content_version(request)
    key = f"practices.{name}"
    cached = shared_cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    value = compute()
    shared_cache.set(key, (version, value), CONTENT_CACHE_SECONDS)
    return value


# What a list can show ----------------------------------------------------------------------


@dataclass(frozen=True)
class Versions:
    """Every live version of the pages a list can show, in list order: its pk, translation
    group, locale, and its values for each filter (by filter name, one tuple per version)."""

    pks: tuple[int, ...]
    groups: tuple[str, ...]
    locale_ids: tuple[int, ...]
    values: dict[str, tuple[tuple[str, ...], ...]]


def list_versions(catalogue: Catalogue) -> Versions:
    return until_content_changes(
        f"versions.{catalogue.model_name}", lambda: gather_versions(catalogue)
    )


def gather_versions(catalogue: Catalogue) -> Versions:
    """The `Versions` of `catalogue`'s pages, read from the database: every live page of the
    type, then each filter's values of every page, one query each."""
    model = catalogue.model
    # Translation keys read as text: made into UUIDs, 20 000 take a tenth of a second.
    versions = list(
        live_versions(model)
        .order_by(*catalogue.ordering)
        .annotate(group=Cast("translation_key", CharField()))
        .values_list("pk", "group", "locale_id")
    )
    pks = [pk for pk, _group, _locale_id in versions]
    # One object for each distinct set of values: the cache then stores, and reads back,
    # each of them once.
    distinct = {}
    values = {}
    for spec in catalogue.filters:
        of_page = {}
        rows = model.objects.order_by("pk").values_list("pk", spec.lookup)
        for pk, found in groupby(rows, key=itemgetter(0)):
            each = {spec.value(stored) for _pk, stored in found if stored not in (None, "")}
            each = tuple(sorted(each))
            of_page[pk] = distinct.setdefault(each, each)
        values[spec.name] = tuple(of_page.get(pk, ()) for pk in pks)
    return Versions(
        pks=tuple(pks),
        groups=tuple(group for _pk, group, _locale_id in versions),
        locale_ids=tuple(locale_id for _pk, _group, locale_id in versions),
        values=values,
    )


@dataclass(frozen=True)
class Entries:
    """What a list shows in one language when nothing is filtered, in list order: for each
    translation group, the version shown (`pks`), how many live versions the group has, and
    the shown version's values for each filter (by filter name, one tuple per entry)."""

    pks: tuple[int, ...]
    version_counts: tuple[int, ...]
    values: dict[str, tuple[tuple[str, ...], ...]]

    def matching(self, name: str, wanted: Iterable[str]) -> list[bool]:
        """For each entry, whether it has any of the `wanted` values of filter `name`."""
        wanted = set(wanted)
        return [not wanted.isdisjoint(values) for values in self.values[name]]

    def positions(self, matches: list[list[bool]]) -> list[int]:
        """The entries that every one of `matches` keeps, by position."""
        return list(compress(range(len(self.pks)), _kept_by_all(matches)))

    def counts(self, name: str, matches: list[list[bool]]) -> Counter:
        """How many of the entries kept by every one of `matches` have each value of filter
        `name`."""
        kept = compress(self.values[name], _kept_by_all(matches))
        return Counter(chain.from_iterable(kept))


def _kept_by_all(matches: list[list[bool]]) -> Iterable[bool]:
    if not matches:
        return repeat(True)
    if len(matches) == 1:
        return matches[0]
    return map(all, zip(*matches, strict=True))


def list_entries(catalogue: Catalogue, locale) -> Entries:
    """The `Entries` of `catalogue`'s list in `locale`, worked out once for each version of
    the content, from the `Versions` that every language shares."""
    order = reading_order(locale.language_code)
    return until_content_changes(
        f"entries.{catalogue.model_name}.{'.'.join(order)}",
        lambda: entries_in(list_versions(catalogue), locale, order),
    )


def entries_in(versions: Versions, locale, order=None) -> Entries:
    """Of `versions`, those a list in `locale` shows to a reader whose reading order is
    `order` (default: the reader's)."""
    order = order or reading_order(locale.language_code)
    groups = {}
    for pk, group, locale_id in zip(
        versions.pks, versions.groups, versions.locale_ids, strict=True
    ):
        groups.setdefault(group, {})[locale_code(locale_id)] = pk
    shown = shown_versions(groups, order)
    kept = [shown[group] == pk for pk, group in zip(versions.pks, versions.groups, strict=True)]
    return Entries(
        pks=tuple(compress(versions.pks, kept)),
        version_counts=tuple(len(groups[group]) for group in compress(versions.groups, kept)),
        values={name: tuple(compress(column, kept)) for name, column in versions.values.items()},
    )


class ListedPages:
    """The pages of a list at `positions` of its entries, in that order; a slice of them
    (what a paginator asks for) is read from the database when asked for."""

    def __init__(self, catalogue: Catalogue, entries: Entries, positions: list[int]):
        self.catalogue = catalogue
        self.entries = entries
        self.positions = positions

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, positions: slice) -> list:
        shown = [
            (self.entries.pks[i], self.entries.version_counts[i]) for i in self.positions[positions]
        ]
        return pages_listed(self.catalogue, shown)

    def __iter__(self):
        return iter(self[:])


def browse(catalogue: Catalogue, locale, filters: Filters) -> ListedPages:
    """The pages a list shows: matching the filters, one per translation group, in list
    order, with what their list items show."""
    entries = list_entries(catalogue, locale)
    matches = [entries.matching(name, values) for name, values in filters.items()]
    return ListedPages(catalogue, entries, entries.positions(matches))


def pages_listed(catalogue: Catalogue, shown: list[tuple[int, int]]) -> list:
    """The pages `shown` (pk, version_count), in that order, with what their list items
    show: `version_count`, `language_code`, and the catalogue's related records. One no
    longer live is left out."""
    pages = (
        catalogue.model.objects.live()
        .select_related(*catalogue.select_related)
        .annotate(language_code=F("locale__language_code"))
        .in_bulk([pk for pk, _count in shown])
    )
    listed = []
    for pk, version_count in shown:
        if pk in pages:
            pages[pk].version_count = version_count
            listed.append(pages[pk])
    prefetch_related_objects(listed, *catalogue.prefetch_related)
    return show_linked(listed)


def first_listed(catalogue: Catalogue, locale, count: int) -> list[tuple[int, int]]:
    """The first `count` pages of the unfiltered list, as `browse(catalogue, locale, {})`
    orders them: (pk, version_count) of each, for `pages_listed` to read.

    For the home page, which needs only these: gathering the whole list's entries would read
    every page of the type."""
    versions = live_versions(catalogue.model).order_by(*catalogue.ordering)
    return first_shown(versions, count, reading_order(locale.language_code))


def first_shown(versions: QuerySet, count: int, order=None) -> list[tuple[int, int]]:
    """The first `count` translation groups of `versions` (ordered; every version a list may
    show), each as (pk, version_count) of the version shown to a reader whose reading order
    is `order` (default: the reader's), at that version's place in the order.

    The versions are read in order, a few more than needed at a time, and the language rule
    is applied to those alone."""
    ordered = versions.values_list("pk", "translation_key")
    shown = []
    start, size = 0, count * 8
    while len(shown) < count:
        batch = list(ordered[start : start + size])
        groups = {}
        rows = versions.filter(translation_key__in={key for _pk, key in batch})
        for key, pk, locale_id in rows.order_by("pk").values_list(
            "translation_key", "pk", "locale_id"
        ):
            groups.setdefault(key, {})[locale_code(locale_id)] = pk
        chosen = shown_versions(groups, order)
        for pk, key in batch:
            if key in groups and pk == chosen[key]:
                shown.append((pk, len(groups[key])))
        if len(batch) < size:
            break
        start, size = start + size, size * 2
    return shown[:count]


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


def facets(
    catalogue: Catalogue,
    entries: Entries,
    matches: dict[str, list[bool]],
    filters: Filters,
    locale,
    language: str,
) -> list[Facet]:
    """Each filter's options with how many pages each would give, counted with the other
    filters applied (so ticking a second theme shows how many more it adds). `matches`:
    `entries.matching` of each filter asked for."""
    result = []
    for spec in catalogue.filters:
        selected = filters.get(spec.name, ())
        if spec.widget == "hidden":
            counts = {}
        else:
            others = [kept for name, kept in matches.items() if name != spec.name]
            counts = entries.counts(spec.name, others)
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
    entries = list_entries(catalogue, locale)
    matches = {name: entries.matching(name, values) for name, values in filters.items()}
    pages = ListedPages(catalogue, entries, entries.positions(list(matches.values())))
    page = Paginator(pages, PER_PAGE).get_page(params.get("page"))
    facet_list = facets(catalogue, entries, matches, filters, locale, language)
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
