"""Every name a page shows follows the reader's rule: a record linked from a page (a case
study's practice and library, a meeting's host, a library's cards) is shown in the reader's
language, else in the first of their reading languages it has, else in its original, whatever
language version the record's author happened to link."""

import datetime
import re

import pytest

from languages.reader import FALLBACK_COOKIE
from tests.factories import (
    CaseStudyFactory,
    LibraryFactory,
    MeetingFactory,
    PracticeFactory,
    translate,
)

pytestmark = pytest.mark.django_db

LATVIAN_NAMES = ["Avotkritikas darbnīca", "Valmieras bibliotēka", "Valmieras sanāksme"]
ENGLISH_NAMES = ["Source-criticism workshop", "Valmiera Library", "Valmiera meeting"]


@pytest.fixture
def latvian_records():
    """A practice, its library and its meeting written in Latvian and translated into English;
    a case study that exists only in Latvian and links the Latvian versions."""
    library = LibraryFactory(title="Valmieras bibliotēka", locale="lv", country="LV")
    meeting = MeetingFactory(
        title="Valmieras sanāksme", locale="lv", host=library, start_date=datetime.date(2023, 9, 19)
    )
    practice = PracticeFactory(
        title="Avotkritikas darbnīca", locale="lv", library=library, meeting=meeting
    )
    case_study = CaseStudyFactory(
        title="Mūsu darbnīca", locale="lv", practice=practice, library=library, stage="anchored"
    )
    english = {
        "library": translate(library, "en", title="Valmiera Library"),
        "meeting": translate(meeting, "en", title="Valmiera meeting"),
        "practice": translate(practice, "en", title="Source-criticism workshop"),
    }
    return {"case_study": case_study, "english": english}


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def pages_listing_the_case_study(records) -> dict:
    english = records["english"]
    return {
        "home": "/en/",
        "case-study index": "/en/case-studies/",
        "meeting page": english["meeting"].url,
        "library page": english["library"].url,
        "practice page (ledger)": english["practice"].url,
    }


def test_names_linked_from_a_latvian_case_study_are_english_on_english_pages(
    client, latvian_records
):
    for where, url in pages_listing_the_case_study(latvian_records).items():
        html = text_of(client.get(url))

        assert "Mūsu darbnīca" in html, where  # only in Latvian: shown in Latvian
        for latvian, english in zip(LATVIAN_NAMES[:2], ENGLISH_NAMES[:2], strict=True):
            assert latvian not in html, (where, latvian)
            assert english in html, (where, english)


def test_a_reader_without_a_version_in_their_language_sees_the_first_reading_language(
    client, latvian_records
):
    """Swedish readers read English first by default; one who chose Latvian first sees the
    Latvian names."""
    swedish = text_of(client.get("/sv/case-studies/"))
    assert "Source-criticism workshop" in swedish and "Avotkritikas darbnīca" not in swedish

    client.cookies[FALLBACK_COOKIE] = "lv.en"
    swedish = text_of(client.get("/sv/case-studies/"))
    assert "Avotkritikas darbnīca" in swedish and "Source-criticism workshop" not in swedish


def test_a_linked_name_in_another_language_is_marked_with_its_own_language(client, latvian_records):
    html = text_of(client.get("/en/case-studies/"))

    assert '<span lang="lv">Mūsu darbnīca</span>' in html
    assert "<span>Source-criticism workshop</span>" in html
    assert "<span>Valmiera Library</span>" in html


def test_a_library_page_heading_and_its_cards_agree(client, latvian_records):
    html = text_of(client.get(latvian_records["english"]["library"].url))

    assert "<h1>Valmiera Library</h1>" in html
    cards = html[html.index("</h1>") :]
    assert "Valmieras bibliotēka" not in cards and "Valmiera Library" in cards


def test_the_meeting_page_names_its_host_and_practices_in_the_readers_language(
    client, latvian_records
):
    html = text_of(client.get(latvian_records["english"]["meeting"].url))

    assert "Valmiera Library" in html and "Source-criticism workshop" in html
    assert not any(name in html for name in LATVIAN_NAMES)


def test_a_practice_shown_in_another_language_shows_the_readers_vocabulary(client):
    """A practice only in Latvian is listed to an English reader in Latvian, but its theme
    and format are labelled in English: the vocabulary has an English version of each."""
    PracticeFactory(
        title="Avotkritikas darbnīca", locale="lv", themes=["dialogue"], format="debate"
    )

    html = text_of(client.get("/en/practices/"))

    assert '<span lang="lv">Avotkritikas darbnīca</span>' in html
    assert '<span class="chip">Dialogue</span>' in html and "<span>Debate</span>" in html
    assert "Dialogs" not in html and "Debates" not in html
    feed = client.get("/en/feeds/practices.atom").content.decode()
    assert 'term="Dialogue"' in feed and "Dialogs" not in feed
