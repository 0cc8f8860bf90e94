"""Evidence badges in a real browser: the practice page, the practices index, the search
results and the page explaining the levels have no serious accessibility violations, and a
badge's meaning is reached with the keyboard."""

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
    """A practice anchored in Latvia and Estonia, one tried once, one only described."""
    valmiera = LibraryFactory(title="Valmiera Library", slug="valmiera", country="LV")
    hiiumaa = LibraryFactory(title="Hiiumaa Central Library", slug="hiiumaa", country="EE")
    debate = PracticeFactory(
        title="Debate night",
        slug="debate-night",
        summary="Young people debate a motion before an election.",
        themes=["elections"],
        library=valmiera,
    )
    CaseStudyFactory(practice=debate, library=valmiera, stage="anchored")
    CaseStudyFactory(practice=debate, library=hiiumaa, stage="anchored")
    cafe = PracticeFactory(title="Democracy café", slug="democracy-cafe", library=hiiumaa)
    CaseStudyFactory(practice=cafe, library=valmiera, stage="tried")
    PracticeFactory(title="Source-criticism workshop", slug="source-criticism")
    return debate


@pytest.mark.parametrize(
    "path",
    [
        "/en/practices/debate-night/",
        "/en/practices/",
        "/en/search/?type=practice&sort=evidence",
        "/en/search/?q=debate&evidence=anchored&evidence=tried",
        "/lv/search/evidence/",
    ],
)
def test_pages_with_evidence_badges_have_no_serious_accessibility_violations(
    page, axe, practices, path
):
    response = page.goto(path)

    assert response.status == 200
    assert page.locator(".evidence-badge").count() >= 1
    violations = axe(page)
    assert violations == [], describe(violations)


def test_the_practice_page_says_what_its_level_means(page, practices):
    page.goto("/en/practices/debate-night/")

    badge = page.locator("header .evidence-badge")
    assert badge.get_by_text("Evidence: Anchored in several countries").is_visible()
    assert badge.get_by_text(
        "The method has become part of regular work in at least two libraries in at least "
        "two countries."
    ).is_visible()


def test_a_result_s_badge_leads_by_keyboard_to_the_meaning_of_its_level(page, practices):
    page.goto("/en/search/?type=practice&sort=evidence")
    first = page.locator(".search-result .evidence-badge__level").first
    # Read out with the badge: its level and what it means.
    assert "at least two libraries in at least two countries" in first.inner_text()

    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search/evidence/#evidence-anchored")

    assert (
        page.locator("#evidence-anchored")
        .get_by_text("The method has become part of regular work", exact=False)
        .first.is_visible()
    )
