"""The adoption map in a real browser: no serious accessibility violations on a practice page
with its map and on the network's map page, no inline style refused by the
Content-Security-Policy, and no sideways scrolling on a 320 px wide phone."""

import pytest

from tests.browser.conftest import describe
from tests.factories import CaseStudyFactory, LibraryFactory, PracticeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vocabularies"),
]


@pytest.fixture
def adoption_urls():
    """A practice from Turku run in Valmiera (anchored) and Kärdla (tried), a library with
    no coordinates, and a library that ran nothing yet."""
    turku = LibraryFactory(
        title="Turku City Library",
        slug="turku",
        city="Turku",
        country="FI",
        latitude=60.4518,
        longitude=22.2666,
    )
    valmiera = LibraryFactory(
        title="Valmiera Library",
        slug="valmiera",
        city="Valmiera",
        country="LV",
        latitude=57.5384,
        longitude=25.4263,
    )
    hiiumaa = LibraryFactory(
        title="Hiiumaa Central Library",
        slug="hiiumaa",
        city="Kärdla",
        country="EE",
        latitude=58.9978,
        longitude=22.7494,
        partner=False,
    )
    LibraryFactory(
        title="Ikast-Brande Libraries", slug="ikast", city="Ikast", country="DK", partner=False
    )
    practice = PracticeFactory(title="Debate night", slug="debate-night", library=turku)
    CaseStudyFactory(practice=practice, library=valmiera, stage="anchored")
    CaseStudyFactory(practice=practice, library=hiiumaa, stage="tried")
    return {"practice": practice.url, "network": "/en/map/"}


@pytest.mark.parametrize("name", ["practice", "network"])
def test_the_map_pages_have_no_serious_accessibility_violations(
    page, axe, csp_violations, adoption_urls, name
):
    response = page.goto(adoption_urls[name])
    assert response.status == 200
    assert page.locator(".adoption-map__svg .map-marker").count() >= 3
    violations = axe(page)
    assert not violations, describe(violations)
    assert not csp_violations


@pytest.mark.parametrize("name", ["practice", "network"])
def test_the_map_pages_do_not_scroll_sideways_at_320_pixels(page, adoption_urls, name):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(adoption_urls[name])
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    # What sticks out, to name in the failure.
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 321
                && !(e.parentElement && e.parentElement.closest('.table-wrap')))
            .map(e => e.tagName + ' ' + e.getAttribute('class'))"""
    )
    assert overflow <= 0, wide
    assert page.locator(".adoption-map__svg").bounding_box()["width"] <= 320
