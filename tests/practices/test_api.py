import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from ninja.testing import TestClient
from wagtail.models import PageViewRestriction

from kb.api import api
from languages.reader import FALLBACK_COOKIE
from practices.models import PracticeTheme, Theme
from tests.factories import (
    CaseStudyFactory,
    LibraryFactory,
    MeetingFactory,
    PracticeFactory,
    locale_for,
    translate,
)

pytestmark = pytest.mark.django_db

LIST_ENDPOINTS = [
    "/api/v1/practices",
    "/api/v1/case-studies",
    "/api/v1/meetings",
    "/api/v1/libraries",
]


@pytest.fixture
def partner_library():
    return LibraryFactory(slug="valmiera-library", title="Valmiera Library", country="LV")


@pytest.fixture
def meeting(partner_library):
    return MeetingFactory(slug="valmiera-2023", title="Valmiera meeting", host=partner_library)


@pytest.fixture
def practice_in_two_languages(partner_library, meeting):
    """A practice written in English and translated into Finnish."""
    practice = PracticeFactory(
        slug="debate-night",
        title="Debate night",
        summary="Young people debate a local question.",
        themes=["elections", "dialogue"],
        audiences=["youth"],
        format="debate",
        tags=["youth-council", "debate"],
        library=partner_library,
        meeting=meeting,
    )
    translate(practice, "fi", title="Väittelyilta", summary="Nuoret väittelevät.")
    return practice


def get_json(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


# Practices


def test_practice_in_the_requested_language_has_labels_in_that_language(
    client, practice_in_two_languages
):
    data = get_json(client, "/api/v1/practices/debate-night", lang="fi")

    assert data["key"] == "debate-night"
    assert data["locale"] == "fi"
    assert data["available_locales"] == ["en", "fi"]
    assert (data["title"], data["summary"]) == ("Väittelyilta", "Nuoret väittelevät.")
    assert data["url"] == "/fi/practices/debate-night/"
    assert data["themes"] == [
        {"slug": "elections", "label": "Vaalit"},
        {"slug": "dialogue", "label": "Dialogi"},
    ]
    assert data["audiences"] == [{"slug": "youth", "label": "Nuoret"}]
    assert data["format"]["slug"] == "debate"
    assert data["tags"] == ["debate", "youth-council"]
    assert data["library"] == {
        "key": "valmiera-library",
        "name": "Valmiera Library",
        "country": "LV",
    }
    assert data["meeting"] == {
        "key": "valmiera-2023",
        "title": "Valmiera meeting",
        "start": "2023-09-19",
    }


def test_practice_falls_back_to_its_original_when_the_language_is_missing(
    client, practice_in_two_languages
):
    data = get_json(client, "/api/v1/practices/debate-night", lang="sv")

    assert data["locale"] == "en"
    assert data["available_locales"] == ["en", "fi"]
    assert data["title"] == "Debate night"
    assert data["url"] == "/en/practices/debate-night/"
    assert [theme["label"] for theme in data["themes"]] == ["Elections", "Dialogue"]


def test_a_missing_language_falls_back_to_the_readers_languages_then_the_original(client):
    latvian = PracticeFactory(slug="living-library", title="Dzīvā bibliotēka", locale="lv")
    translate(latvian, "en", title="Living library")

    data = get_json(client, "/api/v1/practices/living-library", lang="sv")
    assert (data["locale"], data["title"]) == ("en", "Living library")  # Swedes read English
    assert data["available_locales"] == ["en", "lv"]

    client.cookies[FALLBACK_COOKIE] = "-"  # a reader who reads no other language
    data = get_json(client, "/api/v1/practices/living-library", lang="sv")
    assert (data["locale"], data["title"]) == ("lv", "Dzīvā bibliotēka")  # the original


def test_without_a_translation_record_the_original_is_english_else_the_oldest(client):
    danish = PracticeFactory(slug="book-cafe", title="Bogcafé", locale="da")
    estonian = danish.copy_for_translation(locale_for("et"))
    estonian.save_revision().publish()

    assert get_json(client, "/api/v1/practices/book-cafe", lang="sv")["locale"] == "da"

    english = danish.copy_for_translation(locale_for("en"))
    english.save_revision().publish()

    assert get_json(client, "/api/v1/practices/book-cafe", lang="sv")["locale"] == "en"


def test_language_defaults_to_the_requests_accept_language(client, practice_in_two_languages):
    response = client.get("/api/v1/practices/debate-night", HTTP_ACCEPT_LANGUAGE="fi,en;q=0.5")

    assert response.json()["locale"] == "fi"
    assert client.get("/api/v1/practices/debate-night").json()["locale"] == "en"


def test_practice_lists_case_studies_of_every_language_version_once_in_the_requested_language(
    client, practice_in_two_languages, partner_library
):
    finnish_practice = practice_in_two_languages.get_translation(locale_for("fi"))
    hiiumaa = LibraryFactory(slug="hiiumaa-library", title="Hiiumaa Library", country="EE")
    later = CaseStudyFactory(
        slug="debates-in-hiiumaa",
        practice=practice_in_two_languages,
        library=hiiumaa,
        date=datetime.date(2024, 9, 1),
        stage="anchored",
        participants=35,
    )
    translate(later, "fi", title="Väittelyt Hiidenmaalla")
    CaseStudyFactory(
        slug="debates-in-valmiera",
        practice=finnish_practice,
        library=partner_library.copy_for_translation(locale_for("fi")),
        locale="fi",
        date=datetime.date(2024, 2, 1),
        stage="tried",
        participants=None,
    )

    data = get_json(client, "/api/v1/practices/debate-night", lang="fi")

    assert data["case_studies"] == [
        {
            "key": "debates-in-valmiera",
            "library": {"key": "valmiera-library", "name": "Valmiera Library", "country": "LV"},
            "country": "LV",
            "date": "2024-02-01",
            "stage": "tried",
            "participants": None,
            "url": "/fi/case-studies/debates-in-valmiera/",
        },
        {
            "key": "debates-in-hiiumaa",
            "library": {"key": "hiiumaa-library", "name": "Hiiumaa Library", "country": "EE"},
            "country": "EE",
            "date": "2024-09-01",
            "stage": "anchored",
            "participants": 35,
            "url": "/fi/case-studies/debates-in-hiiumaa/",
        },
    ]
    english = get_json(client, "/api/v1/practices/debate-night", lang="en")
    assert [c["url"] for c in english["case_studies"]] == [
        "/fi/case-studies/debates-in-valmiera/",
        "/en/case-studies/debates-in-hiiumaa/",
    ]


def test_referenced_records_come_in_the_requested_language_where_they_exist(
    client, practice_in_two_languages, partner_library
):
    translate(partner_library, "fi", title="Valmieran kirjasto")

    data = get_json(client, "/api/v1/practices/debate-night", lang="fi")

    assert data["library"]["name"] == "Valmieran kirjasto"


def test_unpublished_private_and_alias_versions_are_never_read(client, practice_in_two_languages):
    draft = PracticeFactory(slug="draft-practice")
    draft.unpublish()
    private = PracticeFactory(slug="private-practice")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    aliased = PracticeFactory(slug="aliased-practice")
    aliased.copy_for_translation(locale_for("sv"), alias=True)

    data = get_json(client, "/api/v1/practices", lang="sv")

    assert [item["key"] for item in data["results"]] == ["aliased-practice", "debate-night"]
    assert data["results"][0]["locale"] == "en"
    assert data["results"][0]["available_locales"] == ["en"]
    assert data["results"][0]["url"] == "/en/practices/aliased-practice/"


def test_a_link_to_another_languages_term_still_shows_the_records_language(
    client, practice_in_two_languages
):
    finnish = practice_in_two_languages.get_translation(locale_for("fi")).specific
    english_theme = Theme.objects.get(slug="networking", locale__language_code="en")
    finnish.theme_links = [PracticeTheme(theme=english_theme, locale=finnish.locale)]
    finnish.save_revision().publish()

    data = get_json(client, "/api/v1/practices/debate-night", lang="fi")

    assert data["themes"] == [
        {
            "slug": "networking",
            "label": Theme.objects.get(slug="networking", locale__language_code="fi").label,
        }
    ]


# Case studies, meetings, libraries


def test_case_study_in_the_requested_language_and_falling_back(
    client, practice_in_two_languages, partner_library
):
    case_study = CaseStudyFactory(
        slug="debates-in-valmiera",
        title="Debates in Valmiera",
        practice=practice_in_two_languages,
        library=partner_library,
        stage="repeated",
    )
    translate(case_study, "fi", title="Väittelyt Valmierassa")

    finnish = get_json(client, "/api/v1/case-studies/debates-in-valmiera", lang="fi")
    swedish = get_json(client, "/api/v1/case-studies/debates-in-valmiera", lang="sv")

    assert (finnish["locale"], finnish["title"]) == ("fi", "Väittelyt Valmierassa")
    assert finnish["practice"] == {
        "key": "debate-night",
        "title": "Väittelyilta",
        "url": "/fi/practices/debate-night/",
    }
    assert finnish["library"] == {
        "key": "valmiera-library",
        "name": "Valmiera Library",
        "country": "LV",
    }
    assert (finnish["date"], finnish["stage"], finnish["participants"]) == (
        "2024-03-01",
        "repeated",
        20,
    )
    assert (swedish["locale"], swedish["title"]) == ("en", "Debates in Valmiera")
    assert swedish["available_locales"] == ["en", "fi"]
    assert swedish["practice"]["title"] == "Debate night"


def test_meeting_lists_the_practices_first_shared_there(client, practice_in_two_languages, meeting):
    translate(meeting, "fi", title="Valmieran tapaaminen")
    PracticeFactory(slug="unrelated-practice")

    finnish = get_json(client, "/api/v1/meetings/valmiera-2023", lang="fi")
    swedish = get_json(client, "/api/v1/meetings/valmiera-2023", lang="sv")

    assert (finnish["locale"], finnish["title"]) == ("fi", "Valmieran tapaaminen")
    assert finnish["url"] == "/fi/meetings/valmiera-2023/"
    assert (finnish["kind"], finnish["start"], finnish["end"]) == (
        "international",
        "2023-09-19",
        "2023-09-21",
    )
    assert (finnish["city"], finnish["country"]) == ("Valmiera", "LV")
    assert finnish["host"] == {
        "key": "valmiera-library",
        "name": "Valmiera Library",
        "country": "LV",
    }
    assert finnish["practices"] == [
        {"key": "debate-night", "title": "Väittelyilta", "url": "/fi/practices/debate-night/"}
    ]
    assert (swedish["locale"], swedish["available_locales"]) == ("en", ["en", "fi"])
    assert swedish["practices"][0]["title"] == "Debate night"


def test_a_virtual_meeting_has_no_country(client):
    MeetingFactory(slug="check-in", kind="virtual", city="", country="")

    data = get_json(client, "/api/v1/meetings/check-in")

    assert (data["kind"], data["country"], data["host"]) == ("virtual", None, None)


def test_library_lists_its_practices_and_case_studies(
    client, practice_in_two_languages, partner_library
):
    CaseStudyFactory(
        slug="later",
        practice=practice_in_two_languages,
        library=partner_library,
        date=datetime.date(2024, 9, 1),
    )
    CaseStudyFactory(
        slug="earlier",
        practice=practice_in_two_languages,
        library=partner_library,
        date=datetime.date(2024, 1, 1),
    )
    translate(partner_library, "fi", title="Valmieran kirjasto")

    data = get_json(client, "/api/v1/libraries/valmiera-library", lang="fi")

    assert (data["locale"], data["name"], data["title"]) == (
        "fi",
        "Valmieran kirjasto",
        "Valmieran kirjasto",
    )
    assert (data["city"], data["country"], data["website"], data["partner"]) == (
        "Turku",
        "LV",
        "",
        True,
    )
    assert data["practices"] == [
        {"key": "debate-night", "title": "Väittelyilta", "url": "/fi/practices/debate-night/"}
    ]
    assert [c["key"] for c in data["case_studies"]] == ["earlier", "later"]
    assert data["case_studies"][0]["url"] == "/en/case-studies/earlier/"


# Lists


def test_lists_hold_one_item_per_translation_group(client, practice_in_two_languages):
    data = get_json(client, "/api/v1/practices", lang="fi")

    assert data["count"] == 1
    assert [(item["key"], item["locale"]) for item in data["results"]] == [("debate-night", "fi")]
    assert "case_studies" not in data["results"][0]


def test_lists_are_paginated(client):
    for number in range(5):
        PracticeFactory(slug=f"practice-{number}")

    first = get_json(client, "/api/v1/practices", page_size=2)
    last = get_json(client, "/api/v1/practices", page=3, page_size=2)
    beyond = get_json(client, "/api/v1/practices", page=4, page_size=2)

    assert (first["count"], first["page"], first["page_size"]) == (5, 1, 2)
    assert [item["key"] for item in first["results"]] == ["practice-0", "practice-1"]
    assert [item["key"] for item in last["results"]] == ["practice-4"]
    assert beyond["results"] == [] and beyond["count"] == 5
    assert get_json(client, "/api/v1/practices")["page_size"] == 20


def test_meetings_and_case_studies_are_listed_oldest_first(client):
    MeetingFactory(slug="later", start_date=datetime.date(2024, 5, 14), end_date=None)
    MeetingFactory(slug="earlier", start_date=datetime.date(2023, 9, 19))
    CaseStudyFactory(slug="case-later", date=datetime.date(2024, 6, 1))
    CaseStudyFactory(slug="case-earlier", date=datetime.date(2024, 1, 1))

    meetings = get_json(client, "/api/v1/meetings")["results"]
    case_studies = get_json(client, "/api/v1/case-studies")["results"]

    assert [m["key"] for m in meetings] == ["earlier", "later"]
    assert [c["key"] for c in case_studies] == ["case-earlier", "case-later"]


def create_practices(count, library, meeting):
    for _number in range(count):
        practice = PracticeFactory(
            themes=["elections", "dialogue"],
            audiences=["youth", "adults"],
            format="workshop",
            tags=["debate", "youth-council"],
            library=library,
            meeting=meeting,
        )
        translate(practice, "fi")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_practice_list_takes_a_fixed_number_of_queries(
    client, partner_library, meeting, django_assert_max_num_queries
):
    url = "/api/v1/practices?lang=fi&page_size=100"
    create_practices(2, partner_library, meeting)
    client.get(url)  # let the site root paths be cached, as on a running site
    with_two = count_queries(client, url)
    create_practices(4, partner_library, meeting)

    with django_assert_max_num_queries(16):
        data = client.get(url).json()

    assert data["count"] == 6
    assert all(len(item["themes"]) == 2 and item["library"] for item in data["results"])
    assert count_queries(client, url) == with_two


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_other_lists_take_a_fixed_number_of_queries(
    client, url, partner_library, meeting, django_assert_max_num_queries
):
    create_practices(1, partner_library, meeting)
    for _number in range(3):
        CaseStudyFactory(library=partner_library)
        MeetingFactory(host=partner_library)

    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


# Errors


@pytest.mark.parametrize(
    "url",
    LIST_ENDPOINTS
    + [
        f"{url}/{key}"
        for url, key in [
            ("/api/v1/practices", "debate-night"),
            ("/api/v1/case-studies", "a-case"),
            ("/api/v1/meetings", "valmiera-2023"),
            ("/api/v1/libraries", "valmiera-library"),
        ]
    ],
)
def test_an_unknown_language_is_a_400_naming_the_parameter(client, url):
    data = get_json(client, url, status=400, lang="xx")

    assert data["field"] == "lang"
    assert data["error"] == 'lang must be one of en, lv, fi, et, da, sv, not "xx".'


@pytest.mark.parametrize(
    ("params", "field", "error"),
    [
        ({"page": "0"}, "page", "page must be 1 or more."),
        ({"page": "abc"}, "page", 'page must be a whole number, not "abc".'),
        ({"page_size": "0"}, "page_size", "page_size must be 1 or more."),
        ({"page_size": "1000"}, "page_size", "page_size must be 100 or less."),
        ({"lang": ""}, "lang", 'lang must be one of en, lv, fi, et, da, sv, not "".'),
    ],
)
@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_a_bad_list_parameter_is_a_400_naming_it(client, url, params, field, error):
    assert get_json(client, url, status=400, **params) == {"error": error, "field": field}


@hypothesis_settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.one_of(st.text(), st.integers().map(str)))
def test_any_page_parameter_is_read_or_refused_with_a_400_never_a_500(client, page):
    response = client.get("/api/v1/libraries", {"page": page})

    if response.status_code == 200:
        assert response.json()["page"] >= 1
    else:
        assert response.status_code == 400
        assert response.json()["field"] == "page"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/practices/nothing",
        "/api/v1/case-studies/nothing",
        "/api/v1/meetings/nothing",
        "/api/v1/libraries/nothing",
    ],
)
def test_an_unknown_key_is_a_404_through_the_whole_stack(client, url):
    data = get_json(client, url, status=404)

    assert data["field"] == "key"


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/practices/nothing", "There is no practice with the key nothing."),
        ("/case-studies/nothing", "There is no case study with the key nothing."),
        ("/meetings/nothing", "There is no meeting with the key nothing."),
        ("/libraries/nothing", "There is no library with the key nothing."),
    ],
)
def test_an_unknown_key_is_a_404_naming_the_key(path, error):
    response = TestClient(api).get(path)

    assert response.status_code == 404
    assert response.json() == {"error": error, "field": "key"}


# Schema


def test_the_openapi_schema_documents_every_endpoint_and_its_answers(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    for path in [
        "/api/v1/practices",
        "/api/v1/case-studies",
        "/api/v1/meetings",
        "/api/v1/libraries",
    ]:
        assert set(paths[path]["get"]["responses"]) == {"200", "400"}
        assert set(paths[path + "/{key}"]["get"]["responses"]) == {"200", "400", "404"}
    practice = paths["/api/v1/practices/{key}"]["get"]["responses"]["200"]
    assert practice["content"]["application/json"]["schema"]["$ref"].endswith("/Practice")
    components = schema["components"]["schemas"]
    assert {"Practice", "PracticeList", "CaseStudy", "Meeting", "Library", "Error"} <= set(
        components
    )
    assert "case_studies" in components["Practice"]["properties"]
    lang = paths["/api/v1/practices"]["get"]["parameters"][0]
    assert lang["name"] == "lang"
    assert lang["schema"]["anyOf"][0]["enum"] == ["en", "lv", "fi", "et", "da", "sv"]


# Ready-to-run practices: the method, materials, a person to ask, outcome measures


@pytest.fixture
def structured_site(tmp_path):
    from tests.practices.test_import_export import import_structured

    import_structured(tmp_path)


def test_a_practice_shows_its_steps_sections_facts_materials_and_contact(client, structured_site):
    data = get_json(client, "/api/v1/practices/fake-news-workshop", lang="en")

    assert data["steps"] == [
        {"title": "Preparation", "minutes": 15, "who": "librarian", "description": ""},
        {
            "title": "Three questions",
            "minutes": 45,
            "who": "jaunieši",
            "description": "Who wrote it?\n\nWhy?",
        },
    ]
    assert data["sections"] == {
        "materials": None,
        "tips": "Use real news.",
        "accessibility": "Lieli burti.",
        "risks": None,
        "variations": None,
    }
    assert (data["preparation_minutes"], data["cost_band"], data["staff_needed"]) == (60, "low", 2)
    assert data["licence"] == "CC-BY-SA-4.0"
    assert data["contact"] == {"name": "Ilze Bērziņa", "role": "librarian", "languages": []}
    (material,) = data["materials"]
    assert (material["title"], material["language"], material["file_extension"]) == (
        "Kolme kysymystä",
        "fi",
        "pdf",
    )
    download = client.get(material["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_practice_list_shows_the_facts_and_contact_of_each_practice(client, structured_site):
    data = get_json(client, "/api/v1/practices", lang="lv")

    workshop = next(p for p in data["results"] if p["key"] == "fake-news-workshop")
    assert workshop["contact"]["role"] == "bibliotekāre"
    assert workshop["duration_minutes"] == 90
    assert "steps" not in workshop  # the method is in the one-practice view


def test_a_library_shows_its_coordinates_and_contact(client, structured_site):
    data = get_json(client, "/api/v1/libraries/riga-central-library", lang="en")

    assert (data["latitude"], data["longitude"]) == (56.9496, 24.1052)
    assert data["contact"] == {
        "name": "Ilze Bērziņa",
        "role": "librarian",
        "languages": ["lv", "en", "ru"],
    }


def test_a_case_study_shows_its_outcome_measures(client, structured_site):
    data = get_json(client, "/api/v1/case-studies/election-cafe-in-riga", lang="en")

    assert data["outcome_measures"] == {
        "respondents": 38,
        "learned": 84,
        "confident": 71,
        "will_apply": 66,
        "aware": 90,
    }
    assert data["outcomes"] == "Two candidates came back."
    assert data["would_change"] == "Vairāk laika jautājumiem."


def test_a_case_study_without_outcome_measures_has_none(client, structured_site):
    data = get_json(client, "/api/v1/case-studies", lang="en")

    assert all(
        case_study["outcome_measures"] is None
        for case_study in data["results"]
        if case_study["key"] != "election-cafe-in-riga"
    )


def test_the_contact_email_is_in_no_answer_of_the_api(client, structured_site):
    from practices.models import LibraryPage, PracticePage
    from tests.practices.test_import_export import CONTACT_EMAIL

    assert PracticePage.objects.filter(contact_email=CONTACT_EMAIL).exists()
    assert LibraryPage.objects.filter(contact_email=CONTACT_EMAIL).exists()
    urls = [
        *LIST_ENDPOINTS,
        "/api/v1/practices/fake-news-workshop",
        "/api/v1/libraries/riga-central-library",
        "/api/v1/case-studies/election-cafe-in-riga",
    ]
    for url in urls:
        for lang in ("en", "lv"):
            response = client.get(url, {"lang": lang})
            assert response.status_code == 200
            assert CONTACT_EMAIL not in response.content.decode(), url
