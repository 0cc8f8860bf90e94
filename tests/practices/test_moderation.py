"""The "Network review" workflow: a partner submits, a moderator approves or asks for changes,
and only then does the page go live."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from practices.models import CaseStudyPage, PracticeIndexPage
from practices.roles import REVIEW_TASK_NAME, WORKFLOW_NAME, grant_role, setup_roles
from tests.factories import CaseStudyFactory, LibraryFactory, PracticeFactory, case_study_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    setup_roles()
    turku = LibraryFactory(slug="turku", title="Turku City Library")
    users = {
        role: grant_role(f"{role}-turku", f"{role}@turku.example", role, "turku").user
        for role in ("partner", "translator", "moderator")
    }
    return {"turku": turku, **users}


@pytest.fixture
def draft(network):
    """A case study of the partner's library that has never been published."""
    page = CaseStudyFactory(library=network["turku"], title="Story hour for voters")
    page.unpublish()
    page.refresh_from_db()
    return page


def submit(client, user, page):
    client.force_login(user)
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        case_study_form(page, **{"action-submit": "1"}),
    )


def task_state_of(page) -> TaskState:
    return page.current_workflow_task_state.specific


def act(client, user, page, action, **data):
    client.force_login(user)
    task_state = task_state_of(page)
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk]),
        data,
    )


def test_practices_and_case_studies_of_every_language_go_through_network_review(network):
    for page in (PracticeFactory(), PracticeFactory(locale="fi"), CaseStudyFactory(locale="lv")):
        workflow = page.get_workflow()
        assert workflow.name == WORKFLOW_NAME
        assert [task.name for task in workflow.tasks] == [REVIEW_TASK_NAME]


def test_a_partners_submission_waits_for_a_moderator(client, network, draft):
    response = submit(client, network["partner"], draft)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.workflow_in_progress and not draft.live
    assert task_state_of(draft).task.name == REVIEW_TASK_NAME


def test_moderators_are_told_by_email_of_a_submission(client, network, draft):
    mail.outbox.clear()

    submit(client, network["partner"], draft)

    recipients = {address for message in mail.outbox for address in message.to}
    assert "moderator@turku.example" in recipients
    assert "partner@turku.example" not in recipients


def test_the_dashboard_shows_moderators_what_awaits_their_review(client, network, draft):
    submit(client, network["partner"], draft)

    client.force_login(network["moderator"])
    moderator_dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(network["translator"])
    translator_dashboard = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Awaiting your review" in moderator_dashboard
    assert "Story hour for voters" in moderator_dashboard
    assert "Awaiting your review" not in translator_dashboard


def test_a_moderator_approves_and_the_page_goes_live(client, network, draft):
    submit(client, network["partner"], draft)

    act(client, network["moderator"], draft, "approve")

    draft.refresh_from_db()
    assert draft.live and not draft.workflow_in_progress
    assert draft.live_revision.user == network["partner"]


def test_a_moderator_asks_for_changes_with_a_comment(client, network, draft):
    submit(client, network["partner"], draft)
    task_state = task_state_of(draft)

    act(client, network["moderator"], draft, "reject", comment="Add the number of participants.")

    task_state.refresh_from_db()
    draft.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == "Add the number of participants."
    assert WorkflowState.objects.get(pk=task_state.workflow_state_id).status == (
        WorkflowState.STATUS_NEEDS_CHANGES
    )
    assert not draft.live


def test_after_changes_the_partner_resubmits_and_the_moderator_publishes(client, network, draft):
    submit(client, network["partner"], draft)
    act(client, network["moderator"], draft, "reject", comment="Add the number of participants.")

    client.force_login(network["partner"])
    client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        case_study_form(draft, participants="24", **{"action-restart-workflow": "1"}),
    )
    draft.refresh_from_db()
    assert draft.workflow_in_progress
    act(client, network["moderator"], draft, "approve")

    draft.refresh_from_db()
    assert draft.live and draft.participants == 24


@pytest.mark.parametrize("role", ["partner", "translator"])
def test_only_moderators_can_approve(client, network, draft, role):
    submit(client, network["partner"], draft)

    act(client, network[role], draft, "approve")

    draft.refresh_from_db()
    assert not draft.live and draft.workflow_in_progress


def test_a_page_in_review_is_locked_for_its_partner(client, network, draft):
    submit(client, network["partner"], draft)

    client.force_login(network["partner"])
    client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        case_study_form(draft, title="Changed while in review"),
    )

    draft.refresh_from_db()
    assert draft.get_latest_revision().content["title"] == "Story hour for voters"


def test_a_partners_new_practice_is_submitted_not_published(client, network):
    index = PracticeIndexPage.objects.get(locale__language_code="en")
    client.force_login(network["partner"])

    response = client.get(
        reverse("wagtailadmin_pages:add", args=["practices", "practicepage", index.pk])
    )

    html = response.content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html


def test_a_moderator_can_still_publish_directly(client, network):
    page = CaseStudyFactory()
    page.unpublish()
    client.force_login(network["moderator"])

    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        case_study_form(CaseStudyPage.objects.get(pk=page.pk), **{"action-publish": "1"}),
    )

    page.refresh_from_db()
    assert page.live
