import pytest

from tests.browser.conftest import describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_shows_the_search_box_and_the_language_switcher(page):
    page.goto("/en/")

    search_box = page.get_by_role("searchbox", name="Search methods")
    assert search_box.is_visible()
    switcher = page.get_by_role("navigation", name="Language")
    assert switcher.get_by_role("link", name="suomi").is_visible()


def test_language_switcher_takes_the_visitor_to_the_same_page_in_latvian(page):
    page.goto("/en/")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="latviešu").click()

    assert page.url.endswith("/lv/")
    assert page.locator("html").get_attribute("lang") == "lv"


def test_skip_link_moves_keyboard_focus_to_the_main_content(page):
    page.goto("/en/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("path", ["/en/", "/fi/"])
def test_home_page_has_no_serious_accessibility_violations(page, axe, path):
    page.goto(path)

    violations = axe(page)
    assert violations == [], describe(violations)
