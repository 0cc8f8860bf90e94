"""How a query's words are understood and matched: stop words, lemmas, compounds, synonyms,
typos, and the order of what is found. Each behaviour through the full search, on whichever
database DATABASE_URL points at."""

import datetime

import pytest

from search import lexicon
from search.backends.database import FACET_SETS, DatabaseBackend
from search.models import SearchEntry, SynonymSet
from search.params import parse_params
from search.plan import allowed_edits, plan_query
from search.service import search
from search.tokens import PART, text_tokens
from tests.factories import CaseStudyFactory, LibraryFactory, PracticeFactory, translate

pytestmark = pytest.mark.django_db


def find(q, lang="en", **filters):
    return search(parse_params({"q": q, "lang": lang, **filters}, "en"), DatabaseBackend())


def keys(result):
    return [hit.key for hit in result.results]


# --- the word knowledge (no database) -----------------------------------------------------


@pytest.mark.parametrize(
    "word, language, parts",
    [
        ("kommunalvalg", "da", ("kommunal", "valg")),
        ("valgdebatter", "da", ("valg", "debatter")),
        ("debataften", "da", ("debat", "aften")),
        ("kirjastoauto", "fi", ("kirjasto", "auto")),
        ("kirjastonhoitaja", "fi", ("kirjaston", "hoitaja")),  # a genitive first part
        ("raamatukoguhoidja", "et", ("raamatukogu", "hoidja")),
        ("biblioteksvaesen", "da", ("biblioteks", "vaesen")),  # linking -s-
        ("folkbibliotek", "sv", ("folk", "bibliotek")),
    ],
)
def test_compounds_split_into_known_words(word, language, parts):
    assert lexicon.compound_parts(word, language) == parts


@pytest.mark.parametrize(
    "word, language",
    [
        ("tarkoitus", "fi"),  # not tar|koitus: parts of three letters never count
        ("kartoitus", "fi"),
        ("undervisning", "da"),  # under|visning: a preposition is no part
        ("bibliotekar", "da"),  # bibliotek|ar: too short a rest
        ("biblioteket", "sv"),  # an inflection, not a compound
        ("forening", "da"),
        ("kommunalvalg", "en"),  # only fi, et, da and sv are split
    ],
)
def test_words_that_only_look_like_compounds_stay_whole(word, language):
    assert lexicon.compound_parts(word, language) == ()


def test_lemmas_join_what_snowball_leaves_apart():
    # Finnish consonant gradation and -us/-uksen nouns; Estonian -ne/-se nouns.
    assert lexicon.lemma("tapauksen", "fi") == "tapaus"
    assert lexicon.lemma("uutisen", "fi") == "uutinen"
    assert lexicon.lemma("kohtumisel", "et") == "kohtumine"
    assert lexicon.lemma("tapaus", "fi") is None  # already the lemma


def test_compound_parts_are_indexed_behind_their_marker():
    tokens = text_tokens("Kommunalvalg", "da")

    assert "kommunalvalg" in tokens
    assert f"{PART}valg" in tokens and f"{PART}kommunal" in tokens
    assert "valg" not in tokens  # a part is not the word itself


def test_stop_words_are_never_required():
    plan = plan_query("how to run a debate in the library", "en")

    assert plan.content == ("run", "debate", "library")
    assert plan.words[0] == "how"  # still part of the phrase
    # The reader's language's stop words too, beside English ones.
    assert plan_query("debat om valg på biblioteket", "da").content == (
        "debat",
        "valg",
        "biblioteket",
    )
    # A query of stop words only is taken as it is.
    assert plan_query("the who", "en").content == ("the", "who")


def test_typos_allowed_grow_with_the_word():
    assert [allowed_edits("x" * n) for n in (4, 5, 8, 9)] == [0, 1, 1, 2]


# --- matching through the whole search ----------------------------------------------------


@pytest.fixture
def danish_library():
    return LibraryFactory(slug="ikast", locale="da", title="Ikast Bibliotek", country="DK")


def test_a_part_of_a_compound_finds_the_compound_and_a_split_query_too(danish_library):
    PracticeFactory(
        slug="valgmode",
        locale="da",
        title="Vælgermøde før kommunalvalget",
        summary="Kandidaterne svarer på borgernes spørgsmål.",
        library=danish_library,
    )

    assert "valgmode" in keys(find("valg", lang="da"))
    assert keys(find("kommunal valg", lang="da"))[0] == "valgmode"
    # A compound query finds a text sharing one of its parts, below an exact match.
    assert "valgmode" in keys(find("valgaften", lang="da"))


def test_a_short_word_inside_an_unrelated_word_does_not_match(danish_library):
    PracticeFactory(
        slug="undervisning",
        locale="da",
        title="Undervisning i kildekritik",
        summary="Et forløb for skoleklasser.",
        library=danish_library,
    )

    assert "undervisning" not in keys(find("visning", lang="da"))
    assert "undervisning" not in keys(find("under", lang="da"))


def test_a_word_that_is_not_in_the_text_does_not_empty_the_results():
    PracticeFactory(
        slug="debate-night", title="Debate night", summary="Candidates answer at the library."
    )
    PracticeFactory(slug="book-club", title="Book club", summary="Readers meet at the library.")

    result = find("debate night for young people")

    # "young" and "people" are nowhere: the practice with the other words still comes first.
    assert keys(result)[0] == "debate-night"
    # Documents with more of the words come before those with fewer.
    assert keys(find("debate library"))[:2] == ["debate-night", "book-club"]


def test_a_practice_comes_before_its_own_case_studies():
    library = LibraryFactory(slug="hiiumaa", locale="et", country="EE")
    practice = PracticeFactory(slug="living-library", title="Living library")
    for index in range(3):
        CaseStudyFactory(
            slug=f"living-library-{index}",
            title=f"Living library in town {index}",
            practice=practice,
            library=library,
        )

    assert keys(find("living library"))[0] == "living-library"


def test_a_title_match_beats_a_tag_only_match():
    PracticeFactory(slug="tagged", title="Evening talks", tags=["debate"])
    PracticeFactory(slug="titled", title="Debate club")

    assert keys(find("debate"))[:2] == ["titled", "tagged"]


def test_synonyms_find_the_other_words_below_the_word_itself():
    PracticeFactory(slug="for-children", title="Storytime for children")
    PracticeFactory(slug="for-kids", title="Games for kids")

    # The seeded set "children, kids, bērni, lapset …" applies at once, on every engine.
    assert keys(find("kids")) == ["for-kids", "for-children"]
    # Across languages: the Finnish word of the same set.
    assert set(keys(find("lapset", lang="fi"))) == {"for-kids", "for-children"}


def test_an_editors_new_synonym_set_applies_to_the_next_search():
    PracticeFactory(slug="assembly", title="Village assembly")
    assert find("townhall").total == 0

    SynonymSet.objects.create(words="assembly, townhall")

    assert keys(find("townhall")) == ["assembly"]


def test_a_synonym_set_rejects_phrases_and_single_words():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="single word"):
        SynonymSet(words="living library, human library").full_clean()
    with pytest.raises(ValidationError, match="at least two"):
        SynonymSet(words="library").full_clean()


def test_a_word_the_index_knows_is_not_corrected_into_another():
    PracticeFactory(slug="purpose", locale="fi", title="Tarkoitus", summary="Menetelmän tarkoitus.")
    PracticeFactory(slug="mapping", locale="fi", title="Kartoituskävely", summary="Kävely.")

    result = find("kartoitus", lang="fi")

    # kartoitus is a Finnish word: no typo may turn it into "tarkoitus"; the compound
    # kartoitus|kävely is what it finds.
    assert keys(result) == ["mapping"]
    assert result.suggestion is None


def test_a_misspelt_word_is_found_below_the_words_spelt_right():
    PracticeFactory(slug="parliament", title="Children's parliament")
    for index in range(5):  # BM25 needs a collection to tell a rare word from a common one
        PracticeFactory(slug=f"other-{index}", title=f"Reading circle {index}")

    assert keys(find("parliamnet")) == ["parliament"]
    assert find("parliamnet").results[0].score < find("parliament").results[0].score


# --- anchoring ------------------------------------------------------------------------------


def _practice_anchored_in(slug, count):
    practice = PracticeFactory(slug=slug, title=f"Debate {slug}")
    for index in range(count):
        library = LibraryFactory(slug=f"{slug}-library-{index}", country=["FI", "DK"][index % 2])
        CaseStudyFactory(
            slug=f"{slug}-{index}",
            practice=practice,
            library=library,
            stage="anchored",
            date=datetime.date(2024, 1, 1),
        )
    return practice


def test_results_say_how_far_a_practice_took_root_and_sort_by_it():
    _practice_anchored_in("rooted", 2)
    _practice_anchored_in("fresh", 0)

    result = find("debate", type="practice")
    spread = {hit.key: hit.spread for hit in result.results}

    counts = ("libraries", "countries", "anchored")
    assert {name: spread["rooted"][name] for name in counts} == dict.fromkeys(counts, 2)
    assert {name: spread["fresh"][name] for name in counts} == dict.fromkeys(counts, 0)
    assert keys(find("debate", type="practice", sort="anchored"))[0] == "rooted"
    assert keys(find("", type="practice", sort="anchored"))[0] == "rooted"


def test_a_new_case_study_updates_its_practices_entry():
    practice = _practice_anchored_in("growing", 1)
    entry = SearchEntry.objects.get(page_id=practice.pk)
    assert entry.anchored == 1

    CaseStudyFactory(
        slug="growing-again",
        practice=practice,
        library=LibraryFactory(slug="another", country="EE"),
        stage="anchored",
    )

    entry.refresh_from_db()
    assert entry.anchored == 2
    spread = entry.document["spread"]
    assert (spread["libraries"], spread["countries"], spread["anchored"]) == (2, 2, 2)


def test_words_in_quotes_must_appear_together():
    PracticeFactory(slug="living-library", title="Living library", summary="Borrow a person.")
    PracticeFactory(
        slug="library-garden", title="Library garden", summary="A living wall of plants."
    )

    assert set(keys(find("living library"))) == {"living-library", "library-garden"}
    assert keys(find('"living library"')) == ["living-library"]
    assert keys(find('"living library" garden')) == ["living-library"]
    assert find('"library living"').total == 0


# --- the glossary learned from the site's translations -------------------------------------


def test_words_that_keep_translating_each_other_in_titles_are_learned():
    from search.glossary import learn

    glossary = learn(
        [
            {"en": "Living library", "fi": "Elävä kirjasto"},
            {"en": "Library garden", "fi": "Kirjaston puutarha"},
            {"en": "Debate night", "fi": "Väittelyilta"},
            {"en": "Debate at the library", "fi": "Väittely kirjastossa"},
        ]
    )

    # kirjasto / library (as stems): together in three groups, each alone in none.
    assert ("en", "librari") in glossary[("fi", "kirjasto")]
    assert ("fi", "kirjasto") in glossary[("en", "librari")]
    # A word seen together once only is no evidence (living / elävä), nor a stop word (at).
    assert ("en", "living") not in glossary
    assert ("en", "at") not in glossary
    assert ("en", "debat") not in glossary[("fi", "kirjasto")]


def test_a_word_often_left_untranslated_in_titles_learns_no_translation():
    """Dice counts every group with both languages, also where the other title has no
    content word: `library` appears in seven groups with Finnish, with `kirjasto` in two."""
    from search.glossary import learn

    translated = [{"en": "Library", "fi": "Kirjasto"}] * 2
    untranslated = [{"en": "Library", "fi": "Ja"}] * 5  # a Finnish stop word only

    assert ("fi", "kirjasto") in learn(translated)
    assert ("fi", "kirjasto") not in learn(translated + untranslated)


def test_a_finnish_word_finds_a_practice_that_has_no_finnish_version_through_the_glossary():
    for slug, english, finnish in [
        ("living-library", "Living library", "Elävä kirjasto"),
        ("library-garden", "Library garden", "Kirjaston puutarha"),
    ]:
        practice = PracticeFactory(slug=slug, title=english)
        translate(practice, "fi", title=finnish)
    PracticeFactory(slug="library-night", title="A night at the library", summary="Games.")

    result = find("kirjasto", lang="fi")

    assert "library-night" in keys(result)
    # Below the pages that hold the Finnish word itself.
    assert keys(result)[-1] == "library-night"


def test_the_titles_are_read_in_chunks_without_splitting_a_group(monkeypatch):
    from search import glossary

    for number in range(4):
        practice = PracticeFactory(slug=f"night-{number}", title=f"Debate night {number}")
        translate(practice, "fi", title=f"Väittelyilta {number}")
        translate(practice, "lv", title=f"Debašu vakars {number}")
    whole = list(glossary._titles_by_group())

    monkeypatch.setattr(glossary, "TITLE_CHUNK", 4)  # a group of three crosses each chunk

    assert list(glossary._titles_by_group()) == whole
    assert len(whole) == 4 and all(len(titles) == 3 for titles in whole)


def test_a_changed_index_is_learned_again_in_the_background_meanwhile_the_old_glossary_answers(
    monkeypatch,
):
    from search import glossary, versions

    learned = []
    monkeypatch.setattr(glossary, "_titles_by_group", lambda: learned.append(1) or {})
    assert glossary.current() == {}  # first use: learned at once
    assert learned == [1]

    glossary._state["pairs"] = {("fi", "kirjasto"): [("en", "librari")]}
    versions.bump(versions.INDEX)
    assert glossary.current() == {("fi", "kirjasto"): [("en", "librari")]}  # too soon to learn
    assert learned == [1]

    monkeypatch.setattr(glossary, "MAX_AGE_SECONDS", 0.0)
    versions.bump(versions.INDEX)
    stale = glossary.current()  # starts a learner, answers with what it has
    assert stale == {("fi", "kirjasto"): [("en", "librari")]}
    with glossary._lock:  # the learner holds the lock until it is done
        pass
    assert learned == [1, 1]
    assert glossary.current() == {}


def test_a_web_worker_learns_the_glossary_as_it_starts_and_its_first_search_waits_for_that(
    monkeypatch,
):
    import threading

    from search import glossary

    learned, release = [], threading.Event()

    def titles():
        release.wait(5)
        learned.append(1)
        return [
            {"en": "Living library", "fi": "Elävä kirjasto"},
            {"en": "Library garden", "fi": "Kirjaston puutarha"},
        ]

    monkeypatch.setattr(glossary, "_titles_by_group", titles)
    glossary.warm()
    glossary.warm()  # one learner at a time
    answers = []
    search = threading.Thread(target=lambda: answers.append(glossary.current()))
    search.start()
    release.set()
    search.join(5)

    assert ("en", "librari") in answers[0][("fi", "kirjasto")]
    assert learned == [1]


def test_a_full_text_row_whose_entry_is_gone_is_no_result():
    """As after a table emptied under the full-text index (a test's flush), or an entry
    removed while a query ran: the search answers with what the index still holds."""
    PracticeFactory(slug="kept", title="Debate night in the library")
    gone = PracticeFactory(slug="gone", title="Debate club for seniors")
    find("debate")  # the facet sets of this process now know both entries
    SearchEntry.objects.filter(page_id=gone.pk).delete()
    FACET_SETS.forget()  # built again: the facet sets no longer hold it

    assert keys(find("debate")) == ["kept"]
