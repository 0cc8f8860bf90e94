"""The search API, /api/v1/search, through Django's whole stack."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from languages.reader import FALLBACK_COOKIE
from search.models import SearchQueryLog
from tests.factories import PracticeFactory, translate

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/search"
SUGGEST = "/api/v1/search/suggest"


def hit(response, key):
    return next(h for h in response.json()["results"] if h["key"] == key)


def test_search_answers_with_the_documented_shape(client, network):
    # In quotes: the phrase itself (unquoted, "library" also finds the Danish "biblioteket").
    response = client.get(SEARCH, {"q": '"living library"', "lang": "en"})

    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        "query",
        "total",
        "page",
        "page_size",
        "results",
        "facets",
        "suggestion",
        "backend",
    }
    assert data["query"] == '"living library"'
    assert (data["page"], data["page_size"], data["backend"]) == (1, 20, "database")
    assert data["total"] == 1
    result = data["results"][0]
    assert set(result) == {
        "key",
        "type",
        "locale",
        "available_locales",
        "title",
        "summary",
        "url",
        "highlight",
        "score",
        "spread",
        "evidence",
    }
    assert result["key"] == "living-library"
    # No case study yet: tried nowhere, anchored nowhere, only described.
    assert result["spread"] == {
        "libraries": 0,
        "countries": 0,
        "anchored": 0,
        "repeated": 0,
        "repeated_elsewhere": 0,
        "anchored_countries": 0,
    }
    assert result["evidence"] == "described"
    assert result["title"] == "Living library"
    assert result["locale"] == "en"
    assert result["url"] == "/en/practices/living-library/"
    assert "<mark>living</mark>" in result["highlight"].lower()
    assert {"value": "dialogue", "label": "Dialogue", "count": 1} in data["facets"]["theme"]


def test_finnish_reader_gets_the_first_fallback_language_before_the_original(client, network):
    """No Finnish version: a Finnish reader's reading order is fi, en, sv, et, then the
    original, so the English version is shown rather than the Latvian original."""
    response = client.get(SEARCH, {"q": '"dzīvā bibliotēka"', "lang": "fi"})

    living = hit(response, "living-library")
    assert living["locale"] == "en"
    assert living["title"] == "Living library"
    assert living["available_locales"] == ["en", "lv"]
    assert response.json()["facets"]["theme"] == [
        {"value": "dialogue", "label": "Dialogi", "count": 1}
    ]


def test_facet_labels_follow_the_readers_rule(client, living_library):
    """A Swedish reader reads English next: the library's English name labels its facet
    value; to a reader who reads no other language, its Latvian original does."""
    translate(living_library.library, "en", title="Valmiera Library")

    def library_labels():
        response = client.get(SEARCH, {"q": "living library", "lang": "sv"})
        assert response.status_code == 200
        return [value["label"] for value in response.json()["facets"]["library"]]

    assert library_labels() == ["Valmiera Library"]
    client.cookies[FALLBACK_COOKIE] = "-"
    assert library_labels() == ["Valmieras bibliotēka"]


def test_facet_labels_follow_a_term_translated_or_renamed_after_a_search(client, db):
    """Labels are kept between searches; translating or renaming a term shows at once."""
    from practices.models import Theme
    from tests.factories import locale_for

    folk_school = Theme.objects.create(
        slug="folk-school", label="Folk school", locale=locale_for("en")
    )
    PracticeFactory(title="Folk high school evenings", themes=["folk-school"])

    def theme_labels(lang):
        response = client.get(SEARCH, {"q": "evenings", "lang": lang})
        assert response.status_code == 200
        return [value["label"] for value in response.json()["facets"]["theme"]]

    assert theme_labels("fi") == ["Folk school"]
    Theme.objects.create(
        slug="folk-school",
        label="Kansanopisto",
        locale=locale_for("fi"),
        translation_key=folk_school.translation_key,
    )
    assert theme_labels("fi") == ["Kansanopisto"]

    folk_school.label = "Folk high school"
    folk_school.save()
    assert theme_labels("en") == ["Folk high school"]
    assert theme_labels("fi") == ["Kansanopisto"]


def test_sorted_by_title_each_group_is_sorted_by_the_title_the_reader_sees(client, network):
    """The English title ("Living library") sorts a Finnish reader's list, not the Latvian
    original ("Dzīvā bibliotēka"), which would come before "Kirjastokahvila"."""
    PracticeFactory(title="Kirjastokahvila", slug="library-cafe", locale="fi")

    def titles():
        params = {"lang": "fi", "sort": "title", "type": "practice"}
        return [hit["title"] for hit in client.get(SEARCH, params).json()["results"]]

    assert titles() == ["Kirjastokahvila", "Living library", "Valgmøde på biblioteket"]
    client.cookies[FALLBACK_COOKIE] = "-"
    assert titles() == ["Dzīvā bibliotēka", "Kirjastokahvila", "Valgmøde på biblioteket"]


def test_a_reader_who_chose_no_fallback_languages_gets_the_original(client, network):
    client.cookies["kb_fallback_languages"] = "-"
    response = client.get(SEARCH, {"q": '"dzīvā bibliotēka"', "lang": "fi"})

    assert hit(response, "living-library")["locale"] == "lv"


def test_a_translation_group_is_found_once_whatever_language_matches(client, network):
    response = client.get(SEARCH, {"q": "living", "lang": "lv"})

    data = response.json()
    assert data["total"] == 1
    assert data["results"][0]["title"] == "Dzīvā bibliotēka"


def test_without_lang_the_accept_language_header_chooses(client, network):
    response = client.get(SEARCH, {"q": "living"}, headers={"accept-language": "lv,en;q=0.5"})
    assert response.json()["results"][0]["locale"] == "lv"

    response = client.get(SEARCH, {"q": "living"}, headers={"accept-language": "de"})
    assert response.json()["results"][0]["locale"] == "en"


def test_filters_narrow_the_results(client, network):
    data = client.get(SEARCH, {"theme": "elections", "lang": "en"}).json()

    assert [r["key"] for r in data["results"]] == ["election-meeting"]
    by_country = client.get(SEARCH, {"country": "lv", "lang": "en"}).json()
    assert {r["key"] for r in by_country["results"]} == {"living-library", "valmiera"}
    either = client.get(SEARCH, {"theme": ["elections", "dialogue"], "type": "practice"}).json()
    assert either["total"] == 2


def test_unknown_filter_values_find_nothing_rather_than_fail(client, network):
    for name, value in [("theme", "no-such-theme"), ("library", "atlantis"), ("country", "ZZ")]:
        response = client.get(SEARCH, {name: value})
        assert response.status_code == 200, name
        assert response.json()["total"] == 0


def test_sort_and_pagination(client, network):
    data = client.get(SEARCH, {"sort": "title", "page_size": 1, "page": 2, "lang": "en"}).json()

    assert data["total"] == 3
    assert (data["page"], data["page_size"]) == (2, 1)
    assert [r["title"] for r in data["results"]] == ["Valgmøde på biblioteket"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"q": "x" * 501}, "q"),
        ({"lang": "de"}, "lang"),
        ({"sort": "popular"}, "sort"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"country": "Latvia"}, "country"),
        ({"theme": [f"t{n}" for n in range(51)]}, "theme"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(client, params, field):
    response = client.get(SEARCH, params)

    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field
    assert body["error"]


def test_the_error_speaks_the_requests_language(client):
    response = client.get(SEARCH, {"sort": "x"}, headers={"accept-language": "fi"})
    assert response.status_code == 400
    assert response.json()["field"] == "sort"


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "(brackets] {and} <tags>",
        "living AND library",
        "living NEAR library",
        "NEAR(living library)",
        "libr*",
        "-living",
        "title:living",
        "living\x00library",
        "a" * 300,
        "🙂 📚",
        "'; DROP TABLE search_searchentry; --",
        "zz6c6976696e67",
    ],
)
def test_anything_typed_is_plain_text(client, network, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200


_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80
) | st.sampled_from(['"', "*", "-", ":", "AND", "OR", "NOT", "NEAR", "(", ")", "^", "\x00"])


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    q=st.lists(_TEXT, max_size=6).map(" ".join),
    filters=st.dictionaries(
        st.sampled_from(["type", "theme", "tag", "country", "library", "stage", "language"]),
        st.lists(_TEXT, max_size=3),
        max_size=3,
    ),
    sort=st.one_of(st.none(), st.sampled_from(["relevance", "newest", "title"]), _TEXT),
    page=st.one_of(st.none(), st.integers(-3, 10**6).map(str), _TEXT),
)
def test_no_input_causes_a_server_error(client, network, q, filters, sort, page):
    params = {"q": q, **filters}
    if sort is not None:
        params["sort"] = sort
    if page is not None:
        params["page"] = page
    response = client.get(SEARCH, params)
    assert response.status_code in {200, 400}, (params, response.content[:500])
    suggest = client.get(SUGGEST, {"q": q, "lang": "en"})
    assert suggest.status_code in {200, 400}, (q, suggest.content[:500])


def test_each_search_is_logged_once(client, network):
    client.get(SEARCH, {"q": "  Living   LIBRARY ", "lang": "en", "theme": "dialogue"})

    log = SearchQueryLog.objects.get()
    assert (log.query, log.lang, log.result_count, log.backend) == (
        "living library",
        "en",
        1,
        "database",
    )
    assert log.filters == {"theme": ["dialogue"]}


def test_browsing_and_autocomplete_are_not_logged(client, network):
    client.get(SEARCH)
    client.get(SUGGEST, {"q": "liv"})
    client.get(SEARCH, {"sort": "nope"})

    assert not SearchQueryLog.objects.exists()


def test_openapi_documents_the_search(client):
    schema = client.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/search"]["get"]
    parameters = {p["name"] for p in operation["parameters"]}
    assert {"q", "lang", "theme", "country", "sort", "page", "page_size"} <= parameters
    assert "200" in operation["responses"] and "400" in operation["responses"]
    assert "SearchResponse" in schema["components"]["schemas"]
    assert "/api/v1/search/suggest" in schema["paths"]


# --- autocomplete ------------------------------------------------------------------------


def test_suggest_completes_the_last_word_of_titles(client, network):
    response = client.get(SUGGEST, {"q": "liv", "lang": "en"})

    assert response.status_code == 200
    assert response.json() == [
        {
            "key": "living-library",
            "type": "practice",
            "title": "Living library",
            "url": "/en/practices/living-library/",
        }
    ]


def test_suggest_matches_titles_in_the_display_language_folded(client, network):
    in_latvian = client.get(SUGGEST, {"q": "dziva bib", "lang": "lv"}).json()
    assert [s["title"] for s in in_latvian] == ["Dzīvā bibliotēka"]
    # In English the group shows its English title, which has no word "dzīvā".
    assert client.get(SUGGEST, {"q": "dzīvā", "lang": "en"}).json() == []
    # In Finnish there is no version: a Finnish reader reads English next, so the English
    # title is shown; to one who reads no other language, the Latvian original is.
    assert client.get(SUGGEST, {"q": "dzīvā", "lang": "fi"}).json() == []
    assert [s["key"] for s in client.get(SUGGEST, {"q": "living", "lang": "fi"}).json()] == [
        "living-library"
    ]
    client.cookies[FALLBACK_COOKIE] = "-"
    assert [s["key"] for s in client.get(SUGGEST, {"q": "dzīvā", "lang": "fi"}).json()] == [
        "living-library"
    ]


def test_suggest_needs_whole_words_before_the_last(client, network):
    assert client.get(SUGGEST, {"q": "liv lib", "lang": "en"}).json() == []
    assert [s["key"] for s in client.get(SUGGEST, {"q": "living lib", "lang": "en"}).json()] == [
        "living-library"
    ]


def test_suggest_waits_for_two_characters(client, network):
    assert client.get(SUGGEST, {"q": "l", "lang": "en"}).json() == []
    assert client.get(SUGGEST, {"q": "", "lang": "en"}).json() == []


def test_suggest_returns_at_most_eight(client, db):
    for n in range(10):
        PracticeFactory(title=f"Debate club {n}", slug=f"debate-{n}")

    assert len(client.get(SUGGEST, {"q": "deb", "lang": "en"}).json()) == 8


def test_suggest_rejects_an_unknown_language(client):
    response = client.get(SUGGEST, {"q": "liv", "lang": "xx"})
    assert response.status_code == 400
    assert response.json()["field"] == "lang"


def test_suggest_asks_elasticsearch_when_it_can_and_falls_back(client, network, monkeypatch):
    from search import suggest
    from search.backends import BackendUnavailable

    class Answering:
        def suggest_titles(self, prefix, lang, limit):
            return [{"key": "k", "type": "practice", "title": f"{prefix}!", "url": "/u/"}]

    class Down:
        def suggest_titles(self, prefix, lang, limit):
            raise BackendUnavailable("down")

    monkeypatch.setattr(suggest, "get_backend", Answering)
    assert client.get(SUGGEST, {"q": "liv", "lang": "en"}).json()[0]["title"] == "liv!"
    monkeypatch.setattr(suggest, "get_backend", Down)
    assert client.get(SUGGEST, {"q": "liv", "lang": "en"}).json()[0]["key"] == "living-library"
