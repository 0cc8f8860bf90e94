"""New records are created in bulk (``practices.exchange.bulk``). What an editor, the
translation editor and a later sync find must be what Wagtail's and wagtail-localize's own
publishing leave, record by record: the same pages, revisions, log entries and translation
memory."""

import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.documents.models import Document
from wagtail.models import Page, PageLogEntry, ReferenceIndex
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    StringSegment,
    StringTranslation,
    TemplateSegment,
    Translation,
    TranslationSource,
)

from practices.demo import DEMO_FILE
from practices.exchange.exporter import page_texts
from practices.exchange.importer import _Importer, import_document
from practices.exchange.materials import FolderFiles
from practices.models import CaseStudyPage, LibraryPage, MeetingPage, PracticePage
from tests.practices.test_import_export import (
    example_document,
    structured_document,
    write_materials,
)

pytestmark = pytest.mark.django_db

PAGE_TYPES = {
    "libraries": LibraryPage,
    "meetings": MeetingPage,
    "practices": PracticePage,
    "case_studies": CaseStudyPage,
}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def one_by_one(self, section, items):
    for path, record in items:
        self.import_record(section, path, record)


def page_name(page_id) -> str:
    page = Page.objects.get(pk=page_id).specific
    return f"{type(page).__name__}:{page.slug}:{page.locale.language_code}"


def place(path: str) -> str:
    """A segment's path without the block and child ids, which are new on every import."""
    return UUID.sub("*", path)


def references(page) -> list:
    found = []
    for path, content_type, object_id in ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id=str(page.pk)
    ).values_list("model_path", "to_content_type", "to_object_id"):
        target = ContentType.objects.get_for_id(content_type).get_object_for_this_type(pk=object_id)
        found.append((path, page_name(target.pk) if isinstance(target, Page) else str(target)))
    return sorted(found)


# Overridable segments that hold a page id; the ids differ between two imports.
PAGE_REFERENCES = {"library", "meeting", "practice", "host"}


def overridden_value(segment):
    """A page a segment refers to (a library...) by its name; any other value as it is (a
    duration of 90 is not page 90)."""
    if segment.context.path in PAGE_REFERENCES and segment.data is not None:
        return page_name(segment.data)
    if segment.context.field_path == "materials.document" and segment.data is not None:
        # A document by its file's name: ids are not reused after a rollback on PostgreSQL.
        return Document.objects.get(pk=segment.data).file.name
    return json.dumps(segment.data)


def site_state() -> dict:
    """Everything an import leaves, keyed by what does not change between two imports."""
    pages = {}
    for section, model in PAGE_TYPES.items():
        for page in model.objects.select_related("locale"):
            name = page_name(page.pk)
            pages[name] = {
                "texts": page_texts(section, page),
                "url_path": page.url_path,
                "depth": page.depth,
                "live": (page.live, page.has_unpublished_changes),
                "draft_title": page.draft_title,
                "live_is_latest": page.live_revision_id == page.latest_revision_id,
                "revision_content_title": page.live_revision.content["title"],
                "last_log": PageLogEntry.objects.filter(page=page).order_by("pk").last().action,
                "published": PageLogEntry.objects.filter(
                    page=page, action="wagtail.publish"
                ).count(),
                "references": references(page),
                "materials": sorted(
                    (
                        m.document.title,
                        m.document.file_hash,
                        m.description,
                        m.language,
                        m.locale.language_code,
                    )
                    for m in getattr(page, "materials", PracticePage.objects.none()).all()
                ),
                "facts": {
                    name: getattr(page, name, None)
                    for name in (
                        "preparation_minutes",
                        "cost_band",
                        "staff_needed",
                        "licence",
                        "contact_name",
                        "contact_email",
                        "contact_languages",
                        "latitude",
                        "outcome_respondents",
                        "outcome_aware",
                    )
                },
            }
    for parent in Page.objects.filter(depth__lte=3):
        pages[f"children of {parent.url_path}"] = (parent.numchild, parent.get_children().count())

    sources = {}
    for source in TranslationSource.objects.all():
        name = page_name(source.get_source_instance().pk)
        segments = []
        for model, value in (
            (StringSegment, lambda s: s.string.data + s.attrs),
            (TemplateSegment, lambda s: s.template.template),
            (RelatedObjectSegment, lambda s: str(s.object.get_instance(s.source.locale))),
            (OverridableSegment, overridden_value),
        ):
            # Without their order: a page reloaded from the database lists its theme links
            # in no fixed order on PostgreSQL (their sort_order is empty).
            segments += [
                (
                    model.__name__,
                    place(s.context.path),
                    place(s.context.field_path),
                    value(s),
                )
                for s in model.objects.filter(source=source).select_related("context")
            ]
        sources[name] = {
            "segments": sorted(segments),
            "content": sorted(json.loads(source.content_json)),
            "translations": sorted(
                (t.target_locale.language_code, t.enabled)
                for t in Translation.objects.filter(source=source)
            ),
            "strings": sorted(
                (place(t.context.path), t.locale.language_code, t.data, t.translation_type)
                for t in StringTranslation.objects.filter(
                    context__object_id=source.object_id
                ).select_related("context", "locale")
            ),
        }
    return {"pages": pages, "sources": sources}


def state_after_import(document, folder, monkeypatch, *, bulk: bool) -> dict:
    """Imports inside a savepoint, reads the state, and undoes the import."""
    with monkeypatch.context() as patch:
        if not bulk:
            patch.setattr(_Importer, "create_records", one_by_one)
        with transaction.atomic():
            import_document(document, files=FolderFiles(folder))
            state = site_state()
            transaction.set_rollback(True)
    return state


@pytest.mark.parametrize(
    "document",
    [example_document, structured_document, lambda: json.loads(DEMO_FILE.read_text())],
    ids=["example", "structured", "demo"],
)
def test_bulk_creation_leaves_what_publishing_record_by_record_leaves(
    document, monkeypatch, tmp_path
):
    folder = (
        DEMO_FILE.parent if document not in (example_document, structured_document) else tmp_path
    )
    write_materials(tmp_path)
    one_at_a_time = state_after_import(document(), folder, monkeypatch, bulk=False)
    in_bulk = state_after_import(document(), folder, monkeypatch, bulk=True)

    assert in_bulk["pages"].keys() == one_at_a_time["pages"].keys()
    for name, page in one_at_a_time["pages"].items():
        assert in_bulk["pages"][name] == page, name
    assert in_bulk["sources"].keys() == one_at_a_time["sources"].keys()
    for name, source in one_at_a_time["sources"].items():
        assert in_bulk["sources"][name] == source, name
