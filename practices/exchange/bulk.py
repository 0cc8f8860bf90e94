"""Writing many new pages at once, for an import.

Created one at a time the usual way (``parent.add_child()``, ``save_revision().publish()``,
then wagtail-localize's ``TranslationSource.update_or_create_from_instance()`` and
``create_or_update_translation()`` for each translation), a page costs a few hundred queries
and an import runs at about 5 pages a second. The functions here write the same rows for a
whole batch in a few bulk inserts: the pages and their child objects, one revision per page
that is both its latest and its live revision, the log entries, and wagtail-localize's
source, segments, strings, translations and string translations. A page written here is the
same as one published through Wagtail, so that editors, "Sync translated pages" and later
imports treat it as any other (``tests/practices/test_bulk_import.py`` checks this).

Only for pages that do not exist yet: changes to existing pages go through Wagtail's own
publishing, which knows about drafts, workflows and earlier revisions.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import F
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from modelsearch.backends import get_search_backends
from wagtail.models import (
    Locale,
    Page,
    PageLogEntry,
    ReferenceIndex,
    Revision,
    TranslatableMixin,
)
from wagtail.models.copying import _copy
from wagtail.signals import page_published
from wagtail_localize.fields import copy_synchronised_fields
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    String,
    StringSegment,
    StringTranslation,
    Template,
    TemplateSegment,
    TranslatableObject,
    Translation,
    TranslationContext,
    TranslationLog,
    TranslationSource,
    get_schema_version,
)
from wagtail_localize.segments import (
    OverridableSegmentValue,
    RelatedObjectSegmentValue,
    StringSegmentValue,
    TemplateSegmentValue,
)
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.segments.ingest import ingest_segments
from wagtail_localize.strings import StringValue

BATCH_SIZE = 500


class TreePositions:
    """Hands out the next free place under each parent page in treebeard's materialised
    path, as ``parent.add_child()`` would, without a query per page."""

    def __init__(self):
        self._next_step: dict[int, int] = {}
        self._added: dict[int, int] = defaultdict(int)

    def place(self, page: Page, parent: Page) -> None:
        step = self._next_step.get(parent.pk)
        if step is None:
            last = parent.get_last_child()
            step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
        self._next_step[parent.pk] = step + 1
        self._added[parent.pk] += 1
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, step)
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"

    def count_children(self) -> None:
        """Adds the pages placed so far to their parents' child counts."""
        for parent_id, added in self._added.items():
            Page.objects.filter(pk=parent_id).update(numchild=F("numchild") + added)
        self._added.clear()


def write_live_pages(pages: list[Page]) -> None:
    """Inserts new pages, placed with ``TreePositions``, as published pages: each with its
    child objects, a first revision (latest and live), the "created" and "published" log
    entries, its references and its entries in Wagtail's own search index; and sends
    ``page_published`` for each, as publishing does (inside ``practices.bulk.bulk_publishing()``, our
    search index and the open-data files then handle them all at the end)."""
    now = timezone.now()
    for page in pages:
        page.content_type = ContentType.objects.get_for_model(page)
        page.draft_title = page.title
        page.live, page.has_unpublished_changes = True, False
        page.first_published_at = page.last_published_at = now
        page.latest_revision_created_at = now
        _hold_child_relations(page)
    for start in range(0, len(pages), BATCH_SIZE):
        _insert_pages(pages[start : start + BATCH_SIZE])
    _insert_child_objects(pages)

    page_type = ContentType.objects.get_for_model(Page)
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type_id=page.content_type_id,
                base_content_type=page_type,
                object_id=str(page.pk),
                created_at=now,
                object_str=str(page),
                content=page.serializable_data(),
            )
            for page in pages
        ],
        batch_size=BATCH_SIZE,
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = page.live_revision = revision
    with connection.cursor() as cursor:  # bulk_update's CASE expressions cost more than this
        cursor.executemany(
            f"UPDATE {Page._meta.db_table} SET latest_revision_id = %s, live_revision_id = %s "
            "WHERE id = %s",
            [(page.latest_revision.pk, page.live_revision.pk, page.pk) for page in pages],
        )

    entries = []
    for page in pages:
        common = {
            "page_id": page.pk,
            "content_type_id": page.content_type_id,
            "label": page.get_admin_display_title(),
            "timestamp": now,
        }
        entries.append(
            PageLogEntry(action="wagtail.create", data={}, content_changed=True, **common)
        )
        entries.append(
            PageLogEntry(
                action="wagtail.publish",
                data={},
                revision=page.live_revision,
                content_changed=True,
                **common,
            )
        )
    PageLogEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)

    _write_references(pages)
    by_model = defaultdict(list)
    for page in pages:
        by_model[type(page)].append(page)
    for backend in get_search_backends(with_auto_update=True):
        for model, model_pages in by_model.items():
            backend.add_bulk(model, model_pages)

    for page in pages:
        page_published.send(sender=type(page), instance=page, revision=page.live_revision)


def _write_references(pages: list[Page]) -> None:
    """What ``ReferenceIndex.create_or_update_for_object()`` writes for a page that has no
    references yet, for all the pages in one insert."""
    page_type = ContentType.objects.get_for_model(Page)
    rows = [
        ReferenceIndex(
            content_type_id=page.content_type_id,
            base_content_type=page_type,
            object_id=page.pk,
            to_content_type_id=to_type,
            to_object_id=to_id,
            model_path=model_path,
            content_path=content_path,
            content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
        )
        for page in pages
        for to_type, to_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(page)
        )
    ]
    ReferenceIndex.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def _hold_child_relations(page: Page) -> None:
    """Gives every child relation an in-memory list, so that reading the page's children
    (to insert them, to serialise a revision) never asks the database."""
    held = page.__dict__.setdefault("_cluster_related_objects", {})
    for relation in get_all_child_relations(type(page)):
        name = relation.get_accessor_name()
        if name not in held:
            setattr(page, name, [])


def _insert_pages(pages: list[Page]) -> None:
    """One insert for the pages' rows in ``wagtailcore_page`` and one per page type for their
    own tables (Django's ``bulk_create`` refuses multi-table inheritance)."""
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    bases = Page.objects.bulk_create(
        [Page(**{f.attname: getattr(page, f.attname) for f in base_fields}) for page in pages]
    )
    by_model = defaultdict(list)
    for page, base in zip(pages, bases, strict=True):
        page.id = page.page_ptr_id = base.pk
        by_model[type(page)].append(page)
    for model, model_pages in by_model.items():
        model._base_manager.all()._batched_insert(
            model_pages, model._meta.local_concrete_fields, batch_size=BATCH_SIZE
        )
    for page in pages:
        page._state.adding, page._state.db = False, "default"


def _insert_child_objects(pages: list[Page]) -> None:
    children = defaultdict(list)
    for page in pages:
        for relation in get_all_child_relations(type(page)):
            for child in page._cluster_related_objects[relation.get_accessor_name()]:
                setattr(child, relation.field.attname, page.pk)
                children[relation.related_model].append(child)
    for model, objects in children.items():
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)


# wagtail-localize


@dataclass
class Source:
    """A page's wagtail-localize source, with the segments extracted from it (the values and
    their rows)."""

    page: Page
    row: TranslationSource
    segments: list[tuple[object, object]] = field(default_factory=list)

    def string_segments(self) -> list[tuple[StringSegmentValue, StringSegment]]:
        return [(v, row) for v, row in self.segments if isinstance(v, StringSegmentValue)]


def write_sources(pages: list[Page]) -> list[Source]:
    """What ``TranslationSource.update_or_create_from_instance()`` writes for each new page:
    its translatable object, its source and the segments of its translatable content."""
    page_type = ContentType.objects.get_for_model(Page)
    TranslatableObject.objects.bulk_create(
        [
            TranslatableObject(translation_key=p.translation_key, content_type=page_type)
            for p in pages
        ],
        batch_size=BATCH_SIZE,
    )
    now = timezone.now()
    schema_versions = {}
    rows = []
    for page in pages:
        app_label = page._meta.app_label
        if app_label not in schema_versions:
            schema_versions[app_label] = get_schema_version(app_label)
        rows.append(
            TranslationSource(
                object_id=page.translation_key,
                specific_content_type_id=page.content_type_id,
                locale_id=page.locale_id,
                object_repr=str(page)[:200],
                content_json=page.to_json(),
                schema_version=schema_versions[app_label],
                last_updated_at=now,
            )
        )
    sources = [
        Source(page, row)
        for page, row in zip(pages, TranslationSource.objects.bulk_create(rows), strict=True)
    ]
    _write_segments(sources)
    return sources


def _write_segments(sources: list[Source]) -> None:
    _attach_translatable_relations([source.page for source in sources])
    extracted = [(source, extract_segments(source.page)) for source in sources]
    strings = _string_ids(
        {
            (source.page.locale_id, value.string.data)
            for source, values in extracted
            for value in values
            if isinstance(value, StringSegmentValue)
        }
    )
    templates = _template_ids(
        {
            (value.format, value.template, value.string_count)
            for _source, values in extracted
            for value in values
            if isinstance(value, TemplateSegmentValue)
        }
    )
    _create_translatable_objects(
        {
            (value.content_type.pk, value.translation_key)
            for _source, values in extracted
            for value in values
            if isinstance(value, RelatedObjectSegmentValue)
        }
    )

    # Segments at the same place (a rich text's template and its strings) share a context.
    contexts = {}
    for source, values in extracted:
        for value in values:
            place = (source.page.translation_key, value.path)
            if place not in contexts:
                context = TranslationContext(
                    object_id=source.page.translation_key,
                    path=value.path,
                    path_id=TranslationContext._get_path_id(value.path),
                )
                _fill_field_path(context, source.page)
                contexts[place] = context
    TranslationContext.objects.bulk_create(list(contexts.values()), batch_size=BATCH_SIZE)

    rows = defaultdict(list)
    for source, values in extracted:
        for value in values:
            context = contexts[(source.page.translation_key, value.path)]
            common = {"source": source.row, "context": context, "order": value.order}
            if isinstance(value, StringSegmentValue):
                row = StringSegment(
                    string_id=strings[(source.page.locale_id, value.string.data)],
                    attrs=json.dumps(value.attrs, cls=DjangoJSONEncoder),
                    **common,
                )
            elif isinstance(value, TemplateSegmentValue):
                row = TemplateSegment(
                    template_id=templates[(value.format, value.template, value.string_count)],
                    **common,
                )
            elif isinstance(value, RelatedObjectSegmentValue):
                row = RelatedObjectSegment(object_id=value.translation_key, **common)
            else:
                row = OverridableSegment(
                    data_json=json.dumps(value.data, cls=DjangoJSONEncoder), **common
                )
            rows[type(row)].append(row)
            source.segments.append((value, row))
    for model, objects in rows.items():
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)


def _attach_translatable_relations(pages: list[Page]) -> None:
    """Segment extraction reads every translatable object a page or its child objects point
    to (a theme, a format, a library); they are loaded here once per batch instead of one
    query per link."""
    links = []
    for page in pages:
        for instance in [page, *chain.from_iterable(page._cluster_related_objects.values())]:
            for model_field in instance._meta.concrete_fields:
                if (
                    model_field.many_to_one
                    and issubclass(model_field.related_model, TranslatableMixin)
                    and getattr(instance, model_field.attname) is not None
                    and not model_field.is_cached(instance)
                ):
                    links.append((instance, model_field))
    wanted = defaultdict(set)
    for instance, model_field in links:
        wanted[model_field.related_model].add(getattr(instance, model_field.attname))
    loaded = {model: model._base_manager.in_bulk(list(ids)) for model, ids in wanted.items()}
    for instance, model_field in links:
        model_field.set_cached_value(
            instance, loaded[model_field.related_model][getattr(instance, model_field.attname)]
        )


def _fill_field_path(context: TranslationContext, instance) -> None:
    """wagtail-localize works a context's field path out from the instance and saves it at
    once; the context is inserted with the others afterwards, so the save is skipped."""
    context.save = lambda *args, **kwargs: None
    try:
        context.get_field_path(instance)
    finally:
        del context.save


def _chunks(items, size=BATCH_SIZE):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _string_ids(wanted: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """The ``String`` row of each (locale, text), created where missing."""
    by_hash = {
        (locale_id, String._get_data_hash(data)): (locale_id, data) for locale_id, data in wanted
    }
    found = {}
    for chunk in _chunks(by_hash):
        hashes = [data_hash for _locale, data_hash in chunk]
        for pk, locale_id, data_hash in String.objects.filter(data_hash__in=hashes).values_list(
            "pk", "locale_id", "data_hash"
        ):
            if (locale_id, data_hash) in by_hash:
                found[by_hash[(locale_id, data_hash)]] = pk
    missing = [
        String(locale_id=locale_id, data_hash=data_hash, data=data)
        for (locale_id, data_hash), (_l, data) in by_hash.items()
        if (locale_id, data) not in found
    ]
    for row in String.objects.bulk_create(missing, batch_size=BATCH_SIZE):
        found[(row.locale_id, row.data)] = row.pk
    return found


def _template_ids(wanted: set[tuple[str, str, int]]) -> dict[tuple[str, str, int], int]:
    """The ``Template`` row of each (format, template, string count), created where missing."""

    def template_uuid(template_format, template):
        namespace = uuid.uuid5(Template.BASE_UUID_NAMESPACE, template_format)
        return uuid.uuid5(namespace, template)

    by_uuid = {template_uuid(f, t): (f, t, n) for f, t, n in wanted}
    found = dict(
        (by_uuid[u], pk)
        for pk, u in Template.objects.filter(uuid__in=list(by_uuid)).values_list("pk", "uuid")
    )
    missing = [
        Template(uuid=u, template_format=f, template=t, string_count=n)
        for u, (f, t, n) in by_uuid.items()
        if (f, t, n) not in found
    ]
    for row in Template.objects.bulk_create(missing):
        found[(row.template_format, row.template, row.string_count)] = row.pk
    return found


def _create_translatable_objects(wanted: set[tuple[int, object]]) -> None:
    """A ``TranslatableObject`` for each (content type, translation key) that has none."""
    keys = {key for _type, key in wanted}
    existing = set(
        TranslatableObject.objects.filter(translation_key__in=list(keys)).values_list(
            "translation_key", flat=True
        )
    )
    TranslatableObject.objects.bulk_create(
        [
            TranslatableObject(translation_key=key, content_type_id=type_id)
            for type_id, key in wanted
            if key not in existing
        ]
    )


@dataclass
class NewTranslation:
    """A translation to create: the source, the locale, the parent page to create it under,
    the translated text of some string segments (by segment; the others fall back to the
    source text) and field values set on the translation directly."""

    source: Source
    locale: Locale
    parent: Page
    texts: dict[int, str]
    overrides: dict[str, object]


def write_translations(translations: list[NewTranslation], positions: TreePositions) -> list[Page]:
    """What, for each, the importer's slow path writes: a ``Translation``, the string
    translations (manual), and the translated page built by wagtail-localize's own copy and
    ingestion from the source, published. Returns the translated pages."""
    Translation.objects.bulk_create(
        [
            Translation(source=t.source.row, target_locale=t.locale, enabled=True)
            for t in translations
        ],
        batch_size=BATCH_SIZE,
    )
    # The translated strings, by segment, as wagtail-localize stores and ingests them.
    strings = [
        {segment: StringValue.from_plaintext(text) for segment, text in t.texts.items()}
        for t in translations
    ]
    StringTranslation.objects.bulk_create(
        [
            StringTranslation(
                translation_of_id=row.string_id,
                locale=t.locale,
                context_id=row.context_id,
                data=translated[row.pk].data,
                translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
            )
            for t, translated in zip(translations, strings, strict=True)
            for _value, row in t.source.string_segments()
            if row.pk in translated
        ],
        batch_size=BATCH_SIZE,
    )

    versions = _related_versions(translations)
    pages = []
    for t, translated in zip(translations, strings, strict=True):
        page = _translated_page(t, translated, versions)
        positions.place(page, t.parent)
        pages.append(page)
    write_live_pages(pages)
    TranslationLog.objects.bulk_create(
        [
            TranslationLog(source=t.source.row, locale=t.locale, revision=page.live_revision)
            for t, page in zip(translations, pages, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    return pages


class _KnownRelatedObject(RelatedObjectSegmentValue):
    """A related-object segment whose versions in each locale are already loaded."""

    def __init__(self, value: RelatedObjectSegmentValue, versions: dict):
        super().__init__(value.path, value.content_type, value.translation_key, order=value.order)
        self.versions = versions

    def get_instance(self, locale):
        return self.versions[(self.translation_key, locale.pk)]


def _related_versions(translations) -> dict[tuple[object, int], object]:
    """Every version, by (translation key, locale), of the related objects (themes,
    formats...) that the sources point to."""
    keys_by_type = defaultdict(set)
    for t in translations:
        for value, _row in t.source.segments:
            if isinstance(value, RelatedObjectSegmentValue):
                keys_by_type[value.content_type].add(value.translation_key)
    versions = {}
    for content_type, keys in keys_by_type.items():
        for chunk in _chunks(keys):
            for instance in content_type.model_class().objects.filter(translation_key__in=chunk):
                versions[(instance.translation_key, instance.locale_id)] = instance
    return versions


def _translated_page(t: NewTranslation, strings: dict, versions: dict) -> Page:
    """The translation as ``TranslationSource.create_or_update_translation()`` builds it: a
    copy of the source in the new locale, synchronised fields copied, the translated
    segments ingested (untranslated strings fall back to the source text)."""
    # Copying hands the original's own child objects over to the copy (wagtail-localize
    # copies a page freshly loaded from its source for the same reason).
    original = copy.deepcopy(t.source.page)
    excluded = original.default_exclude_fields_in_copy + original.exclude_fields_in_copy
    page, child_objects = _copy(
        original,
        exclude_fields=excluded,
        update_attrs={
            "live": False,
            "has_unpublished_changes": True,
            "live_revision": None,
            "first_published_at": None,
            "last_published_at": None,
            "alias_of": None,
            "locale": t.locale,
            "slug": original.slug,
        },
    )
    for child in child_objects.values():
        if isinstance(child, TranslatableMixin):
            child.locale = t.locale
    copy_synchronised_fields(original, page)

    segments = []
    for value, row in t.source.segments:
        if isinstance(value, StringSegmentValue):
            string = strings.get(row.pk, value.string)
            segments.append(
                StringSegmentValue(value.path, string, attrs=value.attrs).with_order(value.order)
            )
        elif isinstance(value, TemplateSegmentValue):
            segments.append(value)
        elif isinstance(value, RelatedObjectSegmentValue):
            if (value.translation_key, t.locale.pk) in versions:
                segments.append(_KnownRelatedObject(value, versions))
        elif isinstance(value, OverridableSegmentValue):
            continue  # a new translation overrides nothing
    ingest_segments(original, page, original.locale, t.locale, segments)
    for attribute, value in t.overrides.items():
        setattr(page, attribute, value)
    return page
