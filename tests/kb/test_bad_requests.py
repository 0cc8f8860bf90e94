"""Bad input is a 400 or a 404 with a message, never a 500, on both databases; the methods the
site does not serve are a 405."""

import pytest
from wagtail.models import PageViewRestriction

from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def test_the_not_translated_page_of_the_trees_root_is_a_404(client):
    assert client.get("/en/not-translated/1/").status_code == 404


def test_the_not_translated_page_of_a_private_page_is_a_404_and_lists_no_private_version(
    client,
):
    private = PracticeFactory(title="Board minutes", locale="fi")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    assert client.get(f"/lv/not-translated/{private.pk}/").status_code == 404


@pytest.mark.parametrize("key", ["%00", "a%00b", "%C0", "x" * 300])
def test_a_malformed_api_key_is_a_404(client, key):
    for resource in ["practices", "case-studies", "meetings", "libraries"]:
        response = client.get(f"/api/v1/{resource}/{key}")

        assert response.status_code == 404, (resource, key)
        assert response.json()["field"] == "key"


@pytest.mark.parametrize("name", ["audience", "theme", "type", "library", "stage", "language"])
def test_a_filter_value_that_is_no_key_is_a_400_naming_the_filter(client, name):
    response = client.get("/api/v1/search", {name: "\x00."})

    assert response.status_code == 400
    assert response.json()["field"] == name
    assert name in response.json()["error"]


def test_a_tag_with_a_control_character_is_a_400(client):
    response = client.get("/api/v1/search", {"tag": "debate\x07"})

    assert response.status_code == 400 and response.json()["field"] == "tag"


def test_a_tag_may_contain_spaces(client):
    assert client.get("/api/v1/search", {"tag": "youth council"}).status_code == 200


def test_the_schema_declares_the_values_of_sort_and_lang(client):
    schema = client.get("/api/v1/openapi.json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/search"]["get"]["parameters"]}

    def enum(name):
        found = parameters[name]["schema"]
        return found.get("enum") or next(a["enum"] for a in found["anyOf"] if "enum" in a)

    assert enum("sort") == ["relevance", "newest", "title", "anchored", "evidence"]
    assert enum("lang") == ["en", "lv", "fi", "et", "da", "sv"]


def test_an_unknown_sort_keeps_its_message(client):
    response = client.get("/api/v1/search", {"sort": "random"})

    assert response.status_code == 400 and "relevance" in response.json()["error"]


@pytest.mark.parametrize("path", ["/api/v1/practices", "/api/v1/search?q=debate"])
def test_head_on_the_api_answers_as_get_without_a_body(client, path):
    get = client.get(path)
    head = client.head(path)

    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == get["Content-Type"]
    assert int(head["Content-Length"]) == len(get.content)


@pytest.mark.parametrize("method", ["TRACE", "TRACK", "CONNECT"])
def test_methods_the_site_does_not_serve_are_a_405(client, method):
    PracticeFactory(slug="debate-night")
    for path in ["/en/", "/en/practices/debate-night/", "/api/v1/practices"]:
        response = client.generic(method, path)

        assert response.status_code == 405, (method, path)
        assert "GET" in response["Allow"]


@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/search/suggest"])
def test_an_empty_lang_on_the_api_is_a_400_as_the_schema_lists_the_languages(client, path):
    response = client.get(path, {"q": "library", "lang": ""})

    assert response.status_code == 400
    assert response.json()["field"] == "lang"


def test_the_search_page_still_takes_an_empty_lang_as_the_default(client):
    assert client.get("/en/search/", {"q": "library", "lang": ""}).status_code == 200


def test_the_schema_declares_the_accepted_filter_values_and_the_rate_limit(client):
    import re

    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/search"]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    key = re.compile(parameters["meeting"]["items"]["pattern"])
    country = re.compile(parameters["country"]["items"]["pattern"])

    assert key.fullmatch("valmiera-2023") and key.fullmatch("")
    assert not key.fullmatch("a b") and not key.fullmatch("x" * 201)
    assert country.fullmatch("LV") and not country.fullmatch("LVA")
    assert set(operation["responses"]) == {"200", "400", "429"}
    for value in ("a b", "LVA"):
        name = "meeting" if value == "a b" else "country"
        assert client.get("/api/v1/search", {name: value}).status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/search", "/en/search/"])
def test_a_page_number_beyond_any_search_is_a_400_not_an_overflow(client, path):
    response = client.get(path, {"q": "library", "page": "99999999999999999999999"})

    assert response.status_code == 400
    assert "at most 10000" in response.content.decode()


def test_the_schema_declares_the_page_numbers_the_search_takes(client):
    import re

    from search.params import MAX_PAGE, MAX_PAGE_SIZE

    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/search"]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    page = re.compile(parameters["page"]["pattern"])
    size = re.compile(parameters["page_size"]["pattern"])

    assert all(page.fullmatch(v) for v in ("", "1", "007", str(MAX_PAGE)))
    assert not any(page.fullmatch(v) for v in ("0", str(MAX_PAGE + 1), "1_0", "+5", "٣"))
    assert size.fullmatch(str(MAX_PAGE_SIZE)) and not size.fullmatch(str(MAX_PAGE_SIZE + 1))
    for value in ("1_0", "+5", "٣"):
        assert client.get("/api/v1/search", {"page": value}).status_code == 400


def test_a_blank_page_number_is_the_first_page(client):
    response = client.get("/api/v1/search", {"q": "library", "page": " \t", "page_size": "\r\n"})

    assert response.status_code == 200
    assert response.json()["page"] == 1


@pytest.mark.parametrize("path", ["/en/%00/", "/en/not-translated/%00/", "/en/practices/a%01b/"])
def test_a_path_with_a_control_character_is_a_404_on_every_database(client, path):
    assert client.get(path).status_code == 404


def test_the_schema_and_the_api_agree_on_which_tags_can_be_typed(client):
    import re

    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/search"]["get"]
    tag = re.compile(
        {p["name"]: p["schema"] for p in operation["parameters"]}["tag"]["items"]["pattern"]
    )

    for value in ("voting booth", "a\tb", "x\x01y", "x\x7fy"):
        accepted = client.get("/api/v1/search", {"tag": value}).status_code == 200
        assert accepted == bool(tag.fullmatch(value)), repr(value)
