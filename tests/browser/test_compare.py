"""Comparing practices and the outcome measures in a real browser: no serious accessibility
violations (axe-core), no Content-Security-Policy violation, choosing practices to compare
with the keyboard alone, and the comparison scrolling in a focusable region on a phone."""

import pytest

from tests.browser.conftest import describe
from tests.factories import CaseStudyFactory, LibraryFactory, PracticeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vocabularies"),
]


@pytest.fixture
def practices():
    debate = PracticeFactory(
        title="Debate night",
        slug="debate-night",
        themes=["elections"],
        audiences=["youth"],
        format="debate",
        preparation_minutes=60,
        staff_needed=2,
        cost_band="free",
    )
    living = PracticeFactory(title="Living library", slug="living-library", themes=["inclusion"])
    case_study = CaseStudyFactory(
        title="Debate night in Kärdla",
        practice=debate,
        library=LibraryFactory(title="Hiiumaa Central Library", country="EE"),
        stage="anchored",
        outcome_respondents=24,
        outcome_learned=88,
        outcome_confident=71,
        outcome_will_apply=65,
        outcome_aware=50,
    )
    return {"debate": debate, "living": living, "case study": case_study}


@pytest.mark.parametrize(
    "url",
    [
        "/en/compare/?practice=debate-night&practice=living-library",
        "/en/compare/?practice=debate-night",
        "/en/practices/?compare=debate-night",
    ],
)
def test_compare_pages_have_no_serious_accessibility_violations(
    page, axe, csp_violations, practices, url
):
    page.goto(url)

    assert page.locator("h1").count() == 1
    violations = axe(page)
    assert violations == [], describe(violations)
    assert csp_violations == []


def test_a_case_study_with_outcomes_has_no_serious_accessibility_violations(
    page, axe, csp_violations, practices
):
    page.goto(practices["case study"].url)

    assert page.get_by_role(
        "table", name="Share of respondents agreeing, per question"
    ).is_visible()
    violations = axe(page)
    assert violations == [], describe(violations)
    assert csp_violations == []


def test_a_practice_with_outcomes_has_no_serious_accessibility_violations(
    page, axe, csp_violations, practices
):
    page.goto(practices["debate"].url)

    assert page.get_by_role("table", name="Outcome measures across the case studies").is_visible()
    violations = axe(page)
    assert violations == [], describe(violations)
    assert csp_violations == []


def tab_to(tab, selector, limit=120):
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_practices_are_chosen_and_compared_with_the_keyboard_alone(page, practices):
    page.goto("/en/practices/")

    tab_to(page, 'input[name="practice"][value="debate-night"]')
    page.keyboard.press("Space")
    tab_to(page, 'input[name="practice"][value="living-library"]')
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    page.keyboard.press("Space")
    tab_to(page, '.compare-choice__again button[type="submit"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/compare/?practice=*")

    assert page.get_by_role("heading", name="Compare practices").is_visible()
    assert page.get_by_role("columnheader", name="Debate night").is_visible()
    assert page.get_by_role("columnheader", name="Living library").is_visible()


def test_on_a_phone_the_comparison_scrolls_in_a_focusable_region(browser, live_server, practices):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 320, "height": 640}, locale="en-GB"
    )
    tab = context.new_page()
    try:
        tab.goto("/en/compare/?practice=debate-night&practice=living-library")
        region = tab.get_by_role("region", name="2 practices side by side")

        assert region.get_attribute("tabindex") == "0"
        widths = region.evaluate("(r) => [r.scrollWidth, r.clientWidth]")
        assert widths[0] > widths[1]  # the table scrolls inside the region...
        page_width = tab.evaluate("document.documentElement.scrollWidth")
        assert page_width <= 320  # ...not the page
    finally:
        context.close()
