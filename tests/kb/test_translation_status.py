"""The translation workflow: the status board, machine translations and their review, and
the PO file round trip, on wagtail-localize's own records."""

import csv
import io
import re

import polib
import pytest
import wagtail_factories
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, PageLogEntry
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from languages.groups import live_versions
from languages.machine import REVIEW_LOG_ACTION, is_machine_translated, mark_translation_reviewed
from languages.status import (
    TRANSLATABLE_PAGE_TYPES,
    Status,
    translation_board,
)
from practices.models import LibraryPage, PracticeMaterial, Theme
from tests.factories import (
    STEPS_AND_SECTIONS,
    CaseStudyFactory,
    LibraryFactory,
    MeetingFactory,
    PracticeFactory,
    locale_for,
    translate,
)

pytestmark = pytest.mark.django_db

DUMMY_TRANSLATOR = {"CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"}


@pytest.fixture
def publish_on_commit(django_capture_on_commit_callbacks):
    """wagtail-localize publishes a translation when the transaction commits; a test's
    transaction never does, so run those callbacks at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def submit(publish_on_commit):
    """Submit a page for translation as wagtail-localize's "Translate this page" does, then
    translate every string with `translate_text` (made by `translation_type`)."""

    def submit(page, code, translate_text=None, translation_type="manual"):
        source, _created = TranslationSource.get_or_create_from_instance(page)
        translation = Translation.objects.create(source=source, target_locale=locale_for(code))
        if translate_text is not None:
            for segment in StringSegment.objects.filter(source=source).select_related(
                "string", "context"
            ):
                StringTranslation.objects.create(
                    translation_of=segment.string,
                    context=segment.context,
                    locale=translation.target_locale,
                    data=translate_text(segment.string.data),
                    translation_type=translation_type,
                )
        with publish_on_commit():
            translation.save_target(publish=True)
        return translation

    return submit


def finnish(text):
    return f"[fi] {text}"


def statuses(board, page):
    row = next(row for row in board.rows if row.page_id == page.pk)
    return {cell.language: cell.status for cell in row.cells}


def cell_of(board, page, code):
    row = next(row for row in board.rows if row.page_id == page.pk)
    return row.cell(code)


def publish_new_revision(page, **fields):
    page = Page.objects.get(pk=page.pk).specific
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def test_the_board_lists_the_four_translatable_page_types():
    assert TRANSLATABLE_PAGE_TYPES == [
        "practices.PracticePage",
        "practices.CaseStudyPage",
        "practices.MeetingPage",
        "practices.LibraryPage",
    ]


def test_a_fresh_translation_is_translated_and_the_others_missing(submit):
    practice = PracticeFactory(title="Living library")
    submit(practice, "fi", finnish)

    board = translation_board()

    assert statuses(board, practice) == {
        "en": Status.ORIGINAL,
        "lv": Status.MISSING,
        "fi": Status.TRANSLATED,
        "et": Status.MISSING,
        "da": Status.MISSING,
        "sv": Status.MISSING,
    }
    row = board.rows[0]
    assert (row.title, row.language, row.page_type) == ("Living library", "en", "practicepage")


def test_a_rich_practice_is_translated_not_outdated_once_translated(submit):
    practice = PracticeFactory(
        body=STEPS_AND_SECTIONS,
        themes=["elections"],
        audiences=["youth"],
        format="debate",
        tags=["debate", "youth-council"],
    )
    PracticeMaterial.objects.create(
        page=practice, document=wagtail_factories.DocumentFactory(), locale=practice.locale
    )
    practice = publish_new_revision(practice)
    submit(practice, "fi", finnish)

    assert cell_of(translation_board(), practice, "fi").status == Status.TRANSLATED

    publish_new_revision(practice, body=STEPS_AND_SECTIONS.replace("A bell and name cards.", "A bell and a timer."))

    assert cell_of(translation_board(), practice, "fi").status == Status.OUTDATED


def test_editing_the_source_makes_a_translation_outdated_and_syncing_makes_it_translated(
    submit, publish_on_commit
):
    practice = PracticeFactory(title="Living library")
    translation = submit(practice, "fi", finnish)

    publish_new_revision(practice, title="Living library, revised")

    cell = cell_of(translation_board(), practice, "fi")
    assert cell.status == Status.OUTDATED
    assert cell.action_url == reverse(
        "wagtail_localize:update_translations", args=[translation.source_id]
    )

    translation.source.update_from_db()
    StringTranslation.objects.create(  # the one new string, translated
        translation_of=StringSegment.objects.get(
            source=translation.source, context__path="title"
        ).string,
        context=StringSegment.objects.get(source=translation.source, context__path="title").context,
        locale=translation.target_locale,
        data="Elävä kirjasto, uusi",
        translation_type="manual",
    )
    with publish_on_commit():
        translation.save_target(publish=True)

    assert cell_of(translation_board(), practice, "fi").status == Status.TRANSLATED
    assert Page.objects.get(pk=cell.page_id).title == "Elävä kirjasto, uusi"


def test_a_source_changed_without_a_revision_makes_its_translation_outdated(submit):
    practice = PracticeFactory()
    submit(practice, "fi", finnish)
    type(practice).objects.filter(pk=practice.pk).update(summary="Rewritten by a script.")

    assert cell_of(translation_board(), practice, "fi").status == Status.OUTDATED


def test_a_draft_of_the_source_leaves_its_translation_translated(submit):
    practice = PracticeFactory()
    submit(practice, "fi", finnish)
    draft = Page.objects.get(pk=practice.pk).specific
    draft.title = "Not published yet"
    draft.save_revision()

    assert cell_of(translation_board(), practice, "fi").status == Status.TRANSLATED


def test_a_synced_translation_with_nothing_translated_yet_is_missing_and_links_the_editor(
    submit,
):
    practice = PracticeFactory()
    submit(practice, "fi")  # the page exists, but still in English

    cell = cell_of(translation_board(), practice, "fi")

    assert cell.status == Status.MISSING
    assert cell.action_url == reverse("wagtailadmin_pages:edit", args=[cell.page_id])
    assert cell.strings_translated == 0 and cell.strings_total > 0


def test_a_partial_translation_is_translated_with_the_untranslated_strings_counted(submit):
    practice = PracticeFactory()
    translation = submit(practice, "fi", finnish)
    StringTranslation.objects.filter(
        locale=translation.target_locale, context__path="summary"
    ).delete()

    cell = cell_of(translation_board(), practice, "fi")

    assert cell.status == Status.TRANSLATED
    assert cell.strings_untranslated == 1


def test_a_translation_made_by_hand_is_translated_until_the_original_is_published_again():
    practice = PracticeFactory()
    translate(practice, "sv", title="Levande bibliotek")  # no wagtail-localize Translation

    assert cell_of(translation_board(), practice, "sv").status == Status.TRANSLATED

    publish_new_revision(practice, summary="Changed.")

    cell = cell_of(translation_board(), practice, "sv")
    assert cell.status == Status.OUTDATED
    assert cell.action_url == reverse("wagtailadmin_pages:edit", args=[cell.page_id])


def test_an_alias_is_not_a_translation():
    practice = PracticeFactory()
    practice.create_alias(
        parent=Page.objects.get(
            translation_key=practice.get_parent().translation_key, locale__language_code="et"
        ),
        update_locale=locale_for("et"),
    )

    assert cell_of(translation_board(), practice, "et").status == Status.MISSING


def test_a_missing_cell_links_wagtail_localizes_translate_form_for_that_language(
    client, admin_user
):
    practice = PracticeFactory()
    cell = cell_of(translation_board(), practice, "lv")
    client.force_login(admin_user)

    response = client.get(cell.action_url)

    assert cell.action_url.startswith(
        reverse("wagtail_localize:submit_page_translation", args=[practice.pk])
    )
    assert "select_locale=lv" in cell.action_url
    assert response.status_code == 200
    latvian_id = locale_for("lv").pk
    assert re.search(rf'value="{latvian_id}"[^>]*checked', response.content.decode())


def test_the_original_is_the_first_translation_source_not_english():
    practice = PracticeFactory(locale="lv", title="Dzīvā bibliotēka")
    translate(practice, "en", title="Living library")

    board = translation_board()

    row = board.rows[0]
    assert (row.title, row.language) == ("Dzīvā bibliotēka", "lv")
    assert statuses(board, practice)["lv"] == Status.ORIGINAL
    assert statuses(board, practice)["en"] == Status.TRANSLATED


# Machine translation


@pytest.fixture
def machine_translated(submit, client, admin_user, settings, publish_on_commit):
    """A practice machine-translated into Finnish with wagtail-localize's own view and the
    dummy translator, then published."""
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = DUMMY_TRANSLATOR
    practice = PracticeFactory(title="Living library", summary="Books that talk back.")
    translation = submit(practice, "fi")
    client.force_login(admin_user)
    response = client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk]), {"next": "/admin/"}
    )
    assert response.status_code == 302
    with publish_on_commit():
        translation.save_target(publish=True)
    client.logout()
    return practice, translation


def test_a_machine_translation_is_marked_until_it_is_reviewed(machine_translated, admin_user):
    practice, translation = machine_translated
    target = translation.get_target_instance()

    assert StringTranslation.objects.filter(translation_type="machine").exists()
    assert is_machine_translated(target)
    cell = cell_of(translation_board(), practice, "fi")
    assert cell.status == Status.MACHINE
    assert cell.review_url == reverse("kb_review_translation", args=[translation.pk])

    mark_translation_reviewed(translation, admin_user)

    assert not is_machine_translated(target)
    assert cell_of(translation_board(), practice, "fi").status == Status.TRANSLATED
    assert set(
        StringTranslation.objects.filter(locale=translation.target_locale).values_list(
            "translation_type", "last_translated_by"
        )
    ) == {("manual", admin_user.pk)}
    assert PageLogEntry.objects.filter(
        page=target, action=REVIEW_LOG_ACTION, user=admin_user
    ).exists()


def test_visitors_see_a_machine_translation_note_until_review(
    machine_translated, admin_user, client
):
    practice, translation = machine_translated
    target = translation.get_target_instance()

    html = client.get(target.url).content.decode()

    assert "Books that talk back." not in html  # the dummy translator reverses words
    assert 'class="notice machine-translation-notice"' in html
    assert f'href="{practice.url}" hreflang="en"' in html
    assert "machine-translation-notice" not in client.get(practice.url).content.decode()

    mark_translation_reviewed(translation, admin_user)

    assert "machine-translation-notice" not in client.get(target.url).content.decode()


def test_only_the_machine_translated_version_carries_the_note(machine_translated, submit, client):
    practice, _translation = machine_translated
    latvian = submit(practice, "lv", lambda text: f"[lv] {text}").get_target_instance()

    assert not is_machine_translated(latvian)
    assert "machine-translation-notice" not in client.get(latvian.url).content.decode()


def test_only_the_version_shown_is_checked_for_machine_translation(machine_translated):
    practice, translation = machine_translated
    target = translation.get_target_instance()

    seen_from_finnish = live_versions(target)
    seen_from_english = live_versions(practice)

    assert seen_from_finnish["fi"].machine_translated is True
    assert seen_from_finnish["en"].machine_translated is None
    assert seen_from_english["en"].machine_translated is False
    assert seen_from_english["fi"].machine_translated is None


def test_machine_made_strings_of_another_entry_do_not_mark_a_translation(
    machine_translated, submit
):
    """The same text in another practice is the same wagtail-localize string: its machine
    translation belongs to the other practice's context, not to this one."""
    twin = PracticeFactory(title="Living library", summary="Books that talk back.")
    by_hand = submit(twin, "fi", finnish).get_target_instance()

    assert not is_machine_translated(by_hand)


def test_a_translation_no_longer_synced_is_not_marked_machine_translated(machine_translated):
    _practice, translation = machine_translated
    translation.enabled = False
    translation.save()

    assert not is_machine_translated(translation.get_target_instance())


def test_an_editor_marks_a_machine_translation_reviewed_from_the_admin(
    machine_translated, client, admin_user
):
    practice, translation = machine_translated
    client.force_login(admin_user)
    review_url = reverse("kb_review_translation", args=[translation.pk])
    board_url = reverse("kb_translation_board")

    confirm = client.get(review_url)
    assert confirm.status_code == 200
    assert "Mark as reviewed" in confirm.content.decode()

    response = client.post(review_url, {"next": board_url})

    assert response.status_code == 302 and response["Location"] == board_url
    assert not StringTranslation.objects.filter(translation_type="machine").exists()


def test_an_editor_without_edit_permission_cannot_mark_reviewed(
    machine_translated, client, django_user_model
):
    _practice, translation = machine_translated
    user = django_user_model.objects.create_user("reader", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.post(reverse("kb_review_translation", args=[translation.pk]))

    # Wagtail answers a permission denied in the admin with a redirect to the dashboard
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert StringTranslation.objects.filter(translation_type="machine").exists()


def test_an_outdated_machine_translation_is_outdated_first(machine_translated):
    practice, _translation = machine_translated
    publish_new_revision(practice, summary="Changed.")

    assert cell_of(translation_board(), practice, "fi").status == Status.OUTDATED


# Totals, filters, export


@pytest.fixture
def mixed_board(submit):
    """Practices in Latvian: 2 translated, 1 outdated, 1 missing; a meeting, a library and a
    case study with no translation."""
    translated = [PracticeFactory(title=f"Practice {n}") for n in range(2)]
    for practice in translated:
        submit(practice, "lv", lambda text: f"[lv] {text}")
    outdated = PracticeFactory(title="Practice outdated")
    submit(outdated, "lv", lambda text: f"[lv] {text}")
    publish_new_revision(outdated, summary="Changed.")
    missing = PracticeFactory(title="Practice missing")
    meeting = MeetingFactory(title="Valmiera meeting")
    library = LibraryFactory(title="Turku City Library")
    case_study = CaseStudyFactory(title="Our living library", practice=missing, library=library)
    return {
        "translated": translated,
        "outdated": outdated,
        "missing": missing,
        "meeting": meeting,
        "library": library,
        "case_study": case_study,
    }


def test_totals_per_language(mixed_board):
    board = translation_board()

    latvian = board.total("lv")
    assert latvian.counts == {"translated": 2, "outdated": 1, "missing": 4}
    assert latvian.summary == "2 translated, 1 outdated, 4 missing"
    assert board.total("en").counts == {"original": 7}
    assert board.total("fi").counts == {"missing": 7}


def test_rows_come_by_type_then_title(mixed_board):
    board = translation_board()

    assert [row.page_type for row in board.rows] == [
        "practicepage",
        "practicepage",
        "practicepage",
        "practicepage",
        "casestudypage",
        "meetingpage",
        "librarypage",
    ]
    assert board.rows[0].title == "Practice 0"


def test_filter_by_type(mixed_board):
    board = translation_board(types=["meetingpage", "librarypage"])

    assert [row.title for row in board.rows] == ["Valmiera meeting", "Turku City Library"]


def test_filter_by_status_and_language(mixed_board):
    board = translation_board(status="outdated", language="lv")

    assert [row.title for row in board.rows] == ["Practice outdated"]
    assert board.languages == ("lv",)
    assert [cell.language for cell in board.rows[0].cells] == ["lv"]
    assert board.total("lv").counts == {"outdated": 1}


def test_filter_by_status_in_any_language(mixed_board):
    board = translation_board(status="translated")

    assert sorted(row.title for row in board.rows) == ["Practice 0", "Practice 1"]


@pytest.mark.parametrize(
    "filters",
    [{"types": ["homepage"]}, {"status": "done"}, {"language": "de"}],
)
def test_unknown_filters_are_refused(filters):
    with pytest.raises(ValueError):
        translation_board(**filters)


def test_the_board_in_the_admin_reports_menu(client, admin_user, mixed_board):
    client.force_login(admin_user)

    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("kb_translation_board") in home

    html = client.get(reverse("kb_translation_board")).content.decode()

    assert "Translation status" in html
    assert (
        '<li data-language="lv"><strong>Latvian</strong>: 2 translated, 1 outdated, 4 missing</li>'
        in html
    )
    outdated = mixed_board["outdated"]
    source = TranslationSource.objects.get(object_id=outdated.translation_key)
    assert reverse("wagtail_localize:update_translations", args=[source.pk]) in html
    assert html.count('data-status="missing"') == 4 + 7 * 4


def test_the_board_view_filters(client, admin_user, mixed_board):
    client.force_login(admin_user)

    html = client.get(
        reverse("kb_translation_board"),
        {"type": "practicepage", "status": "missing", "language": "lv"},
    ).content.decode()

    assert "Practice missing" in html
    assert "Practice 0" not in html and "Valmiera meeting" not in html


def test_the_board_view_explains_a_bad_filter(client, admin_user, mixed_board):
    client.force_login(admin_user)

    response = client.get(reverse("kb_translation_board"), {"status": "done"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    bad_export = client.get(reverse("kb_translation_board"), {"status": "done", "export": "csv"})
    assert bad_export.status_code == 400


def test_the_board_is_for_admin_users_only(client):
    response = client.get(reverse("kb_translation_board"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_csv_export_of_the_filtered_board(client, admin_user, mixed_board):
    client.force_login(admin_user)

    response = client.get(
        reverse("kb_translation_board"), {"type": "practicepage", "export": "csv"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Type",
        "Title",
        "Original language",
        "English",
        "Latvian",
        "Finnish",
        "Estonian",
        "Danish",
        "Swedish",
    ]
    assert rows[1:] == [
        ["Practice", "Practice 0", "English", "original", "translated"] + ["missing"] * 4,
        ["Practice", "Practice 1", "English", "original", "translated"] + ["missing"] * 4,
        ["Practice", "Practice missing", "English", "original"] + ["missing"] * 5,
        ["Practice", "Practice outdated", "English", "original", "outdated"] + ["missing"] * 4,
    ]


def add_translated_entries(submit, count):
    """`count` of each page type, each synced into Finnish (and practices into Latvian too)."""
    for _n in range(count):
        practice = PracticeFactory()
        submit(practice, "fi", finnish)
        submit(practice, "lv")
        for page in [
            CaseStudyFactory(practice=practice, library=LibraryFactory()),
            MeetingFactory(),
        ]:
            submit(page, "fi", finnish)


def test_the_board_takes_the_same_number_of_queries_for_many_entries(submit):
    add_translated_entries(submit, 2)
    with CaptureQueriesContext(connection) as few:
        translation_board()
    add_translated_entries(submit, 6)
    with CaptureQueriesContext(connection) as many:
        board = translation_board()

    assert len(board.rows) == 32
    assert len(many) == len(few)


def test_the_board_query_count_is_bounded(submit, django_assert_max_num_queries):
    add_translated_entries(submit, 5)
    for page in LibraryPage.objects.all():
        submit(page, "fi", finnish)

    # pages, sources, translations, segment counts, string counts, stored contents; then to
    # compare contents, each page type and its translatable child relations
    with django_assert_max_num_queries(15):
        board = translation_board()

    assert len(board.rows) == 20


def test_the_board_page_takes_the_same_number_of_queries_for_many_entries(
    client, admin_user, submit
):
    client.force_login(admin_user)
    add_translated_entries(submit, 1)
    client.get(reverse("kb_translation_board"))  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("kb_translation_board"))
    add_translated_entries(submit, 4)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("kb_translation_board"))

    assert response.content.decode().count("data-translation-key=") == 20
    assert len(many) == len(few)


# The translation workflow in wagtail-localize's editor


def test_a_practice_translation_round_trips_through_a_po_file(
    client, admin_user, submit, publish_on_commit
):
    practice = PracticeFactory(title="Living library", summary="Books that talk back.")
    translation = submit(practice, "lv")
    target = translation.get_target_instance()
    client.force_login(admin_user)

    download = client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))

    assert download.status_code == 200
    po = polib.pofile(download.content.decode())
    texts = {entry.msgctxt: entry for entry in po}
    texts["title"].msgstr = "Dzīvā bibliotēka"
    texts["summary"].msgstr = "Grāmatas, kas atbild."
    edit_url = reverse("wagtailadmin_pages:edit", args=[target.pk])
    upload = client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
        {"file": io.BytesIO(str(po).encode()), "next": edit_url},
    )
    assert upload.status_code == 302 and upload["Location"] == edit_url
    with publish_on_commit():
        published = client.post(edit_url, {"action": "publish"})
    assert published.status_code == 302

    html = client.get(Page.objects.get(pk=target.pk).url).content.decode()
    assert "Dzīvā bibliotēka" in html and "Grāmatas, kas atbild." in html
    assert cell_of(translation_board(), practice, "lv").status == Status.TRANSLATED


@pytest.mark.parametrize("factory", [PracticeFactory, MeetingFactory, LibraryFactory])
def test_editors_open_each_page_type_in_the_translation_editor(client, admin_user, submit, factory):
    translation = submit(factory(), "et")
    client.force_login(admin_user)

    response = client.get(
        reverse("wagtailadmin_pages:edit", args=[translation.get_target_instance().pk])
    )

    assert response.status_code == 200
    assert "wagtail-localize" in response.content.decode()


def test_editors_translate_a_theme_with_wagtail_localize(client, admin_user, publish_on_commit):
    theme = Theme.objects.create(
        slug="translated-term", label="Translated term", locale=locale_for("en")
    )
    client.force_login(admin_user)
    url = reverse(
        "wagtail_localize:submit_snippet_translation", args=["practices", "theme", theme.pk]
    )

    assert client.get(url).status_code == 200
    with publish_on_commit():
        response = client.post(url, {"locales": [locale_for("da").pk]})

    assert response.status_code == 302
    assert Theme.objects.filter(
        translation_key=theme.translation_key, locale__language_code="da"
    ).exists()
    assert Translation.objects.filter(
        source__object_id=theme.translation_key, target_locale__language_code="da"
    ).exists()
