"""Country codes the site accepts and the names it shows for them."""

import pytest

from practices.countries import COUNTRY_CODES, country_name


@pytest.mark.parametrize(
    ("code", "language", "name"),
    [
        ("LV", "fi", "Latvia"),
        ("FI", "lv", "Somija"),
        ("DK", "da", "Danmark"),
        ("EE", "et", "Eesti"),
        ("LV", "sv", "Lettland"),
        ("SE", "en", "Sweden"),
    ],
)
def test_country_is_named_in_the_requested_language(code, language, name):
    assert country_name(code, language) == name


def test_language_with_a_region_as_django_writes_it_is_understood():
    assert country_name("DE", "pt-br") == "Alemanha"


def test_unknown_language_falls_back_to_english_names():
    assert country_name("LV", "xx") == "Latvia"


@pytest.mark.parametrize("code", ["XX", "EU", "lv", "LVA", ""])
def test_unknown_code_is_shown_as_it_is(code):
    assert country_name(code, "en") == code


def test_every_country_of_the_network_is_known():
    assert {"LV", "FI", "EE", "DK", "SE", "LT", "NO", "IS", "DE", "PL"} <= COUNTRY_CODES


def test_regions_and_pseudo_regions_are_not_countries():
    not_countries = {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "IC", "EA"}

    assert not_countries.isdisjoint(COUNTRY_CODES)


def test_codes_are_two_capital_letters():
    assert all(len(code) == 2 and code.isascii() and code.isupper() for code in COUNTRY_CODES)


def test_every_known_code_has_a_name_in_every_site_language():
    for language in ("en", "lv", "fi", "et", "da", "sv"):
        unnamed = {code for code in COUNTRY_CODES if country_name(code, language) == code}

        assert unnamed == set(), language
