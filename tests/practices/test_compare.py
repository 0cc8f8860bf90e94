"""Comparing two to four practices side by side, choosing them on the practices index or
from a practice page, and how a visitor's library joins a practice's ledger."""

import html
import re

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model

from practices.models import PracticeMaterial
from tests.factories import (
    STEPS_AND_SECTIONS,
    CaseStudyFactory,
    LibraryFactory,
    PracticeFactory,
    translate,
)

pytestmark = pytest.mark.django_db


def text_of(response, status=200) -> str:
    assert response.status_code == status
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text)


def compare_url(*keys, language="en") -> str:
    return f"/{language}/compare/?" + "&".join(f"practice={key}" for key in keys)


@pytest.fixture
def debate_night():
    practice = PracticeFactory(
        title="Debate night",
        slug="debate-night",
        summary="Young people debate a motion before an election.",
        body=STEPS_AND_SECTIONS,
        duration_minutes=90,
        preparation_minutes=60,
        group_size="10-30",
        staff_needed=2,
        cost_band="free",
        themes=["elections"],
        audiences=["youth"],
        format="debate",
    )
    PracticeMaterial.objects.create(
        page=practice,
        document=wagtail_factories.DocumentFactory(title="Motion cards"),
        locale=practice.locale,
    )
    CaseStudyFactory(
        practice=practice,
        library=LibraryFactory(country="FI"),
        stage="anchored",
        outcome_respondents=40,
        outcome_learned=85,
    )
    return practice


@pytest.fixture
def living_library():
    return PracticeFactory(
        title="Living library",
        slug="living-library",
        summary="Readers borrow a person for a conversation.",
        duration_minutes=180,
        themes=["inclusion"],
    )


def test_two_practices_are_shown_side_by_side_with_their_facts(
    client, debate_night, living_library
):
    text = text_of(client.get(compare_url("debate-night", "living-library")))

    assert "Compare practices" in text
    assert "2 practices side by side" in text
    assert text.index("Debate night") < text.index("Living library")
    assert "Duration 1 h 30 min 3 h" in text
    assert "Preparation time 1 h –" in text
    assert "Staff needed 2 people –" in text
    assert "Steps 2 steps –" in text
    assert "Materials to download Motion cards –" in text
    assert "Themes Elections" in text
    assert "Tried in 1 library in 1 country, anchored in 1" in text
    assert "No library has reported running it yet." in text
    assert "Learned something new: 85 %" in text
    assert "Reported in 1 of 1 case study, 40 respondents" in text
    assert re.search(r"Evidence (Repeated|Adopted elsewhere) ", text)


def test_the_evidence_level_is_shown_with_its_meaning(client, debate_night, living_library):
    text = text_of(client.get(compare_url("debate-night", "living-library")))

    assert "Described The method is written down" in text


def test_four_practices_can_be_compared(client, debate_night, living_library):
    PracticeFactory(slug="democracy-cafe", title="Democracy café")
    PracticeFactory(slug="source-criticism", title="Source criticism")

    text = text_of(
        client.get(
            compare_url("debate-night", "living-library", "democracy-cafe", "source-criticism")
        )
    )

    assert "4 practices side by side" in text


def test_one_practice_is_refused_with_a_helpful_page(client, debate_night):
    response = client.get(compare_url("debate-night"))

    text = text_of(response, status=400)
    assert "Choose at least two practices to compare" in text
    assert "Choose practices to compare" in text


def test_no_practice_at_all_is_refused(client):
    text = text_of(client.get("/en/compare/"), status=400)

    assert "Choose at least two practices to compare" in text


def test_five_practices_are_refused(client):
    keys = [PracticeFactory().slug for _ in range(5)]

    text = text_of(client.get(compare_url(*keys)), status=400)

    assert "Compare at most four practices at a time; you chose 5." in text


def test_a_practice_named_twice_counts_once(client, debate_night):
    text = text_of(client.get(compare_url("debate-night", "debate-night")), status=400)

    assert "Choose at least two practices" in text


def test_an_unknown_key_is_refused_by_name(client, debate_night):
    text = text_of(client.get(compare_url("debate-night", "no-such-practice")), status=400)

    assert "No published practice has the key “no-such-practice”" in text


def test_a_malformed_key_is_refused_not_an_error(client, debate_night):
    response = client.get("/en/compare/?practice=debate-night&practice=%3Cscript%3E")

    text = text_of(response, status=400)
    assert "No published practice has the key" in text
    assert "<script>" not in response.content.decode()


def test_an_unpublished_practice_is_unknown(client, debate_night, living_library):
    living_library.unpublish()

    text = text_of(client.get(compare_url("debate-night", "living-library")), status=400)

    assert "“living-library”" in text


def test_practices_are_shown_in_the_readers_language(client, debate_night, living_library):
    translate(debate_night, "fi", title="Väittelyilta")
    PracticeFactory(title="Dzīvā bibliotēka", slug="dziva-biblioteka", locale="lv")

    finnish = text_of(client.get(compare_url("debate-night", "living-library", language="fi")))
    english = client.get(compare_url("debate-night", "dziva-biblioteka"))

    assert "Väittelyilta" in finnish
    assert "Living library" in finnish  # only in English: shown as it is
    assert 'lang="lv">Dzīvā bibliotēka</a>' in english.content.decode()


def test_the_comparison_reads_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, debate_night, living_library
):
    others = [CaseStudyFactory(outcome_respondents=10, outcome_aware=50).practice.slug]
    others.append(CaseStudyFactory().practice.slug)
    client.get(compare_url("debate-night", "living-library"))  # warm the caches

    with django_assert_max_num_queries(40):
        response = client.get(compare_url("debate-night", "living-library", *others))

    assert response.status_code == 200


def test_the_practices_index_offers_checkboxes_to_compare(client, debate_night, living_library):
    page = client.get("/en/practices/").content.decode()

    assert 'form id="compare-form"' in page
    assert 'action="/en/compare/"' in page
    assert re.search(
        r'<input type="checkbox" form="compare-form" name="practice" '
        r'value="debate-night">',
        page,
    )


def test_a_practice_added_from_its_page_is_ticked_on_the_index(
    client, debate_night, living_library
):
    practice_page = client.get(debate_night.url).content.decode()
    assert 'href="/en/practices/?compare=debate-night#compare-title">Add to comparison' in (
        practice_page
    )

    page = client.get("/en/practices/?compare=debate-night&compare=unknown").content.decode()

    assert 'value="debate-night" checked' in page
    assert 'value="unknown"' not in page


def test_a_practice_chosen_on_another_page_of_the_list_stays_chosen(client, living_library):
    PracticeFactory(title="Democracy café", slug="democracy-cafe", themes=["dialogue"])

    text = text_of(client.get("/en/practices/?theme=inclusion&compare=democracy-cafe"))

    assert "Already chosen Democracy café" in text


def test_a_visitor_reads_how_a_library_joins_the_ledger(client, debate_night):
    text = text_of(client.get(debate_night.url))

    assert "Has your library run this practice?" in text
    assert "a partner editor signs in and chooses “Adapt this method for my library”" in text
    assert "Sign in as a partner editor" in text
    assert "Not a partner yet?" in text


def test_a_visitor_is_pointed_to_the_practices_contact_form(client, debate_night):
    debate_night.contact_name = "Anna Ozola"
    debate_night.contact_email = "anna@example.org"
    debate_night.save_revision().publish()

    page = client.get(debate_night.url).content.decode()

    assert f'href="/en/contact/{debate_night.pk}/">Ask the people behind this practice' in page


def test_a_signed_in_user_is_not_told_how_to_join(client, debate_night):
    client.force_login(get_user_model().objects.create_user("ilze", password="x"))

    text = text_of(client.get(debate_night.url))

    assert "Has your library run this practice?" not in text
