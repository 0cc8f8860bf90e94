import datetime

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from practices.adoption_map import base_map, network_map, practice_map
from practices.ledger import practice_ledger
from tests.factories import CaseStudyFactory, LibraryFactory, PracticeFactory

TURKU = (60.4518, 22.2666)
VALMIERA = (57.5384, 25.4263)
IKAST = (56.1388, 9.1575)
KARDLA = (58.9978, 22.7494)

pytestmark = pytest.mark.django_db


def library(title, city, country, coordinates=(None, None), **fields):
    latitude, longitude = coordinates
    return LibraryFactory(
        title=title,
        city=city,
        country=country,
        latitude=latitude,
        longitude=longitude,
        **fields,
    )


def make_private(page):
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="board"
    )


def rows_of(adoption_map):
    return {(entry.library.title, entry.stage) for entry in adoption_map.libraries}


# The projection ----------------------------------------------------------------------------


def test_projection_puts_turku_east_of_ikast_and_north_of_valmiera():
    turku, ikast, valmiera = (base_map().place(*place) for place in (TURKU, IKAST, VALMIERA))
    assert turku.x > ikast.x
    assert turku.y < valmiera.y  # SVG's y grows downwards


def test_a_place_outside_the_map_or_without_coordinates_is_not_drawn():
    lisbon = (38.72, -9.14)
    assert base_map().place(*lisbon) is None
    assert base_map().place(None, 22.27) is None


def test_the_base_map_draws_the_nordic_and_baltic_countries_and_greys_the_neighbours():
    countries = {country.code: country for country in base_map().countries}
    assert {"DK", "SE", "NO", "FI", "EE", "LV", "LT"} <= set(countries)
    assert countries["FI"].in_region and not countries["RU"].in_region
    assert all(country.path.startswith("M") for country in countries.values())


# A practice's map ---------------------------------------------------------------------------


def test_a_practices_map_lists_exactly_its_libraries_with_their_furthest_stage():
    turku = library("Turku City Library", "Turku", "FI", TURKU)
    valmiera = library("Valmiera Library", "Valmiera", "LV", VALMIERA)
    library("Ikast Library", "Ikast", "DK", IKAST)  # ran another practice only
    practice = PracticeFactory(library=turku)
    other = PracticeFactory()
    CaseStudyFactory(practice=practice, library=valmiera, stage="tried")
    anchored = CaseStudyFactory(
        practice=practice, library=valmiera, stage="anchored", date=datetime.date(2025, 5, 1)
    )
    CaseStudyFactory(
        practice=practice, library=valmiera, stage="repeated", date=datetime.date(2025, 9, 1)
    )
    CaseStudyFactory(practice=other, library=library("Ikast", "Ikast", "DK", IKAST))

    adoption_map = practice_map(practice_ledger(practice), turku, "en")

    assert rows_of(adoption_map) == {("Valmiera Library", "anchored"), ("Turku City Library", "")}
    valmiera_entry = next(e for e in adoption_map.libraries if e.library.pk == valmiera.pk)
    assert valmiera_entry.case_study.pk == anchored.pk
    origin = next(e for e in adoption_map.libraries if e.origin)
    assert origin.library.pk == turku.pk
    assert "the practice comes from here" in origin.accessible_name


def test_a_library_without_coordinates_is_in_the_table_only(client):
    turku = library("Turku City Library", "Turku", "FI", TURKU)
    hiiumaa = library("Hiiumaa Central Library", "Kärdla", "EE")  # no coordinates yet
    practice = PracticeFactory(library=turku)
    CaseStudyFactory(practice=practice, library=hiiumaa, stage="repeated")

    response = client.get(practice.url)

    html = response.content.decode()
    table = html[html.index("practice-map-table-caption") :]
    assert "Hiiumaa Central Library" in table
    assert "1 library has no place on the map yet" in html
    svg = html[html.index('<svg class="adoption-map__svg"') : html.index("</svg>")]
    assert "Hiiumaa Central Library" not in svg
    assert 'aria-label="Turku City Library, Turku, Finland: the practice comes from here"' in svg


def test_the_practice_page_shows_each_stage_by_shape_and_names_every_marker(client):
    turku = library("Turku City Library", "Turku", "FI", TURKU)
    valmiera = library("Valmiera Library", "Valmiera", "LV", VALMIERA)
    practice = PracticeFactory(library=turku)
    CaseStudyFactory(practice=practice, library=valmiera, stage="anchored")

    html = client.get(practice.url).content.decode()

    assert 'aria-label="Valmiera Library, Valmiera, Latvia: Anchored"' in html
    assert 'class="map-shape map-shape--anchored"' in html
    assert "style=" not in html[html.index("adoption-map-section") :]


def test_the_map_is_in_the_readers_language():
    turku = library("Turku City Library", "Turku", "FI", TURKU)
    practice = PracticeFactory(library=turku)
    CaseStudyFactory(practice=practice, library=turku, stage="tried")

    adoption_map = practice_map(practice_ledger(practice), turku, "lv")

    assert adoption_map.libraries[0].country == "Somija"
    assert "Latvija" in {label.name for label in adoption_map.labels}


# What is public -----------------------------------------------------------------------------


def test_private_libraries_and_case_studies_never_appear_on_a_map():
    turku = library("Turku City Library", "Turku", "FI", TURKU)
    secret_library = library("Closed Library", "Kärdla", "EE", KARDLA)
    make_private(secret_library)
    practice = PracticeFactory(library=turku)
    CaseStudyFactory(practice=practice, library=secret_library, stage="anchored")
    private_case = CaseStudyFactory(
        practice=practice, library=library("Ikast Library", "Ikast", "DK", IKAST)
    )
    make_private(private_case)

    assert rows_of(practice_map(practice_ledger(practice), turku, "en")) == {
        ("Turku City Library", "")
    }
    network = {entry.library.title: entry for entry in network_map("en").libraries}
    assert "Closed Library" not in network
    assert network["Ikast Library"].stage_counts == {}


# The network's map --------------------------------------------------------------------------


def test_the_network_map_counts_each_practice_once_per_library_at_its_furthest_stage():
    valmiera = library("Valmiera Library", "Valmiera", "LV", VALMIERA, partner=True)
    library("Ikast Library", "Ikast", "DK", IKAST, partner=False)
    debate, cafe = PracticeFactory(), PracticeFactory()
    CaseStudyFactory(practice=debate, library=valmiera, stage="tried")
    CaseStudyFactory(practice=debate, library=valmiera, stage="anchored")
    CaseStudyFactory(practice=cafe, library=valmiera, stage="repeated")

    network = {entry.library.title: entry for entry in network_map("en").libraries}

    assert network["Valmiera Library"].stage_counts == {"anchored": 1, "repeated": 1}
    assert network["Valmiera Library"].stage == "anchored"
    assert network["Ikast Library"].stage == ""
    assert network["Ikast Library"].partner is False


def test_the_network_map_page_lists_every_library_and_links_to_it(client):
    valmiera = library("Valmiera Library", "Valmiera", "LV", VALMIERA, partner=True)
    library("Ikast Library", "Ikast", "DK", IKAST, partner=False)
    CaseStudyFactory(library=valmiera, stage="repeated")

    response = client.get(reverse("network_map"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{valmiera.url}"' in html
    assert "Ikast Library, Ikast, Denmark: no practice reported yet" in html
    assert "Valmiera Library, Valmiera, Latvia: 1 practice run (Repeated: 1); partner" in html


def test_the_libraries_index_links_to_the_network_map(client):
    library("Valmiera Library", "Valmiera", "LV", VALMIERA)
    from practices.models import LibraryIndexPage

    index = LibraryIndexPage.objects.get(locale__language_code="en")
    assert reverse("network_map") in client.get(index.url).content.decode()


def test_the_network_map_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for number in range(12):
        place = library(f"Library {number}", "Valmiera", "LV", VALMIERA)
        CaseStudyFactory(library=place, stage="tried")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("network_map"))
    assert response.content.decode().count('class="map-marker ') == 12
