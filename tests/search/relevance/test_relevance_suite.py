"""The relevance suite: one test per case of `cases.py` against the corpus of `corpus.py`, on
the embedded backend (SQLite FTS5 or PostgreSQL full text, whichever DATABASE_URL points at).

A measurement instrument: each outcome (pass or fail, reciprocal rank) is recorded, and
`conftest.py` prints the pass rate and mean reciprocal rank per category at the end of the
run (`make relevance`)."""

from collections import Counter

import pytest

from search.backends.database import DatabaseBackend
from search.params import parse_params
from search.service import search
from tests.search.corpus import built_once

from .cases import CASES, CATEGORIES
from .corpus import CASE_STUDIES, PRACTICES, build_relevance_corpus, corpus_keys

pytestmark = pytest.mark.django_db

# How many results each query reads: enough for any case's `top`.
RESULTS = 100


corpus = built_once(build_relevance_corpus)


def ranked_keys(query: str, lang: str) -> list[str]:
    params = parse_params({"q": query, "lang": lang, "page_size": str(RESULTS)}, "en")
    return [hit.key for hit in search(params, DatabaseBackend()).results]


def _param(case):
    if not case.known_failure:
        return pytest.param(case, id=case.id)
    return pytest.param(
        case, id=case.id, marks=pytest.mark.xfail(strict=True, reason=case.known_failure)
    )


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_case(corpus, case, record_relevance):
    try:
        keys = ranked_keys(case.query, case.lang)
    except Exception:
        record_relevance(case, False, 0.0)
        raise
    passed, reciprocal_rank = case.outcome(keys)
    record_relevance(case, passed, reciprocal_rank)
    rank = keys.index(case.expected_key) + 1 if case.expected_key in keys else None
    where = f"at rank {rank}" if rank else "not in the results"
    assert passed, (
        f"{case.query!r} ({case.lang}): expected {case.describe()}; it is {where}. "
        f"First results: {keys[:5]}. {case.note}"
    )


def test_every_case_names_a_page_of_the_corpus():
    assert {case.expected_key for case in CASES} <= corpus_keys()


def test_every_known_failure_names_a_case():
    from .cases import KNOWN_FAILURES

    assert set(KNOWN_FAILURES) <= {case.id for case in CASES}


def test_case_ids_are_unique():
    assert [i for i, n in Counter(case.id for case in CASES).items() if n > 1] == []


def test_each_category_has_at_least_ten_cases():
    counts = Counter(case.category for case in CASES)
    assert {category: counts[category] for category in CATEGORIES if counts[category] < 10} == {}


def test_the_corpus_is_big_enough_and_summaries_fit():
    assert len(PRACTICES) >= 40
    assert len(CASE_STUDIES) >= 10
    texts = [spec["summary"] for spec in PRACTICES + CASE_STUDIES] + [
        fields["summary"] for spec in PRACTICES for fields in spec.get("translations", {}).values()
    ]
    assert [summary for summary in texts if len(summary) > 300] == []
