"""A translation group's original is decided by one rule everywhere: the language of its first
wagtail-localize translation source, even when another version of it is older (a version
written by hand in another language before anyone translated the entry)."""

import re

import pytest

from languages.reader import FALLBACK_COOKIE
from tests.factories import PracticeFactory, locale_for, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_source_is_not_the_oldest():
    """An Estonian page (the oldest version), a Danish version copied from it by hand, and a
    Latvian translation made with wagtail-localize from the Danish one: the Danish version
    is the group's first translation source, so Danish is its original."""
    estonian = PracticeFactory(slug="book-cafe", title="Raamatukohvik", locale="et")
    danish = estonian.copy_for_translation(locale_for("da"))
    danish.title = "Bogcafé"
    danish.save_revision().publish()
    danish.refresh_from_db()
    translate(danish, "lv", title="Grāmatu kafejnīca")
    assert estonian.pk < danish.pk
    return {"et": estonian, "da": danish}


@pytest.fixture
def reads_no_other_language(client):
    client.cookies[FALLBACK_COOKIE] = "-"
    return client


def test_the_api_shows_the_first_source(reads_no_other_language, first_source_is_not_the_oldest):
    response = reads_no_other_language.get("/api/v1/practices/book-cafe", {"lang": "en"})

    assert (response.json()["locale"], response.json()["title"]) == ("da", "Bogcafé")


def test_the_index_list_shows_the_first_source(
    reads_no_other_language, first_source_is_not_the_oldest
):
    html = reads_no_other_language.get("/en/practices/").content.decode()

    assert "Bogcafé" in html
    assert "Raamatukohvik" not in html and "Grāmatu kafejnīca" not in html


def test_the_x_default_alternate_is_the_first_source(client, first_source_is_not_the_oldest):
    html = client.get(first_source_is_not_the_oldest["et"].url).content.decode()

    default = re.search(r'hreflang="x-default" href="([^"]+)"', html).group(1)
    assert default.endswith(first_source_is_not_the_oldest["da"].url)


def test_the_sitemap_names_the_first_source_as_default(client, first_source_is_not_the_oldest):
    xml = client.get("/sitemap.xml").content.decode()

    danish_url = first_source_is_not_the_oldest["da"].url
    entries = re.findall(r"<url>.*?</url>", xml, re.S)
    defaults = {
        re.search(r'hreflang="x-default" href="([^"]+)"', entry).group(1)
        for entry in entries
        if "book-cafe" in entry and "x-default" in entry
    }
    assert defaults and all(url.endswith(danish_url) for url in defaults)
