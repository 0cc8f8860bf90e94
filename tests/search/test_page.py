"""The search page, /<lang>/search/, and its Atom feed, through Django's whole stack."""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.utils import timezone
from wagtail.models import Page

from search.models import SearchQueryLog
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def network(living_library, election_meeting):
    library, living, election = living_library.library, living_library, election_meeting
    # Published dates a feed reader can tell apart: the library first, the election meeting last.
    Page.objects.filter(pk=library.pk).update(
        first_published_at=timezone.make_aware(datetime.datetime(2023, 6, 1, 8))
    )
    Page.objects.filter(translation_key=living.translation_key).update(
        first_published_at=timezone.make_aware(datetime.datetime(2024, 1, 10, 12))
    )
    Page.objects.filter(pk=election.pk).update(
        first_published_at=timezone.make_aware(datetime.datetime(2024, 5, 2, 9))
    )
    from search.indexing import refresh_pages

    refresh_pages(Page.objects.values_list("pk", flat=True))
    return {"living": living, "election": election, "library": library}


def test_results_show_title_type_languages_and_highlight(client, network):
    response = client.get("/en/search/", {"q": "living"})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/en/practices/living-library/">Living library</a>' in html
    assert "<mark>living</mark>" in html.lower()
    # The summary is escaped text; only the <mark>s of the highlight are HTML.
    assert "&amp; &lt;questions&gt;" in html
    assert "1 result for “living”" in html
    assert 'role="status"' in html
    assert '<span class="chip">Latvian</span>' in html


def test_a_result_shown_in_another_language_says_so_and_is_marked_up(client, network):
    html = client.get("/fi/search/", {"q": "valgmøde"}).content.decode()

    assert 'lang="da">Valgmøde på biblioteket</a>' in html
    assert 'class="search-result__text" lang="da"' in html
    # Visible, and read out, in the reader's language: "only in Danish".
    assert '<p class="language-note">Saatavilla vain kielellä tanska</p>' in html


def test_a_result_in_the_readers_language_has_no_language_note(client, network):
    html = client.get("/en/search/", {"q": "living"}).content.decode()

    assert '<a href="/en/practices/living-library/">Living library</a>' in html
    assert "language-note" not in html


def test_facets_are_checkboxes_in_a_get_form_with_counts(client, network):
    html = client.get("/en/search/", {"q": "bibliotēka"}).content.decode()

    assert '<form class="search-page" method="get"' in html
    assert "<legend>Theme</legend>" in html
    assert '<input type="checkbox" name="theme" value="dialogue"> <span>Dialogue</span>' in html
    assert '<span class="meta">(1)</span>' in html


def test_an_active_filter_is_a_chip_that_removes_only_itself(client, network):
    response = client.get(
        "/en/search/", {"q": "bibliotēka", "theme": ["dialogue", "elections"], "page": 1}
    )

    html = response.content.decode()
    assert 'name="theme" value="dialogue" checked' in html
    chips = response.context["active_filters"]
    assert [(c["legend"], c["label"]) for c in chips] == [
        ("Theme", "Dialogue"),
        ("Theme", "Elections"),
    ]
    assert chips[0]["remove_url"] == "?q=bibliot%C4%93ka&theme=elections"
    assert "Remove filter" in html


def test_pagination_links_keep_the_search(client, db):
    for n in range(25):
        PracticeFactory(title=f"Debate night {n}", slug=f"debate-{n}", themes=["dialogue"])

    response = client.get("/en/search/", {"q": "debate", "theme": "dialogue"})

    html = response.content.decode()
    assert "25 results for “debate”" in html
    assert 'aria-label="Pages"' in html
    assert 'href="?q=debate&amp;theme=dialogue&amp;page=2"' in html
    second = client.get("/en/search/", {"q": "debate", "theme": "dialogue", "page": 2})
    assert len(second.context["result"].results) == 5
    assert '<ol class="search-results" start="21">' in second.content.decode()


def test_past_the_last_page_offers_the_first(client, network):
    html = client.get("/en/search/", {"q": "living", "page": 5}).content.decode()
    assert "There are no results on this page." in html


def test_no_results_give_tips_and_no_empty_filter_panel(client, network):
    response = client.get("/en/search/", {"q": "zebra", "theme": "dialogue"})

    html = response.content.decode()
    assert response.context["result"].total == 0
    assert "Nothing found for “zebra”" in html
    assert "Check the spelling" in html
    assert "Try the word in another language" in html
    # Nothing to filter, so neither a filter panel nor its button; the chip still removes it.
    assert 'id="filters-title"' not in html
    assert "Show results" not in html
    assert "layout-with-sidebar" not in html
    assert "Remove filter" in html
    # "zebra" finds nothing without the filter either: no link that would find nothing.
    assert "Without the filters" not in html


def test_no_results_with_filters_link_to_the_same_words_without_them_and_count(client, network):
    html = client.get("/en/search/", {"q": "valgmøde", "theme": "dialogue"}).content.decode()

    assert "Nothing found for “valgmøde”" in html
    assert '<a href="/en/search/?q=valgm%C3%B8de">Without the filters: 1 result</a>' in html


def test_the_count_without_the_filters_is_in_the_readers_language(client, network):
    html = client.get("/lv/search/", {"theme": "dialogue", "country": "FI"}).content.decode()

    assert "Šiem filtriem nekas neatbilst" in html  # Nothing matches these filters
    assert '<a href="/lv/search/">Bez filtriem: 3 rezultāti</a>' in html
    # Without words, tips about words would be beside the point.
    assert "Pārbaudiet" not in html and 'id="search-tips-label"' not in html


def test_no_results_offer_themes_whose_label_in_any_language_shares_a_word(client, network):
    """“dialogi” is the Finnish label of the theme Dialogue; an English reader gets it in
    English, as a link that browses the theme, with how many pages it has."""
    html = client.get("/en/search/", {"q": "dialogi", "theme": "elections"}).content.decode()

    assert "Nothing found for “dialogi”" in html
    assert '<a href="/en/search/?q=dialogi">Without the filters: 1 result</a>' in html
    assert "Browse a related theme, audience or format:" in html
    assert (
        '<a class="chip" href="/en/search/?theme=dialogue"><span>Dialogue</span> '
        '<span class="meta">(Theme, 1 page)</span></a>'
    ) in html
    assert 'href="/en/search/?theme=elections"' not in html


def test_related_concepts_speak_the_readers_language_and_skip_empty_ones(client, network):
    # "valg" (Danish: election) begins "valgmøde"; no practice is a workshop.
    response = client.get("/da/search/", {"q": "valgmøde workshop", "theme": "dialogue"})

    html = response.content.decode()
    assert "Ingen resultater for »valgmøde workshop«" in html
    assert "Se beslægtede temaer, målgrupper eller formater:" in html
    assert '<a class="chip" href="/da/search/?theme=elections"><span>Valg</span>' in html
    assert "(Tema, 1 side)" in html
    assert "?format=workshop" not in html


def test_a_found_search_offers_no_related_concepts(client, network):
    html = client.get("/en/search/", {"q": "living"}).content.decode()
    assert "Browse a related theme" not in html
    assert 'id="filters-title"' in html


def test_few_results_offer_a_correction(client, network):
    html = client.get("/en/search/", {"q": "livng", "theme": "dialogue"}).content.decode()

    assert 'Did you mean <a href="/en/search/?q=living&amp;theme=dialogue">living</a>?' in html


def test_no_results_offer_the_correction_when_there_is_one(client, network, monkeypatch):
    from search import views

    def corrected(params):
        result = real_search(params)
        result.total, result.results, result.suggestion = 0, [], "living"
        return result

    real_search = views.search
    monkeypatch.setattr(views, "search", corrected)

    html = client.get("/en/search/", {"q": "lvng"}).content.decode()
    assert "Nothing found for “lvng”" in html
    assert '<p class="no-results__suggestion">Did you mean <a href="/en/search/?q=living">' in html


def test_sort_selector_keeps_the_chosen_order(client, network):
    html = client.get("/en/search/", {"q": "bibliotēka", "sort": "title"}).content.decode()
    assert '<option value="title" selected>' in html


def test_the_backend_notice_is_shown(client, network, monkeypatch):
    from search import views
    from search.backends import BackendUnavailable

    class Down:
        name = "elasticsearch"

        def search(self, params):
            raise BackendUnavailable("timeout")

    real_search = views.search
    monkeypatch.setattr(views, "search", lambda params: real_search(params, backend=Down()))

    html = client.get("/en/search/", {"q": "living"}).content.decode()
    assert "notice notice--warning" in html
    assert "simpler built-in search" in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"sort": "popular"}, "Unknown sort order"),
        ({"page": "x"}, "must be a whole number"),
        ({"country": "Latvia"}, "is not a two-letter country code"),
        ({"q": "x" * 501}, "at most 500 characters"),
    ],
)
def test_a_bad_parameter_is_a_400_page_with_the_reason(client, params, message):
    response = client.get("/en/search/", params)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert not SearchQueryLog.objects.exists()


def test_the_400_page_speaks_the_pages_language(client, settings):
    response = client.get("/fi/search/", {"page": "0"})
    assert response.status_code == 400
    assert '<html lang="fi">' in response.content.decode()


def test_the_lang_parameter_does_not_override_the_url(client, network):
    response = client.get("/lv/search/", {"q": "living", "lang": "xx"})
    assert response.status_code == 200
    assert response.context["result"].results[0].title == "Dzīvā bibliotēka"


def test_hostile_queries_render(client, network):
    for query in ['"', "NEAR(", "a*", "🙂", "x\x00y", "<script>alert(1)</script>"]:
        response = client.get("/en/search/", {"q": query})
        assert response.status_code == 200, query
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_page_searches_are_logged_but_browsing_is_not(client, network):
    client.get("/en/search/")
    assert not SearchQueryLog.objects.exists()

    client.get("/en/search/", {"theme": "elections"})
    client.get("/da/search/", {"q": "Valgmøde"})

    logs = list(SearchQueryLog.objects.order_by("id").values("query", "lang", "filters"))
    assert logs == [
        {"query": "", "lang": "en", "filters": {"theme": ["elections"]}},
        {"query": "valgmøde", "lang": "da", "filters": {}},
    ]


# --- the autocomplete of the header's search box, on every page ----------------------------


def autocomplete_messages(html):
    """The JSON of the header box's data-suggest-messages attribute."""
    found = re.search(r'<input id="site-search-input"[^>]* data-suggest-messages="([^"]*)"', html)
    assert found, "no autocomplete messages on the header's search box"
    return json.loads(unescape(found.group(1)))


@pytest.mark.parametrize(
    "lang, practice, suggestions",
    [
        ("en", "Practice", "2 suggestions"),
        ("lv", "Prakse", "2 ieteikumi"),
        ("fi", "Menetelmä", "2 ehdotusta"),
        ("et", None, "2 soovitust"),
        ("da", None, "2 forslag"),
        ("sv", None, "2 förslag"),
    ],
)
def test_every_page_gives_the_header_box_autocomplete_in_its_language(
    client, lang, practice, suggestions
):
    html = client.get(f"/{lang}/").content.decode()

    assert 'id="site-search-input"' in html
    assert 'data-suggest-url="/api/v1/search/suggest"' in html
    assert html.count('src="/static/search/js/autocomplete.js"') == 1
    messages = autocomplete_messages(html)
    assert set(messages["types"]) == {"practice", "case_study", "meeting", "library"}
    assert messages["counts"]["2"] == suggestions
    assert sorted(messages["counts"], key=int) == [str(n) for n in range(1, 9)]
    if practice:
        assert messages["types"]["practice"] == practice
    if lang != "en":
        assert messages["types"]["practice"] != "Practice"
        assert messages["label"] != "Suggestions"


def test_latvian_counts_suggestions_with_its_own_plural_forms(client):
    counts = autocomplete_messages(client.get("/lv/").content.decode())["counts"]
    assert counts["1"] == "1 ieteikums"
    assert counts["8"] == "8 ieteikumi"


def test_the_search_page_loads_the_autocomplete_once_for_both_boxes(client, network):
    html = client.get("/en/search/", {"q": "living"}).content.decode()

    assert html.count('src="/static/search/js/autocomplete.js"') == 1
    assert html.count('data-suggest-url="/api/v1/search/suggest"') == 2
    # One copy of the words, on the header's box; the script finds it for the page's box.
    assert html.count("data-suggest-messages=") == 1


# --- the Atom feed -----------------------------------------------------------------------


def test_the_feed_lists_the_same_search_newest_first(client, network):
    response = client.get("/en/search/", {"q": "bibliotēka", "sort": "title", "format": "atom"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Valgmøde på biblioteket",
        "Living library",
        "Valmieras bibliotēka",
    ]
    living = entries[1]
    assert living.findtext(f"{ATOM}id") == "http://testserver/en/practices/living-library/"
    assert (
        living.find(f"{ATOM}link").get("href") == "http://testserver/en/practices/living-library/"
    )
    updated = datetime.datetime.fromisoformat(living.findtext(f"{ATOM}updated"))
    assert updated == timezone.make_aware(datetime.datetime(2024, 1, 10, 12))
    assert living.findtext(f"{ATOM}summary") == (
        "People as books: conversations with living books &amp; &lt;questions&gt;."
    )
    alternate = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate == "http://testserver/en/search/?q=bibliot%C4%93ka&sort=title"
    assert not SearchQueryLog.objects.exists()


def test_the_feed_keeps_the_format_filter(client, network):
    response = client.get("/en/search/", {"format": ["atom", "workshop"]})

    feed = ET.fromstring(response.content)
    assert feed.findall(f"{ATOM}entry") == []


def test_the_page_links_to_its_feed(client, network):
    html = client.get("/en/search/", {"q": "living"}).content.decode()
    assert 'type="application/atom+xml"' in html
    assert 'href="/en/search/?q=living&amp;format=atom"' in html


def test_each_practice_result_says_how_far_it_took_root(client, db, home_pages):
    from tests.factories import CaseStudyFactory, LibraryFactory

    rooted = PracticeFactory(slug="rooted", title="Debate evening")
    PracticeFactory(slug="fresh", title="Debate breakfast")
    CaseStudyFactory(
        practice=rooted, library=LibraryFactory(country="DK"), stage="anchored", title="Ours"
    )

    english = unescape(
        client.get("/en/search/", {"q": "debate", "type": "practice"}).content.decode()
    )
    finnish = unescape(
        client.get("/fi/search/", {"q": "debate", "type": "practice"}).content.decode()
    )

    assert "Tried in 1 library in 1 country, anchored in 1" in english
    assert "No library has reported running it yet" in english
    assert "Yksikään kirjasto ei ole vielä kertonut kokeilleensa tätä" in finnish
