"""What a librarian types and what they must find. Runs on the embedded backend (SQLite FTS5
or PostgreSQL full text, whichever DATABASE_URL points at); the Elasticsearch integration suite
asserts the same expectations against a real cluster."""

import datetime

import pytest
from wagtail.models import Page

from search.backends import database
from search.backends.database import FACET_SETS, DatabaseBackend, index_documents
from search.models import SearchEntry
from search.params import parse_params
from search.plan import plan_query
from search.service import search
from tests.search.corpus import build_corpus, built_once

pytestmark = pytest.mark.django_db


corpus = built_once(build_corpus)


def find(q="", lang="en", **filters):
    return search(parse_params({"q": q, "lang": lang, **filters}, "en"), DatabaseBackend())


def keys(result):
    return [hit.key for hit in result.results]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kirjastossa", "source-criticism"),  # fi: kirjasto → kirjastossa
        ("vaaleihin", "source-criticism"),  # fi: vaaleissa ↔ vaaleihin
        ("dzīvās bibliotēkas", "living-library"),  # lv: Dzīvā bibliotēka
        ("raamatukogust", "village-assembly"),  # et: raamatukogus
        ("bibliotekerne", "advance-voting"),  # da: biblioteket
        ("valgene", "advance-voting"),  # da: valget
        ("biblioteken", "democracy-cafe"),  # sv: bibliotekens / biblioteket
        ("valen", "democracy-cafe"),  # sv: valet
        ("debates", "debate-night"),  # en: debate
        ("election", "debate-night"),  # en: elections
    ],
)
def test_search_finds_inflected_forms_in_each_language(corpus, query, expected):
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
def test_search_finds_words_typed_without_diacritics(corpus, query, expected):
    # Among the first two: on PostgreSQL ts_rank may put a case study of the same practice
    # (whose title repeats the practice's name) first.
    assert expected in keys(find(query))[:2]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("parliamnet", "childrens-parliament"),  # 10 letters, one typo
        ("parlaimnet", "childrens-parliament"),  # 10 letters, two typos
        ("dbeate", "debate-night"),  # 6 letters, one typo (transposition)
    ],
)
def test_search_tolerates_typos_in_longer_words(corpus, query, expected):
    assert expected in keys(find(query))


def test_short_words_must_be_spelled_right(corpus):
    # "cafe" is four letters: no typo allowed, so "cafx" finds nothing.
    assert find("cafx").total == 0


def test_one_hit_per_translation_group_in_the_readers_language(corpus):
    finnish = find("dziva biblioteka", lang="fi")
    swedish = find("dziva biblioteka", lang="sv")

    assert keys(finnish).count("living-library") == 1
    hit = next(h for h in finnish.results if h.key == "living-library")
    assert (hit.locale, hit.title) == ("fi", "Elävä kirjasto")
    assert hit.available_locales == ["en", "lv", "fi"]
    assert hit.url == "/fi/practices/living-library/"
    # No Swedish version: a Swedish reader reads English before the Latvian original.
    fallback = next(h for h in swedish.results if h.key == "living-library")
    assert fallback.locale == "en"


def test_a_query_in_one_language_finds_the_other_language_versions(corpus):
    # The English title matches; the Finnish reader sees the Finnish version.
    result = find("living library", lang="fi")

    assert keys(result)[0] == "living-library"
    assert result.results[0].locale == "fi"


def test_finnish_theme_word_finds_an_untranslated_danish_election_practice(corpus):
    assert "advance-voting" in keys(find("vaalit", lang="fi"))


def test_title_matches_rank_above_body_matches(corpus):
    # "debate" is in one title, and in another practice's body ("debating").
    assert keys(find("debate"))[0] == "debate-night"


def test_whole_phrase_matches_come_first(corpus):
    # Both words appear in debate-night too, but only living-library has them as a phrase.
    result = find("living library")

    assert keys(result)[0] == "living-library"


def test_facets_count_translation_groups_once_and_are_disjunctive(corpus):
    result = find(lang="en", theme="dialogue")
    themes = {v.value: v.count for v in result.facets["theme"]}
    types = {v.value: v.count for v in result.facets["type"]}

    # living-library exists in three languages but counts once.
    assert result.total == 4
    assert types == {"practice": 4}
    # The theme facet ignores the theme filter itself: other themes keep their full counts.
    assert themes["elections"] == 3 and themes["dialogue"] == 4
    # Other facets respect it.
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


def test_facet_labels_are_in_the_readers_language(corpus):
    facets = find(lang="fi").facets

    assert {v.value: v.label for v in facets["theme"]}["elections"] == "Vaalit"
    assert {v.value: v.label for v in facets["country"]}["DK"] == "Tanska"
    assert {v.value: v.label for v in facets["language"]}["lv"] == "Latvia"


def test_browse_mode_lists_newest_first(corpus):
    result = find(type="practice")

    assert keys(result)[0] == "debate-night"
    assert keys(result)[-1] == "living-library"


def test_case_studies_are_found_and_filtered_by_stage(corpus):
    result = find("bibliotēka", stage="anchored")

    assert keys(result) == ["living-library-in-kardla"]


def test_highlight_marks_matched_words_and_escapes_the_rest(corpus):
    from tests.factories import PracticeFactory

    PracticeFactory(
        slug="xss", title="Safe snippet", summary='Watch <script>alert("x")</script> the elections'
    )

    hit = next(h for h in find("elections").results if h.key == "xss")
    assert "<mark>elections</mark>" in hit.highlight
    assert "<script>" not in hit.highlight and "&lt;script&gt;" in hit.highlight


def test_a_misspelt_query_that_finds_little_gets_a_suggestion(corpus):
    result = find("parlaiment childern")

    assert result.suggestion == "parliament children"


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
    result = find(query)

    assert result.total >= 0


@pytest.mark.parametrize(
    "query, filters",
    [
        ("library", {}),
        ("bibliotek", {"theme": ["dialogue"]}),
        ("library", {"theme": ["dialogue", "elections"], "country": ["DK", "LV"]}),
        ("library", {"type": ["practice"], "language": ["fi"]}),
        ("books", {"audience": ["adults"], "format": ["event", "debate"]}),
    ],
)
def test_a_querys_results_and_facet_counts_are_the_same_read_in_python_or_counted_in_sql(
    corpus, query, filters
):
    """A query's matches are grouped and counted in Python; browsing does it in SQL."""
    params = parse_params({"q": query, "lang": "en", **filters}, "en")
    backend, plan = DatabaseBackend(), plan_query(query)

    in_python = backend._search_matches(plan, params)
    in_sql = backend._search_all(plan, params)

    assert in_sql.total == in_python.total
    assert [hit.translation_key for hit in in_python.hits] == [
        hit.translation_key for hit in in_sql.hits
    ]
    assert in_python.facets == in_sql.facets
    assert sum(sum(counts.values()) for counts in in_sql.facets.values()) > 0


def ranked_both_ways(monkeypatch, query, filters, page=1, page_size=1) -> list[str]:
    """Ranks a query's matches reading only the best-scored (a few rows: RANKED_ROWS 1) and
    reading all of them (browsing's SQL, which ranks every match); asserts the same page,
    total and facets, and returns the ways the first took."""
    monkeypatch.setattr(database, "RANKED_ROWS", 1)
    taken, ranked_groups = [], database.facet_sets.ranked_groups

    def recording(*args):
        page = ranked_groups(*args)
        taken.append("all" if args[-1] else "best" if page is not None else "too few")
        return page

    monkeypatch.setattr(database.facet_sets, "ranked_groups", recording)
    params = parse_params(
        {"q": query, "lang": "en", "page": str(page), "page_size": str(page_size), **filters},
        "en",
    )
    backend, plan = DatabaseBackend(), plan_query(query)

    best_only = backend._search_matches(plan, params)
    every_match = backend._search_all(plan, params)

    assert [hit.translation_key for hit in best_only.hits] == [
        hit.translation_key for hit in every_match.hits
    ]
    assert best_only.total == every_match.total
    assert best_only.facets == every_match.facets
    return taken


@pytest.mark.parametrize(
    "query, filters",
    [
        ("library", {}),
        ("library", {"theme": ["dialogue"]}),
        ("library", {"type": ["practice"], "language": ["fi"]}),
        ("bibliotek", {"country": ["LV"]}),
        ("books democracy", {}),
    ],
)
@pytest.mark.parametrize("page, page_size", [(1, 1), (2, 1), (3, 1), (1, 2), (2, 3)])
def test_reading_only_the_best_scored_matches_gives_the_page_that_ranking_all_gives(
    corpus, monkeypatch, query, filters, page, page_size
):
    ranked_both_ways(monkeypatch, query, filters, page, page_size)


def test_the_best_scored_matches_alone_give_a_page_when_they_hold_enough_groups(
    corpus, monkeypatch
):
    assert ranked_both_ways(monkeypatch, "library", {}) == ["best"]


def test_all_matches_are_read_when_the_best_scored_hold_too_few_that_pass_the_filters(
    corpus, monkeypatch
):
    # As if the filter let most groups through: the few rows read hold none that passes.
    monkeypatch.setattr(database.facet_sets, "share_passing", lambda sets, filters: 1.0)

    assert ranked_both_ways(monkeypatch, "library", {"type": ["meeting"]}) == ["too few", "all"]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"tag": ["english-only"]},
        {"theme": ["dialogue"]},
        {"theme": ["elections"], "language": ["lv"]},
        {"tag": ["english-only", "living-library"], "theme": ["dialogue"]},
    ],
)
def test_facets_stay_exact_when_the_versions_of_a_group_differ(corpus, filters):
    """A tag and a theme given to one version only: the bitmaps count groups, the filters
    apply to each version, and such a group is filtered and counted version by version."""
    entry = SearchEntry.objects.get(key="living-library", locale="en")
    document = dict(entry.document, tags=["english-only"], themes=["elections"])
    for name in ("date", "published_at", "last_published_at"):
        if document[name]:
            document[name] = datetime.datetime.fromisoformat(document[name])
    index_documents([document])
    params = parse_params({"q": "library", "lang": "en", **filters}, "en")
    backend, plan = DatabaseBackend(), plan_query("library")

    in_python = backend._search_matches(plan, params)
    in_sql = backend._search_all(plan, params)

    assert in_sql.total == in_python.total
    assert [hit.translation_key for hit in in_python.hits] == [
        hit.translation_key for hit in in_sql.hits
    ]
    assert in_python.facets == in_sql.facets
    assert len(FACET_SETS.get().mixed) == 1  # the path taken


def test_every_indexed_version_links_to_its_own_page(corpus):
    entries = SearchEntry.objects.all()

    assert entries.count() > 10
    for entry in entries:
        assert entry.document["url"] == Page.objects.get(pk=entry.page_id).url
