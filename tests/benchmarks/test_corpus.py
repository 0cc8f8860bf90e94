"""The synthetic corpus the benchmarks import: valid, reproducible and shaped like the real
knowledge base."""

import re
from collections import Counter
from statistics import mean

import pytest

from benchmarks.corpus import LIBRARY_COUNTRIES, expected_pages, generate, word_pools
from benchmarks.queries import KINDS, build_queries
from practices.exchange.importer import check_document
from practices.exchange.validation import LOCALES, SECTIONS, SHIPPED_VOCABULARIES, validate_document

SMALL = 40
NO_KEYS = {section: set() for section in SECTIONS}


@pytest.fixture(scope="module")
def small_corpus():
    return generate(SMALL)


@pytest.fixture(scope="module")
def corpus():
    return generate(300)


def test_generated_document_is_valid(small_corpus):
    errors = validate_document(
        small_corpus, vocabularies=SHIPPED_VOCABULARIES, existing_keys=NO_KEYS
    )

    assert errors == []


@pytest.mark.django_db
def test_generated_document_fits_the_pages_of_an_empty_site(small_corpus):
    assert check_document(small_corpus) == []


def test_the_same_seed_gives_the_same_document(small_corpus):
    assert generate(SMALL, seed=1) == small_corpus
    assert generate(SMALL, seed=2) != small_corpus


def test_records_come_in_the_proportions_of_the_knowledge_base(small_corpus, corpus):
    assert [len(small_corpus[s]) for s in SECTIONS] == [4, 2, 40, 13]
    assert [len(corpus[s]) for s in SECTIONS] == [15, 6, 300, 100]


def test_practices_have_about_one_translation_and_a_fifth(corpus):
    counts = [len(p["translations"]) for p in corpus["practices"]]

    assert set(counts) == {0, 1, 2, 3}
    assert 1.0 <= mean(counts) <= 1.4


def test_practices_are_spread_over_the_six_languages(corpus):
    locales = Counter(p["locale"] for p in corpus["practices"])

    assert set(locales) == set(LOCALES)
    assert min(locales.values()) >= 300 / 6 / 2


def test_practices_carry_their_taxonomy_within_bounds(corpus):
    practices = corpus["practices"]

    assert all(1 <= len(p["themes"]) <= 3 for p in practices)
    assert all(0 <= len(p["audiences"]) <= 3 for p in practices)
    assert all(0 <= len(p["tags"]) <= 5 for p in practices)
    assert all(p["format"] for p in practices)
    assert 0.5 < mean("meeting" in p for p in practices) < 0.9


def test_libraries_are_in_the_five_partner_countries_in_their_language(corpus):
    libraries = corpus["libraries"]

    assert {library["country"] for library in libraries} == set(LIBRARY_COUNTRIES)
    assert all(LIBRARY_COUNTRIES[lib["country"]] == lib["locale"] for lib in libraries)


def test_meetings_of_every_kind(corpus):
    assert {m["kind"] for m in corpus["meetings"]} == {"international", "national", "virtual"}


def test_case_studies_have_at_most_two_translations(corpus):
    assert {len(c["translations"]) for c in corpus["case_studies"]} <= {0, 1, 2}


def test_expected_pages_count_records_and_translations(small_corpus):
    records = sum(len(small_corpus[s]) for s in SECTIONS)
    translations = sum(len(r["translations"]) for s in SECTIONS for r in small_corpus[s])

    assert expected_pages(small_corpus) == records + translations


def test_common_words_are_common_and_rare_words_rare(corpus):
    finnish = word_pools()["fi"].words
    bodies = [p["body"].lower() for p in corpus["practices"] if p["locale"] == "fi"]

    def documents_with(word):
        pattern = re.compile(rf"\b{re.escape(word)}\b")
        return sum(1 for body in bodies if pattern.search(body))

    assert documents_with(finnish[0]) > 0.9 * len(bodies)
    assert documents_with(finnish[-1]) < 0.1 * len(bodies)


def test_texts_are_in_the_record_language(corpus):
    practice = next(p for p in corpus["practices"] if p["locale"] == "lv")
    latvian = set(word_pools()["lv"].words)
    words = re.findall(r"[^\W\d_]+", practice["body"].lower())

    assert words and all(word in latvian for word in words)


def test_search_queries_are_the_same_for_the_same_corpus(small_corpus):
    assert build_queries(small_corpus) == build_queries(generate(SMALL))


def test_search_queries_mix_every_kind_in_every_language(corpus):
    queries = build_queries(corpus)

    assert len(queries) == 200
    assert Counter(q.kind for q in queries) == {kind: 40 for kind in KINDS}
    assert {q.lang for q in queries} == set(LOCALES)
    assert {len(q.filters) for q in queries} == {0, 1, 2, 3}


def test_typo_queries_are_not_words_of_their_language(corpus):
    typos = [q for q in build_queries(corpus) if q.kind == "typo"]

    assert typos and all(q.q not in word_pools()[q.lang].words for q in typos)
