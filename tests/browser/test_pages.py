"""The public pages in a real browser: no serious accessibility violations (axe-core), and
the index filters usable with the keyboard alone."""

import datetime
import json

import pytest

from practices.models import PracticeMaterial
from tests.browser.conftest import describe
from tests.factories import (
    CaseStudyFactory,
    LibraryFactory,
    MeetingFactory,
    PracticeFactory,
    translate,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vocabularies"),
]

BODY = json.dumps(
    [
        {
            "type": "steps",
            "value": [
                {
                    "title": "Choose a motion",
                    "duration_minutes": 15,
                    "who": "Librarian",
                    "description": "<p>Pick something people care about.</p>",
                },
                {
                    "title": "Run the debate",
                    "duration_minutes": 60,
                    "who": "Moderator",
                    "description": "<p>Two teams, three rounds.</p>",
                },
            ],
        },
        {"type": "section", "value": {"kind": "tips", "text": "<p>Keep time visibly.</p>"}},
    ]
)


@pytest.fixture
def network():
    """A small network: a meeting, libraries in three countries, a practice with its case
    studies, and a practice written only in Latvian."""
    import wagtail_factories

    valmiera = LibraryFactory(title="Valmiera Library", slug="valmiera", country="LV")
    hiiumaa = LibraryFactory(title="Hiiumaa Central Library", slug="hiiumaa", country="EE")
    ikast = LibraryFactory(
        title="Ikast-Brande Libraries", slug="ikast", country="DK", partner=False
    )
    meeting = MeetingFactory(
        title="Kick-off in Valmiera", slug="kick-off", host=valmiera, agenda="<p>Practice fair</p>"
    )
    practice = PracticeFactory(
        title="Debate night",
        slug="debate-night",
        summary="Young people debate a motion before an election.",
        purpose="Practise disagreeing well.",
        body=BODY,
        preparation_minutes=60,
        cost_band="free",
        staff_needed=2,
        themes=["elections", "dialogue"],
        audiences=["youth"],
        format="debate",
        tags=["voting"],
        library=valmiera,
        meeting=meeting,
        contact_name="Anna Ozola",
        contact_email="anna@example.org",
    )
    PracticeMaterial.objects.create(
        page=practice,
        document=wagtail_factories.DocumentFactory(title="Motion cards"),
        locale=practice.locale,
    )
    PracticeFactory(title="Living library", themes=["inclusion"], library=hiiumaa)
    PracticeFactory(title="Dzīvā bibliotēka", locale="lv", themes=["inclusion"])
    case_study = CaseStudyFactory(
        title="Debate night in Kärdla",
        practice=practice,
        library=hiiumaa,
        stage="anchored",
        outcomes="It became a monthly event.",
    )
    CaseStudyFactory(
        practice=practice, library=ikast, stage="tried", date=datetime.date(2024, 5, 2)
    )
    translate(practice, "fi", title="Väittelyilta")
    return {
        "home": "/en/",
        "practice": practice.url,
        "finnish practice": "/fi/practices/debate-night/",
        "case study": case_study.url,
        "meeting": meeting.url,
        "library": valmiera.url,
        "practices": "/en/practices/",
        "filtered practices": "/en/practices/?theme=elections&country=LV",
        "finnish practices": "/fi/practices/",
        "case studies": "/en/case-studies/?stage=anchored",
        "meetings": "/en/meetings/",
        "libraries": "/en/libraries/",
        "api": "/et/api/",
    }


PAGES = [
    "home",
    "practice",
    "finnish practice",
    "case study",
    "meeting",
    "library",
    "practices",
    "filtered practices",
    "finnish practices",
    "case studies",
    "meetings",
    "libraries",
    "api",
]


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violations(page, axe, csp_violations, network, name):
    response = page.goto(network[name])

    assert response.status == 200
    assert page.locator("h1").count() == 1
    violations = axe(page)
    assert violations == [], describe(violations)
    assert csp_violations == []


def test_a_practice_with_no_case_study_has_no_serious_accessibility_violations(page, axe):
    practice = PracticeFactory(title="Source-criticism workshop", themes=["media-literacy"])

    page.goto(practice.url)

    assert page.get_by_text("No library has reported running this practice yet.").is_visible()
    violations = axe(page)
    assert violations == [], describe(violations)


def tab_to(tab, selector, limit=80):
    """Presses Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_practice_filters_work_with_the_keyboard_alone(page, network):
    page.goto("/en/practices/")
    assert page.get_by_role("heading", name="3 practices").is_visible()

    tab_to(page, 'input[name="theme"][value="elections"]')
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    page.keyboard.press("Space")
    tab_to(page, 'form.facets button[type="submit"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/practices/?theme=elections")  # the "any" choices left out

    assert page.get_by_role("heading", name="1 practice").is_visible()
    assert page.get_by_role("link", name="Debate night").is_visible()
    assert page.get_by_role("link", name="Living library").count() == 0

    tab_to(page, "a.chip--removable")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/practices/?")

    assert page.get_by_role("heading", name="3 practices").is_visible()


def test_a_select_filter_works_with_the_keyboard_alone(page, network):
    page.goto("/en/case-studies/")

    tab_to(page, "select#filter-library")
    page.keyboard.press("ArrowDown")  # Chromium changes a closed select's value with arrows
    chosen = page.evaluate("document.activeElement.value")
    tab_to(page, 'form.facets button[type="submit"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/en/case-studies/?library={chosen}")

    assert page.get_by_role("heading", name="1 case study").is_visible()
