"""The relevance expectations of test_relevance.py, answered by a real Elasticsearch: inflected
forms, words typed without diacritics, typos, one hit per translation group in the reader's
language, disjunctive facets counted in groups. Where no text is matched (browsing, filters,
sorting) the answers must equal the database backend's exactly.

Runs when ELASTICSEARCH_URL is set (the docker-compose stack: Elasticsearch 8.19, one node,
security off). Each session uses its own index prefix and deletes its indices at the end."""

import uuid

import pytest
from django.conf import settings
from django.test import override_settings
from elasticsearch import Elasticsearch

from search import operations
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import ElasticsearchBackend
from search.models import SearchEntry
from search.params import parse_params
from search.service import search
from tests.factories import PracticeFactory
from tests.search.corpus import build_corpus

URL = getattr(settings, "TEST_ELASTICSEARCH_URL", None)

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.django_db,
    pytest.mark.skipif(
        URL is None, reason="set ELASTICSEARCH_URL to run against a real Elasticsearch"
    ),
]
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture(scope="session")
def index_prefix():
    prefix = f"kbtest-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = Elasticsearch(URL, request_timeout=30)
    names = list(client.indices.get(index=f"{prefix}-*", expand_wildcards="all").body)
    if names:  # by name: wildcard deletion is refused by default (destructive_requires_name)
        client.indices.delete(index=",".join(names))
    client.close()


@pytest.fixture
def es(index_prefix):
    with override_settings(ELASTICSEARCH_URL=URL, ELASTICSEARCH_INDEX_PREFIX=index_prefix):
        yield ElasticsearchBackend.from_settings(for_indexing=True)


def refresh(es):
    es.client.indices.refresh(index=",".join(es.aliases))


@pytest.fixture
def corpus(es):
    """The relevance corpus, published with Elasticsearch configured (each publication is
    indexed as it happens), then rebuilt from scratch, as `search_index rebuild` does."""
    practices = build_corpus()
    operations.rebuild()
    # A first search through the patient indexing client: the cluster's first queries on new
    # indices are slow, and searches proper give up after 1.5 s.
    es.search(parse_params({"q": "library", "lang": "en"}, "en"))
    return practices


def find(q="", lang="en", **filters):
    result = search(parse_params({"q": q, "lang": lang, **filters}, "en"))
    assert result.backend == "elasticsearch", result.notice
    return result


def find_in_database(q="", lang="en", **filters):
    return search(parse_params({"q": q, "lang": lang, **filters}, "en"), DatabaseBackend())


def keys(result):
    return [hit.key for hit in result.results]


def facet_counts(result):
    return {name: {v.value: v.count for v in values} for name, values in result.facets.items()}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kirjastossa", "source-criticism"),
        ("vaaleihin", "source-criticism"),
        ("dzīvās bibliotēkas", "living-library"),
        ("raamatukogust", "village-assembly"),
        ("bibliotekerne", "advance-voting"),
        ("valgene", "advance-voting"),
        ("biblioteken", "democracy-cafe"),
        ("valen", "democracy-cafe"),
        ("debates", "debate-night"),
        ("election", "debate-night"),
    ],
)
def test_elasticsearch_finds_inflected_forms_in_each_language(corpus, query, expected):
    assert expected in keys(find(query))


@pytest.mark.parametrize(
    "query, expected",
    [
        ("dziva biblioteka", "living-library"),
        ("lahdekritiikin tyopaja", "source-criticism"),
        ("kulakoosolek", "village-assembly"),
        ("brevstemmeafgivning pa biblioteket", "advance-voting"),
        ("kallkritik", "democracy-cafe"),
    ],
)
def test_elasticsearch_finds_words_typed_without_diacritics(corpus, query, expected):
    assert keys(find(query))[0] == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("parliamnet", "childrens-parliament"),
        ("parlaimnet", "childrens-parliament"),
        ("dbeate", "debate-night"),
    ],
)
def test_elasticsearch_tolerates_typos_in_longer_words(corpus, query, expected):
    assert expected in keys(find(query))


def test_short_words_must_be_spelled_right(corpus):
    assert find("cafx").total == 0


def test_one_hit_per_translation_group_in_the_readers_language(corpus):
    finnish = find("dziva biblioteka", lang="fi")
    swedish = find("dziva biblioteka", lang="sv")

    assert keys(finnish).count("living-library") == 1
    hit = next(h for h in finnish.results if h.key == "living-library")
    assert (hit.locale, hit.title) == ("fi", "Elävä kirjasto")
    assert hit.available_locales == ["en", "lv", "fi"]
    original = next(h for h in swedish.results if h.key == "living-library")
    assert (original.locale, original.title) == ("lv", "Dzīvā bibliotēka")


def test_a_query_in_one_language_finds_the_other_language_versions(corpus):
    result = find("living library", lang="fi")

    assert keys(result)[0] == "living-library"
    assert result.results[0].locale == "fi"


def test_finnish_theme_word_finds_an_untranslated_danish_election_practice(corpus):
    assert "advance-voting" in keys(find("vaalit", lang="fi"))


def test_title_matches_rank_above_body_matches_and_phrases_first(corpus):
    assert keys(find("debate"))[0] == "debate-night"
    assert keys(find("living library"))[0] == "living-library"


@pytest.mark.parametrize("query", ["living library", "kirjastossa", "debate", "dziva biblioteka"])
def test_queries_find_the_same_groups_and_facets_as_the_database(corpus, query):
    found, expected = find(query), find_in_database(query)

    assert sorted(keys(found)) == sorted(keys(expected))
    assert found.total == expected.total
    assert facet_counts(found) == facet_counts(expected)


def test_facets_count_translation_groups_once_and_are_disjunctive(corpus):
    result = find(lang="en", theme="dialogue")
    themes = {v.value: v.count for v in result.facets["theme"]}

    assert result.total == 4
    assert {v.value: v.count for v in result.facets["type"]} == {"practice": 4}
    assert themes["elections"] == 3 and themes["dialogue"] == 4
    assert {v.value: v.count for v in result.facets["format"]} == {
        "event": 2,
        "meeting": 1,
        "debate": 1,
    }


def test_filters_combine_or_within_and_across(corpus):
    either = find(theme=["elections", "participation"])
    both = find(theme=["elections", "participation"], country="DK")

    assert sorted(keys(either)) == [
        "advance-voting",
        "childrens-parliament",
        "debate-night",
        "source-criticism",
    ]
    assert sorted(keys(both)) == ["advance-voting", "debate-night"]


def test_unknown_filter_values_give_an_empty_result(corpus):
    assert find("library", theme="no-such-theme").total == 0
    assert find(country="ZZ").total == 0


@pytest.mark.parametrize(
    "lang, filters",
    [
        ("en", {}),
        ("fi", {"type": "practice"}),
        ("sv", {"theme": ["dialogue", "elections"], "language": "en"}),
        ("lv", {"country": ["LV", "FI"], "stage": "anchored"}),
        ("da", {"tag": "living-library", "type": ["practice", "case_study"]}),
    ],
)
@pytest.mark.parametrize("sort", ["newest", "title"])
def test_browsing_answers_exactly_as_the_database(corpus, lang, filters, sort):
    found = find(lang=lang, sort=sort, **filters)
    expected = find_in_database(lang=lang, sort=sort, **filters)

    assert keys(found) == keys(expected)
    assert [h.locale for h in found.results] == [h.locale for h in expected.results]
    assert found.total == expected.total
    assert facet_counts(found) == facet_counts(expected)


def test_browse_mode_lists_newest_first(corpus):
    result = find(type="practice")

    assert keys(result)[0] == "debate-night"
    assert keys(result)[-1] == "living-library"


def test_pages_follow_each_other(corpus):
    first = find(type="practice", page_size="3")
    second = find(type="practice", page_size="3", page="2")

    assert first.total == second.total == 7
    assert not set(keys(first)) & set(keys(second))
    assert keys(first) + keys(second) == keys(find(type="practice"))[:6]


def test_case_studies_are_found_and_filtered_by_stage(corpus):
    assert keys(find("bibliotēka", stage="anchored")) == ["living-library-in-kardla"]


def test_highlight_marks_matched_words_and_escapes_the_rest(corpus, es):
    PracticeFactory(
        slug="xss", title="Safe snippet", summary='Watch <script>alert("x")</script> the elections'
    )
    refresh(es)

    hit = next(h for h in find("elections").results if h.key == "xss")
    assert "<mark>elections</mark>" in hit.highlight
    assert "<script>" not in hit.highlight and "&lt;script&gt;" in hit.highlight


@pytest.mark.parametrize(
    "query",
    [
        '"quoted" (brackets) AND NEAR * - :',
        "\x00nul",
        "a" * 300,
        "🙂🙂",
        "NOT",
        "*",
        '"',
        "title:x",
        "-x",
    ],
)
def test_operators_and_odd_input_are_plain_text(corpus, query):
    assert find(query).total >= 0  # and Elasticsearch answered: find() checks it


def test_title_suggestions_complete_the_title_shown_in_the_readers_language(corpus, es):
    living_library = str(corpus["living-library"].translation_key)

    assert [s["translation_key"] for s in es.suggest_titles("elävä kir", "fi")] == [living_library]
    # No Swedish version: the original's title is completed, before the longer case study's.
    assert [s["title"] for s in es.suggest_titles("dziva bib", "sv")] == [
        "Dzīvā bibliotēka",
        "Dzīvā bibliotēka Kärdlas",
    ]
    assert es.suggest_titles("debate ni", "en")[0]["key"] == "debate-night"
    assert es.suggest_titles("elävä kir", "en") == []  # the English reader sees "Living library"


@pytest.mark.parametrize(
    "typed, lang", [("dziva bib", "sv"), ("bib", "da"), ("kir", "fi"), ("li", "en"), ("ra", "et")]
)
def test_title_suggestions_are_the_databases(corpus, es, typed, lang):
    from search import suggest

    expected = [s["key"] for s in suggest.suggest_titles(typed, lang)]
    assert [s["key"] for s in es.suggest_titles(typed, lang)] == expected


def test_related_practices_share_themes_and_tags(corpus, es):
    page = corpus["living-library"]
    document = SearchEntry.objects.get(page_id=page.pk).document

    related = es.related(document, limit=5)

    practices = {
        str(p.translation_key): key for key, p in corpus.items() if key != "living-library"
    }
    assert related
    assert {hit.translation_key for hit in related} <= set(practices)


def test_indexing_removing_and_counting(corpus, es):
    assert es.indexed_ids() == set(SearchEntry.objects.values_list("page_id", flat=True))
    per_locale = {}
    for locale in SearchEntry.objects.values_list("locale", flat=True):
        per_locale[locale] = per_locale.get(locale, 0) + 1
    assert es.count_per_locale() == per_locale

    page = corpus["debate-night"]
    assert es.remove_pages([page.pk]) == 1
    refresh(es)
    assert page.pk not in es.indexed_ids()


def test_a_rebuild_swaps_each_alias_to_one_new_index_and_drops_the_old(corpus, es):
    before = es.client.indices.get_alias(name=",".join(es.aliases)).body

    operations.rebuild()

    after = es.client.indices.get_alias(name=",".join(es.aliases)).body
    assert len(after) == len(LANGUAGES)
    assert not set(before) & set(after)
    assert not es.client.indices.exists(index=",".join(before)).body
    assert keys(find("dziva biblioteka"))[0] == "living-library"
