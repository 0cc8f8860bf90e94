"""kb_setup_roles and kb_add_user: the groups, their permissions, and the people in them."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Workflow,
    WorkflowPage,
)

from practices.models import CaseStudyIndexPage, LibraryIndexPage, PracticeIndexPage
from practices.roles import MODERATOR, PARTNER_EDITOR, REVIEW_TASK_NAME, TRANSLATOR, roles_of
from tests.factories import LibraryFactory, translate

pytestmark = pytest.mark.django_db


def run(command, *args, **options) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def page_permissions(group_name):
    return set(
        GroupPagePermission.objects.filter(group__name=group_name).values_list(
            "page__locale__language_code", "page__content_type__model", "permission__codename"
        )
    )


def test_setup_roles_gives_each_role_its_sections_in_every_language(db):
    output = run("kb_setup_roles")

    languages = set(Locale.objects.values_list("language_code", flat=True))
    assert len(languages) == 6
    partner = page_permissions(PARTNER_EDITOR)
    assert partner == {
        (language, index, "add_page")
        for language in languages
        for index in ("practiceindexpage", "casestudyindexpage")
    }
    assert page_permissions(TRANSLATOR) == partner
    moderator = page_permissions(MODERATOR)
    assert ("fi", "meetingindexpage", "publish_page") in moderator
    assert ("sv", "libraryindexpage", "change_page") in moderator
    assert not any(codename == "publish_page" for *_, codename in partner)
    assert "Partner editor: 12 page permissions" in output


def test_setup_roles_sets_snippet_translation_and_media_permissions(db):
    run("kb_setup_roles")

    def codenames(name):
        group = Group.objects.get(name=name)
        return set(group.permissions.values_list("codename", flat=True))

    assert {"access_admin", "add_theme", "delete_format", "submit_translation"} <= codenames(
        MODERATOR
    )
    assert {"access_admin", "change_theme", "submit_translation"} <= codenames(TRANSLATOR)
    assert "add_theme" not in codenames(TRANSLATOR)
    assert codenames(PARTNER_EDITOR) == {"access_admin"}
    partner_media = set(
        GroupCollectionPermission.objects.filter(group__name=PARTNER_EDITOR).values_list(
            "permission__codename", flat=True
        )
    )
    assert partner_media == {"add_image", "choose_image", "add_document", "choose_document"}


def test_setup_roles_creates_the_network_review_workflow(db):
    run("kb_setup_roles")

    workflow = Workflow.objects.get(name="Network review")
    task = GroupApprovalTask.objects.get(name=REVIEW_TASK_NAME)
    assert [t.pk for t in workflow.tasks] == [task.pk]
    assert list(task.groups.values_list("name", flat=True)) == [MODERATOR]
    assert set(WorkflowPage.objects.filter(workflow=workflow).values_list("page", flat=True)) == {
        *PracticeIndexPage.objects.values_list("pk", flat=True),
        *CaseStudyIndexPage.objects.values_list("pk", flat=True),
    }
    assert not WorkflowPage.objects.filter(
        page__in=LibraryIndexPage.objects.all(), workflow=workflow
    ).exists()


def test_setup_roles_can_run_again_without_duplicating_anything(db):
    run("kb_setup_roles")
    counts = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Workflow.objects.count(),
        GroupApprovalTask.objects.count(),
        WorkflowPage.objects.count(),
    )

    run("kb_setup_roles")

    assert counts == (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Workflow.objects.count(),
        GroupApprovalTask.objects.count(),
        WorkflowPage.objects.count(),
    )


@pytest.fixture
def roles_and_library(db):
    run("kb_setup_roles")
    return LibraryFactory(slug="valmiera", title="Valmiera Library", country="LV")


def test_add_user_creates_a_partner_of_a_library_with_a_one_time_password(
    client, roles_and_library
):
    output = run(
        "kb_add_user", "ilze", email="ilze@valmiera.example", library="valmiera", role="partner"
    )

    user = get_user_model().objects.get(username="ilze")
    roles = roles_of(user)
    assert roles.partner and not roles.translator and not roles.moderator
    assert roles.library_keys == {"valmiera"}
    assert user.email == "ilze@valmiera.example" and not user.is_superuser
    password = re.search(r"password[^:]*: (\S+)", output).group(1)
    assert client.login(username="ilze", password=password)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_the_library_link_works_in_every_language(roles_and_library):
    finnish = translate(roles_and_library, "fi", title="Valmieran kirjasto")
    run("kb_add_user", "ilze", email="ilze@valmiera.example", library="valmiera", role="partner")

    user = get_user_model().objects.get(username="ilze")
    assert finnish.slug in roles_of(user).library_keys


def test_add_user_updates_an_existing_user_and_roles_add_up(roles_and_library):
    run("kb_add_user", "ilze", email="old@valmiera.example", library="valmiera", role="partner")
    password_hash = get_user_model().objects.get(username="ilze").password

    output = run(
        "kb_add_user", "ilze", email="ilze@valmiera.example", library="valmiera", role="translator"
    )

    user = get_user_model().objects.get(username="ilze")
    assert user.email == "ilze@valmiera.example"
    assert user.password == password_hash  # an update does not reset the password
    assert "password" not in output.lower()
    roles = roles_of(user)
    assert roles.partner and roles.translator
    assert user.groups.filter(name="Library: valmiera").count() == 1


def test_add_user_can_send_the_set_password_email_instead(roles_and_library):
    output = run(
        "kb_add_user",
        "ilze",
        email="ilze@valmiera.example",
        library="valmiera",
        role="partner",
        send_email=True,
    )

    user = get_user_model().objects.get(username="ilze")
    assert not user.has_usable_password()
    assert "ilze@valmiera.example" in output
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ilze@valmiera.example"]
    assert "/admin/password_reset/confirm/" in message.body


def test_add_user_refuses_a_library_that_does_not_exist(roles_and_library):
    with pytest.raises(CommandError, match="no library with the key 'atlantis'"):
        run("kb_add_user", "ilze", email="i@example.org", library="atlantis", role="partner")

    assert not get_user_model().objects.filter(username="ilze").exists()


def test_a_partner_needs_a_library(roles_and_library):
    with pytest.raises(CommandError, match="needs --library"):
        run("kb_add_user", "ilze", email="i@example.org", role="partner")


def test_moderators_and_translators_need_no_library(roles_and_library):
    run("kb_add_user", "anna", email="anna@example.org", role="moderator")

    assert roles_of(get_user_model().objects.get(username="anna")).moderator


def test_add_user_sets_up_the_roles_when_nobody_has_yet(db):
    LibraryFactory(slug="valmiera")

    output = run("kb_add_user", "ilze", email="i@example.org", library="valmiera", role="partner")

    assert "The roles were not set up yet: they are now" in output
    roles = roles_of(get_user_model().objects.get(username="ilze"))
    assert roles.partner and roles.library_keys == {"valmiera"}
    assert page_permissions(PARTNER_EDITOR)


def test_add_user_refuses_an_unknown_role(roles_and_library):
    with pytest.raises(CommandError):
        run("kb_add_user", "ilze", email="i@example.org", library="valmiera", role="editor")


def test_bootstrap_sets_up_the_roles_so_that_people_can_be_added_at_once(db):
    output = run("kb_bootstrap", "--no-demo")

    assert "Roles ready: Moderator, Partner editor, Translator" in output
    assert page_permissions(MODERATOR) and page_permissions(PARTNER_EDITOR)
    run("kb_add_user", "anna", email="anna@example.org", role="moderator")
    assert roles_of(get_user_model().objects.get(username="anna")).moderator
