"""Printing a practice gives a method card: its steps with their minutes, the ledger table,
the evidence level, the page's address and the licence, on at most two A4 pages."""

import datetime
import io
import json
import re

import pytest
import wagtail_factories

from practices.models import PracticeMaterial
from tests.factories import CaseStudyFactory, LibraryFactory, MeetingFactory, PracticeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vocabularies"),
]

STEPS = [
    ("Choose a motion with the young people", 20, "Librarian"),
    ("Form two teams and hand out the motion cards", 10, "Librarian"),
    ("Prepare arguments in the teams", 30, "Volunteers"),
    ("Run the debate in three rounds", 45, "Moderator"),
    ("Let the audience vote and explain their vote", 15, "Moderator"),
    ("Talk about how it felt to disagree", 15, "Librarian"),
]

BODY = json.dumps(
    [
        {
            "type": "steps",
            "value": [
                {
                    "title": title,
                    "duration_minutes": minutes,
                    "who": who,
                    "description": "<p>Keep it short and let everyone speak once.</p>",
                }
                for title, minutes, who in STEPS
            ],
        },
        {
            "type": "section",
            "value": {"kind": "materials", "text": "<p>A bell, a timer, name cards.</p>"},
        },
        {
            "type": "section",
            "value": {"kind": "tips", "text": "<p>Keep time visibly; thank both teams.</p>"},
        },
        {
            "type": "section",
            "value": {"kind": "accessibility", "text": "<p>Step-free room, a microphone.</p>"},
        },
    ]
)

LIBRARIES = [
    ("Hiiumaa Central Library", "EE", "anchored"),
    ("Ikast-Brande Libraries", "DK", "repeated"),
    ("Turku City Library", "FI", "tried"),
]


@pytest.fixture
def debate_night():
    """A practice as the demo content has them: six timed steps, sections, materials, a
    contact, and three libraries that ran it, with outcome measures."""
    valmiera = LibraryFactory(title="Valmiera Library", slug="valmiera", country="LV")
    practice = PracticeFactory(
        title="Debate night",
        slug="debate-night",
        summary="Young people debate a motion before an election, and the audience votes.",
        purpose="Practise disagreeing well, in public, with arguments.",
        body=BODY,
        duration_minutes=135,
        preparation_minutes=90,
        group_size="10-40",
        staff_needed=2,
        cost_band="free",
        themes=["elections", "dialogue"],
        audiences=["youth"],
        format="debate",
        library=valmiera,
        meeting=MeetingFactory(title="Kick-off in Valmiera", host=valmiera),
        licence="CC-BY-SA-4.0",
        contact_name="Anna Ozola",
        contact_role="Youth librarian",
        contact_email="anna@valmiera.example",
    )
    for title in ("Motion cards", "Debate rules handout"):
        PracticeMaterial.objects.create(
            page=practice,
            document=wagtail_factories.DocumentFactory(title=title),
            locale=practice.locale,
        )
    for number, (name, country, stage) in enumerate(LIBRARIES):
        CaseStudyFactory(
            title=f"Debate night at {name}",
            practice=practice,
            library=LibraryFactory(title=name, country=country),
            stage=stage,
            date=datetime.date(2024, 3 + number, 1),
            participants=30,
            outcome_respondents=24,
            outcome_learned=80 - number * 5,
            outcome_confident=70,
            outcome_will_apply=60,
            outcome_aware=55,
        )
    return practice


def printed(page, url, tmp_path):
    """The page as Chromium prints it to A4, and its text, page by page."""
    pypdf = pytest.importorskip("pypdf")
    page.goto(url)
    pdf = page.pdf(format="A4", print_background=True)
    (tmp_path / "practice.pdf").write_bytes(pdf)  # kept for a look when the test fails
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", sheet.extract_text()) for sheet in reader.pages]


def test_a_printed_practice_is_a_method_card_of_at_most_two_pages(
    page, live_server, debate_night, tmp_path
):
    sheets = printed(page, debate_night.url, tmp_path)
    text = " ".join(sheets)

    assert len(sheets) <= 2
    for title, minutes, _who in STEPS:
        assert title in text
        assert f"{minutes} minutes" in text
    for name, _country, _stage in LIBRARIES:
        assert name in text  # the ledger table's rows
    assert "Libraries that have run “Debate night”" in text
    assert "Evidence" in text
    assert f"{live_server.url}{debate_night.url}" in text.replace(" ", "")
    assert "Creative Commons Attribution-ShareAlike 4.0" in text


def test_the_printed_card_leaves_out_what_works_only_on_screen(page, debate_night, tmp_path):
    text = " ".join(printed(page, debate_night.url, tmp_path))

    assert "Add to comparison" not in text
    assert "Has your library run this practice?" not in text
    assert "Search methods" not in text
    assert "Skip to main content" not in text
