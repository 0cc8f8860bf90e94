""" "Adapt this method for my library": a partner's draft case study, one click from a practice."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from practices.models import CaseStudyPage
from practices.roles import grant_role, setup_roles
from tests.factories import LibraryFactory, PracticeFactory, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    setup_roles()
    turku = LibraryFactory(slug="turku", title="Turku City Library")
    valmiera = LibraryFactory(slug="valmiera", title="Valmiera Library", locale="lv")
    return {
        "turku": turku,
        "valmiera": valmiera,
        "partner": grant_role("paula", "paula@turku.example", "partner", "turku").user,
        "latvian partner": grant_role("ilze", "ilze@valmiera.example", "partner", "valmiera").user,
        "translator": grant_role("tove", "tove@example.org", "translator", "turku").user,
        "moderator": grant_role("mia", "mia@example.org", "moderator", "turku").user,
    }


@pytest.fixture
def practice(network):
    return PracticeFactory(title="Debate night", library=network["valmiera"])


def adapt_url(practice):
    return reverse("practices_adapt", args=[practice.pk])


def test_a_partner_gets_a_draft_case_study_of_their_library_in_the_editor(
    client, network, practice
):
    client.force_login(network["partner"])

    response = client.post(adapt_url(practice))

    case_study = CaseStudyPage.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[case_study.pk])
    assert case_study.title == "Debate night in Turku City Library"
    assert case_study.practice == practice and case_study.library == network["turku"]
    assert case_study.stage == "tried" and case_study.date == timezone.localdate()
    assert not case_study.live and case_study.get_latest_revision() is not None
    assert case_study.owner == network["partner"]
    assert case_study.get_parent().specific_class.__name__ == "CaseStudyIndexPage"
    assert case_study.locale.language_code == "en"
    assert client.get(response.url).status_code == 200  # theirs to edit


def test_the_case_study_is_written_in_the_librarys_language(client, network, practice):
    latvian_practice = translate(practice, "lv", title="Debašu vakars")
    client.force_login(network["latvian partner"])

    client.post(adapt_url(practice))

    case_study = CaseStudyPage.objects.get()
    assert case_study.locale.language_code == "lv"
    assert case_study.get_parent().locale.language_code == "lv"
    assert case_study.practice == latvian_practice
    assert case_study.title.startswith("Debašu vakars")


def test_the_case_study_goes_to_review_not_online(client, network, practice):
    client.force_login(network["partner"])
    client.post(adapt_url(practice))

    case_study = CaseStudyPage.objects.get()
    assert case_study.get_workflow().name == "Network review"
    assert not case_study.permissions_for_user(network["partner"]).can_publish()


def test_adapting_twice_gives_two_drafts(client, network, practice):
    client.force_login(network["partner"])

    client.post(adapt_url(practice))
    client.post(adapt_url(practice))

    slugs = sorted(CaseStudyPage.objects.values_list("slug", flat=True))
    assert slugs == ["debate-night-in-turku-city-library", "debate-night-in-turku-city-library-2"]


def test_a_moderator_of_a_library_may_adapt_too(client, network, practice):
    client.force_login(network["moderator"])

    client.post(adapt_url(practice))

    assert CaseStudyPage.objects.get().library == network["turku"]


def test_translators_cannot_adapt(client, network, practice):
    client.force_login(network["translator"])

    response = client.post(adapt_url(practice))

    assert response.status_code in (302, 403) and not CaseStudyPage.objects.exists()


def test_adapting_needs_a_post(client, network, practice):
    client.force_login(network["partner"])

    assert client.get(adapt_url(practice)).status_code == 405
    assert not CaseStudyPage.objects.exists()


def test_adapting_needs_the_csrf_token(network, practice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(network["partner"])

    assert client.post(adapt_url(practice)).status_code == 403
    assert not CaseStudyPage.objects.exists()


def test_visitors_are_sent_to_log_in(client, practice):
    response = client.post(adapt_url(practice))

    assert response.status_code == 302 and "login" in response.url
    assert not CaseStudyPage.objects.exists()


def test_only_published_practices_can_be_adapted(client, network, practice):
    practice.unpublish()
    client.force_login(network["partner"])

    assert client.post(adapt_url(practice)).status_code == 404


def test_a_partner_of_two_libraries_chooses_one(client, network, practice):
    grant_role("paula", "paula@turku.example", "partner", "valmiera")
    client.force_login(network["partner"])

    client.post(adapt_url(practice))
    assert not CaseStudyPage.objects.exists()

    client.post(adapt_url(practice), {"library": "valmiera"})
    assert CaseStudyPage.objects.get().library == network["valmiera"]


def test_a_partner_cannot_adapt_for_someone_elses_library(client, network, practice):
    client.force_login(network["partner"])

    response = client.post(adapt_url(practice), {"library": "valmiera"})

    assert response.status_code in (302, 403) and not CaseStudyPage.objects.exists()


# The button ----------------------------------------------------------------------------


def render_button(page, user):
    request = RequestFactory().get(page.url)
    request.user = user
    template = Template("{% load partner_tags %}{% adapt_button page %}")
    return template.render(Context({"request": request, "page": page, "csrf_token": "t0ken"}))


def test_the_button_posts_to_the_adaptation_with_the_csrf_token(network, practice):
    html = render_button(practice, network["partner"])

    assert f'action="{adapt_url(practice)}"' in html
    assert 'method="post"' in html and "t0ken" in html
    assert "Adapt this method for my library" in html
    assert "<select" not in html


def test_a_partner_of_two_libraries_gets_a_choice(network, practice):
    grant_role("paula", "paula@turku.example", "partner", "valmiera")

    html = render_button(practice, network["partner"].__class__.objects.get(username="paula"))

    assert '<option value="turku">' in html and '<option value="valmiera">' in html


@pytest.mark.parametrize("who", ["translator", "visitor"])
def test_no_button_for_anyone_else(network, practice, who):
    user = AnonymousUser() if who == "visitor" else network[who]

    assert "Adapt" not in render_button(practice, user)
