"""How far each entry of the knowledge base has been translated.

The translation status board (an editors' report in the Wagtail admin) and the visitors'
"machine-translated" note both read wagtail-localize's own records: translation sources,
translations and string translations. Nothing here stores anything of its own.

A cell of the board (one entry in one language) is the first of these that applies:

1. original: the language the entry was written in (`languages.groups.pick_originals`: the
   locale of its first wagtail-localize translation source, else the default language, else
   its oldest version);
2. missing: no page in that language (an alias of another language's page does not count);
3. for a version edited by hand in the ordinary page editor (no enabled wagtail-localize
   Translation): outdated if the original was published after it, else translated;
4. for a synced version (an enabled Translation), outdated if the page it is translated from
   was published after wagtail-localize last read it (TranslationSource.last_updated_at), or
   if that page's translatable and synchronised fields (as wagtail-localize lists them)
   differ from what it read (TranslationSource.content_json);
5. missing, if none of the source's strings has been translated yet (the page is still a
   copy of the source text);
6. machine-translated, if any of the source's strings is translated by machine and nobody
   has reviewed it (wagtail-localize makes a string manual when a person edits it; "Mark as
   reviewed" makes the rest manual);
7. translated.

Every status is computed for the whole board in a fixed number of queries, whatever the
number of entries."""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, F, Q, TextChoices
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.models import get_all_child_relations, get_serializable_data_for_fields

from .codes import language_codes, language_name_translated
from .groups import pick_originals

# The page types the board lists, by app label and model name. kb knows no content type;
# this list is the wiring.
TRANSLATABLE_PAGE_TYPES = [
    "practices.PracticePage",
    "practices.CaseStudyPage",
    "practices.MeetingPage",
    "practices.LibraryPage",
]


class Status(TextChoices):
    ORIGINAL = "original", _("original")
    MISSING = "missing", _("missing")
    OUTDATED = "outdated", _("outdated")
    MACHINE = "machine", _("machine-translated")
    TRANSLATED = "translated", _("translated")


ACTION_LABELS = {
    Status.ORIGINAL: _("Edit the original"),
    Status.MISSING: _("Translate"),
    Status.OUTDATED: _("Update the translation"),
    Status.MACHINE: _("Review the machine translation"),
    Status.TRANSLATED: _("Edit the translation"),
}


def _count_phrase(status, count):
    phrases = {
        Status.ORIGINAL: ngettext("%(count)d original", "%(count)d originals", count),
        Status.MISSING: ngettext("%(count)d missing", "%(count)d missing", count),
        Status.OUTDATED: ngettext("%(count)d outdated", "%(count)d outdated", count),
        Status.MACHINE: ngettext(
            "%(count)d machine-translated", "%(count)d machine-translated", count
        ),
        Status.TRANSLATED: ngettext("%(count)d translated", "%(count)d translated", count),
    }
    return phrases[status] % {"count": count}


@dataclass(frozen=True)
class Cell:
    """One entry in one language."""

    language: str
    status: str
    action_url: str  # where an editor goes to fix (or see) it
    page_id: int | None = None  # the version in this language, if there is one
    live: bool = False
    translation_id: int | None = None  # the enabled wagtail-localize Translation, if synced
    strings_total: int = 0
    strings_translated: int = 0
    strings_machine: int = 0
    review_url: str = ""  # "Mark as reviewed", for a machine translation

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[Status(self.status)]

    @property
    def strings_untranslated(self) -> int:
        return max(self.strings_total - self.strings_translated, 0)


@dataclass(frozen=True)
class Row:
    """One translation group: an entry and its versions."""

    translation_key: str
    page_type: str  # the model name, as in TRANSLATABLE_PAGE_TYPES: "practicepage"
    type_label: str
    title: str  # the original's
    language: str  # the original's
    page_id: int
    edit_url: str
    cells: tuple[Cell, ...]

    @property
    def language_name(self) -> str:
        return language_name_translated(self.language)

    def cell(self, language: str) -> Cell | None:
        return next((cell for cell in self.cells if cell.language == language), None)


@dataclass(frozen=True)
class LanguageTotal:
    language: str
    counts: dict = field(default_factory=dict)  # by status

    @property
    def name(self) -> str:
        return language_name_translated(self.language)

    @property
    def summary(self) -> str:
        """ "18 translated, 3 outdated, 9 missing": the statuses that occur, in a fixed order."""
        order = [
            Status.TRANSLATED,
            Status.MACHINE,
            Status.OUTDATED,
            Status.MISSING,
            Status.ORIGINAL,
        ]
        return ", ".join(
            _count_phrase(status, self.counts[status])
            for status in order
            if self.counts.get(status)
        )


@dataclass(frozen=True)
class Board:
    languages: tuple[str, ...]
    rows: tuple[Row, ...]
    totals: tuple[LanguageTotal, ...]

    def total(self, language: str) -> LanguageTotal | None:
        return next((total for total in self.totals if total.language == language), None)


def page_types() -> list:
    """The page models on the board, in board order."""
    return [apps.get_model(label) for label in TRANSLATABLE_PAGE_TYPES]


def page_type_choices() -> list[tuple[str, str]]:
    return [(model._meta.model_name, model._meta.verbose_name_plural) for model in page_types()]


def translation_board(
    types=None, status=None, language=None, next_url=None, visible_pages=None
) -> Board:
    """The translation status of every entry of the given page types (model names, default
    all), keeping only the entries with a cell of `status` (in `language`, if given) and only
    the column of `language`, if given. `next_url`: where the fixing actions come back to.
    `visible_pages` (a page queryset): only entries with a version in it, each titled by one
    of those (the others' titles may not be for the reader's eyes)."""
    models = _selected_types(types)
    if status is not None and status not in Status.values:
        raise ValueError(f"Unknown translation status: {status}")
    if language is not None and language not in language_codes():
        raise ValueError(f"Unknown language: {language}")
    languages = (language,) if language else tuple(language_codes())

    facts = _BoardFacts.load(models, visible_pages)
    rows = [facts.row(key, languages, next_url) for key in facts.groups if facts.shows(key)]
    if status is not None:
        rows = [row for row in rows if any(cell.status == status for cell in row.cells)]
    type_order = {model._meta.model_name: index for index, model in enumerate(page_types())}
    rows.sort(key=lambda row: (type_order[row.page_type], row.title.casefold(), row.page_id))
    totals = tuple(
        LanguageTotal(code, dict(Counter(row.cell(code).status for row in rows)))
        for code in languages
    )
    return Board(languages, tuple(rows), totals)


def _selected_types(types):
    models = page_types()
    if not types:
        return models
    by_name = {model._meta.model_name: model for model in models}
    unknown = set(types) - set(by_name)
    if unknown:
        raise ValueError(f"Unknown page types: {', '.join(sorted(unknown))}")
    return [by_name[name] for name in types]


class _BoardFacts:
    """Everything the board needs, read in a fixed number of queries."""

    @classmethod
    def load(cls, models, visible_pages=None):
        from wagtail.models import Page
        from wagtail_localize.models import (
            StringSegment,
            StringTranslation,
            Translation,
            TranslationSource,
        )

        facts = cls()
        type_filter = Q()
        for model in models:
            type_filter |= Q(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
            )
        pages = Page.objects.filter(type_filter, alias_of__isnull=True)
        keys = pages.values("translation_key")
        facts.visible = None
        if visible_pages is not None:
            seen = pages.filter(pk__in=visible_pages.values("pk"))
            facts.visible = set(seen.values_list("pk", flat=True))

        facts.models = {model._meta.model_name: model for model in models}
        facts.groups = defaultdict(dict)  # key -> code -> page facts
        facts.page_order = defaultdict(list)  # key -> [(key, code)], oldest page first
        for page in pages.order_by("pk").values(
            "pk",
            "translation_key",
            "title",
            "live",
            "last_published_at",
            "locale__language_code",
            "content_type__model",
        ):
            code = page["locale__language_code"]
            facts.groups[page["translation_key"]][code] = page
            facts.page_order[page["translation_key"]].append((page["translation_key"], code))

        facts.sources = {
            source["pk"]: source
            for source in TranslationSource.objects.filter(object_id__in=keys).values(
                "pk", "object_id", "locale__language_code", "created_at", "last_updated_at"
            )
        }
        facts.sources_by_key = defaultdict(list)
        for source in facts.sources.values():
            facts.sources_by_key[source["object_id"]].append(source)
        facts.translations = {}  # (key, target code) -> translation facts
        for translation in (
            Translation.objects.filter(source__object_id__in=keys, enabled=True)
            .order_by("pk")
            .values("pk", "source_id", "source__object_id", "target_locale__language_code")
        ):
            target = (translation["source__object_id"], translation["target_locale__language_code"])
            facts.translations.setdefault(target, translation)

        facts.segment_counts = dict(
            StringSegment.objects.filter(source__object_id__in=keys)
            .values("source_id")
            .annotate(count=Count("pk"))
            .order_by()
            .values_list("source_id", "count")
        )
        facts.string_counts = {
            (row["translation_of__segments__source_id"], row["locale__language_code"]): row
            for row in StringTranslation.objects.filter(
                context__object_id__in=keys,
                translation_of__segments__context_id=F("context_id"),
            )
            .values("translation_of__segments__source_id", "locale__language_code")
            .annotate(
                translated=Count("pk", filter=Q(has_error=False)),
                machine=Count("pk", filter=Q(translation_type="machine")),
            )
            .order_by()
        }
        facts.changed_sources = facts._sources_changed_since_read()
        return facts

    def _source_page(self, source):
        return self.groups.get(source["object_id"], {}).get(source["locale__language_code"])

    def _sources_changed_since_read(self) -> set:
        """The sources (ids) whose page was published after wagtail-localize last read it, or
        whose content differs from what it read. Only sources with a synced translation."""
        from wagtail_localize.models import TranslationSource

        synced = {translation["source_id"] for translation in self.translations.values()}
        changed = set()
        to_compare = defaultdict(dict)  # model name -> page id -> source id
        for source_id in synced:
            source = self.sources[source_id]
            page = self._source_page(source)
            if page is None:
                continue
            published = page["last_published_at"]
            if published is not None and published > source["last_updated_at"]:
                changed.add(source_id)
            else:
                to_compare[page["content_type__model"]][page["pk"]] = source_id
        if not to_compare:
            return changed
        stored = dict(
            TranslationSource.objects.filter(
                pk__in=[s for ids in to_compare.values() for s in ids.values()]
            ).values_list("pk", "content_json")
        )
        for model_name, source_ids in to_compare.items():
            model = self.models[model_name]
            relations = _compared_child_relations(model)
            for instance in model.objects.filter(pk__in=source_ids).prefetch_related(*relations):
                source_id = source_ids[instance.pk]
                if content_differs(instance, stored[source_id]):
                    changed.add(source_id)
        return changed

    def shows(self, key) -> bool:
        return any(self._seen(version) for version in self.groups[key].values())

    def _seen(self, version) -> bool:
        return self.visible is None or version["pk"] in self.visible

    def _title(self, key, original) -> str:
        if self._seen(original):
            return original["title"]
        _key, code = next(
            (k, c) for k, c in self.page_order[key] if self.groups[key][c]["pk"] in self.visible
        )
        return self.groups[key][code]["title"]

    def row(self, key, languages, next_url) -> Row:
        versions = self.groups[key]
        sources = [
            (key, source["locale__language_code"], source["created_at"])
            for source in self.sources_by_key[key]
            if source["locale__language_code"] in versions
        ]
        original_code = pick_originals(sources, self.page_order[key])[key]
        original = versions[original_code]
        model = self.models[original["content_type__model"]]
        cells = tuple(self._cell(key, code, original_code, next_url) for code in languages)
        return Row(
            translation_key=str(key),
            page_type=model._meta.model_name,
            type_label=str(model._meta.verbose_name),
            title=self._title(key, original),
            language=original_code,
            page_id=original["pk"],
            edit_url=_edit_url(original["pk"]) if self._seen(original) else "",
            cells=cells,
        )

    def _cell(self, key, code, original_code, next_url) -> Cell:
        versions = self.groups[key]
        original = versions[original_code]
        page = versions.get(code)
        if code == original_code:
            return Cell(code, Status.ORIGINAL, _edit_url(page["pk"]), page["pk"], page["live"])
        if page is None:
            submit_url = reverse("wagtail_localize:submit_page_translation", args=[original["pk"]])
            return Cell(code, Status.MISSING, f"{submit_url}?{urlencode({'select_locale': code})}")

        translation = self.translations.get((key, code))
        if translation is None:
            # Edited by hand in the ordinary page editor.
            outdated = _published_after(original, page)
            status = Status.OUTDATED if outdated else Status.TRANSLATED
            return Cell(code, status, _edit_url(page["pk"]), page["pk"], page["live"])

        source_id = translation["source_id"]
        counts = self.string_counts.get((source_id, code), {})
        cell = {
            "language": code,
            "action_url": _edit_url(page["pk"]),  # the translation editor, for a synced page
            "page_id": page["pk"],
            "live": page["live"],
            "translation_id": translation["pk"],
            "strings_total": self.segment_counts.get(source_id, 0),
            "strings_translated": counts.get("translated", 0),
            "strings_machine": counts.get("machine", 0),
        }
        if source_id in self.changed_sources:
            sync_url = reverse("wagtail_localize:update_translations", args=[source_id])
            return Cell(
                status=Status.OUTDATED, **{**cell, "action_url": _with_next(sync_url, next_url)}
            )
        if cell["strings_total"] and not cell["strings_translated"]:
            return Cell(status=Status.MISSING, **cell)
        if cell["strings_machine"]:
            review_url = reverse("kb_review_translation", args=[translation["pk"]])
            return Cell(status=Status.MACHINE, review_url=_with_next(review_url, next_url), **cell)
        return Cell(status=Status.TRANSLATED, **cell)


def _published_after(page, other) -> bool:
    return (
        page["last_published_at"] is not None
        and other["last_published_at"] is not None
        and page["last_published_at"] > other["last_published_at"]
    )


def _edit_url(page_id) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page_id])


def _with_next(url, next_url) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _compared_fields(model) -> list[str]:
    from wagtail_localize.fields import get_translatable_fields

    return [translatable.field_name for translatable in get_translatable_fields(model)]


def _compared_child_relations(model) -> list[str]:
    names = set(_compared_fields(model))
    return [
        rel.get_accessor_name()
        for rel in get_all_child_relations(model)
        if rel.get_accessor_name() in names
    ]


def content_differs(instance, content_json: str) -> bool:
    """Whether the translatable and synchronised fields of `instance` (as wagtail-localize
    lists them) differ from the content wagtail-localize stored in a TranslationSource.
    Child relations are read from `.all()`, so prefetch them when comparing many."""
    names = _compared_fields(type(instance))
    current = get_serializable_data_for_fields(instance)
    for relation in _compared_child_relations(type(instance)):
        current[relation] = [
            child.serializable_data()
            if hasattr(child, "serializable_data")
            else get_serializable_data_for_fields(child)
            for child in getattr(instance, relation).all()
        ]
    current = json.loads(json.dumps(current, cls=DjangoJSONEncoder))
    stored = json.loads(content_json)
    return any(
        _comparable(current.get(name)) != _comparable(stored.get(name))
        for name in names
        if name in current
    )


def _comparable(value):
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return sorted(value, key=lambda item: str(item.get("pk")))
    return value
