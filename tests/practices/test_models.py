import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation as django_translation

from practices.ledger import practice_ledger
from practices.models import CaseStudyPage, PracticePage, Theme
from tests.factories import (
    CaseStudyFactory,
    LibraryFactory,
    MeetingFactory,
    PracticeFactory,
    translate,
)

pytestmark = pytest.mark.django_db


def test_the_six_vocabulary_languages_are_shipped_for_every_term():
    for slug in ["elections", "media-literacy", "networking"]:
        labels = dict(Theme.objects.filter(slug=slug).values_list("locale__language_code", "label"))
        assert set(labels) == {"en", "lv", "fi", "et", "da", "sv"}
    assert Theme.objects.get(slug="elections", locale__language_code="fi").label == "Vaalit"


def test_a_translated_practice_keeps_its_key_and_points_at_translated_themes():
    practice = PracticeFactory(slug="debate-night", themes=["elections"], tags=["debate"])

    finnish = translate(practice, "fi", title="Väittelyilta")

    assert finnish.key == "debate-night"
    assert [t.label for t in finnish.themes] == ["Vaalit"]
    assert list(finnish.tags.names()) == ["debate"]


def test_meeting_cannot_end_before_it_starts():
    meeting = MeetingFactory.build(start_date=datetime.date(2024, 5, 16), end_date=datetime.date(2024, 5, 14))

    with pytest.raises(ValidationError) as error:
        meeting.clean()
    assert "end_date" in error.value.message_dict


def test_ledger_counts_libraries_countries_and_anchored_adoptions():
    practice = PracticeFactory()
    valmiera = LibraryFactory(country="LV")
    hiiumaa = LibraryFactory(country="EE")
    ikast = LibraryFactory(country="DK")
    CaseStudyFactory(practice=practice, library=valmiera, stage="tried", date=datetime.date(2024, 1, 1))
    CaseStudyFactory(practice=practice, library=valmiera, stage="anchored", date=datetime.date(2024, 9, 1))
    CaseStudyFactory(practice=practice, library=hiiumaa, stage="repeated", date=datetime.date(2024, 3, 1))
    CaseStudyFactory(practice=practice, library=ikast, stage="anchored", date=datetime.date(2024, 6, 1))

    ledger = practice_ledger(practice)

    assert (ledger.library_count, ledger.country_count, ledger.anchored_count) == (3, 3, 2)
    assert [a.date.month for a in ledger.adoptions] == [1, 3, 6, 9]
    assert ledger.summary() == "Tried in 3 libraries in 3 countries, anchored in 2"


def test_ledger_shows_case_studies_in_the_readers_language_and_counts_each_once():
    practice = PracticeFactory()
    case_study = CaseStudyFactory(practice=practice, title="Living library in Kärdla")
    translate(case_study, "fi", title="Elävä kirjasto Kärdlassa")

    with django_translation.override("fi"):
        ledger = practice_ledger(practice)

    assert [a.case_study.title for a in ledger.adoptions] == ["Elävä kirjasto Kärdlassa"]


def test_case_studies_of_a_translated_practice_belong_to_every_language_version():
    practice = PracticeFactory()
    latvian = translate(practice, "lv", title="Dzīvā bibliotēka")
    CaseStudyFactory(practice=latvian)

    assert len(practice_ledger(practice).adoptions) == 1
    assert PracticePage.objects.count() == 2 and CaseStudyPage.objects.count() == 1
