"""Choosing a practice by its evidence: the Evidence facet, its filter and the sort
"Strongest evidence first" on the database backend, in the page and the API."""

import re

import pytest

from practices.models import CaseStudyPage
from search.params import InvalidParameter, SearchParams, parse_params
from search.service import search
from tests.factories import CaseStudyFactory, LibraryFactory, PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def libraries():
    return {
        "valmiera": LibraryFactory(title="Valmiera Library", slug="valmiera", country="LV"),
        "riga": LibraryFactory(title="Riga Library", slug="riga", country="LV"),
        "turku": LibraryFactory(title="Turku City Library", slug="turku", country="FI"),
        "ikast": LibraryFactory(title="Ikast-Brande Libraries", slug="ikast", country="DK"),
    }


def practice(slug, title, origin=None):
    return PracticeFactory(
        title=title, slug=slug, library=origin, summary=f"{title}: a democracy workshop."
    )


def ran(practice_page, library, stage):
    return CaseStudyFactory(
        practice=practice_page, library=library, stage=stage, title=f"{library.title} ran it"
    )


@pytest.fixture
def practices(libraries):
    """One practice at each level but `repeated`, published oldest first."""
    anchored = practice("debate-night", "Debate night", libraries["valmiera"])
    ran(anchored, libraries["turku"], "anchored")
    ran(anchored, libraries["valmiera"], "anchored")
    adopted = practice("living-library", "Living library", libraries["valmiera"])
    ran(adopted, libraries["ikast"], "repeated")
    tried = practice("source-criticism", "Source criticism", libraries["turku"])
    ran(tried, libraries["riga"], "tried")
    described = practice("democracy-cafe", "Democracy café")
    return {"anchored": anchored, "adopted": adopted, "tried": tried, "described": described}


def find(query="", sort="relevance", **filters):
    filters = {"type": ("practice",), **{k: tuple(v) for k, v in filters.items()}}
    return search(SearchParams(query, "en", filters, sort))


def keys(result):
    return [hit.key for hit in result.results]


def counts(result, facet="evidence"):
    return {value.value: value.count for value in result.facets[facet]}


def test_the_evidence_facet_counts_practices_per_level_strongest_first(practices):
    result = find()

    assert [value.value for value in result.facets["evidence"]] == [
        "anchored",
        "adopted",
        "tried",
        "described",
    ]
    assert counts(result) == {"anchored": 1, "adopted": 1, "tried": 1, "described": 1}
    labels = {value.value: value.label for value in result.facets["evidence"]}
    assert labels["adopted"] == "Adopted elsewhere"


def test_choosing_levels_keeps_practices_at_any_of_them(practices):
    result = find(evidence=["anchored", "adopted"])

    assert sorted(keys(result)) == ["debate-night", "living-library"]
    # Disjunctive: the other levels still show what choosing them would add.
    assert counts(result) == {"anchored": 1, "adopted": 1, "tried": 1, "described": 1}
    assert [v.value for v in result.facets["evidence"] if v.selected] == ["anchored", "adopted"]


def test_the_evidence_filter_combines_with_a_query_and_other_filters(practices):
    result = find("democracy", evidence=["adopted", "tried"], country=["FI"])

    assert keys(result) == ["source-criticism"]
    # Only the practice from Finland is left; a chosen level stays listed, at 0.
    assert counts(result) == {"tried": 1, "adopted": 0}


def test_strongest_evidence_first_when_browsing(practices):
    assert keys(find(sort="evidence")) == [
        "debate-night",
        "living-library",
        "source-criticism",
        "democracy-cafe",
    ]


def test_strongest_evidence_first_with_words_to_look_for(practices):
    assert keys(find("democracy workshop", sort="evidence")) == [
        "debate-night",
        "living-library",
        "source-criticism",
        "democracy-cafe",
    ]


def test_pages_other_than_practices_come_after_practices_by_evidence(practices):
    result = search(SearchParams("", "en", {}, "evidence", page_size=100))

    types = [hit.evidence is not None for hit in result.results]
    assert types == sorted(types, reverse=True)
    assert keys(result)[0] == "debate-night"


def test_a_published_case_study_raises_the_level_in_the_index(practices, libraries):
    ran(practices["tried"], libraries["ikast"], "repeated")

    assert sorted(keys(find(evidence=["adopted"]))) == ["living-library", "source-criticism"]


def test_an_unpublished_case_study_lowers_the_level_in_the_index(practices):
    case_study = CaseStudyPage.objects.get(practice=practices["tried"])
    case_study.unpublish()

    assert sorted(keys(find(evidence=["described"]))) == ["democracy-cafe", "source-criticism"]


def test_an_unknown_level_is_refused_naming_the_parameter():
    with pytest.raises(InvalidParameter) as refused:
        parse_params({"evidence": ["proven"]}, "en")

    assert refused.value.field == "evidence"
    assert "proven" in refused.value.message and "anchored" in refused.value.message


def test_the_search_page_refuses_an_unknown_level_with_a_400(client):
    response = client.get("/en/search/", {"evidence": "proven"})

    assert response.status_code == 400
    assert "Unknown value “proven” of “evidence”" in response.content.decode()


def test_the_api_refuses_an_unknown_level_with_a_400_naming_it(client):
    response = client.get("/api/v1/search", {"evidence": "proven"})

    assert response.status_code == 400
    assert response.json()["field"] == "evidence"


def test_the_api_gives_each_practice_its_level_and_the_facet(client, practices):
    data = client.get(
        "/api/v1/search", {"type": "practice", "sort": "evidence", "lang": "en"}
    ).json()

    first = data["results"][0]
    assert (first["key"], first["evidence"]) == ("debate-night", "anchored")
    assert first["spread"]["anchored_countries"] == 2
    assert {"value": "tried", "label": "Tried", "count": 1} in data["facets"]["evidence"]


def test_the_openapi_schema_declares_the_filter_and_the_sort(client):
    schema = client.get("/api/v1/openapi.json").json()

    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert parameters["evidence"]["schema"]["items"]["enum"] == [
        "",
        "described",
        "tried",
        "repeated",
        "adopted",
        "anchored",
    ]
    assert "evidence" in str(parameters["sort"]["schema"])


def test_the_search_page_shows_each_practice_s_level_with_its_meaning(client, practices):
    html = client.get("/en/search/", {"type": "practice", "sort": "evidence"}).content.decode()

    badge = re.search(r'<p class="evidence-badge evidence-badge--anchored">.*?</p>', html, re.S)
    assert badge, "the anchored practice has a badge"
    text = re.sub(r"<[^>]+>", "", badge.group(0))
    assert "Evidence: Anchored in several countries" in text
    assert "two libraries in at least two countries" in text
    assert 'href="/en/search/evidence/#evidence-anchored"' in badge.group(0)
    assert '<option value="evidence" selected>Strongest evidence first</option>' in html
    assert "<legend>Evidence</legend>" in html


def test_the_evidence_levels_page_explains_each_level_and_links_its_practices(client, practices):
    html = client.get("/en/search/evidence/").content.decode()

    assert "<h1>Evidence levels</h1>" in html
    for slug in ("anchored", "adopted", "repeated", "tried", "described"):
        assert f'id="evidence-{slug}"' in html
    assert 'href="/en/search/?type=practice&amp;evidence=adopted"' in html
    assert "1 practice at the level “Adopted elsewhere”" in html
    assert "0 practices at the level “Repeated”" in html
