"""The relevance expectations of test_relevance.py, answered by a real Elasticsearch: inflected
forms, words typed without diacritics, typos, one hit per translation group in the reader's
language, disjunctive facets counted in groups. Where no text is matched (browsing, filters,
sorting) the answers must equal the database backend's exactly; where text is matched, both
engines search the same pre-analysed tokens (search.tokens) through the same kinds of match
(search.matching), so they find the same groups and rank them by the same number of content
words matched. Typos are expanded from the database's vocabulary into exact tokens (no
`fuzziness`), and search.service highlights the results of both engines alike, in Python.

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
from search.backends.es_documents import TOKEN_FIELDS
from search.matching import COVERAGE
from search.models import SearchEntry
from search.params import SearchParams, parse_params
from search.service import search
from search.tokens import text_tokens
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
    """The indexed words within reach of the typo (the database's vocabulary) are searched
    as tokens of their own: the same expansions on both engines."""
    assert expected in keys(find(query))
    assert expected in keys(find_in_database(query))


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
        ("et", {"evidence": ["described", "tried"]}),
    ],
)
@pytest.mark.parametrize("sort", ["newest", "title", "evidence"])
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
    """Elasticsearch returns no highlights: the version shown is highlighted in Python, as
    for the database backend's results."""
    PracticeFactory(
        slug="xss", title="Safe snippet", summary='Watch <script>alert("x")</script> the elections'
    )
    refresh(es)

    hit = next(h for h in find("elections").results if h.key == "xss")
    assert "<mark>elections</mark>" in hit.highlight
    assert "<script>" not in hit.highlight and "&lt;script&gt;" in hit.highlight
    expected = next(h for h in find_in_database("elections").results if h.key == "xss")
    assert hit.highlight == expected.highlight


@pytest.mark.parametrize(
    "query, lang", [("kirjastossa", "fi"), ("dziva biblioteka", "sv"), ("debate", "en")]
)
def test_every_highlight_is_the_databases(corpus, query, lang):
    found = {h.key: (h.locale, h.highlight) for h in find(query, lang).results}
    expected = {h.key: (h.locale, h.highlight) for h in find_in_database(query, lang).results}

    assert found == expected
    assert any("<mark>" in highlight for _locale, highlight in found.values())


# --- the two engines side by side ------------------------------------------------------------

PARITY_QUERIES = [
    ("living library", "en"),  # a phrase: both words, then one
    ("how to run a living library", "en"),  # stop words count towards the phrase only
    ("kirjastossa", "fi"),  # an inflected form
    ("dziva biblioteka", "sv"),  # typed without diacritics, versions in other languages
    ("youth elections library dialogue", "en"),  # four content words: tiers of coverage
    ("kirjasto vaalit", "fi"),
    ("valg på biblioteket", "da"),
    ("bibliotēka raamatukogu kirjasto", "lv"),  # one word of each of three languages
    ("parliamnet", "en"),  # a typo, expanded from the vocabulary
    ("kids debate", "en"),  # a synonym (kids: children) and a word
    ("debataften", "da"),  # a compound: its parts
    ("valgmøde", "da"),
    ("brevstemme", "da"),
    ("demokratikafé", "sv"),
    ("children's parliament", "en"),  # an apostrophe: a hex-spelt token
]


def coverage_tiers(raw) -> list[tuple[int, set]]:
    """The hits as runs of equal coverage (content words matched), best first: [(count,
    {translation keys})]. Within a run the engines' relevance (Lucene's BM25F, FTS5's bm25
    or PostgreSQL's ts_rank) may order the groups differently."""
    tiers = []
    for hit in raw.hits:
        covered = int(hit.score // COVERAGE)
        if not tiers or tiers[-1][0] != covered:
            tiers.append((covered, set()))
        tiers[-1][1].add(hit.translation_key)
    return tiers


@pytest.mark.parametrize("query, lang", PARITY_QUERIES)
def test_both_engines_find_the_same_groups_in_the_same_order_of_coverage(es, corpus, query, lang):
    params = SearchParams(query, lang, {}, "relevance", 1, 100)

    found = es.search(params)
    expected = DatabaseBackend().search(params)

    assert found.total == expected.total
    assert {h.translation_key for h in found.hits} == {h.translation_key for h in expected.hits}
    assert coverage_tiers(found) == coverage_tiers(expected)
    counts = [covered for covered, _keys in coverage_tiers(found)]
    assert counts == sorted(counts, reverse=True) and all(counts)


def test_the_parity_queries_find_something_in_several_tiers(es, corpus):
    """The comparison above compares something: every query finds groups, and some rank
    groups matching more of their words above groups matching fewer."""
    tiers = {
        query: coverage_tiers(es.search(SearchParams(query, lang, {}, "relevance", 1, 100)))
        for query, lang in PARITY_QUERIES
    }

    assert all(tiers.values()), [query for query, found in tiers.items() if not found]
    assert len(tiers["youth elections library dialogue"]) >= 3
    assert len(tiers["living library"]) == 2


def test_the_token_fields_are_searched_but_never_returned(corpus, es):
    """Every token of the database's token columns is a term of Elasticsearch's token field
    for the same version; the token fields are left out of the stored _source."""
    entry = SearchEntry.objects.filter(key="living-library", locale="lv").get()
    page_id = str(entry.page_id)

    stored = es.client.get(index=es.alias("lv"), id=page_id).body["_source"]
    assert not set(TOKEN_FIELDS.values()) & set(stored)
    assert stored["title"] == entry.title
    columns = {
        "title": entry.title_tokens,
        "keywords": entry.keyword_tokens,
        "summary": entry.summary_tokens,
        "body": entry.body_tokens,
    }
    for name, column in columns.items():
        for token in dict.fromkeys(column.split()):
            query = {
                "bool": {
                    "filter": [
                        {"term": {TOKEN_FIELDS[name]: {"value": token}}},
                        {"ids": {"values": [page_id]}},
                    ]
                }
            }
            assert es.client.count(index=es.alias("lv"), query=query).body["count"] == 1, (
                name,
                token,
            )


def test_the_token_analyzer_keeps_every_token_whole(corpus, es):
    """kb_tokens splits on spaces only: each token of search.tokens, a hex-spelt word of 255
    three-byte letters (1532 characters) included, is one term."""
    tokens = text_tokens("Children's parliament 🙂 " + "ა" * 300, "fi")
    assert max(len(token) for token in tokens) > 255

    analysed = es.client.indices.analyze(
        index=es.alias("fi"), analyzer="kb_tokens", text=" ".join(tokens)
    ).body["tokens"]
    assert [t["token"] for t in analysed] == tokens


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
