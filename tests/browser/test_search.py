"""The search page in a real browser: accessibility, keyboard use and autocomplete."""

import uuid

import pytest
from wagtail.models import Locale

from practices.models import Theme
from tests.browser.conftest import describe
from tests.factories import PracticeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def themes():
    """The themes used here. A transactional test flushes the database, and with it the
    vocabularies that a data migration created."""
    english = Locale.objects.get(language_code="en")
    for slug, label in [("dialogue", "Dialogue"), ("elections", "Elections")]:
        Theme.objects.get_or_create(
            slug=slug, locale=english, defaults={"label": label, "translation_key": uuid.uuid4()}
        )


@pytest.fixture
def practices(themes):
    PracticeFactory(
        title="Living library",
        slug="living-library",
        themes=["dialogue"],
        tags=["conversation"],
        summary="People as books: a library event for conversations.",
    )
    PracticeFactory(
        title="Library election night",
        slug="election-night",
        themes=["elections"],
        summary="The library follows the results of the election with its readers.",
    )


def press_tab_until(page, condition: str, limit: int = 60):
    for _step in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {condition}; }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


def test_search_page_with_results_has_no_serious_accessibility_violations(page, axe, practices):
    page.goto("/en/search/?q=library&theme=dialogue")
    assert page.locator("p[role=status]").inner_text().startswith("1 result")

    violations = axe(page)
    assert violations == [], describe(violations)


def test_no_results_state_has_no_serious_accessibility_violations(page, axe, practices):
    page.goto("/en/search/?q=zebra")
    assert "Nothing found" in page.content()

    violations = axe(page)
    assert violations == [], describe(violations)


def test_a_bad_parameter_page_has_no_serious_accessibility_violations(page, axe, practices):
    response = page.goto("/fi/search/?page=0")
    assert response.status == 400

    violations = axe(page)
    assert violations == [], describe(violations)


def test_keyboard_only_search_then_filter(page, practices):
    page.goto("/en/search/")

    press_tab_until(page, "el.id === 'search-q'")
    page.keyboard.type("library")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search/?q=library*")
    assert page.locator("p[role=status]").inner_text().startswith("2 results")

    press_tab_until(page, "el.id === 'search-q'")
    press_tab_until(page, "el.type === 'checkbox' && el.value === 'elections'")
    page.keyboard.press("Space")
    press_tab_until(page, "el.type === 'submit' && el.closest('.facets') !== null")
    page.keyboard.press("Enter")

    page.wait_for_url("**theme=elections**")
    assert page.locator("p[role=status]").inner_text().startswith("1 result")
    assert page.get_by_role("link", name="Library election night").is_visible()
    assert page.get_by_role("link", name="Living library").count() == 0
    assert page.get_by_role("link", name="Remove filter Theme: Elections").is_visible()


def test_autocomplete_opens_with_the_arrow_keys_and_enter_opens_the_page(page, practices):
    page.goto("/en/search/")
    box = page.locator("#search-q")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"

    box.focus()
    page.keyboard.type("livi")
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")
    listbox.get_by_role("option", name="Living library").wait_for()
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"

    page.keyboard.press("ArrowDown")
    option = listbox.get_by_role("option", name="Living library")
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert option.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")

    page.keyboard.press("Enter")
    page.wait_for_url("**/en/practices/living-library/")
