"""sitemap.xml with its hreflang alternates, robots.txt, and the Atom feeds per language."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from tests.conftest import LANGUAGE_CODES
from tests.factories import CaseStudyFactory, LibraryFactory, PracticeFactory, translate

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "http://testserver"


def published(page, year, month, day):
    when = timezone.make_aware(datetime.datetime(year, month, day, 12))
    Page.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)


@pytest.fixture
def content():
    library = LibraryFactory(title="Hiiumaa Keskraamatukogu", slug="hiiumaa", locale="et")
    older = PracticeFactory(
        title="Debate night", slug="debate-night", themes=["dialogue"], library=library
    )
    newer = PracticeFactory(
        title="Source criticism", slug="source-criticism", themes=["media-literacy"]
    )
    finnish = translate(newer, "fi", title="Lähdekritiikki", summary="Mistä tieto tulee?")
    draft = PracticeFactory(title="Not yet", slug="not-yet")
    draft.unpublish()
    case_study = CaseStudyFactory(
        title="Debate night in Kärdla", slug="kardla", practice=older, library=library
    )
    published(older, 2024, 1, 10)
    published(newer, 2024, 5, 2)
    published(finnish, 2024, 5, 3)
    published(case_study, 2024, 6, 1)
    return {
        "library": library,
        "older": older,
        "newer": newer,
        "finnish": finnish,
        "case_study": case_study,
    }


def sitemap_entries(client) -> dict[str, dict[str, str]]:
    """{loc: {hreflang: href}} of /sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    entries = {}
    for url in root.iter(f"{SITEMAP}url"):
        loc = url.find(f"{SITEMAP}loc").text
        assert loc not in entries, f"{loc} listed twice"
        entries[loc] = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
    return entries


# --- sitemap.xml --------------------------------------------------------------------------


def test_the_sitemap_lists_each_live_page_of_every_language_once(client, content):
    entries = sitemap_entries(client)

    for code in LANGUAGE_CODES:
        assert f"{BASE}/{code}/" in entries
    assert f"{BASE}/en/practices/source-criticism/" in entries
    assert f"{BASE}/fi/practices/source-criticism/" in entries
    assert f"{BASE}/et/libraries/hiiumaa/" in entries
    assert f"{BASE}/en/practices/debate-night/" in entries
    assert not [loc for loc in entries if "not-yet" in loc]
    assert not [loc for loc in entries if "/fi/practices/debate-night/" in loc]


def test_each_version_names_the_others_as_hreflang_alternates(client, content):
    entries = sitemap_entries(client)

    expected = {
        "en": f"{BASE}/en/practices/source-criticism/",
        "fi": f"{BASE}/fi/practices/source-criticism/",
        "x-default": f"{BASE}/en/practices/source-criticism/",
    }
    assert entries[f"{BASE}/en/practices/source-criticism/"] == expected
    assert entries[f"{BASE}/fi/practices/source-criticism/"] == expected


def test_x_default_is_the_version_a_page_was_written_in(client, content):
    entries = sitemap_entries(client)

    assert entries[f"{BASE}/et/libraries/hiiumaa/"] == {
        "et": f"{BASE}/et/libraries/hiiumaa/",
        "x-default": f"{BASE}/et/libraries/hiiumaa/",
    }


def test_home_pages_are_alternates_of_each_other(client, content):
    alternates = sitemap_entries(client)[f"{BASE}/lv/"]

    assert {code: alternates[code] for code in LANGUAGE_CODES} == {
        code: f"{BASE}/{code}/" for code in LANGUAGE_CODES
    }


def test_private_pages_are_left_out(client, content):
    PageViewRestriction.objects.create(
        page=content["older"], restriction_type=PageViewRestriction.LOGIN
    )

    assert f"{BASE}/en/practices/debate-night/" not in sitemap_entries(client)


def test_the_open_data_page_is_in_the_sitemap_in_every_language(client):
    entries = sitemap_entries(client)

    for code in LANGUAGE_CODES:
        assert entries[f"{BASE}/{code}/open-data/"][code] == f"{BASE}/{code}/open-data/"


# --- robots.txt ---------------------------------------------------------------------------


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_the_search_and_points_to_the_sitemap(
    client,
):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /api/v1/search" in lines
    for code in LANGUAGE_CODES:
        assert f"Disallow: /{code}/search/" in lines
    assert "Allow: /" in lines
    assert "Disallow: /" not in lines  # the public pages stay open
    assert "Sitemap: http://testserver/sitemap.xml" in lines


# --- Atom feeds ---------------------------------------------------------------------------


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries_of(root):
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": getattr(entry.find(f"{ATOM}summary"), "text", None),
            "categories": [c.get("term") for c in entry.findall(f"{ATOM}category")],
            "author": getattr(entry.find(f"{ATOM}author/{ATOM}name"), "text", None),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_the_practices_feed_lists_the_languages_practices_newest_first(client, content):
    root = feed(client, "/en/feeds/practices.atom")

    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.find(f"{ATOM}title").text == "New practices · Democratic Library"
    entries = entries_of(root)
    assert [entry["title"] for entry in entries] == ["Source criticism", "Debate night"]
    assert entries[0]["link"] == f"{BASE}/en/practices/source-criticism/"
    assert entries[1]["categories"] == ["Dialogue"]
    assert entries[1]["author"] == "Hiiumaa Keskraamatukogu"


def test_each_languages_feed_shows_its_versions_and_the_rest_in_the_readers_languages(
    client, content
):
    entries = entries_of(feed(client, "/fi/feeds/practices.atom"))

    assert [entry["title"] for entry in entries] == ["Lähdekritiikki", "Debate night"]
    assert entries[0]["link"] == f"{BASE}/fi/practices/source-criticism/"
    assert entries[0]["summary"] == "Mistä tieto tulee?"
    assert entries[1]["link"] == f"{BASE}/en/practices/debate-night/"
    danish = entries_of(feed(client, "/da/feeds/practices.atom"))
    assert [entry["title"] for entry in danish] == ["Source criticism", "Debate night"]


def test_a_feed_follows_the_readers_rule_for_the_library_it_names(client, content):
    translate(content["library"], "en", title="Hiiumaa Central Library")

    [newer, older] = entries_of(feed(client, "/en/feeds/practices.atom"))
    assert older["author"] == "Hiiumaa Central Library"
    [_newer, older] = entries_of(feed(client, "/lv/feeds/practices.atom"))
    assert older["author"] == "Hiiumaa Central Library"  # Latvian readers read English next


def test_the_case_studies_feed(client, content):
    root = feed(client, "/en/feeds/case-studies.atom")

    assert root.find(f"{ATOM}title").text == "New case studies · Democratic Library"
    [entry] = entries_of(root)
    assert entry["title"] == "Debate night in Kärdla"
    assert entry["link"] == f"{BASE}/en/case-studies/kardla/"


def test_unpublished_and_private_pages_stay_out_of_the_feeds(client, content):
    PageViewRestriction.objects.create(
        page=content["older"], restriction_type=PageViewRestriction.LOGIN
    )

    titles = [entry["title"] for entry in entries_of(feed(client, "/en/feeds/practices.atom"))]
    assert titles == ["Source criticism"]


def test_every_page_links_the_feeds_of_its_language(client):
    html = client.get("/fi/").content.decode()

    assert re.search(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
        r'href="/fi/feeds/practices.atom">',
        html,
    )
    assert re.search(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
        r'href="/fi/feeds/case-studies.atom">',
        html,
    )


def test_feeds_make_few_queries(client, content, django_assert_max_num_queries):
    for n in range(5):
        PracticeFactory(slug=f"more-{n}", themes=["dialogue"], library=content["library"])

    with django_assert_max_num_queries(15):
        client.get("/en/feeds/practices.atom")
