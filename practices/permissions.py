"""Who may do what to a practice or a case study.

Wagtail's group page permissions say where a role works: moderators, partner editors and
translators all hold permissions on the practice and case-study index pages of every
language. Within those sections, this module decides which pages:

- whoever can publish there (moderators, superusers) keeps Wagtail's ordinary rules;
- a partner editor edits, deletes (while not live), unpublishes, copies and moves only the
  pages of their own library, and never publishes: they submit to the "Network review"
  workflow;
- a translator edits only translations (any version but the original), and never publishes.

A page's library is its original's (the first version of the page, whatever language it was
written in), as stored in the database: a draft cannot hand a page to another library, and a
translation cannot be claimed by changing its own library field.

Every admin view (edit, preview, history, revisions, copy, move, delete, unpublish, bulk
actions, workflow, wagtail-localize's translation editor) asks the page's
`permissions_for_user`, which the models get from `LibraryPermissionsMixin`."""

from __future__ import annotations

from django.utils.functional import cached_property
from wagtail.models import PagePermissionTester
from wagtail.permissions import page_permission_policy
from wagtail.snippets.permissions import get_permission_name

from practices.roles import own_library_pages, roles_of


class LibraryPagePermissionTester(PagePermissionTester):
    """A PagePermissionTester for pages that belong to a library (a `library` foreign key)."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.roles = roles_of(user)

    # Who is bound by the library rules --------------------------------------------------

    @cached_property
    def restricted(self) -> bool:
        """Partners and translators, unless they may publish here (then they are reviewers)."""
        if not self.user.is_active or self.user.is_superuser:
            return False
        return self.roles.restricted and "publish" not in self.permissions

    @cached_property
    def in_section(self) -> bool:
        """The user's groups open this part of the tree to them at all."""
        return bool(self.permissions & {"add", "change"})

    @property
    def _original(self) -> tuple[int | None, str | None]:
        """(id, library key) of the page's first version, the one every translation comes from.

        Kept on the page object: a listing asks several testers about the same row."""
        cached = getattr(self.page, "_library_original", None)
        if cached is None:
            model = self.page.specific_class
            row = None
            if model is not None:
                row = (
                    model.objects.filter(translation_key=self.page.translation_key)
                    .order_by("pk")
                    .values_list("pk", "library__slug")
                    .first()
                )
            cached = row or (None, None)
            self.page._library_original = cached
        return cached

    @property
    def library_key(self) -> str | None:
        return self._original[1]

    @cached_property
    def is_translation(self) -> bool:
        original_id = self._original[0]
        return original_id is not None and original_id != self.page.pk

    @cached_property
    def is_own(self) -> bool:
        """The page belongs to a library of this partner editor."""
        return (
            self.roles.partner
            and self.library_key is not None
            and self.library_key in self.roles.library_keys
        )

    def _anything_live(self) -> bool:
        if self.page.live:
            return True
        return not self.page.is_leaf() and self.page.get_descendants().live().exists()

    def _may_work_on(self) -> bool:
        if self.page_is_root or not self.in_section:
            return False
        return self.is_own or (self.roles.translator and self.is_translation)

    # The tests Wagtail's views ask ------------------------------------------------------

    def can_edit(self):
        if not self.restricted:
            return super().can_edit()
        return self._may_work_on()

    def can_view_revisions(self):
        if not self.restricted:
            return super().can_view_revisions()
        return self.can_edit()

    def can_delete(self, ignore_bulk=False):
        if not self.restricted:
            return super().can_delete(ignore_bulk=ignore_bulk)
        # Like any Wagtail editor without publish permission: only what is not live.
        return self.in_section and self.is_own and not self._anything_live()

    def can_unpublish(self):
        if not self.restricted:
            return super().can_unpublish()
        # Taking one's own library's page offline puts nothing unreviewed online.
        return self.in_section and self.is_own and self.page.live and not self.page_locked()

    def can_publish(self):
        if not self.restricted:
            return super().can_publish()
        return False

    def can_publish_subpage(self):
        if not self.restricted:
            return super().can_publish_subpage()
        return False

    def can_submit_for_moderation(self):
        if not self.restricted:
            return super().can_submit_for_moderation()
        return self.can_edit() and super().can_submit_for_moderation()

    def can_copy(self):
        if not self.restricted:
            return super().can_copy()
        # A translator's copy would be a new original: translators do not create those.
        return self.in_section and self.is_own

    def can_move_to(self, destination):
        if self.restricted and destination.locale_id != self.page.locale_id:
            # Moving to another language's index would break the page away from its
            # translations; that is a moderator's decision.
            return False
        return super().can_move_to(destination)


class LibraryPermissionsMixin:
    """For page models with a `library` foreign key: library-aware permissions."""

    def permissions_for_user(self, user):
        return LibraryPagePermissionTester(user, self)


# Rules the hooks and views share ----------------------------------------------------------


def is_reviewer(user) -> bool:
    """Superusers and whoever may publish pages somewhere (the moderators)."""
    return user.is_active and page_permission_policy.user_has_permission(user, "publish")


def restricted_at(user, page) -> bool:
    """Whether the library rules bind this user on `page` and the pages under it."""
    if not user.is_active or user.is_superuser or not roles_of(user).restricted:
        return False
    return not page_permission_policy.user_has_permission_for_instance(user, "publish", page)


def may_create_pages(user) -> bool:
    """Translators (who are not also partners) never create pages of their own."""
    roles = roles_of(user)
    return not roles.restricted or roles.partner


def library_choices(user, locale=None):
    """The library pages a restricted user may attribute a page to: their libraries'."""
    pages = own_library_pages(user)
    return pages.filter(locale=locale) if locale is not None else pages


def default_library(user, locale):
    """The user's library in `locale`, else in its own language; None unless exactly one."""
    roles = roles_of(user)
    if len(roles.library_keys) != 1:
        return None
    in_locale = library_choices(user, locale).first()
    return in_locale or library_choices(user).order_by("pk").first()


def may_attribute_to(user, page, library_id) -> bool:
    """A restricted user may leave a page's library as it is or set it to one of their own."""
    if library_id in (None, ""):
        return False
    try:
        library_id = int(library_id)
    except (TypeError, ValueError):
        return False
    if page is not None and page.pk:
        current = type(page).objects.filter(pk=page.pk).values_list("library_id", flat=True)
        if library_id == current.first():
            return True
    return library_choices(user).filter(pk=library_id).exists()


def user_can_translate_page(user, page) -> bool:
    """Whether the user may start or sync translations of `page` with wagtail-localize.

    wagtail-localize itself only asks for the global "submit translation" permission; here the
    user must also work in that part of the tree: as a publisher there, or as a translator."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("wagtail_localize.submit_translation"):
        return False
    if page_permission_policy.user_has_permission_for_instance(user, "publish", page):
        return True
    works_here = page_permission_policy.user_has_any_permission_for_instance(
        user, {"add", "change"}, page
    )
    return roles_of(user).translator and works_here


def user_can_translate_snippet(user, model) -> bool:
    return user.is_active and (
        user.is_superuser
        or (
            user.has_perm("wagtail_localize.submit_translation")
            and user.has_perm(get_permission_name("change", model))
        )
    )


def is_original(instance) -> bool:
    """Whether `instance` is the first version of its translation group (not a translation)."""
    first_id = (
        type(instance)
        ._default_manager.filter(translation_key=instance.translation_key)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return first_id == instance.pk
