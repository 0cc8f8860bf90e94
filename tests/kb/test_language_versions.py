"""Every page says which language it is in, links its other language versions, and tells a
visitor reading another language than theirs."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Page

from practices.models import (
    CaseStudyIndexPage,
    LibraryIndexPage,
    MeetingIndexPage,
    PracticeIndexPage,
)
from tests.conftest import LANGUAGE_CODES
from tests.factories import (
    CaseStudyFactory,
    LibraryFactory,
    MeetingFactory,
    PracticeFactory,
    translate,
)

pytestmark = pytest.mark.django_db

PAGE_KINDS = ["home", "index", "practice", "case_study", "meeting", "library"]


def make_page(kind, home_pages, locale="en"):
    """A live page of `kind` in `locale`."""
    if kind == "home":
        return home_pages[locale]
    if kind == "index":
        return PracticeIndexPage.objects.get(locale__language_code=locale)
    factory = {
        "practice": PracticeFactory,
        "case_study": CaseStudyFactory,
        "meeting": MeetingFactory,
        "library": LibraryFactory,
    }[kind]
    if kind == "case_study":
        return factory(
            locale=locale,
            practice=PracticeFactory(locale=locale),
            library=LibraryFactory(locale=locale),
        )
    return factory(locale=locale)


def version_of(page, code):
    return Page.objects.get(translation_key=page.translation_key, locale__language_code=code)


def alternates(html):
    """hreflang -> href of the page's <link rel="alternate"> elements."""
    return dict(
        (m.group(1), m.group(2))
        for m in re.finditer(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html)
    )


def switcher_links(html):
    """language code -> href of the language switcher's links."""
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    return {m.group(2): m.group(1) for m in re.finditer(r'<a href="([^"]+)" lang="(\w+)"', nav)}


def full(url):
    return f"http://testserver{url}"


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_type_has_its_lang_and_links_its_versions_with_the_original_as_x_default(
    client, home_pages, kind
):
    page = make_page(kind, home_pages)
    if kind not in ("home", "index"):  # those have a version in every language already
        translate(page, "lv")
    latvian = version_of(page, "lv")

    html = client.get(latvian.url).content.decode()

    assert '<html lang="lv">' in html
    links = alternates(html)
    assert links["lv"] == full(latvian.url)
    assert links["en"] == full(page.url)
    assert links["x-default"] == full(page.url)
    if kind not in ("home", "index"):
        assert set(links) == {"en", "lv", "x-default"}


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_each_locales_practice_renders_with_its_own_lang(client, code):
    practice = PracticeFactory(locale=code)

    html = client.get(practice.url).content.decode()

    assert f'<html lang="{code}">' in html
    assert alternates(html) == {code: full(practice.url), "x-default": full(practice.url)}


def test_x_default_points_at_the_original_when_it_is_not_english(client):
    original = PracticeFactory(locale="lv", title="Dzīvā bibliotēka")
    english = translate(original, "en", title="Living library")

    html = client.get(english.url).content.decode()

    assert alternates(html)["x-default"] == full(original.url)


def test_the_switcher_leads_to_the_translation_where_there_is_one(client):
    practice = PracticeFactory(title="Living library")
    finnish = translate(practice, "fi", title="Elävä kirjasto")

    links = switcher_links(client.get(practice.url).content.decode())

    assert links["fi"] == finnish.url
    assert links["en"] == practice.url


def test_the_switcher_offers_a_missing_language_and_that_page_lists_the_versions(client):
    practice = PracticeFactory(locale="lv", title="Dzīvā bibliotēka")
    english = translate(practice, "en", title="Living library")

    html = client.get(practice.url).content.decode()
    danish_link = switcher_links(html)["da"]
    assert danish_link == f"/da/not-translated/{practice.pk}/"
    assert re.search(r'<a href="/da/not-translated/\d+/" lang="da"[^>]*class="is-missing"', html)

    response = client.get(danish_link)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="da">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert f'<a href="{practice.url}" hreflang="lv"><span lang="lv">latviešu</span></a>' in page
    assert f'<a href="{english.url}" hreflang="en"><span lang="en">English</span></a>' in page
    assert '<span lang="lv">Dzīvā bibliotēka</span>' in page
    # its own switcher still knows which versions exist
    links = switcher_links(page)
    assert links["lv"] == practice.url and links["en"] == english.url
    assert links["fi"] == f"/fi/not-translated/{practice.pk}/"


def test_the_not_translated_page_marks_the_original(client):
    practice = PracticeFactory(locale="lv")
    translate(practice, "en")

    page = client.get(f"/da/not-translated/{practice.pk}/").content.decode()

    with translation.override("da"):
        original = gettext("original")
    assert re.search(rf'hreflang="lv">.*?</a> \({original}\)', page)
    assert not re.search(rf'hreflang="en">.*?</a> \({original}\)', page)


def test_the_not_translated_page_sends_on_to_a_version_made_since(client):
    practice = PracticeFactory()
    finnish = translate(practice, "fi")

    response = client.get(f"/fi/not-translated/{practice.pk}/")

    assert response.status_code == 302
    assert response["Location"] == finnish.url


def test_the_not_translated_page_offers_an_editor_to_translate_it(client, admin_user):
    practice = PracticeFactory(locale="lv")
    client.force_login(admin_user)

    page = client.get(f"/fi/not-translated/{practice.pk}/").content.decode()

    submit_url = reverse("wagtail_localize:submit_page_translation", args=[practice.pk])
    expected = f"{submit_url}?{urlencode({'select_locale': 'fi'})}"
    assert f'href="{expected}"' in page
    form = client.get(expected)
    assert form.status_code == 200


def test_the_not_translated_page_offers_no_translate_link_to_visitors(client):
    practice = PracticeFactory(locale="lv")

    page = client.get(f"/fi/not-translated/{practice.pk}/").content.decode()

    assert "/admin/localize/submit/" not in page


def test_an_unpublished_page_has_no_not_translated_page(client):
    practice = PracticeFactory()
    practice.unpublish()

    assert client.get(f"/fi/not-translated/{practice.pk}/").status_code == 404


# The language notice


def notice(html):
    match = re.search(
        r'<aside class="notice language-notice" lang="(\w+)"[^>]*>(.*?)</aside>', html, re.S
    )
    return (match.group(1), match.group(2)) if match else None


def test_a_finnish_reader_of_a_latvian_only_page_is_told_in_finnish(client):
    practice = PracticeFactory(locale="lv", title="Dzīvā bibliotēka")

    html = client.get(practice.url, HTTP_ACCEPT_LANGUAGE="fi-FI,fi;q=0.9").content.decode()

    assert '<html lang="lv">' in html
    lang, body = notice(html)
    assert lang == "fi"
    with translation.override("fi"):
        expected = gettext(
            "This page is in %(page_language)s; it has not been translated into %(reader_language)s yet."
        ) % {"page_language": gettext("Latvian"), "reader_language": gettext("Finnish")}
    assert expected in body
    # the notice comes first in the main content
    assert re.search(r'<main id="main"[^>]*>\s*<aside class="notice language-notice"', html)


def test_the_language_notice_links_the_readers_version_when_there_is_one(client):
    practice = PracticeFactory(locale="lv")
    finnish = translate(practice, "fi")
    english = translate(practice, "en")

    html = client.get(practice.url, HTTP_ACCEPT_LANGUAGE="fi").content.decode()

    lang, body = notice(html)
    assert lang == "fi"
    with translation.override("fi"):
        expected = gettext(
            "This page is in %(page_language)s. It is also in %(reader_language)s:"
        ) % {
            "page_language": gettext("Latvian"),
            "reader_language": gettext("Finnish"),
        }
    assert expected in body
    assert f'<a href="{finnish.url}" hreflang="fi" lang="fi">suomi</a>' in body
    assert f'<a href="{english.url}" hreflang="en" lang="en">English</a>' in body


def test_the_language_cookie_counts_as_the_readers_language(client, settings):
    practice = PracticeFactory(locale="lv")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "et"

    lang, _body = notice(client.get(practice.url).content.decode())

    assert lang == "et"


@pytest.mark.parametrize("accept_language", ["lv", "lv-LV,en;q=0.5", ""])
def test_no_language_notice_for_a_reader_of_the_pages_language_or_without_a_preference(
    client, accept_language
):
    practice = PracticeFactory(locale="lv")

    html = client.get(practice.url, HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()

    assert notice(html) is None


def test_pages_that_are_not_wagtail_pages_have_no_language_notice(client):
    html = client.get("/lv/search/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()

    assert "language-notice" not in html


@pytest.mark.parametrize(
    "model", [PracticeIndexPage, CaseStudyIndexPage, MeetingIndexPage, LibraryIndexPage]
)
def test_index_pages_carry_the_language_notice_too(client, model):
    index = model.objects.get(locale__language_code="sv")

    lang, _body = notice(client.get(index.url, HTTP_ACCEPT_LANGUAGE="da").content.decode())

    assert lang == "da"


def test_the_not_translated_page_lists_only_versions_that_exist(client):
    practice = PracticeFactory(locale="lv")
    english = translate(practice, "en")

    page = client.get(f"/fi/not-translated/{practice.pk}/").content.decode()

    listed = re.findall(
        r'<li><a href="([^"]+)" hreflang="(\w+)"',
        page.split('class="version-list"')[1].split("</ul>")[0],
    )
    assert sorted(listed) == sorted([(practice.url, "lv"), (english.url, "en")])


def test_a_page_url_in_a_language_it_is_not_in_leads_to_the_not_translated_page(client):
    practice = PracticeFactory(locale="fi")
    url = practice.url
    assert url.startswith("/fi/")

    response = client.get("/lv/" + url.removeprefix("/fi/"))

    assert response.status_code == 302
    assert response["Location"] == f"/lv/not-translated/{practice.pk}/"
    assert client.get("/lv/practices/no-such-practice/").status_code == 404


def test_lists_follow_the_readers_reading_order_which_the_reader_can_change(client):
    practice = PracticeFactory(locale="lv", title="Debašu vakars")
    translate(practice, "en", title="Debate night")
    translate(practice, "da", title="Debataften")
    index = PracticeIndexPage.objects.get(locale__language_code="fi").url

    # Finnish readers read English first by default (fi, en, sv, et, then the original).
    assert "Debate night" in client.get(index).content.decode()

    form = client.get("/fi/reading-languages/").content.decode()
    assert 'value="en" id="reading-en" checked' in form
    response = client.post("/fi/reading-languages/", {"language": ["da"], "next": index})
    assert response.status_code == 302 and response["Location"] == index
    listed = client.get(index).content.decode()
    assert "Debataften" in listed and "Debate night" not in listed

    response = client.post("/fi/reading-languages/", {"next": "https://elsewhere.example/"})
    assert response["Location"] == "/fi/reading-languages/"
    listed = client.get(index).content.decode()
    assert "Debašu vakars" in listed and "Debataften" not in listed
