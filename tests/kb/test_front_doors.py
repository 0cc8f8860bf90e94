"""What a visitor or a developer finds at the usual addresses: the API's front door and its
documentation, the favicon, and the footer's links to the open data and the API."""

import pytest

from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def test_the_api_root_says_where_the_schema_the_documentation_and_the_resources_are(client):
    answer = client.get("/api/v1/")

    assert answer.status_code == 200
    index = answer.json()
    assert index["openapi"].endswith("/api/v1/openapi.json")
    assert index["documentation"].endswith("/en/api/")
    paths = {resource["path"] for resource in index["resources"]}
    assert {"/api/v1/practices", "/api/v1/search", "/api/v1/practices/{key}"} <= paths
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_api_docs_lead_to_the_readable_page_in_the_visitors_language(client):
    answer = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="fi")

    assert answer.status_code == 302
    assert answer.url == "/fi/api/"


def test_the_api_page_documents_every_operation_of_the_schema_in_the_readers_language(client):
    schema = client.get("/api/v1/openapi.json").json()
    page = client.get("/lv/api/").content.decode()

    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in page
    assert "Parametri" in page and "viena no: en, lv, fi, et, da, sv" in page
    assert 'href="/api/v1/search?lang=lv"' in page
    # Every answer the schema lists is said in the reader's words, not the framework's.
    assert "Too Many Requests" not in page and "Not Found" not in page and "Bad Request" not in page


def test_the_api_page_example_links_answer(client):
    PracticeFactory(title="Living library", slug="living-library")
    for path in ("/api/v1/practices?lang=en", "/api/v1/search?lang=en"):
        assert client.get(path).status_code == 200


def test_favicon(client):
    answer = client.get("/favicon.ico")

    assert answer.status_code == 302
    assert answer.url.endswith("kb/icons/favicon.ico")


@pytest.mark.parametrize("code", ["en", "da"])
def test_the_footer_links_the_open_data_and_the_api(client, code):
    page = client.get(f"/{code}/").content.decode()

    assert f'href="/{code}/open-data/"' in page
    assert f'href="/{code}/api/"' in page
