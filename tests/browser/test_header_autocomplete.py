"""The autocomplete of the header's search box, on pages other than the search page: an
ARIA 1.2 combobox whose suggestions say what type of page each is, in the page's language,
usable with the keyboard alone, with no serious accessibility violation while the list is
open, under the site's real Content-Security-Policy."""

import pytest

from tests.browser.conftest import describe
from tests.factories import LibraryFactory, PracticeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def strict_page(browser, live_server):
    """A tab, and the Content-Security-Policy violations it reports."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    tab = context.new_page()
    tab.csp_violations = []
    tab.on(
        "console",
        lambda message: (
            tab.csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield tab
    context.close()


@pytest.fixture
def pages():
    PracticeFactory(
        title="Library election night",
        slug="election-night",
        summary="The library follows the results of the election with its readers.",
    )
    LibraryFactory(title="Library of Valmiera", slug="valmiera", country="LV")


def header_box(tab):
    box = tab.locator("#site-search-input")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-autocomplete") == "list"
    assert box.get_attribute("aria-expanded") == "false"
    return box


def open_list(tab, box, text):
    box.focus()
    tab.keyboard.type(text)
    listbox = tab.locator(f"#{box.get_attribute('aria-controls')}")
    listbox.get_by_role("option").first.wait_for()
    return listbox


def test_the_home_pages_header_box_suggests_pages_with_their_type(strict_page, axe, pages):
    tab = strict_page
    tab.goto("/en/")
    box = header_box(tab)

    listbox = open_list(tab, box, "libr")

    assert box.get_attribute("aria-expanded") == "true"
    assert listbox.get_attribute("role") == "listbox"
    assert listbox.get_attribute("aria-label") == "Suggestions"
    assert listbox.is_visible()
    options = listbox.get_by_role("option")
    assert options.count() == 2
    # Seen as a title and a tag; read as "title, type".
    practice = listbox.get_by_role("option", name="Library election night, Practice", exact=True)
    library = listbox.get_by_role("option", name="Library of Valmiera, Library", exact=True)
    assert practice.is_visible() and library.is_visible()
    assert practice.get_by_text("Practice", exact=True).is_visible()
    status = tab.locator(f"#{box.get_attribute('aria-controls')} + [role=status]")
    assert status.inner_text() == "2 suggestions"

    violations = axe(tab)
    assert violations == [], describe(violations)
    assert tab.csp_violations == []


def test_the_header_box_works_with_the_keyboard_alone(strict_page, pages):
    tab = strict_page
    tab.goto("/en/")
    box = header_box(tab)
    listbox = open_list(tab, box, "libr")

    tab.keyboard.press("ArrowDown")
    first = listbox.get_by_role("option").nth(0)
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert tab.evaluate("document.activeElement.id") == "site-search-input"

    tab.keyboard.press("ArrowUp")  # wraps round to the last
    last = listbox.get_by_role("option").nth(1)
    assert last.get_attribute("aria-selected") == "true"
    assert first.get_attribute("aria-selected") == "false"
    assert box.get_attribute("aria-activedescendant") == last.get_attribute("id")

    tab.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert not listbox.is_visible()
    assert box.get_attribute("aria-activedescendant") is None
    assert box.input_value() == "libr"

    tab.keyboard.press("ArrowDown")
    listbox.get_by_role("option").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    chosen = listbox.get_by_role("option").nth(0).inner_text()
    tab.keyboard.press("Enter")
    url = "**/en/practices/election-night/" if "election" in chosen else "**/valmiera/"
    tab.wait_for_url(url)


def test_enter_without_a_chosen_suggestion_searches(strict_page, pages):
    tab = strict_page
    tab.goto("/en/")
    box = header_box(tab)
    open_list(tab, box, "libr")

    tab.keyboard.press("Enter")
    tab.wait_for_url("**/en/search/?q=libr")


def test_the_suggestions_speak_the_pages_language(strict_page, pages):
    tab = strict_page
    tab.goto("/fi/")
    box = header_box(tab)
    listbox = open_list(tab, box, "libr")

    assert listbox.get_attribute("aria-label") == "Ehdotukset"
    assert listbox.get_by_role("option", name="Library election night, Menetelmä").is_visible()
    assert listbox.get_by_role("option", name="Library of Valmiera, Kirjasto").is_visible()
    status = tab.locator(f"#{box.get_attribute('aria-controls')} + [role=status]")
    assert status.inner_text() == "2 ehdotusta"


def test_a_practice_pages_header_box_has_no_violations_with_the_list_open(strict_page, axe, pages):
    tab = strict_page
    tab.goto("/en/practices/election-night/")
    box = header_box(tab)
    listbox = open_list(tab, box, "election")

    assert listbox.get_by_role("option", name="Library election night, Practice").is_visible()
    tab.keyboard.press("ArrowDown")
    violations = axe(tab)
    assert violations == [], describe(violations)
    assert tab.csp_violations == []
