"""Evidence levels: computed from a practice's case studies, from described to anchored in
several libraries and countries."""

import pytest

from practices.evidence import (
    ADOPTED,
    ANCHORED,
    DESCRIBED,
    LEVELS,
    REPEATED,
    TRIED,
    evidence_of_practices,
    practice_evidence,
    with_evidence_levels,
)
from tests.factories import CaseStudyFactory, LibraryFactory, PracticeFactory, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def valmiera():
    return LibraryFactory(title="Valmiera Library", slug="valmiera", country="LV")


@pytest.fixture
def turku():
    return LibraryFactory(title="Turku City Library", slug="turku", country="FI")


@pytest.fixture
def ikast():
    return LibraryFactory(title="Ikast-Brande Libraries", slug="ikast", country="DK")


@pytest.fixture
def riga():
    return LibraryFactory(title="Riga Central Library", slug="riga", country="LV")


@pytest.fixture
def debate_night(valmiera):
    """A practice that comes from Valmiera."""
    return PracticeFactory(title="Debate night", slug="debate-night", library=valmiera)


def ran(practice, library, stage):
    return CaseStudyFactory(practice=practice, library=library, stage=stage)


def test_the_ladder_runs_from_described_to_anchored_each_level_above_the_last():
    assert [level.slug for level in LEVELS] == [
        "described",
        "tried",
        "repeated",
        "adopted",
        "anchored",
    ]
    assert [level.rank for level in LEVELS] == [1, 2, 3, 4, 5]
    assert all(str(level.meaning).endswith(".") for level in LEVELS)


def test_a_practice_no_library_has_run_is_only_described(debate_night):
    assert practice_evidence(debate_night) == DESCRIBED


def test_a_practice_run_once_is_tried(debate_night, turku):
    ran(debate_night, turku, "tried")

    assert practice_evidence(debate_night) == TRIED


def test_its_own_library_running_it_again_makes_it_repeated(debate_night, valmiera):
    ran(debate_night, valmiera, "repeated")

    assert practice_evidence(debate_night) == REPEATED


def test_anchored_where_it_comes_from_is_repeated_not_adopted(debate_night, valmiera):
    ran(debate_night, valmiera, "anchored")

    assert practice_evidence(debate_night) == REPEATED


def test_another_library_trying_it_once_is_not_adoption(debate_night, valmiera, turku):
    ran(debate_night, valmiera, "repeated")
    ran(debate_night, turku, "tried")

    assert practice_evidence(debate_night) == REPEATED


def test_another_library_repeating_it_makes_it_adopted(debate_night, turku):
    ran(debate_night, turku, "repeated")

    assert practice_evidence(debate_night) == ADOPTED


def test_a_practice_from_no_library_is_adopted_when_any_library_repeats_it(turku):
    practice = PracticeFactory(library=None)
    ran(practice, turku, "repeated")

    assert practice_evidence(practice) == ADOPTED


def test_anchored_in_two_libraries_of_one_country_is_adopted_not_anchored(
    debate_night, valmiera, riga
):
    ran(debate_night, valmiera, "anchored")
    ran(debate_night, riga, "anchored")

    assert practice_evidence(debate_night) == ADOPTED


def test_anchored_in_two_libraries_in_two_countries_is_anchored(debate_night, valmiera, turku):
    ran(debate_night, valmiera, "anchored")
    ran(debate_night, turku, "anchored")

    assert practice_evidence(debate_night) == ANCHORED


def test_case_studies_of_any_language_version_count(debate_night, turku, ikast):
    finnish = translate(debate_night, "fi", title="Väittelyilta")
    ran(finnish, turku, "anchored")
    ran(debate_night, ikast, "anchored")

    assert practice_evidence(debate_night) == ANCHORED
    assert practice_evidence(finnish) == ANCHORED


def test_an_unpublished_case_study_no_longer_counts(debate_night, turku):
    case_study = ran(debate_night, turku, "repeated")
    case_study.unpublish()

    assert practice_evidence(debate_night) == DESCRIBED


def test_levels_of_many_practices_come_from_one_query(
    django_assert_num_queries, debate_night, valmiera, turku, ikast
):
    tried, described = PracticeFactory(library=turku), PracticeFactory()
    ran(tried, valmiera, "tried")
    ran(debate_night, turku, "anchored")
    ran(debate_night, ikast, "anchored")

    with django_assert_num_queries(1):
        levels = evidence_of_practices(
            [p.translation_key for p in (debate_night, tried, described)]
        )

    assert levels == {
        str(debate_night.translation_key): ANCHORED,
        str(tried.translation_key): TRIED,
        str(described.translation_key): DESCRIBED,
    }


def test_many_and_one_at_a_time_agree(debate_night, valmiera, turku, riga):
    ran(debate_night, valmiera, "anchored")
    ran(debate_night, riga, "repeated")
    ran(debate_night, turku, "tried")

    many = evidence_of_practices([debate_night.translation_key])

    assert many[str(debate_night.translation_key)] == practice_evidence(debate_night) == ADOPTED


def test_a_list_of_practices_gets_its_levels_in_one_query(
    django_assert_num_queries, debate_night, turku
):
    ran(debate_night, turku, "repeated")
    other = PracticeFactory()

    with django_assert_num_queries(1):
        pages = with_evidence_levels([debate_night, other, turku])

    assert [getattr(page, "evidence_level", None) for page in pages] == [ADOPTED, DESCRIBED, None]


def test_the_read_api_gives_each_practice_its_level(client, debate_night, turku, ikast):
    ran(debate_night, turku, "anchored")
    ran(debate_night, ikast, "anchored")
    PracticeFactory(slug="democracy-cafe")

    detail = client.get("/api/v1/practices/debate-night", {"lang": "en"}).json()
    listed = client.get("/api/v1/practices", {"lang": "en"}).json()

    assert detail["evidence"] == "anchored"
    levels = {item["key"]: item["evidence"] for item in listed["results"]}
    assert levels == {"debate-night": "anchored", "democracy-cafe": "described"}


@pytest.mark.parametrize("path", ["/en/practices/", "/en/", "/en/libraries/valmiera/"])
def test_practice_cards_show_each_level_with_its_meaning(client, debate_night, turku, path):
    ran(debate_night, turku, "repeated")

    html = client.get(path).content.decode()

    assert '<p class="evidence-badge evidence-badge--adopted">' in html
    assert "Evidence: Adopted elsewhere" in html
    assert "A library other than the one it comes from has run the method more than once." in html


def test_a_library_no_one_may_see_counts_alike_on_the_page_and_in_lists(debate_night, turku):
    ran(debate_night, turku, "repeated")
    turku.unpublish()

    assert practice_evidence(debate_night) == DESCRIBED
    assert evidence_of_practices([debate_night.translation_key]) == {
        str(debate_night.translation_key): DESCRIBED
    }
