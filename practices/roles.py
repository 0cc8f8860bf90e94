"""The network's roles, as Django groups with Wagtail permissions.

- Moderator: reviews and publishes anything in the network.
- Partner editor: writes the practices and case studies of their own library; submits them
  for review, never publishes.
- Translator: translates pages and vocabulary terms; never creates source pages, never
  publishes pages.

Which library a user belongs to is a group too, "Library: <key>" (the key is the library
page's slug, the same in every language), so the link needs no model of its own.

Group page permissions say *where* a role works (the index pages of every language); the
permission tester in `practices.permissions` says *which pages there* (their library's, or
translations)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

MODERATOR = "Moderator"
PARTNER_EDITOR = "Partner editor"
TRANSLATOR = "Translator"
LIBRARY_GROUP_PREFIX = "Library: "

ROLE_GROUPS = {"moderator": MODERATOR, "partner": PARTNER_EDITOR, "translator": TRANSLATOR}

WORKFLOW_NAME = "Network review"
REVIEW_TASK_NAME = "Review by a moderator"

# Page permissions per role, on the index pages of every language.
MODERATOR_PAGE_PERMISSIONS = ["add", "change", "publish", "bulk_delete", "lock", "unlock"]
# "add" alone: it opens the section (explorer, create view); the tester decides which pages
# in it a partner or translator may edit. "change" would also open the index page itself.
EDITOR_PAGE_PERMISSIONS = ["add"]

VOCABULARY_MODELS = ["theme", "audience", "format"]

_ROLES_CACHE = "_kb_roles"


def library_group_name(key: str) -> str:
    return f"{LIBRARY_GROUP_PREFIX}{key}"


@dataclass(frozen=True)
class Roles:
    """What a user is in the network, read from their groups."""

    moderator: bool = False
    partner: bool = False
    translator: bool = False
    library_keys: frozenset[str] = frozenset()

    @property
    def restricted(self) -> bool:
        """Partners and translators work under the library and translation rules."""
        return self.partner or self.translator


def roles_of(user) -> Roles:
    """The user's roles, read once per user object (i.e. once per request)."""
    if not getattr(user, "is_authenticated", False):
        return Roles()
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is not None:
        return cached
    names = set(user.groups.values_list("name", flat=True))
    roles = Roles(
        moderator=MODERATOR in names,
        partner=PARTNER_EDITOR in names,
        translator=TRANSLATOR in names,
        library_keys=frozenset(
            name.removeprefix(LIBRARY_GROUP_PREFIX)
            for name in names
            if name.startswith(LIBRARY_GROUP_PREFIX)
        ),
    )
    setattr(user, _ROLES_CACHE, roles)
    return roles


def own_library_pages(user):
    """The library pages (in every language) of the libraries the user belongs to."""
    return _model("LibraryPage").objects.filter(slug__in=roles_of(user).library_keys)


# Setting up the groups ---------------------------------------------------------------------


def _permissions(*natural_keys: str) -> list[Permission]:
    """Permissions named "app_label.codename"."""
    found = []
    for natural_key in natural_keys:
        app_label, codename = natural_key.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def _vocabulary_permissions(*actions: str) -> list[str]:
    return [f"practices.{action}_{model}" for model in VOCABULARY_MODELS for action in actions]


def _synonym_permissions(*actions: str) -> list[str]:
    # The search app's synonym sets (named, not imported: search sits above practices).
    return [f"search.{action}_synonymset" for action in actions]


def _media_permissions(*actions: str) -> list[str]:
    return [
        f"{app}.{action}_{model}"
        for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
        for action in actions
    ]


MODEL_PERMISSIONS = {
    MODERATOR: [
        "wagtailadmin.access_admin",
        "wagtail_localize.submit_translation",
        *_vocabulary_permissions("add", "change", "delete", "view"),
        *_synonym_permissions("add", "change", "delete", "view"),
    ],
    PARTNER_EDITOR: ["wagtailadmin.access_admin"],
    TRANSLATOR: [
        "wagtailadmin.access_admin",
        "wagtail_localize.submit_translation",
        *_vocabulary_permissions("change", "view"),
        *_synonym_permissions("add", "change", "view"),
    ],
}

COLLECTION_PERMISSIONS = {
    MODERATOR: _media_permissions("add", "change", "delete", "choose"),
    PARTNER_EDITOR: _media_permissions("add", "choose"),
    TRANSLATOR: _media_permissions("choose"),
}


def _section_pages():
    """(index pages where moderators work, index pages where partners and translators work),
    in every language."""
    editorial = [
        *_model("PracticeIndexPage").objects.all(),
        *_model("CaseStudyIndexPage").objects.all(),
    ]
    network = [
        *editorial,
        *_model("MeetingIndexPage").objects.all(),
        *_model("LibraryIndexPage").objects.all(),
    ]
    return network, editorial


def _grant_page_permissions(group, pages, actions) -> None:
    from wagtail.models import GroupPagePermission

    permissions = _permissions(*(f"wagtailcore.{action}_page" for action in actions))
    for page in pages:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _grant_collection_permissions(group, natural_keys) -> None:
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    for permission in _permissions(*natural_keys):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )


def setup_review_workflow(moderators: Group):
    """The "Network review" workflow: one approval task for the moderators, on the practice
    and case-study index pages of every language (so on every practice and case study)."""
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
    task.groups.add(moderators)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])

    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    _network, editorial = _section_pages()
    for index_page in editorial:
        WorkflowPage.objects.update_or_create(page=index_page, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def setup_roles() -> dict[str, Group]:
    """Creates or completes the three role groups and the review workflow. Safe to run again:
    it only adds what is missing."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS.values()}
    for name, natural_keys in MODEL_PERMISSIONS.items():
        groups[name].permissions.add(*_permissions(*natural_keys))
    for name, natural_keys in COLLECTION_PERMISSIONS.items():
        _grant_collection_permissions(groups[name], natural_keys)

    network, editorial = _section_pages()
    _grant_page_permissions(groups[MODERATOR], network, MODERATOR_PAGE_PERMISSIONS)
    _grant_page_permissions(groups[PARTNER_EDITOR], editorial, EDITOR_PAGE_PERMISSIONS)
    _grant_page_permissions(groups[TRANSLATOR], editorial, EDITOR_PAGE_PERMISSIONS)

    setup_review_workflow(groups[MODERATOR])
    return groups


# Users -------------------------------------------------------------------------------------


class UnknownLibrary(ValueError):
    pass


class RolesNotSetUp(LookupError):
    pass


def library_exists(key: str) -> bool:
    return _model("LibraryPage").objects.filter(slug=key).exists()


def _model(name: str):
    # Through the app registry: the page models' permissions read this module's roles.
    return apps.get_model("practices", name)


@dataclass
class UserChange:
    user: object
    created: bool
    password: str | None  # set only when a new password was generated


@transaction.atomic
def grant_role(
    username: str, email: str, role: str, library_key: str | None, set_password: bool = True
) -> UserChange:
    """Creates the user or updates their email, and adds them to the role's group and to
    their library's group. Roles add up: a user keeps the roles they already have.

    A new user gets a generated password (returned once) unless `set_password` is false, in
    which case their password is unusable until they set one through the reset link."""
    if role not in ROLE_GROUPS:
        raise ValueError(role)
    if library_key is not None and not library_exists(library_key):
        raise UnknownLibrary(library_key)
    if not Group.objects.filter(name=ROLE_GROUPS[role]).exists():
        raise RolesNotSetUp(ROLE_GROUPS[role])

    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"email": email, "is_active": True}
    )
    password = None
    if created:
        if set_password:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    elif email and user.email != email:
        user.email = email
        user.save(update_fields=["email"])

    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    if library_key is not None:
        library_group, _created = Group.objects.get_or_create(name=library_group_name(library_key))
        user.groups.add(library_group)
    return UserChange(user=user, created=created, password=password)
