"""Translating a page changes that page's translation and nothing else: its themes, audiences
and format are linked in the target language, never overwritten with the source's labels.

Everything goes through the real admin views: wagtail-localize's submit, edit, publish, sync
and machine-translation views (with our permission subclasses in front of them)."""

import io
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import translate_object as wagtail_localize_translate_object

from practices.models import Audience, Format, PracticeIndexPage, PracticePage, Theme
from practices.shipped_vocabularies import LANGUAGES
from practices.shipped_vocabularies import VOCABULARIES as SHIPPED
from practices.vocabulary_translation import translate_page_subtree
from tests.factories import LibraryFactory, PracticeFactory, locale_for, translate

pytestmark = pytest.mark.django_db

VOCABULARIES = (Theme, Audience, Format)
DUMMY_TRANSLATOR = {"CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"}


# What must not change ---------------------------------------------------------------------


def vocabulary_snapshot() -> dict:
    """Every term's label and description in every locale."""
    return {
        (model.__name__, term.slug, term.locale.language_code): (term.label, term.description)
        for model in VOCABULARIES
        for term in model.objects.select_related("locale")
    }


def pages_snapshot(*, apart_from=()) -> dict:
    """Every page's titles, text and revision, but those of `apart_from`."""
    snapshot = {}
    for page in Page.objects.exclude(pk__in=apart_from).specific():
        snapshot[page.pk] = (
            page.title,
            page.draft_title,
            page.live,
            page.latest_revision_id,
            getattr(page, "summary", None),
        )
    return snapshot


def term_translations():
    """The Translation records whose source is a vocabulary term, as (slug, from, to)."""
    records = []
    for record in Translation.objects.select_related("source__locale", "target_locale"):
        model = record.source.specific_content_type.model_class()
        if model in VOCABULARIES:
            term = model.objects.get(
                translation_key=record.source.object_id, locale=record.source.locale
            )
            records.append(
                (term.slug, record.source.locale.language_code, record.target_locale.language_code)
            )
    return sorted(records)


# Admin steps --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, admin_user, settings, django_capture_on_commit_callbacks):
    """A superuser's admin session; wagtail-localize publishes on commit, which a test's
    transaction never reaches, so each request runs its commit callbacks."""
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = DUMMY_TRANSLATOR
    client.force_login(admin_user)

    class Admin:
        def post(self, url, data=None, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(url, data or {}, **kwargs)

        def put(self, url, data):
            return client.put(
                url, urlencode(data), content_type="application/x-www-form-urlencoded"
            )

        def get(self, url):
            return client.get(url)

    return Admin()


def submit_for_translation(admin_client, page, code):
    response = admin_client.post(
        f"/admin/localize/submit/page/{page.pk}/", {"locales": [locale_for(code).pk]}
    )
    assert response.status_code == 302, response
    return response


def page_translation(page, code) -> Translation:
    source = TranslationSource.objects.get(object_id=page.translation_key, locale=page.locale)
    return Translation.objects.get(source=source, target_locale=locale_for(code))


def translate_every_string(admin_client, record: Translation, text=lambda s: f"[fi] {s}"):
    """Types a translation of each string into the translation editor (its string API)."""
    for segment in StringSegment.objects.filter(source=record.source).select_related("string"):
        url = reverse("wagtail_localize:edit_string_translation", args=[record.pk, segment.pk])
        response = admin_client.put(url, {"value": text(segment.string.data)})
        assert response.status_code in (200, 201), response


def publish_in_editor(admin_client, record: Translation):
    target = record.get_target_instance()
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[target.pk]), {"action": "publish"}
    )
    assert response.status_code == 302, response


def sync(admin_client, source: TranslationSource, **options):
    url = f"/admin/localize/update/{source.pk}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {name: "on" for name, on in options.items() if on})
    assert response.status_code == 302, response
    return response


def machine_translate(admin_client, record: Translation):
    url = reverse("wagtail_localize:machine_translate", args=[record.pk])
    response = admin_client.post(url, {"next": "/admin/"})
    assert response.status_code == 302, response


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def finnish_terms_of(page):
    finnish = PracticePage.objects.get(
        translation_key=page.translation_key, locale=locale_for("fi")
    )
    return (
        sorted(link.theme.label for link in finnish.theme_links.all()),
        sorted(link.audience.label for link in finnish.audience_links.all()),
        finnish.format.label if finnish.format else None,
    )


# The practice of the bug report ------------------------------------------------------------


@pytest.fixture
def latvian_practice():
    return PracticeFactory(
        locale="lv",
        title="Dzīvā bibliotēka",
        summary="Grāmatas, kas runā pretī.",
        themes=["participation", "local-democracy"],
        audiences=["adults"],
        format="event",
    )


@pytest.fixture
def other_pages(latvian_practice):
    """Pages that share the practice's terms, and the library it comes from, which has a
    Finnish version of its own (a page link is synchronised, and localised when shown)."""
    library = LibraryFactory(locale="lv", title="Valmieras bibliotēka", slug="valmiera")
    translate(library, "fi", title="Valmieran kirjasto")
    latvian_practice.library = library
    latvian_practice.save_revision().publish()
    PracticeFactory(locale="fi", title="Kuntavaalit", themes=["participation"], format="event")
    PracticeFactory(
        locale="en", title="Town hall", themes=["local-democracy"], audiences=["adults"]
    )
    return library


def test_translating_syncing_and_machine_translating_a_practice_changes_only_its_translation(
    admin_client, latvian_practice, other_pages
):
    vocabulary_before = vocabulary_snapshot()
    pages_before = pages_snapshot()

    submit_for_translation(admin_client, latvian_practice, "fi")
    record = page_translation(latvian_practice, "fi")
    finnish_pk = record.get_target_instance().pk
    translate_every_string(admin_client, record)
    publish_in_editor(admin_client, record)

    publish = PracticePage.objects.get(pk=latvian_practice.pk)
    publish.summary = "Grāmatas, kas runā pretī, un cilvēki, kas klausās."
    publish.save_revision().publish()
    sync(admin_client, record.source, publish_translations=True)
    machine_translate(admin_client, record)
    sync(admin_client, record.source, use_machine_translation=True, publish_translations=True)
    publish_in_editor(admin_client, record)

    assert vocabulary_snapshot() == vocabulary_before
    pages_after = pages_snapshot(apart_from=[finnish_pk])
    pages_before.pop(latvian_practice.pk)  # its summary was edited above
    pages_after.pop(latvian_practice.pk)
    assert pages_after == pages_before
    assert term_translations() == []
    assert finnish_terms_of(latvian_practice) == (
        ["Osallisuus", "Paikallisdemokratia"],
        ["Aikuiset"],
        "Tapahtuma",
    )
    finnish = PracticePage.objects.get(pk=finnish_pk)
    assert finnish.live and finnish.title == "[fi] Dzīvā bibliotēka"


def test_a_term_missing_in_the_target_language_is_created_from_english_to_be_translated(
    admin_client, latvian_practice
):
    Theme.objects.get(slug="participation", locale=locale_for("fi")).delete()
    others_before = {k: v for k, v in vocabulary_snapshot().items() if k[1] != "participation"}

    response = submit_for_translation(admin_client, latvian_practice, "fi")

    finnish_theme = Theme.objects.get(slug="participation", locale=locale_for("fi"))
    english_theme = Theme.objects.get(slug="participation", locale=locale_for("en"))
    assert finnish_theme.translation_key == english_theme.translation_key
    assert finnish_theme.label == "Participation"  # English until a translator translates it
    assert term_translations() == [("participation", "en", "fi")]
    record = Translation.objects.get(
        source__object_id=english_theme.translation_key, target_locale=locale_for("fi")
    )
    assert record.enabled
    label = StringSegment.objects.get(source=record.source, context__path="label")
    assert not StringTranslation.objects.filter(
        translation_of=label.string, context=label.context, locale=locale_for("fi")
    ).exists()
    assert {k: v for k, v in vocabulary_snapshot().items() if k[1] != "participation"} == (
        others_before
    )
    assert finnish_terms_of(latvian_practice)[0] == ["Paikallisdemokratia", "Participation"]
    assert any("Participation" in message for message in messages_of(response))


def test_syncing_creates_a_term_added_to_the_source_since_from_english(
    admin_client, latvian_practice
):
    submit_for_translation(admin_client, latvian_practice, "fi")
    record = page_translation(latvian_practice, "fi")
    Audience.objects.get(slug="seniors", locale=locale_for("fi")).delete()
    latvian = PracticePage.objects.get(pk=latvian_practice.pk)
    latvian.audience_links.add(
        latvian.audience_links.model(
            audience=Audience.objects.get(slug="seniors", locale=latvian.locale)
        )
    )
    latvian.save_revision().publish()
    vocabulary_before = vocabulary_snapshot()

    sync(admin_client, record.source, publish_translations=True)

    created = Audience.objects.get(slug="seniors", locale=locale_for("fi"))
    assert created.label == "Seniors"
    assert vocabulary_snapshot() == {
        **vocabulary_before,
        ("Audience", "seniors", "fi"): ("Seniors", ""),
    }
    assert finnish_terms_of(latvian_practice)[1] == ["Aikuiset", "Seniors"]
    assert term_translations() == [("seniors", "en", "fi")]


def test_a_term_missing_in_the_target_language_and_in_english_is_reported(
    admin_client, latvian_practice
):
    folk_school = Theme.objects.create(
        slug="folk-high-school", label="Tautas augstskola", locale=locale_for("lv")
    )
    latvian = PracticePage.objects.get(pk=latvian_practice.pk)
    latvian.theme_links.add(latvian.theme_links.model(theme=folk_school))
    latvian.save_revision().publish()
    vocabulary_before = vocabulary_snapshot()

    response = submit_for_translation(admin_client, latvian_practice, "fi")

    assert vocabulary_snapshot() == vocabulary_before
    assert (
        not Theme.objects.filter(translation_key=folk_school.translation_key)
        .exclude(pk=folk_school.pk)
        .exists()
    )
    assert term_translations() == []
    reported = [m for m in messages_of(response) if "Tautas augstskola" in m]
    assert len(reported) == 1 and "Finnish" in reported[0]


def test_the_report_of_missing_terms_is_in_the_translators_language(
    admin_client, latvian_practice, admin_user
):
    folk_school = Theme.objects.create(
        slug="folk-high-school", label="Tautas augstskola", locale=locale_for("lv")
    )
    latvian = PracticePage.objects.get(pk=latvian_practice.pk)
    latvian.theme_links.add(latvian.theme_links.model(theme=folk_school))
    latvian.save_revision().publish()
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "fi"
    profile.save()

    response = submit_for_translation(admin_client, latvian_practice, "fi")

    reported = [m for m in messages_of(response) if "Tautas augstskola" in m]
    assert len(reported) == 1 and "suomi" in reported[0]


def test_translating_a_subtree_links_the_terms_of_every_page(latvian_practice, admin_user):
    vocabulary_before = vocabulary_snapshot()
    latvian_index = PracticeIndexPage.objects.get(locale=locale_for("lv"))

    translate_page_subtree(latvian_index.pk, [locale_for("fi")], None, admin_user)

    assert vocabulary_snapshot() == vocabulary_before
    assert term_translations() == []
    assert finnish_terms_of(latvian_practice)[0] == ["Osallisuus", "Paikallisdemokratia"]


# Repairing what wagtail-localize's own creator broke ---------------------------------------


def repair(*args) -> str:
    out = io.StringIO()
    call_command("kb_repair_vocabulary", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def damaged(latvian_practice):
    """The bug: wagtail-localize's TranslationCreator saved the Latvian terms over the
    Finnish ones. An editor had relabelled the Finnish "debate" before."""
    debate = Format.objects.get(slug="debate", locale=locale_for("fi"))
    debate.label = "Keskustelutilaisuus"
    debate.save()
    wagtail_localize_translate_object(latvian_practice, [locale_for("fi")])
    return latvian_practice


def test_wagtail_localizes_own_creator_overwrites_the_terms(damaged):
    """The damage the repair command is for (should wagtail-localize fix it, this test says
    the repair is no longer needed for new data)."""
    assert Theme.objects.get(slug="participation", locale=locale_for("fi")).label == "Līdzdalība"


def test_the_repair_restores_copied_labels_deletes_the_records_and_lists_them(damaged):
    dry_run = repair("--dry-run")

    assert "theme participation fi: 'Līdzdalība' → 'Osallisuus'" in dry_run
    assert Theme.objects.get(slug="participation", locale=locale_for("fi")).label == "Līdzdalība"
    assert term_translations() != []

    output = repair()

    assert "theme participation fi: 'Līdzdalība' → 'Osallisuus'" in output
    assert "theme local-democracy fi: 'Vietējā demokrātija' → 'Paikallisdemokratia'" in output
    assert "audience adults fi: 'Pieaugušie' → 'Aikuiset'" in output
    assert "format event fi: 'Pasākums' → 'Tapahtuma'" in output
    for model in VOCABULARIES:
        for slug, labels in SHIPPED[model.__name__].items():
            for code, label in zip(LANGUAGES, labels, strict=True):
                if (slug, code) != ("debate", "fi"):
                    assert model.objects.get(slug=slug, locale=locale_for(code)).label == label
    assert term_translations() == []
    assert finnish_terms_of(damaged)[0] == ["Osallisuus", "Paikallisdemokratia"]


def test_the_repair_keeps_a_label_an_editor_chose(damaged):
    repair()

    assert Format.objects.get(slug="debate", locale=locale_for("fi")).label == "Keskustelutilaisuus"


def test_a_second_repair_changes_nothing(damaged):
    repair()
    vocabulary_before = vocabulary_snapshot()

    output = repair()

    assert vocabulary_snapshot() == vocabulary_before
    assert "→" not in output
    assert "Nothing to repair." in output


def test_the_repair_keeps_the_source_languages_own_label_and_description(latvian_practice):
    adults = Audience.objects.get(slug="adults", locale=locale_for("lv"))
    adults.label = "Pieaugušie (18+)"
    adults.description = "Iedzīvotāji no 18 gadu vecuma."
    adults.save()
    wagtail_localize_translate_object(latvian_practice, [locale_for("fi")])
    finnish = Audience.objects.get(slug="adults", locale=locale_for("fi"))
    assert (finnish.label, finnish.description) == (adults.label, adults.description)

    output = repair()

    finnish.refresh_from_db()
    adults.refresh_from_db()
    assert (finnish.label, finnish.description) == ("Aikuiset", "")
    assert (adults.label, adults.description) == (
        "Pieaugušie (18+)",
        "Iedzīvotāji no 18 gadu vecuma.",
    )
    assert "audience adults fi: 'Pieaugušie (18+)' → 'Aikuiset'" in output
    assert "audience adults lv" not in output
