"""The admin dashboard: a partner's library pages, the translations waiting for a person, and
the state of the search service for those who run the site."""

import pytest
from django.urls import reverse

from practices.roles import grant_role, setup_roles
from search.models import OpenCircuit
from tests.factories import LibraryFactory, PracticeFactory, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    setup_roles()
    turku = LibraryFactory(slug="turku", title="Turku City Library")
    valmiera = LibraryFactory(slug="valmiera", title="Valmiera Library", country="LV")
    own = PracticeFactory(title="Democracy café", library=turku)
    draft = PracticeFactory(title="Election quiz (draft)", library=turku)
    draft.unpublish()
    PracticeFactory(title="Valmiera debate night", library=valmiera)
    users = {
        role: grant_role(f"{role}-turku", f"{role}@turku.example", role, "turku").user
        for role in ("partner", "translator", "moderator")
    }
    return {"own": own, **users}


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_partner_sees_her_librarys_pages_drafts_included(client, network):
    content = dashboard(client, network["partner"])

    assert "My library’s pages" in content
    assert "Democracy café" in content and "Election quiz (draft)" in content
    assert "Valmiera debate night" not in content
    assert "Turku City Library" in content  # her library's own page
    assert "3 pages in all; the most recently edited first." in content


def test_translations_waiting_counts_what_needs_a_person(client, network):
    original = network["own"]
    translate(original, "fi", title="Demokratiakahvila")
    original.title = "Democracy café, revised"
    original.save_revision().publish()

    content = dashboard(client, network["translator"])

    assert "Translations waiting" in content
    assert "1 outdated translation" in content
    assert "Democracy café, revised" in content
    assert "Update the translation" in content


def test_nothing_waiting_is_said_plainly(client, network):
    content = dashboard(client, network["translator"])

    assert "Nothing is waiting: every translation is reviewed, up to date and published." in content


def test_the_search_service_panel_shows_open_circuits_to_those_who_run_the_site(
    client, network, settings
):
    from django.utils import timezone

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    assert "Elasticsearch answers the site’s searches." in dashboard(client, network["moderator"])

    now = timezone.now()
    OpenCircuit.objects.create(
        process="web-1:4242",
        opened_at=now,
        failures=3,
        last_error="Elasticsearch search: ConnectionTimeout",
        next_probe_at=now,
    )
    content = dashboard(client, network["moderator"])
    assert "Elasticsearch is not answering in 1 server process" in content
    assert "web-1:4242" in content and "ConnectionTimeout" in content
    assert "Search service" not in dashboard(client, network["partner"])
