"""Parts of the practice page are kept rendered (`search.fragments`) until the page or the
search index changes: whatever a reader does, the page shows what is published now."""

import datetime
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practices.roles import grant_role, setup_roles
from search.fragments import fragment_key
from tests.factories import CaseStudyFactory, LibraryFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def practice():
    valmiera = LibraryFactory(title="Valmiera Library", slug="valmiera", country="LV")
    return PracticeFactory(
        title="Debate night", slug="debate-night", library=valmiera, themes=["elections"]
    )


def test_a_case_study_published_after_the_page_was_read_shows_in_its_ledger(client, practice):
    assert "No library has reported running this practice yet" in text_of(client.get(practice.url))

    turku = LibraryFactory(title="Turku City Library", slug="turku", country="FI")
    CaseStudyFactory(
        title="Debates in Turku",
        practice=practice,
        library=turku,
        stage="repeated",
        date=datetime.date(2024, 3, 1),
    )
    text = text_of(client.get(practice.url))

    assert "Debates in Turku" in text and "Turku City Library" in text
    assert "No library has reported running this practice yet" not in text


def test_a_library_renamed_after_the_page_was_read_shows_with_its_new_name(client, practice):
    assert "Valmiera Library" in text_of(client.get(practice.url))

    library = practice.library.specific
    library.title = "Valmiera Central Library"
    library.save_revision().publish()

    assert "Valmiera Central Library" in text_of(client.get(practice.url))


def test_a_new_version_of_the_page_is_shown_at_once(client, practice):
    text_of(client.get(practice.url))

    practice.summary = "Young people debate a motion before an election."
    practice.save_revision().publish()

    assert "Young people debate a motion" in text_of(client.get(practice.url))


def test_what_depends_on_the_reader_is_never_kept_for_another(client, practice):
    setup_roles()
    partner = grant_role("paula", "paula@valmiera.example", "partner", "valmiera").user
    adapt = reverse("practices_adapt", args=[practice.pk])
    how_to_report = "Partner libraries of the network report it here"

    html = client.get(practice.url).content.decode()
    assert adapt not in html and how_to_report in html

    client.force_login(partner)
    html = client.get(practice.url).content.decode()
    assert adapt in html and how_to_report not in html

    client.logout()
    html = client.get(practice.url).content.decode()
    assert adapt not in html and how_to_report in html


def test_the_second_reading_is_served_from_the_kept_parts(client, practice):
    with CaptureQueriesContext(connection) as first:
        first_text = text_of(client.get(practice.url))
    with CaptureQueriesContext(connection) as second:
        second_text = text_of(client.get(practice.url))

    assert second_text == first_text
    assert len(second.captured_queries) < len(first.captured_queries)


def test_previews_and_pages_not_live_are_rendered_afresh(practice):
    request = RequestFactory().get(practice.url)
    assert fragment_key("practice-main", practice, request) is not None

    request.is_preview = True
    assert fragment_key("practice-main", practice, request) is None

    practice.live = False
    assert fragment_key("practice-main", practice, RequestFactory().get("/")) is None
