import pytest

from tests.browser.conftest import describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_shows_the_search_box_and_the_language_switcher(page):
    page.goto("/en/")

    # A search box that the autocomplete script makes a combobox (ARIA 1.2).
    search_box = page.get_by_role("combobox", name="Search methods")
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


HEADER_LAYOUT = """() => {
  const input = document.querySelector('#site-search-input');
  const pen = document.createElement('canvas').getContext('2d');
  const style = getComputedStyle(input);
  pen.font = style.font;
  const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  const items = [...document.querySelectorAll('.language-switcher li')].map(li => li.getBoundingClientRect().top);
  return {
    placeholderFits: pen.measureText(input.placeholder).width + padding <= input.clientWidth,
    switcherLines: new Set(items.map(Math.round)).size,
    pageWidth: document.documentElement.scrollWidth,
  };
}"""


@pytest.mark.parametrize("language", ["en", "lv", "fi", "et", "da", "sv"])
def test_the_header_fits_in_every_language_from_phone_to_desktop(page, language):
    for width in (320, 768, 1280):
        page.set_viewport_size({"width": width, "height": 700})
        page.goto(f"/{language}/")
        layout = page.evaluate(HEADER_LAYOUT)

        assert layout["placeholderFits"], (language, width)
        assert layout["pageWidth"] <= width, (language, width)
        if width >= 768:  # the language switcher keeps to one line beside nothing but itself
            assert layout["switcherLines"] == 1, (language, width)
