"""What a search that found nothing offers instead (search/zero_results.py)."""

import uuid
from types import SimpleNamespace

import pytest
from wagtail.models import Locale

from practices.models import Theme
from search import zero_results
from search.params import SearchParams
from search.zero_results import (
    Concept,
    matching_terms,
    related_concepts,
    significant_words,
    unfiltered_total,
    words_match,
)

pytestmark = pytest.mark.django_db

# --- words -------------------------------------------------------------------------------


def test_significant_words_are_folded_and_leave_out_short_and_function_words():
    assert significant_words("The Vēlēšanas and a Dialog för EU 2024") == [
        "velesanas",
        "dialog",
    ]
    assert significant_words("Møde møde MØDE") == ["møde"]
    assert significant_words("") == []


@pytest.mark.parametrize(
    "a, b",
    [
        ("election", "elections"),
        ("vaali", "vaalit"),
        ("library", "librarians"),
        ("democracy", "democratic"),
        ("valg", "valgmøde"),
        ("val", "val"),
    ],
)
def test_forms_of_one_word_match(a, b):
    assert words_match(a, b) and words_match(b, a)


@pytest.mark.parametrize(
    "a, b",
    [
        ("youth", "young"),  # "you" is too short a common beginning
        ("for", "format"),  # a word of three letters matches only itself
        ("media", "medal"),
        ("debate", "debt"),
    ],
)
def test_different_words_do_not_match(a, b):
    assert not words_match(a, b)


# --- terms -------------------------------------------------------------------------------

TERMS = {
    "elections": {"en": "Elections", "fi": "Vaalit", "da": "Valg", "sv": "Val"},
    "media-literacy": {"en": "Media literacy", "sv": "Medie- och informationskunnighet"},
    "local-democracy": {"en": "Local democracy", "lv": "Vietējā demokrātija"},
}


def test_a_term_matches_through_a_label_in_any_language():
    assert matching_terms("vaalien jälkeen", TERMS) == [("elections", 1)]
    assert matching_terms("val i biblioteket", TERMS) == [("elections", 1)]
    assert matching_terms("demokrātija", TERMS) == [("local-democracy", 1)]


def test_terms_sharing_more_words_come_first():
    found = matching_terms("local media democracy", TERMS)
    assert found == [("local-democracy", 2), ("media-literacy", 1)]


def test_function_words_match_no_term():
    assert matching_terms("och", TERMS) == []
    assert matching_terms("the and for", TERMS) == []
    assert matching_terms("", TERMS) == []


# --- related concepts, from the vocabularies in the database -----------------------------


def test_related_concepts_are_labelled_in_the_readers_language():
    concepts = related_concepts("zebra vaalit", "lv")

    assert Concept("theme", "elections", "Vēlēšanas", "lv") in concepts
    assert concepts[0].query_string == "?theme=elections"


def test_audiences_and_formats_are_offered_too():
    facets = {(c.facet, c.slug) for c in related_concepts("children's workshop", "en")}
    assert facets == {("audience", "children"), ("format", "workshop")}


def test_a_label_missing_in_the_readers_language_comes_from_their_next():
    Theme.objects.create(
        slug="libraries-of-things",
        label="Lietu bibliotēkas",
        locale=Locale.objects.get(language_code="lv"),
        translation_key=uuid.uuid4(),
    )
    concept = next(c for c in related_concepts("lietu", "fi") if c.slug == "libraries-of-things")
    assert (concept.label, concept.locale) == ("Lietu bibliotēkas", "lv")


def test_counts_leave_out_what_no_page_has_and_are_read_only_when_needed():
    calls = []

    def counts():
        calls.append(1)
        return {"theme": {"elections": 4}, "format": {"debate": 0}}

    assert related_concepts("zebra", "en", counts=counts) == []
    assert calls == []

    concepts = related_concepts("election debate", "en", counts=counts)
    assert [(c.slug, c.count) for c in concepts] == [("elections", 4)]
    assert calls == [1]


def test_a_limit_caps_the_concepts():
    assert len(related_concepts("democracy media digital local human", "en", limit=2)) == 2


# --- the same words without the filters --------------------------------------------------


def test_unfiltered_total_runs_the_same_words_without_filters():
    seen = []

    def search(params):
        seen.append(params)
        return SimpleNamespace(total=7)

    params = SearchParams("zebra", "fi", {"theme": ("dialogue",)}, "title", 3, 20)
    assert unfiltered_total(search, params) == 7
    assert seen == [SearchParams("zebra", "fi", {}, "title", 1, 1)]


def test_unfiltered_total_is_none_without_filters():
    def search(params):
        raise AssertionError("no search needed")

    assert unfiltered_total(search, SearchParams("zebra", "en")) is None


def test_term_counts_come_from_one_browsing_search():
    seen = []
    facet = SimpleNamespace

    def search(params):
        seen.append(params)
        return SimpleNamespace(
            facets={
                "theme": [facet(value="elections", count=3)],
                "audience": [facet(value="children", count=1)],
                "type": [facet(value="practice", count=9)],
            }
        )

    assert zero_results.term_counts(search, "sv") == {
        "theme": {"elections": 3},
        "audience": {"children": 1},
        "format": {},
    }
    assert seen == [SearchParams("", "sv", {}, "relevance", 1, 1)]
