"""The public pages: what each page type shows, the anchoring ledger, the index pages'
filters and languages, the home page's figures, and the practice page's query count."""

import datetime
import re

import pytest
import wagtail_factories
from django.core.cache import caches
from django.http import QueryDict
from django.test import Client
from django.utils import translation as django_translation
from wagtail.models import Locale

from languages.groups import original_locales, shown_version
from languages.reader import default_fallbacks, reading_order
from practices import browse, presentation
from practices.models import (
    LibraryPage,
    PracticeIndexPage,
    PracticeMaterial,
    PracticePage,
    PracticeTheme,
    Theme,
)
from practices.presentation import network_figures
from tests.factories import (
    STEPS_AND_SECTIONS,
    CaseStudyFactory,
    LibraryFactory,
    MeetingFactory,
    PracticeFactory,
    index_page_for,
    locale_for,
    translate,
)

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's text with tags removed and white space collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


@pytest.fixture
def valmiera():
    return LibraryFactory(title="Valmiera Library", slug="valmiera", country="LV", city="Valmiera")


@pytest.fixture
def kick_off(valmiera):
    return MeetingFactory(
        title="Kick-off in Valmiera",
        slug="kick-off",
        start_date=datetime.date(2023, 9, 19),
        end_date=datetime.date(2023, 9, 21),
        host=valmiera,
        agenda="<p>Welcome and practice fair</p>",
    )


@pytest.fixture
def debate_night(valmiera, kick_off):
    practice = PracticeFactory(
        title="Debate night",
        slug="debate-night",
        summary="Young people debate a motion before an election.",
        purpose="Practise disagreeing well.",
        body=STEPS_AND_SECTIONS,
        duration_minutes=90,
        preparation_minutes=120,
        cost_band="low",
        staff_needed=2,
        group_size="10-30",
        themes=["elections", "dialogue"],
        audiences=["youth"],
        format="debate",
        tags=["voting", "youth-council"],
        library=valmiera,
        meeting=kick_off,
        contact_name="Anna Ozola",
        contact_email="anna@example.org",
    )
    document = wagtail_factories.DocumentFactory(title="Motion cards")
    PracticeMaterial.objects.create(
        page=practice, document=document, description="Print on A4", locale=practice.locale
    )
    return practice


@pytest.fixture
def adopted_debate_night(debate_night):
    """Debate night, run by four libraries in three countries and anchored in two."""
    hiiumaa = LibraryFactory(title="Hiiumaa Central Library", slug="hiiumaa", country="EE")
    ikast = LibraryFactory(title="Ikast-Brande Libraries", slug="ikast", country="DK")
    turku = LibraryFactory(title="Turku City Library", slug="turku", country="FI")
    kardla = LibraryFactory(title="Kärdla Library", slug="kardla", country="EE")
    for title, library, stage, month in [
        ("Debate night in Ikast", ikast, "anchored", 6),
        ("Debate night in Kärdla", hiiumaa, "tried", 1),
        ("Turku's election debates", turku, "repeated", 3),
        ("Kärdla branch debates", kardla, "anchored", 9),
    ]:
        CaseStudyFactory(
            title=title,
            practice=debate_night,
            library=library,
            stage=stage,
            date=datetime.date(2024, month, 1),
            participants=25,
        )
    return debate_night


# The practice page -------------------------------------------------------------------------


def test_practice_page_shows_the_method_facts_classification_and_origin(client, debate_night):
    html = html_of(client.get(debate_night.url))
    text = text_of(html)

    assert h1_count(html) == 1 and "Debate night" in html
    assert "Young people debate a motion before an election." in text
    assert "Practise disagreeing well." in text
    assert '<dl class="facts' in html
    for fact in ["Duration", "1 h 30 min", "Group size", "10-30", "Preparation time", "2 h"]:
        assert fact in text
    assert "Low (under 100 €)" in text and "2 people" in text
    assert "Set up the room" in text and "20 minutes" in text and "Who: Two librarians" in text
    assert "Materials and space" in text and "Accessibility and inclusion" in text
    assert 'href="/en/practices/?theme=elections"' in html and ">Elections</a>" in html
    assert 'href="/en/practices/?audience=youth"' in html and ">Young people</a>" in html
    assert 'href="/en/practices/?format=debate"' in html
    assert 'href="/en/practices/?tag=youth-council"' in html
    assert "Valmiera Library" in text and "Latvia" in text
    assert "Kick-off in Valmiera" in text
    assert "Motion cards" in text and "Print on A4" in text
    assert "Creative Commons Attribution 4.0" in text
    assert "Anna Ozola" in text and f'href="/en/contact/{debate_night.pk}/"' in html
    assert "anna@example.org" not in html


def test_practice_image_has_its_description_as_alt_text_or_is_decorative(client):
    described = PracticeFactory(
        image=wagtail_factories.ImageFactory(description="Two teams at a long table")
    )
    decorative = PracticeFactory(image=wagtail_factories.ImageFactory(description=""))

    assert 'alt="Two teams at a long table"' in html_of(client.get(described.url))
    assert re.search(r'<img[^>]*alt=""', html_of(client.get(decorative.url)))


def test_practice_page_labels_its_themes_in_the_pages_language(client, debate_night):
    finnish = translate(debate_night, "fi", title="Väittelyilta")

    html = html_of(client.get(finnish.url))

    assert '<html lang="fi">' in html
    assert 'href="/fi/practices/?theme=elections">Vaalit</a>' in html
    assert ">Nuoret</a>" in html and ">Väittely</a>" in html
    assert "Latvia" in html  # the country, in Finnish


def test_practice_page_shows_its_anchoring_ledger(client, adopted_debate_night):
    html = html_of(client.get(adopted_debate_night.url))
    text = text_of(html)

    assert "<caption" in html
    table = html[html.index("<table") : html.index("</table>")]
    assert table.count("<tr>") == 5  # the header row and four libraries
    assert "Tried in 4 libraries in 3 countries, anchored in 2" in text
    for name in [
        "Hiiumaa Central Library",
        "Estonia",
        "Denmark",
        "Finland",
        "Anchored",
        "Repeated",
    ]:
        assert name in text
    assert 'href="/en/case-studies/' in table


def test_practice_journey_runs_from_the_meeting_through_each_case_study_in_date_order(
    client, adopted_debate_night
):
    html = html_of(client.get(adopted_debate_night.url))

    journey = html[html.index('<ol class="timeline">') :]
    journey = journey[: journey.index("</ol>")]
    order = [
        "First shared at Kick-off in Valmiera",
        "Debate night in Kärdla",
        "Turku&#x27;s election debates",
        "Debate night in Ikast",
        "Kärdla branch debates",
    ]
    positions = [journey.index(title) for title in order]
    assert positions == sorted(positions)


def test_a_practice_no_library_has_run_invites_libraries_to_report(client, debate_night):
    text = text_of(html_of(client.get(debate_night.url)))

    assert "No library has reported running this practice yet." in text
    assert "Have you tried it in your library?" in text


@pytest.fixture
def big_and_small_practices(valmiera, kick_off):
    """A practice with 10 tags, 5 themes, 8 case studies and 3 materials, and one with one
    of each; the page is visited once first, to warm the content type and site caches."""
    big = PracticeFactory(
        themes=["elections", "dialogue", "inclusion", "participation", "human-rights"],
        audiences=["youth", "adults"],
        format="debate",
        tags=[f"tag-{n}" for n in range(10)],
        library=valmiera,
        meeting=kick_off,
        body=STEPS_AND_SECTIONS,
    )
    for _n in range(3):
        PracticeMaterial.objects.create(
            page=big, document=wagtail_factories.DocumentFactory(), locale=big.locale
        )
    for n in range(8):
        CaseStudyFactory(practice=big, library=LibraryFactory(country=["LV", "FI", "EE"][n % 3]))
    small = PracticeFactory(
        themes=["elections"], tags=["one"], format="debate", library=valmiera, meeting=kick_off
    )
    PracticeMaterial.objects.create(
        page=small, document=wagtail_factories.DocumentFactory(), locale=small.locale
    )
    CaseStudyFactory(practice=small, library=valmiera)
    html_of(Client().get(small.url))
    return big, small


def test_practice_page_queries_do_not_grow_with_tags_themes_or_case_studies(
    client, django_assert_max_num_queries, big_and_small_practices
):
    big, small = big_and_small_practices
    caches["fragments"].clear()  # both rendered in full, none of their parts kept

    with django_assert_max_num_queries(30) as big_queries:
        html_of(client.get(big.url))
    with django_assert_max_num_queries(30) as small_queries:
        html_of(client.get(small.url))

    assert len(big_queries.captured_queries) == len(small_queries.captured_queries)


def test_practice_page_stays_within_20_queries(
    client, django_assert_max_num_queries, big_and_small_practices
):
    big, _small = big_and_small_practices
    budget = (
        "Wagtail's routing alone takes 9 queries; the language switcher, the menu, "
        "practices.presentation.practice_view, the ledger and the related practices share the "
        "rest: a template tag added to the practice page must fit in it"
    )

    with django_assert_max_num_queries(20, info=budget):
        html_of(client.get(big.url))


# Case studies, meetings, libraries ---------------------------------------------------------


def test_case_study_page_shows_what_where_and_how_far(client, debate_night, valmiera):
    case_study = CaseStudyFactory(
        title="Debate night in Valmiera",
        practice=debate_night,
        library=valmiera,
        stage="repeated",
        date=datetime.date(2024, 4, 12),
        participants=42,
        outcomes="Turnout among first-time voters rose.",
        would_change="Start earlier in the evening.",
    )
    case_study.tags.add("elections-2024")
    case_study.save()

    html = html_of(client.get(case_study.url))
    text = text_of(html)

    assert h1_count(html) == 1
    assert f'href="{debate_night.url}"' in html
    for expected in [
        "Valmiera Library",
        "Latvia",
        "April 12, 2024",
        "Repeated",
        "42",
        "Turnout among first-time voters rose.",
        "Start earlier in the evening.",
        "elections-2024",
    ]:
        assert expected in text


def test_meeting_page_lists_practices_first_shared_there_in_the_readers_language(
    client, debate_night, kick_off, valmiera
):
    CaseStudyFactory(title="Debate night in Ikast", practice=debate_night, library=valmiera)
    latvian_only = PracticeFactory(title="Dzīvā bibliotēka", locale="lv", meeting=kick_off)
    translate(debate_night, "fi", title="Väittelyilta")
    finnish_meeting = translate(kick_off, "fi", title="Aloitustapaaminen Valmierassa")

    english = text_of(html_of(client.get(kick_off.url)))
    finnish_html = html_of(client.get(finnish_meeting.url))

    assert "International meeting" in english and "Sept. 19, 2023 – Sept. 21, 2023" in english
    assert "Valmiera, Latvia" in english and "Welcome and practice fair" in english
    assert "Debate night" in english and "Dzīvā bibliotēka" in english
    assert "Debate night in Ikast" in english
    assert "19. syyskuuta 2023" in finnish_html
    assert "Väittelyilta" in finnish_html
    assert f'<a href="{debate_night.url}">' not in finnish_html  # the English version
    assert f'<span lang="lv">{latvian_only.title}</span>' in finnish_html


def test_library_page_shows_where_it_is_and_what_it_shared_and_ran(client, debate_night, valmiera):
    CaseStudyFactory(title="Our debate nights", practice=debate_night, library=valmiera)

    html = html_of(client.get(valmiera.url))
    text = text_of(html)

    assert h1_count(html) == 1
    assert "Valmiera" in text and "Latvia" in text and "Partner of the network" in text
    assert "Debate night" in text and "Our debate nights" in text
    assert "Kick-off in Valmiera" in text  # the meeting it hosted


def test_library_page_links_only_a_web_address(client, valmiera):
    LibraryPage.objects.filter(pk=valmiera.pk).update(website="https://www.valmierasbiblioteka.lv")
    assert 'href="https://www.valmierasbiblioteka.lv"' in html_of(client.get(valmiera.url))

    LibraryPage.objects.filter(pk=valmiera.pk).update(website="javascript:alert(1)")
    assert "javascript:" not in html_of(client.get(valmiera.url))


# Index pages -------------------------------------------------------------------------------


@pytest.fixture
def catalogue_of_practices(valmiera, kick_off):
    turku = LibraryFactory(title="Turku City Library", slug="turku", country="FI")
    return {
        "debate": PracticeFactory(title="Debate", themes=["elections"], library=valmiera),
        "cafe": PracticeFactory(
            title="Democracy café", themes=["dialogue"], library=turku, meeting=kick_off
        ),
        "quiz": PracticeFactory(title="Election quiz", themes=["elections"], library=turku),
        "living": PracticeFactory(title="Living library", themes=["inclusion"], library=turku),
    }


def shown(params: str, model="PracticePage", language="en"):
    catalogue = browse.catalogue(model)
    locale = Locale.objects.get(language_code=language)
    filters = browse.clean_filters(catalogue, QueryDict(params))
    return {page.title for page in browse.browse(catalogue, locale, filters)}


def test_values_of_one_filter_are_alternatives(catalogue_of_practices):
    assert shown("theme=elections&theme=dialogue") == {"Debate", "Democracy café", "Election quiz"}


def test_different_filters_all_apply(catalogue_of_practices):
    assert shown("theme=elections&theme=dialogue&country=FI") == {"Democracy café", "Election quiz"}
    assert shown("theme=elections&library=valmiera") == {"Debate"}
    assert shown("meeting=kick-off") == {"Democracy café"}


@pytest.mark.parametrize(
    "params", ["theme=no-such-theme", "country=XX", "country=<script>", "library=nowhere"]
)
def test_an_unknown_filter_value_gives_an_empty_list_not_an_error(
    client, catalogue_of_practices, params
):
    assert shown(params) == set()
    html = html_of(client.get(f"/en/practices/?{params}"))
    assert "No practice matches these filters." in html


def test_index_page_filters_through_its_form_and_shows_active_filters(
    client, catalogue_of_practices
):
    html = html_of(client.get("/en/practices/?theme=elections&country=FI"))
    text = text_of(html)

    assert '<form class="facets" method="get"' in html
    assert 'name="theme" value="elections" checked' in html
    assert "1 practice" in text and "Election quiz" in text and "Debate night" not in text
    assert 'href="?country=FI"' in html  # removes the theme filter
    assert 'href="?theme=elections"' in html  # removes the country filter


def test_a_page_number_that_is_not_a_number_gives_the_first_page(client, catalogue_of_practices):
    for page in ["abc", "0", "-3", "999"]:
        assert "Living library" in html_of(client.get(f"/en/practices/?page={page}"))


def test_index_pages_twenty_per_page_newest_first(client):
    for n in range(22):
        PracticeFactory(title=f"Method {n:02d}")

    first = html_of(client.get("/en/practices/"))
    second = html_of(client.get("/en/practices/?page=2"))

    assert "22 practices" in first
    assert first.index("Method 21") < first.index("Method 20")
    assert "Method 01" not in first and "Method 01" in second and "Method 00" in second
    assert 'aria-current="page"' in second


def test_index_lists_one_version_per_translation_group_in_the_readers_language(client):
    debate = PracticeFactory(title="Debate night")
    translate(debate, "fi", title="Väittelyilta")
    PracticeFactory(title="Dzīvā bibliotēka", locale="lv")
    PracticeFactory(title="Avoin kirjasto", locale="fi")

    english = html_of(client.get("/en/practices/"))
    finnish = html_of(client.get("/fi/practices/"))

    assert "3 practices" in english
    assert "Debate night" in english and "Väittelyilta" not in english
    assert '<span lang="lv">Dzīvā bibliotēka</span>' in english and "Only in Latvian" in english
    assert '<span lang="fi">Avoin kirjasto</span>' in english and "Only in Finnish" in english
    assert "Väittelyilta" in finnish and ">Debate night<" not in finnish
    assert '<span lang="fi">' not in finnish


def test_case_study_meeting_and_library_indexes_filter_by_their_own_fields(
    client, debate_night, valmiera
):
    turku = LibraryFactory(title="Turku City Library", slug="turku", country="FI", partner=False)
    CaseStudyFactory(
        title="Anchored in Valmiera", practice=debate_night, library=valmiera, stage="anchored"
    )
    CaseStudyFactory(title="Tried in Turku", practice=debate_night, library=turku, stage="tried")
    MeetingFactory(
        title="Online check-in",
        kind="virtual",
        country="",
        city="",
        start_date=datetime.date(2024, 2, 1),
        end_date=None,
    )

    assert shown("stage=anchored", "CaseStudyPage") == {"Anchored in Valmiera"}
    assert shown("country=FI&stage=anchored", "CaseStudyPage") == set()
    assert shown("library=turku", "CaseStudyPage") == {"Tried in Turku"}
    assert shown("kind=virtual", "MeetingPage") == {"Online check-in"}
    assert shown("year=2023", "MeetingPage") == {"Kick-off in Valmiera"}
    assert shown("year=twenty", "MeetingPage") == set()
    assert shown("partner=no", "LibraryPage") == {"Turku City Library"}
    assert shown("country=LV&country=FI", "LibraryPage") == {
        "Valmiera Library",
        "Turku City Library",
    }
    assert "Tried in Turku" in html_of(client.get("/en/case-studies/?stage=tried"))
    assert "Anchored in Valmiera" not in html_of(client.get("/en/case-studies/?stage=tried"))
    assert "Turku City Library" in html_of(client.get("/en/libraries/?partner=no"))


def test_meeting_index_is_a_timeline_grouped_by_year(client, kick_off):
    MeetingFactory(title="Hiiumaa meeting", start_date=datetime.date(2024, 5, 14), end_date=None)

    html = html_of(client.get("/en/meetings/"))

    assert '<ol class="timeline">' in html
    assert html.index(">2024</h3>") < html.index("Hiiumaa meeting") < html.index(">2023</h3>")
    assert html.index(">2023</h3>") < html.index("Kick-off in Valmiera")


@pytest.fixture
def versions_that_differ(valmiera, kick_off):
    """Practices and case studies whose language versions differ in what the filters look
    at (themes, library, tags, stage), with an unpublished translation and an alias: a list
    filters on the version it shows, not on the others."""
    finnish = locale_for("fi")
    turku = LibraryFactory(title="Turku City Library", slug="turku", country="FI")
    debate = PracticeFactory(
        title="Debate", themes=["elections"], audiences=["youth"], library=valmiera, tags=["vote"]
    )
    vaittely = translate(debate, "fi", title="Väittely", library=turku)
    vaittely.theme_links = [PracticeTheme(theme=Theme.objects.get(slug="dialogue", locale=finnish))]
    vaittely.tags.set(["youth-council"])
    vaittely.save_revision().publish()
    translate(debate, "lv", title="Debates")
    cafe = PracticeFactory(
        title="Kahvila", locale="fi", themes=["dialogue"], library=turku, meeting=kick_off
    )
    translate(cafe, "en", title="Café").unpublish()
    quiz = PracticeFactory(
        title="Viktorīna", locale="lv", themes=["elections", "inclusion"], library=valmiera
    )
    translate(quiz, "en", title="Quiz", library=turku)
    quiz.create_alias(
        parent=index_page_for(PracticePage, locale_for("sv")),
        update_locale=locale_for("sv"),
        reset_translation_key=False,
    )
    PracticeFactory(title="Living library", themes=["inclusion"], format="debate", tags=["vote"])
    run = CaseStudyFactory(title="Debates in Valmiera", practice=debate, library=valmiera)
    translate(run, "fi", title="Väittelyt Valmierassa", stage="anchored")
    CaseStudyFactory(title="Kahvila Turussa", locale="fi", library=turku, stage="repeated")


def listed_by_definition(model_name: str, language: str, filters: dict) -> list:
    """The list as its definition gives it, read page by page: of each translation group, the
    live version (an alias not counting) in the first language of a reader of `language`'s
    default reading order, else the group's original, kept if its own values match every
    filter; in the catalogue's order."""
    catalogue = browse.catalogue(model_name)
    order = reading_order(language, default_fallbacks(language))
    groups = {}
    for page in catalogue.model.objects.live().order_by("pk"):
        if page.alias_of_id is None:
            groups.setdefault(page.translation_key, []).append(page)
    originals = original_locales(groups)
    shown = [
        shown_version({page.locale.language_code: page for page in versions}, originals[key], order)
        for key, versions in groups.items()
    ]
    kept = [
        page
        for page in shown
        if all(
            values_of(page, catalogue.filter(name)) & set(wanted)
            for name, wanted in filters.items()
        )
    ]
    assert all(field.startswith("-") for field in catalogue.ordering)
    kept.sort(
        key=lambda page: [getattr(page, field[1:]) for field in catalogue.ordering], reverse=True
    )
    return [(page.pk, len(groups[page.translation_key])) for page in kept]


def values_of(page, spec) -> set:
    stored = type(page).objects.filter(pk=page.pk).values_list(spec.lookup, flat=True)
    return {spec.value(value) for value in stored if value not in (None, "")}


def counts_by_definition(model_name: str, language: str, filters: dict, name: str) -> dict:
    """How many pages of the list each value of filter `name` would give, the other filters
    applied."""
    catalogue = browse.catalogue(model_name)
    others = {other: values for other, values in filters.items() if other != name}
    counts = {}
    for pk, _versions in listed_by_definition(model_name, language, others):
        page = catalogue.model.objects.get(pk=pk)
        for value in values_of(page, catalogue.filter(name)):
            counts[value] = counts.get(value, 0) + 1
    return counts


@pytest.mark.parametrize(
    "model_name, query_strings",
    [
        (
            "PracticePage",
            [
                "",
                "theme=elections",
                "theme=dialogue",
                "theme=elections&theme=dialogue",
                "theme=elections&country=LV",
                "library=turku",
                "tag=vote",
                "tag=youth-council&theme=dialogue",
                "meeting=kick-off",
                "audience=youth&theme=inclusion&theme=elections",
                "format=debate",
                "theme=no-such-theme",
            ],
        ),
        ("CaseStudyPage", ["", "stage=anchored", "stage=tried", "country=FI", "library=turku"]),
    ],
)
def test_lists_filter_and_count_the_version_they_show(
    versions_that_differ, model_name, query_strings
):
    catalogue = browse.catalogue(model_name)
    for language in ["en", "fi", "lv", "sv"]:
        for query in query_strings:
            params = QueryDict(query)
            filters = browse.clean_filters(catalogue, params)
            listing = browse.listing(catalogue, locale_for(language), language, params)
            expected = listed_by_definition(model_name, language, filters)

            listed = [(page.pk, page.version_count) for page in listing.items]
            assert (listed, listing.count) == (expected, len(expected)), (language, query)
            for facet in listing.facets:
                if facet.widget == "hidden":
                    continue
                counts = {option.value: option.count for option in facet.options if option.count}
                assert counts == counts_by_definition(model_name, language, filters, facet.name), (
                    language,
                    query,
                    facet.name,
                )


def test_index_page_reads_as_many_queries_for_three_practices_as_for_forty(
    client, django_assert_max_num_queries, catalogue_of_practices
):
    html_of(client.get("/en/practices/"))
    # 21: the evidence levels of the cards shown are one query (practices.evidence).
    with django_assert_max_num_queries(21) as few:
        html_of(client.get("/en/practices/"))

    for n in range(40):
        PracticeFactory(title=f"Method {n:02d}", themes=["elections"], tags=[f"tag-{n}"])
    html_of(client.get("/en/practices/"))
    with django_assert_max_num_queries(21) as many:
        html = html_of(client.get("/en/practices/?page=2"))

    assert "44 practices" in html and "Method 19" in html
    assert len(many.captured_queries) == len(few.captured_queries)


def test_index_page_follows_each_publication_at_once(client):
    debate = PracticeFactory(title="Debate night", themes=["elections"])
    assert "1 practice" in html_of(client.get("/en/practices/"))

    cafe = PracticeFactory(title="Democracy café", themes=["dialogue"])
    html = html_of(client.get("/en/practices/?theme=dialogue"))
    assert "1 practice" in html and "Democracy café" in html

    translate(debate, "fi", title="Väittelyilta")
    cafe.unpublish()
    english = html_of(client.get("/en/practices/"))
    finnish = html_of(client.get("/fi/practices/"))
    assert "1 practice" in english and "Democracy café" not in english
    assert "Väittelyilta" in finnish


# The home page and the menu -----------------------------------------------------------------


def test_home_page_shows_the_networks_figures_practices_case_studies_and_meetings(
    client, adopted_debate_night
):
    PracticeFactory(title="Living library", library=LibraryFactory(country="SE"))
    translate(adopted_debate_night, "fi", title="Väittelyilta")

    figures = network_figures()
    html = html_of(client.get("/en/"))
    text = text_of(html)

    # Practices: 2 groups. Libraries that ran them: 4. Anchored: 2. Countries: LV (origin of
    # debate night), EE, DK, FI (case studies), SE (origin of living library).
    assert (figures.practices, figures.libraries, figures.anchored, figures.countries) == (
        2,
        4,
        2,
        5,
    )
    assert re.search(r"<strong>2</strong>\s*practices shared", html)
    assert re.search(r"<strong>4</strong>\s*libraries have run them", html)
    assert re.search(r"<strong>5</strong>\s*countries", html)
    assert "Living library" in text and "Debate night" in text and "Väittelyilta" not in text
    assert "Kärdla branch debates" in text  # a recent case study
    assert "Kick-off in Valmiera" in text  # the meeting timeline
    assert h1_count(html) == 1


@pytest.fixture
def latvian_network():
    """Pages only in English or Finnish, an unpublished translation and an alias, then
    practices, case studies and meetings written in Latvian and translated into four
    languages: the newest pages are translations, mostly not the ones a list in a given
    language shows (more of them than a first look at the newest pages reads)."""
    valmiera = LibraryFactory(locale="lv", country="LV")
    english_only = PracticeFactory(title="Living library")
    CaseStudyFactory(title="Our living library", practice=english_only, library=valmiera)
    MeetingFactory(title="Online check-in", start_date=datetime.date(2022, 6, 1), end_date=None)
    finnish_only = PracticeFactory(title="Avoin kirjasto", locale="fi")
    translate(finnish_only, "et", title="Avatud raamatukogu").unpublish()
    finnish_only.create_alias(
        parent=index_page_for(PracticePage, locale_for("lv")),
        update_locale=locale_for("lv"),
        reset_translation_key=False,
    )
    originals = []
    for n in range(3):
        practice = PracticeFactory(title=f"Prakse {n}", locale="lv", library=valmiera)
        case_study = CaseStudyFactory(
            title=f"Gadījums {n}",
            locale="lv",
            practice=practice,
            library=valmiera,
            date=datetime.date(2024, 1, n + 1),
        )
        meeting = MeetingFactory(
            title=f"Sanāksme {n}",
            locale="lv",
            start_date=datetime.date(2023, n + 1, 1),
            end_date=None,
        )
        originals += [practice, case_study, meeting]
    for page in originals:
        for code in ["en", "fi", "et", "da"]:
            translate(page, code, title=f"{page.title} ({code})")


def test_home_page_lists_are_the_heads_of_the_index_lists(latvian_network):
    def listed(pages):
        return [(page.pk, page.version_count, page.language_code) for page in pages]

    for language in ["en", "lv", "fi", "et", "sv"]:
        locale = Locale.objects.get(language_code=language)
        for count in [1, 3, 30]:
            index = {
                model_name: listed(browse.browse(browse.catalogue(model_name), locale, {})[:count])
                for model_name in ["PracticePage", "CaseStudyPage", "MeetingPage"]
            }
            home = {
                "PracticePage": listed(presentation.featured_practices(locale, count)),
                "CaseStudyPage": listed(presentation.recent_case_studies(locale, count)),
                "MeetingPage": listed(presentation.meeting_timeline(locale, count))[::-1],
            }
            assert home == index, (language, count)


def test_network_figures_are_counted_again_once_a_page_is_published_or_unpublished(
    client, adopted_debate_night, monkeypatch
):
    counts = []
    count_network_figures = presentation.count_network_figures

    def counted():
        counts.append(1)
        return count_network_figures()

    monkeypatch.setattr(presentation, "count_network_figures", counted)

    html_of(client.get("/en/"))
    html = html_of(client.get("/fi/"))
    assert len(counts) == 1
    assert re.search(r"<strong>1</strong>", html)

    living_library = PracticeFactory(title="Living library")
    html = html_of(client.get("/en/"))
    assert len(counts) == 2
    assert re.search(r"<strong>2</strong>\s*practices shared", html)

    living_library.unpublish()
    html = html_of(client.get("/en/"))
    assert len(counts) == 3
    assert re.search(r"<strong>1</strong>\s*practice shared", html)


def test_home_page_works_out_its_figures_and_lists_once_until_the_content_changes(
    client, django_assert_max_num_queries, latvian_network
):
    html_of(client.get("/en/"))

    # The pages of the three lists, and for each list the names it links (a case study's
    # practice and library, a meeting's host) in the version the reader sees: one query each;
    # and the evidence levels of the practices shown, one query (practices.evidence).
    with django_assert_max_num_queries(20):
        html = html_of(client.get("/en/"))

    assert "Living library" in html and "Prakse 2 (en)" in html


def test_menu_links_the_four_index_pages_in_the_readers_language(client):
    html = html_of(client.get("/fi/"))
    nav = html[html.index('<nav class="site-nav"') :]
    nav = nav[: nav.index("</nav>")]

    for path in ["/fi/practices/", "/fi/case-studies/", "/fi/meetings/", "/fi/libraries/"]:
        assert f'href="{path}"' in nav


def test_menu_leaves_out_a_missing_index_page(client):
    PracticeIndexPage.objects.filter(locale__language_code="en").delete()

    html = html_of(client.get("/en/"))

    assert 'href="/en/practices/"' not in html and 'href="/en/meetings/"' in html


def test_dates_follow_the_readers_language(client, kick_off):
    with django_translation.override("fi"):
        finnish_meeting = translate(kick_off, "fi", title="Aloitustapaaminen")
    html = html_of(client.get(finnish_meeting.url))

    assert "19. syyskuuta 2023" in html and "21. syyskuuta 2023" in html
