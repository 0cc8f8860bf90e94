"""The shared outcome measures: a case study's own, a practice's weighted by respondents
across its public case studies, and the rule that a share needs its respondents."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import PageViewRestriction

from practices.ledger import practice_ledger
from practices.outcomes import practice_outcomes
from tests.factories import CaseStudyFactory, LibraryFactory, PracticeFactory, translate

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text)


def outcomes_of(practice):
    return practice_outcomes(a.case_study for a in practice_ledger(practice).adoptions)


def shares(outcomes) -> dict:
    return {measure.question: measure.share for measure in outcomes.measures}


@pytest.fixture
def debate_night():
    return PracticeFactory(title="Debate night", slug="debate-night")


def test_a_practice_weighs_each_case_study_by_its_respondents(debate_night):
    CaseStudyFactory(
        practice=debate_night,
        outcome_respondents=50,
        outcome_learned=80,
        outcome_confident=60,
    )
    CaseStudyFactory(
        practice=debate_night,
        outcome_respondents=10,
        outcome_learned=40,
        outcome_aware=90,
    )

    outcomes = outcomes_of(debate_night)

    # (80 × 50 + 40 × 10) / 60 = 73.3; the others come from one case study each.
    assert shares(outcomes) == {
        "outcome_learned": 73,
        "outcome_confident": 60,
        "outcome_aware": 90,
    }
    respondents = {m.question: m.respondents for m in outcomes.measures}
    assert respondents == {"outcome_learned": 60, "outcome_confident": 50, "outcome_aware": 10}
    assert outcomes.respondents == 60


def test_the_practice_says_how_many_of_its_case_studies_report_measures(debate_night):
    CaseStudyFactory(practice=debate_night, outcome_respondents=12, outcome_will_apply=75)
    CaseStudyFactory(practice=debate_night)
    CaseStudyFactory(practice=debate_night)

    outcomes = outcomes_of(debate_night)

    assert (outcomes.reporting, outcomes.case_studies) == (1, 3)
    assert outcomes.summary() == "Reported in 1 of 3 case studies, 12 respondents"


def test_a_practice_with_no_measures_reports_none(debate_night):
    CaseStudyFactory(practice=debate_night)

    outcomes = outcomes_of(debate_night)

    assert outcomes.measures == []
    assert outcomes.reporting == 0
    assert outcomes.summary() == ""


def test_a_private_case_study_is_left_out_of_the_measures(debate_night):
    CaseStudyFactory(practice=debate_night, outcome_respondents=20, outcome_learned=50)
    private = CaseStudyFactory(practice=debate_night, outcome_respondents=80, outcome_learned=100)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="board"
    )

    outcomes = outcomes_of(debate_night)

    assert shares(outcomes) == {"outcome_learned": 50}
    assert (outcomes.reporting, outcomes.case_studies) == (1, 1)


def test_a_translated_case_study_counts_once(debate_night):
    case_study = CaseStudyFactory(practice=debate_night, outcome_respondents=30, outcome_learned=70)
    translate(case_study, "fi", title="Väittelyilta Turussa")

    outcomes = outcomes_of(debate_night)

    assert (outcomes.reporting, outcomes.respondents) == (1, 30)


def test_a_share_without_respondents_is_refused_with_a_message():
    case_study = CaseStudyFactory.build(outcome_learned=80, outcome_respondents=None)

    with pytest.raises(ValidationError) as refused:
        case_study.clean()

    assert "Give the number of respondents" in " ".join(
        refused.value.message_dict["outcome_respondents"]
    )


def test_respondents_with_their_shares_are_accepted():
    case_study = CaseStudyFactory.build(outcome_learned=80, outcome_respondents=25)

    case_study.clean()  # no error


def test_the_case_study_page_shows_its_measures_in_text(client, debate_night):
    case_study = CaseStudyFactory(
        practice=debate_night,
        library=LibraryFactory(title="Turku City Library"),
        outcome_respondents=24,
        outcome_learned=88,
        outcome_aware=63,
    )

    text = text_of(client.get(case_study.url))

    assert "Outcome measures" in text
    assert "After the programme 24 participants answered the four shared outcome questions" in text
    assert "Learned something new 88 % 24" in text
    assert "More aware of what the library offers 63 % 24" in text
    assert "Feel more confident" not in text  # not asked there


def test_the_practice_page_shows_the_weighted_measures_and_how_many_report_them(
    client, debate_night
):
    CaseStudyFactory(practice=debate_night, outcome_respondents=50, outcome_learned=80)
    CaseStudyFactory(practice=debate_night, outcome_respondents=10, outcome_learned=40)
    CaseStudyFactory(practice=debate_night)

    text = text_of(client.get(debate_night.url))

    assert "How well it worked" in text
    assert "Reported in 2 of 3 case studies, 60 respondents" in text
    assert "Learned something new 73 % 60" in text


def test_the_practice_page_says_when_no_case_study_reports_measures(client, debate_night):
    CaseStudyFactory(practice=debate_night)

    text = text_of(client.get(debate_night.url))

    assert "No case study reports the shared outcome measures yet." in text
