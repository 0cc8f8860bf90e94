"""Importing and exporting kb-exchange/1 files: what a librarian loading a spreadsheet export,
and an open-data user reading the site's export, get."""

import copy
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Revision
from wagtail.rich_text import RichText
from wagtail.signals import page_published
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from practices.demo import DEMO_FILE, site_has_content
from practices.exchange.exporter import export_document, normalise_document
from practices.exchange.importer import import_document
from practices.management.commands.kb_import import ProgressDisplay
from practices.models import (
    CaseStudyPage,
    LibraryIndexPage,
    LibraryPage,
    MeetingPage,
    PracticeIndexPage,
    PracticePage,
)
from tests.factories import PracticeFactory, locale_for, translate

pytestmark = pytest.mark.django_db

KNOWLEDGE_PAGE_TYPES = (CaseStudyPage, PracticePage, MeetingPage, LibraryPage)


def example_document() -> dict:
    """Two libraries, a meeting, two practices and a case study, written in three languages."""
    return {
        "format": "kb-exchange/1",
        "libraries": [
            {
                "key": "riga-central-library",
                "name": "Rīgas Centrālā bibliotēka",
                "locale": "lv",
                "city": "Rīga",
                "country": "LV",
                "website": "https://www.rcb.lv/",
                "partner": True,
                "translations": {"en": {"name": "Riga Central Library"}},
            },
            {
                "key": "oodi-helsinki",
                "name": "Helsingin keskustakirjasto Oodi",
                "locale": "fi",
                "city": "Helsinki",
                "country": "FI",
                "partner": False,
            },
        ],
        "meetings": [
            {
                "key": "democratic-library-days-2024",
                "kind": "international",
                "title": "Democratic Library Days 2024",
                "summary": "Librarians from six countries share their methods.",
                "body": "Two days of workshops.\n\nOne evening of debate.",
                "locale": "en",
                "start": "2024-05-14",
                "end": "2024-05-16",
                "city": "Helsinki",
                "country": "FI",
                "host": "oodi-helsinki",
                "translations": {
                    "fi": {
                        "title": "Demokraattisen kirjaston päivät 2024",
                        "summary": "Kirjastolaiset kuudesta maasta jakavat menetelmänsä.",
                    }
                },
            }
        ],
        "practices": [
            {
                "key": "election-cafe",
                "locale": "en",
                "title": "Election café",
                "summary": "Candidates meet voters over coffee in the library.",
                "body": "Invite every list & every party.\nBook the hall early.\n\nKeep the tables small.",
                "themes": ["elections", "dialogue"],
                "audiences": ["adults", "newcomers"],
                "format": "event",
                "tags": ["candidates", "coffee"],
                "duration_minutes": 120,
                "group_size": "10-30",
                "library": "oodi-helsinki",
                "meeting": "democratic-library-days-2024",
                "translations": {
                    "lv": {
                        "title": "Vēlēšanu kafejnīca",
                        "summary": "Kandidāti tiekas ar vēlētājiem pie kafijas.",
                    },
                    "fi": {
                        "title": "Vaalikahvila",
                        "summary": "Ehdokkaat tapaavat äänestäjiä kahvin äärellä.",
                        "body": "Kutsu kaikki listat.\nVaraa sali ajoissa.\n\nPidä pöydät pieninä.",
                    },
                    "sv": {
                        "title": "Valkafé",
                        "summary": "Kandidater möter väljare över en kopp kaffe.",
                        "body": "Bjud in alla listor, håll borden små och boka salen i god tid.",
                    },
                },
            },
            {
                "key": "fake-news-workshop",
                "locale": "lv",
                "title": "Viltus ziņu darbnīca",
                "summary": "Jaunieši mācās atpazīt viltus ziņas.",
                "themes": ["media-literacy"],
                "audiences": ["youth"],
                "format": "workshop",
                "duration_minutes": 90,
                "library": "riga-central-library",
                "translations": {
                    "en": {
                        "title": "Fake news workshop",
                        "summary": "Young people learn to spot fake news.",
                    }
                },
            },
        ],
        "case_studies": [
            {
                "key": "election-cafe-in-riga",
                "locale": "lv",
                "practice": "election-cafe",
                "library": "riga-central-library",
                "date": "2024-09-12",
                "stage": "repeated",
                "participants": 45,
                "title": "Vēlēšanu kafejnīca Rīgā",
                "summary": "Otro gadu pēc kārtas kandidāti tikās ar lasītājiem.",
                "body": "Atnāca 45 cilvēki.",
                "tags": ["pašvaldību vēlēšanas"],
                "translations": {
                    "en": {
                        "title": "Election café in Riga",
                        "summary": "For the second year running, candidates met readers.",
                    }
                },
            }
        ],
    }


# A small, real PDF: one page saying "Three questions".
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 12 Tf 20 50 Td (Three questions) Tj ET\nendstream"
    b"\nendobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
CONTACT_EMAIL = "ilze.berzina@valmiera.example"


def write_materials(folder) -> None:
    (folder / "materials").mkdir(parents=True, exist_ok=True)
    (folder / "materials" / "three-questions-fi.pdf").write_bytes(PDF)


def structured_document() -> dict:
    """The example document with every field the format gained for ready-to-run practices:
    a method in steps and sections, practical facts, a person to ask, a material, library
    coordinates and a case study's outcome measures, translated where the format allows."""
    document = example_document()
    riga = document["libraries"][0]
    riga.update(
        latitude=56.9496,
        longitude=24.1052,
        contact={
            "name": "Ilze Bērziņa",
            "role": "bibliotekāre",
            "languages": ["lv", "en", "ru"],
            "email": CONTACT_EMAIL,
        },
    )
    riga["translations"]["en"]["contact"] = {"role": "librarian"}
    practice = document["practices"][1]
    practice.update(
        preparation_minutes=60,
        cost_band="low",
        staff_needed=2,
        licence="CC-BY-SA-4.0",
        steps=[
            {"title": "Sagatavošanās", "minutes": 15, "who": "bibliotekārs"},
            {
                "title": "Trīs jautājumi",
                "minutes": 45,
                "who": "jaunieši",
                "description": "Kas to rakstīja?\n\nKāpēc?",
            },
        ],
        sections={"tips": "Ņemiet īstas ziņas.", "accessibility": "Lieli burti."},
        contact={"name": "Ilze Bērziņa", "role": "bibliotekāre", "email": CONTACT_EMAIL},
        materials=[
            {
                "file": "materials/three-questions-fi.pdf",
                "title": "Kolme kysymystä",
                "description": "Kirjanmerkki tulostettavaksi",
                "language": "fi",
            }
        ],
    )
    practice["translations"]["en"].update(
        steps=[
            {"title": "Preparation", "who": "librarian"},
            {"title": "Three questions", "description": "Who wrote it?\n\nWhy?"},
        ],
        sections={"tips": "Use real news."},
        contact={"role": "librarian"},
    )
    case_study = document["case_studies"][0]
    case_study.update(
        outcome_measures={
            "respondents": 38,
            "learned": 84,
            "confident": 71,
            "will_apply": 66,
            "aware": 90,
        },
        outcomes="Divi kandidāti atnāca atkal.",
        would_change="Vairāk laika jautājumiem.",
    )
    case_study["translations"]["en"]["outcomes"] = "Two candidates came back."
    return document


def write(tmp_path, document, name="import.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


def kb_import(path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("kb_import", path, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def page_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in KNOWLEDGE_PAGE_TYPES}


def revision_count() -> int:
    return Revision.objects.count()


def body_paragraphs(page) -> list[str]:
    return [block.value.source for block in page.body]


def empty_the_site() -> None:
    for model in KNOWLEDGE_PAGE_TYPES:
        for page in model.objects.all():
            page.delete()


@pytest.fixture
def imported(tmp_path):
    """The example document, imported through the command."""
    kb_import(write(tmp_path, example_document()))


# Importing a valid file


def test_records_become_published_pages_under_the_index_page_of_their_locale(imported):
    library = LibraryPage.objects.get(slug="riga-central-library", locale__language_code="lv")
    practice = PracticePage.objects.get(slug="election-cafe", locale__language_code="en")

    assert library.title == "Rīgas Centrālā bibliotēka"
    assert (library.city, library.country, library.website, library.partner) == (
        "Rīga",
        "LV",
        "https://www.rcb.lv/",
        True,
    )
    assert library.get_parent().specific_class is LibraryIndexPage
    assert library.get_parent().locale.language_code == "lv"
    assert practice.get_parent().specific_class is PracticeIndexPage
    assert practice.live and not practice.has_unpublished_changes
    assert practice.summary == "Candidates meet voters over coffee in the library."
    assert body_paragraphs(practice) == [
        "<p>Invite every list &amp; every party.<br/>Book the hall early.</p>",
        "<p>Keep the tables small.</p>",
    ]
    assert (practice.duration_minutes, practice.group_size) == (120, "10-30")
    assert sorted(practice.tags.names()) == ["candidates", "coffee"]
    assert practice.format.slug == "event"
    assert practice.meeting.slug == "democratic-library-days-2024"


def test_a_reference_points_at_the_version_in_the_records_language_where_there_is_one(imported):
    workshop = PracticePage.objects.get(slug="fake-news-workshop", locale__language_code="lv")
    case_study = CaseStudyPage.objects.get(slug="election-cafe-in-riga", locale__language_code="lv")
    election_cafe = PracticePage.objects.get(slug="election-cafe", locale__language_code="en")

    # The Riga library was written in Latvian, like the workshop.
    assert workshop.library.locale.language_code == "lv"
    # The election café has a Latvian translation: the Latvian case study points at it.
    assert case_study.practice.locale.language_code == "lv"
    assert case_study.practice.translation_key == election_cafe.translation_key
    # Oodi exists only in Finnish: the English practice points at the Finnish original.
    assert election_cafe.library.locale.language_code == "fi"


def test_translations_are_wagtail_localize_translations_of_the_same_page(imported):
    english = PracticePage.objects.get(slug="election-cafe", locale__language_code="en")
    versions = {
        page.locale.language_code: page
        for page in PracticePage.objects.filter(translation_key=english.translation_key)
    }

    assert set(versions) == {"en", "lv", "fi", "sv"}
    assert all(page.live and page.slug == "election-cafe" for page in versions.values())
    source = TranslationSource.objects.get(object_id=english.translation_key)
    assert source.locale.language_code == "en"
    assert sorted(
        Translation.objects.filter(source=source, enabled=True).values_list(
            "target_locale__language_code", flat=True
        )
    ) == ["fi", "lv", "sv"]
    assert versions["fi"].title == "Vaalikahvila"
    assert versions["fi"].summary == "Ehdokkaat tapaavat äänestäjiä kahvin äärellä."
    assert body_paragraphs(versions["fi"]) == [
        "<p>Kutsu kaikki listat.<br/>Varaa sali ajoissa.</p>",
        "<p>Pidä pöydät pieninä.</p>",
    ]
    assert versions["fi"].get_parent().locale.language_code == "fi"


def test_translations_point_at_the_terms_of_their_own_language(imported):
    versions = {
        page.locale.language_code: page
        for page in PracticePage.objects.filter(slug="election-cafe")
    }

    assert [t.label for t in versions["en"].themes] == ["Elections", "Dialogue"]
    assert [t.label for t in versions["fi"].themes] == ["Vaalit", "Dialogi"]
    assert [t.label for t in versions["lv"].themes] == ["Vēlēšanas", "Dialogs"]
    assert [a.label for a in versions["sv"].audiences] == ["Vuxna", "Nyanlända"]
    assert versions["fi"].format.label == "Tapahtuma"
    assert sorted(versions["fi"].tags.names()) == ["candidates", "coffee"]
    assert versions["fi"].duration_minutes == 120


def test_a_text_the_translation_leaves_out_keeps_the_source_text(imported):
    latvian = PracticePage.objects.get(slug="election-cafe", locale__language_code="lv")
    english = PracticePage.objects.get(slug="election-cafe", locale__language_code="en")
    meeting_fi = MeetingPage.objects.get(locale__language_code="fi")

    assert latvian.title == "Vēlēšanu kafejnīca"
    assert body_paragraphs(latvian) == body_paragraphs(english)
    assert [b.value.source for b in meeting_fi.body] == [
        "<p>Two days of workshops.</p>",
        "<p>One evening of debate.</p>",
    ]


def test_a_translated_body_with_other_paragraphs_than_the_source_is_kept_whole(imported):
    swedish = PracticePage.objects.get(slug="election-cafe", locale__language_code="sv")

    assert body_paragraphs(swedish) == [
        "<p>Bjud in alla listor, håll borden små och boka salen i god tid.</p>"
    ]


def test_syncing_a_translation_from_its_source_keeps_the_imported_texts(imported):
    english = PracticePage.objects.get(slug="election-cafe", locale__language_code="en")
    finnish = locale_for("fi")
    source = TranslationSource.objects.get(object_id=english.translation_key)

    assert StringTranslation.objects.filter(locale=finnish, data="Vaalikahvila").exists()
    source.update_from_db()
    source.create_or_update_translation(finnish, publish=False, fallback=True)

    synced = PracticePage.objects.get(slug="election-cafe", locale=finnish)
    assert synced.title == "Vaalikahvila"
    assert synced.summary == "Ehdokkaat tapaavat äänestäjiä kahvin äärellä."
    assert body_paragraphs(synced) == [
        "<p>Kutsu kaikki listat.<br/>Varaa sali ajoissa.</p>",
        "<p>Pidä pöydät pieninä.</p>",
    ]


def test_every_imported_page_is_published_through_wagtail(tmp_path):
    published = []

    def remember(sender, instance, **kwargs):
        published.append((instance.slug, instance.locale.language_code))

    page_published.connect(remember)
    try:
        kb_import(write(tmp_path, example_document()))
    finally:
        page_published.disconnect(remember)

    assert ("election-cafe", "en") in published
    assert ("election-cafe", "sv") in published
    assert ("riga-central-library", "en") in published
    assert len(published) == 13


def test_the_site_has_content_after_an_import(tmp_path):
    assert not site_has_content()

    kb_import(write(tmp_path, example_document()))

    assert site_has_content()


def test_blank_optional_values_count_as_not_given(tmp_path):
    document = example_document()
    library = document["libraries"][1]
    library.update(city="  ", website="", partner=None)
    meeting = document["meetings"][0]
    meeting.update(end=None, body="  \n\n ", summary="")
    meeting["translations"]["fi"].pop("summary")
    practice = document["practices"][1]
    practice.update(audiences=[], tags=[], group_size=" ", format=None)

    import_document(document)

    exported = export_document()
    oodi = next(r for r in exported["libraries"] if r["key"] == "oodi-helsinki")
    assert oodi == {
        "key": "oodi-helsinki",
        "name": "Helsingin keskustakirjasto Oodi",
        "locale": "fi",
        "country": "FI",
        "partner": False,
    }
    (meeting_record,) = exported["meetings"]
    assert "end" not in meeting_record and "summary" not in meeting_record
    assert "body" not in meeting_record
    workshop = next(r for r in exported["practices"] if r["key"] == "fake-news-workshop")
    assert not {"audiences", "tags", "group_size", "format"} & set(workshop)


def test_a_record_in_another_language_adds_that_version_to_the_existing_page():
    english = PracticeFactory(slug="living-library", title="Living library", themes=["dialogue"])
    document = {
        "format": "kb-exchange/1",
        "practices": [
            {
                "key": "living-library",
                "locale": "fi",
                "title": "Elävä kirjasto",
                "summary": "Lainaa ihminen.",
                "themes": ["dialogue", "inclusion"],
            }
        ],
    }

    report = import_document(document)

    finnish = PracticePage.objects.get(slug="living-library", locale__language_code="fi")
    assert finnish.translation_key == english.translation_key
    assert [t.label for t in finnish.themes] == ["Dialogi", "Inkluusio"]
    assert finnish.live
    assert str(report.pages["practices"]) == "1 created, 0 updated, 0 unchanged"


# Importing again


def test_importing_the_same_file_twice_leaves_the_site_as_the_first_import_did(tmp_path):
    path = write(tmp_path, example_document())
    kb_import(path)
    pages, revisions = page_counts(), revision_count()
    translations = StringTranslation.objects.count()

    output, _progress = kb_import(path)

    assert page_counts() == pages
    assert revision_count() == revisions
    assert StringTranslation.objects.count() == translations
    assert (
        "practices:    0 created, 0 updated, 2 unchanged; translations: 0 created, 0 updated, 4 unchanged"
        in output
    )
    assert "0 pages written" in output


def test_a_changed_summary_becomes_a_new_revision_of_the_same_page(tmp_path, imported):
    practice = PracticePage.objects.get(slug="fake-news-workshop", locale__language_code="lv")
    revisions = practice.revisions.count()
    document = example_document()
    document["practices"][1]["summary"] = "Jaunieši mācās pārbaudīt faktus."

    output, _progress = kb_import(write(tmp_path, document))

    practice.refresh_from_db()
    assert PracticePage.objects.filter(slug="fake-news-workshop").count() == 2
    assert practice.summary == "Jaunieši mācās pārbaudīt faktus."
    assert practice.revisions.count() == revisions + 1
    assert practice.live and not practice.has_unpublished_changes
    assert "practices:    0 created, 1 updated, 1 unchanged" in output


def test_a_changed_translation_updates_only_that_translation(tmp_path, imported):
    english = PracticePage.objects.get(slug="election-cafe", locale__language_code="en")
    revisions = revision_count()
    document = example_document()
    document["practices"][0]["translations"]["fi"]["title"] = "Vaalikahvila kirjastossa"

    output, _progress = kb_import(write(tmp_path, document))

    finnish = PracticePage.objects.get(slug="election-cafe", locale__language_code="fi")
    assert finnish.title == "Vaalikahvila kirjastossa"
    assert finnish.translation_key == english.translation_key
    assert revision_count() == revisions + 1
    assert "translations: 0 created, 1 updated, 3 unchanged" in output


def test_changed_themes_reach_the_translations_in_their_languages(tmp_path, imported):
    document = example_document()
    document["practices"][0]["themes"] = ["participation"]

    import_document(document)

    finnish = PracticePage.objects.get(slug="election-cafe", locale__language_code="fi")
    assert [theme.label for theme in finnish.themes] == ["Osallisuus"]
    assert finnish.title == "Vaalikahvila"


def test_a_new_translation_is_added_to_an_existing_page(tmp_path, imported):
    document = example_document()
    document["libraries"][1]["translations"] = {"en": {"name": "Helsinki Central Library Oodi"}}

    report = import_document(document)

    english = LibraryPage.objects.get(slug="oodi-helsinki", locale__language_code="en")
    assert english.title == "Helsinki Central Library Oodi"
    assert str(report.pages["libraries"]) == "0 created, 0 updated, 2 unchanged"
    assert str(report.translations["libraries"]) == "1 created, 0 updated, 1 unchanged"


# Export and round trip


def test_the_export_of_an_import_is_the_imported_document(imported):
    assert export_document() == normalise_document(example_document())


def test_export_then_import_into_an_empty_site_then_export_gives_the_same_file(tmp_path, imported):
    first = tmp_path / "first.json"
    call_command("kb_export", str(first), stdout=io.StringIO())
    empty_the_site()
    assert not site_has_content()

    kb_import(str(first))
    second = tmp_path / "second.json"
    call_command("kb_export", str(second), stdout=io.StringIO())

    assert json.loads(second.read_text()) == json.loads(first.read_text())
    assert json.loads(first.read_text()) == normalise_document(example_document())


def test_export_to_standard_output_writes_the_json_and_reports_on_standard_error(imported):
    out, err = io.StringIO(), io.StringIO()

    call_command("kb_export", "-", stdout=out, stderr=err)

    assert json.loads(out.getvalue()) == export_document()
    assert out.getvalue() == json.dumps(export_document(), ensure_ascii=False, indent=2) + "\n"
    assert "Exported 2 libraries (1 translations), 1 meetings (1 translations)" in err.getvalue()


def test_export_writes_each_record_from_the_language_it_was_written_in():
    latvian = PracticeFactory(
        slug="living-library", locale="lv", title="Dzīvā bibliotēka", themes=["dialogue"]
    )
    translate(latvian, "en", title="Living library")

    (record,) = export_document()["practices"]

    assert record["locale"] == "lv"
    assert record["title"] == "Dzīvā bibliotēka"
    assert record["translations"] == {"en": {"title": "Living library", "summary": latvian.summary}}


def test_export_turns_rich_bodies_into_plain_paragraphs_steps_and_sections():
    PracticeFactory(
        slug="debate-night",
        themes=["elections"],
        body=[
            ("heading", "Before the evening"),
            (
                "paragraph",
                RichText(
                    '<p>Book the <b>hall</b> &amp; <a href="/x">chairs</a>.<br/>Then wait.</p><ul><li>Bell</li><li>Name cards</li></ul>'
                ),
            ),
            (
                "steps",
                [
                    {
                        "title": "Open",
                        "duration_minutes": 10,
                        "who": "Host",
                        "description": RichText("<p>Read the motion.</p>"),
                    },
                ],
            ),
            ("section", {"kind": "tips", "text": RichText("<p>Keep time.</p>")}),
            ("quote", {"text": "Everyone spoke.", "attribution": "A reader"}),
        ],
    )

    (record,) = export_document()["practices"]

    assert record["body"].split("\n\n") == [
        "Before the evening",
        "Book the hall & chairs.\nThen wait.",
        "Bell",
        "Name cards",
        "Everyone spoke.",
        "A reader",
    ]
    assert record["steps"] == [
        {"title": "Open", "minutes": 10, "who": "Host", "description": "Read the motion."}
    ]
    assert record["sections"] == {"tips": "Keep time."}


def test_export_reads_the_site_in_a_constant_number_of_queries():
    def queries_for_export():
        with CaptureQueriesContext(connection) as queries:
            export_document()
        return len(queries)

    def add_practices(numbers):
        for n in numbers:
            practice = PracticeFactory(
                slug=f"practice-{n}", themes=["elections"], audiences=["youth"], tags=["a", "b"]
            )
            translate(practice, "fi", title=f"Käytäntö {n}")

    add_practices(range(3))
    few = queries_for_export()
    add_practices(range(3, 9))

    assert queries_for_export() == few


# Files that cannot be imported


def broken_document() -> dict:
    document = example_document()
    document["libraries"][1]["key"] = "Oodi Helsinki"
    document["meetings"][0]["start"] = "2024-05-34"
    document["practices"][0]["themes"][1] = "dialouge"
    document["practices"][1]["library"] = "riga-main-library"
    del document["case_studies"][0]["stage"]
    return document


def test_a_broken_file_writes_nothing_and_lists_every_error_with_its_place(tmp_path):
    pages, revisions = page_counts(), revision_count()

    with pytest.raises(CommandError) as error:
        kb_import(write(tmp_path, broken_document()))

    message = str(error.value)
    lines = message.splitlines()
    assert "cannot be imported, nothing was written" in lines[0]
    for expected in [
        "libraries[1].key: invalid key 'Oodi Helsinki': use 1–80 lowercase letters a–z, digits and hyphens",
        "meetings[0].start: '2024-05-34' is not a real date",
        "meetings[0].host: unknown library 'oodi-helsinki'",
        "practices[0].themes[1]: unknown theme 'dialouge'",
        "practices[1].library: unknown library 'riga-main-library'",
        "case_studies[0]: missing required field 'stage'",
    ]:
        assert expected in lines
    assert page_counts() == pages
    assert revision_count() == revisions


def test_a_file_that_is_not_json_writes_nothing(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "kb-exchange/1", "practices": [}', encoding="utf-8")

    with pytest.raises(CommandError) as error:
        kb_import(str(path))

    assert "$: not valid JSON at line 1, column 43" in str(error.value)
    assert not site_has_content()


def test_a_missing_file_is_reported():
    with pytest.raises(CommandError, match="Cannot read /no/such/file.json"):
        kb_import("/no/such/file.json")


def test_texts_longer_than_a_page_can_hold_are_reported_before_anything_is_written(tmp_path):
    document = example_document()
    document["meetings"][0]["summary"] = "Long. " * 60
    document["case_studies"][0]["translations"]["en"]["summary"] = "Longer. " * 40

    with pytest.raises(CommandError) as error:
        kb_import(write(tmp_path, document))

    lines = str(error.value).splitlines()
    assert "meetings[0].summary: too long: 359 characters, at most 300 allowed" in lines
    assert (
        "case_studies[0].translations.en.summary: too long: 319 characters, at most 300 allowed"
        in lines
    )
    assert not site_has_content()


def test_a_failure_half_way_through_undoes_the_whole_import(tmp_path):
    def fail_on_the_practices(sender, instance, **kwargs):
        if isinstance(instance, PracticePage):
            raise RuntimeError("the disk is full")

    page_published.connect(fail_on_the_practices)
    try:
        with pytest.raises(RuntimeError):
            kb_import(write(tmp_path, example_document()))
    finally:
        page_published.disconnect(fail_on_the_practices)

    assert not site_has_content()
    assert not TranslationSource.objects.exists()


def test_a_file_can_be_checked_without_importing_it(tmp_path):
    out = io.StringIO()

    call_command("kb_import", write(tmp_path, example_document()), "--check", stdout=out)

    assert "is valid: nothing was written" in out.getvalue()
    assert not site_has_content()
    with pytest.raises(CommandError, match=r"practices\[0\].themes\[1\]: unknown theme"):
        call_command("kb_import", write(tmp_path, broken_document()), "--check")


def test_the_file_is_checked_against_the_sites_own_keys(tmp_path, imported):
    document = {
        "format": "kb-exchange/1",
        "case_studies": [
            dict(example_document()["case_studies"][0], key="election-cafe-again", translations={})
        ],
    }

    output, _progress = kb_import(write(tmp_path, document))

    assert "case studies: 1 created" in output


# Progress and summary


def test_the_command_reports_progress_and_a_summary(tmp_path):
    output, progress = kb_import(write(tmp_path, example_document()))

    assert "libraries: 2/2 records" in progress
    assert "practices: 2/2 records" in progress
    assert "\r" not in progress  # not a terminal: plain lines for the log
    assert "libraries:    2 created, 0 updated, 0 unchanged; translations: 1 created" in output
    assert "practices:    2 created, 0 updated, 0 unchanged; translations: 4 created" in output
    assert "13 pages written in" in output


def test_on_a_terminal_progress_is_a_bar_redrawn_in_place():
    stream = io.StringIO()
    display = ProgressDisplay(OutputWrapper(stream), interactive=True)

    for done in range(5):
        display("practices", done, 4)

    assert stream.getvalue().count("\r") == 5
    assert "[" + "#" * 30 + "] 4/4" in stream.getvalue()
    assert stream.getvalue().endswith("\n")


# The demo content


@pytest.mark.skipif(not DEMO_FILE.exists(), reason="practices/demo/kb-demo.json is not written yet")
def test_the_demo_content_imports_without_errors():
    out = io.StringIO()

    call_command("kb_import", str(DEMO_FILE), stdout=out, stderr=io.StringIO())

    assert site_has_content()
    assert "practices:    0 created" not in out.getvalue()
    assert "0 updated, 0 unchanged; translations:" in out.getvalue()
    assert Page.objects.live().type(PracticePage).exists()


def test_a_document_object_is_not_changed_by_importing_it():
    document = example_document()
    before = copy.deepcopy(document)

    import_document(document)

    assert document == before


# Ready-to-run practices: steps, sections, facts, a person to ask, materials, outcome measures


def import_structured(tmp_path) -> str:
    write_materials(tmp_path)
    path = write(tmp_path, structured_document())
    kb_import(path)
    return path


def export_to(folder) -> dict:
    folder.mkdir(exist_ok=True)
    call_command("kb_export", str(folder / "kb.json"), stdout=io.StringIO())
    return json.loads((folder / "kb.json").read_text(encoding="utf-8"))


def test_a_structured_practice_becomes_steps_sections_facts_and_a_material(tmp_path):
    import_structured(tmp_path)

    page = PracticePage.objects.get(slug="fake-news-workshop", locale__language_code="lv")
    assert [block.block_type for block in page.body] == ["steps", "section", "section"]
    first, second = page.body[0].value
    assert (first["title"], first["duration_minutes"], first["who"]) == (
        "Sagatavošanās",
        15,
        "bibliotekārs",
    )
    assert second["description"].source == "<p>Kas to rakstīja?</p><p>Kāpēc?</p>"
    assert [block.value["kind"] for block in page.body[1:]] == ["tips", "accessibility"]
    assert (page.preparation_minutes, page.cost_band, page.staff_needed, page.licence) == (
        60,
        "low",
        2,
        "CC-BY-SA-4.0",
    )
    assert (page.contact_name, page.contact_email) == ("Ilze Bērziņa", CONTACT_EMAIL)
    (material,) = page.materials.all()
    assert (material.document.title, material.language) == ("Kolme kysymystä", "fi")
    assert material.document.file.read() == PDF

    english = PracticePage.objects.get(slug="fake-news-workshop", locale__language_code="en")
    assert [step["title"] for step in english.body[0].value] == ["Preparation", "Three questions"]
    assert [step["duration_minutes"] for step in english.body[0].value] == [15, 45]
    assert english.body[1].value["text"].source == "<p>Use real news.</p>"
    assert english.body[2].value["text"].source == "<p>Lieli burti.</p>"  # not translated
    assert english.contact_role == "librarian"
    assert english.contact_email == CONTACT_EMAIL
    assert [m.document.title for m in english.materials.all()] == ["Kolme kysymystä"]

    library = LibraryPage.objects.get(slug="riga-central-library", locale__language_code="lv")
    assert (library.latitude, library.longitude) == (56.9496, 24.1052)
    assert library.contact_languages == ["lv", "en", "ru"]
    case_study = CaseStudyPage.objects.get(slug="election-cafe-in-riga", locale__language_code="en")
    assert (case_study.outcome_respondents, case_study.outcome_will_apply) == (38, 66)
    assert case_study.outcomes == "Two candidates came back."
    assert case_study.would_change == "Vairāk laika jautājumiem."


def test_export_import_export_keeps_every_new_field_and_the_material_file(tmp_path):
    import_structured(tmp_path)
    first = export_to(tmp_path / "first")
    assert (tmp_path / "first" / "materials" / "three-questions-fi.pdf").read_bytes() == PDF
    empty_the_site()

    kb_import(str(tmp_path / "first" / "kb.json"))
    second = export_to(tmp_path / "second")

    assert second == first
    assert (tmp_path / "second" / "materials" / "three-questions-fi.pdf").read_bytes() == PDF
    assert first == normalise_document(structured_document())


def test_the_contact_email_is_imported_but_never_exported(tmp_path):
    import_structured(tmp_path)
    page = PracticePage.objects.get(slug="fake-news-workshop", locale__language_code="lv")
    assert page.contact_email == CONTACT_EMAIL

    exported = export_to(tmp_path / "out")
    standard_output = io.StringIO()
    call_command("kb_export", "-", stdout=standard_output, stderr=io.StringIO())

    practice = next(p for p in exported["practices"] if p["key"] == "fake-news-workshop")
    assert practice["contact"] == {"name": "Ilze Bērziņa", "role": "bibliotekāre"}
    assert CONTACT_EMAIL not in (tmp_path / "out" / "kb.json").read_text(encoding="utf-8")
    assert CONTACT_EMAIL not in standard_output.getvalue()


def test_reimporting_an_export_keeps_the_contact_email_it_does_not_carry(tmp_path):
    import_structured(tmp_path)
    export_to(tmp_path / "out")

    output, _progress = kb_import(str(tmp_path / "out" / "kb.json"))

    page = PracticePage.objects.get(slug="fake-news-workshop", locale__language_code="lv")
    assert page.contact_email == CONTACT_EMAIL
    assert "practices:    0 created, 0 updated, 2 unchanged" in output


def test_a_new_contact_without_an_address_never_inherits_the_previous_ones(tmp_path):
    import json

    import_structured(tmp_path)
    export_to(tmp_path / "out")
    exported_path = tmp_path / "out" / "kb.json"
    document = json.loads(exported_path.read_text(encoding="utf-8"))
    practice = next(p for p in document["practices"] if p["key"] == "fake-news-workshop")
    practice["contact"] = {"name": "Mikko Laine", "role": "kirjastonhoitaja"}
    exported_path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    kb_import(str(exported_path))

    page = PracticePage.objects.get(slug="fake-news-workshop", locale__language_code="lv")
    assert (page.contact_name, page.contact_email) == ("Mikko Laine", "")


def test_importing_the_same_material_twice_stores_its_file_once(tmp_path):
    from wagtail.documents.models import Document

    path = import_structured(tmp_path)
    documents = Document.objects.count()

    output, _progress = kb_import(path)

    assert Document.objects.count() == documents
    assert "practices:    0 created, 0 updated, 2 unchanged" in output


def test_a_zip_bundle_imports_its_document_and_material_files(tmp_path):
    import_structured(tmp_path)
    first = export_to(tmp_path / "first")
    call_command("kb_export", str(tmp_path / "bundle.zip"), stdout=io.StringIO())
    with zipfile.ZipFile(tmp_path / "bundle.zip") as bundle:
        assert sorted(bundle.namelist()) == ["bundle.json", "materials/three-questions-fi.pdf"]
    empty_the_site()

    kb_import(str(tmp_path / "bundle.zip"))

    assert export_to(tmp_path / "second") == first


def test_a_material_path_leading_out_of_the_folder_is_an_error_and_writes_nothing(tmp_path):
    write_materials(tmp_path)
    (tmp_path / "secret.pdf").write_bytes(PDF)
    document = structured_document()
    document["practices"][1]["materials"][0]["file"] = "../secret.pdf"
    folder = tmp_path / "inside"
    folder.mkdir()
    pages = page_counts()

    with pytest.raises(CommandError) as error:
        kb_import(write(folder, document))

    assert (
        "practices[1].materials[0].file: the path '../secret.pdf' leads outside the folder of "
        "the exchange file; give a path inside it, such as 'materials/handout.pdf'"
    ) in str(error.value).splitlines()
    assert page_counts() == pages


def test_a_pdf_that_is_not_a_pdf_is_refused_and_nothing_is_written(tmp_path):
    write_materials(tmp_path)
    (tmp_path / "materials" / "three-questions-fi.pdf").write_bytes(b"MZ\x90\x00 not a PDF")
    pages = page_counts()

    with pytest.raises(CommandError) as error:
        kb_import(write(tmp_path, structured_document()))

    lines = str(error.value).splitlines()
    assert any(
        line.startswith("practices[1].materials[0].file: The content of “three-questions-fi.pdf”")
        for line in lines
    ), lines
    assert page_counts() == pages


def test_a_missing_material_file_is_reported_with_its_place(tmp_path):
    with pytest.raises(CommandError) as error:
        kb_import(write(tmp_path, structured_document()))

    assert (
        "practices[1].materials[0].file: materials/three-questions-fi.pdf: no such file next "
        "to the exchange file"
    ) in str(error.value).splitlines()


def test_a_file_without_the_new_fields_still_imports_with_the_default_licence(imported):
    page = PracticePage.objects.get(slug="election-cafe", locale__language_code="en")

    assert page.licence == "CC-BY-4.0"
    assert (page.contact_name, page.cost_band, list(page.materials.all())) == ("", "", [])
    assert [block.block_type for block in page.body] == ["paragraph", "paragraph"]


def test_a_material_file_larger_than_an_upload_may_be_is_refused_before_it_is_read(
    tmp_path, settings
):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 100
    write_materials(tmp_path)

    with pytest.raises(CommandError) as error:
        kb_import(write(tmp_path, structured_document()))

    assert (
        f"practices[1].materials[0].file: materials/three-questions-fi.pdf: the file is too "
        f"large ({len(PDF)}\xa0bytes); the limit is 100\xa0bytes"
    ) in str(error.value).splitlines()


def test_a_bundle_without_one_json_document_at_its_root_is_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as bundle:
        bundle.writestr("data/kb.json", "{}")

    with pytest.raises(CommandError) as error:
        kb_import(str(tmp_path / "bundle.zip"))

    assert "must hold exactly one .json exchange document at its root, not 0" in str(error.value)


def test_changed_steps_and_materials_update_the_page_and_its_translations(tmp_path):
    import_structured(tmp_path)
    document = structured_document()
    workshop = document["practices"][1]
    workshop["steps"][0]["minutes"] = 20
    workshop["materials"][0]["description"] = "Divpusēja grāmatzīme"
    workshop["materials"][0]["language"] = "lv"

    output, _progress = kb_import(write(tmp_path, document))

    assert "practices:    0 created, 1 updated, 1 unchanged" in output
    for code in ("lv", "en"):
        page = PracticePage.objects.get(slug="fake-news-workshop", locale__language_code=code)
        assert page.body[0].value[0]["duration_minutes"] == 20
        assert [(m.description, m.language) for m in page.materials.all()] == [
            ("Divpusēja grāmatzīme", "lv")
        ]
    english = PracticePage.objects.get(slug="fake-news-workshop", locale__language_code="en")
    assert english.body[0].value[0]["title"] == "Preparation"
