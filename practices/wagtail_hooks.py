from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import Page
from wagtail.permissions import page_permission_policy, register_permission_policy
from wagtail.signals import init_new_page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.permissions import get_permission_name
from wagtail.snippets.views.snippets import (
    SnippetViewSet,
    SnippetViewSetGroup,
    get_snippet_model_from_url_params,
)
from wagtail_localize.models import TranslationSource
from wagtail_localize.tasks import background
from wagtail_localize.views.submit_translations import (
    SubmitPageTranslationView,
    SubmitSnippetTranslationView,
)
from wagtail_localize.views.update_translations import UpdateTranslationsView

from languages.groups import shown_versions

from . import adaptation, contact_admin, vocabulary_translation
from .admin_visibility import (
    NetworkPagePermissionPolicy,
    in_pages,
    own_library,
    sees_public_and_own_only,
    visible_in_admin,
)
from .dashboard import MyLibraryPagesPanel
from .models import (
    Audience,
    CaseStudyIndexPage,
    Format,
    LibraryPage,
    PracticeIndexPage,
    Theme,
)
from .models.taxonomy import Term
from .permissions import (
    LibraryPermissionsMixin,
    default_library,
    is_original,
    is_reviewer,
    may_attribute_to,
    may_create_pages,
    restricted_at,
    user_can_translate_page,
    user_can_translate_snippet,
)
from .roles import roles_of

# Every admin view that lists pages asks the registered page policy what a user may explore.
register_permission_policy(Page, NetworkPagePermissionPolicy(Page))
register_permission_policy(
    contact_admin.ContactMessage,
    contact_admin.ModeratorsReadOnlyPolicy(contact_admin.ContactMessage),
)


class TermViewSet(SnippetViewSet):
    list_display = ["label", "slug", "locale"]
    search_fields = ["label"]
    ordering = ["label"]


class ThemeViewSet(TermViewSet):
    model = Theme
    icon = "tag"


class AudienceViewSet(TermViewSet):
    model = Audience
    icon = "group"


class FormatViewSet(TermViewSet):
    model = Format
    icon = "form"


class VocabularyGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, AudienceViewSet, FormatViewSet)
    menu_label = gettext_lazy("Vocabularies")
    menu_icon = "list-ul"
    menu_order = 250


register_snippet(VocabularyGroup)


# Library permissions: creating, editing, copying, moving and deleting pages ---------------
#
# The page models' permission tester (practices.permissions) already answers every view;
# these hooks cover what it cannot see: a page being created (its parent is an index page),
# the library a form assigns, and the listings.


def _is_library_page(page_or_class) -> bool:
    cls = page_or_class if isinstance(page_or_class, type) else page_or_class.specific_class
    return cls is not None and issubclass(cls, LibraryPermissionsMixin)


@hooks.register("before_create_page")
def only_partners_create_their_librarys_pages(request, parent_page, page_class):
    user = request.user
    if not _is_library_page(page_class) or not restricted_at(user, parent_page):
        return None
    if not may_create_pages(user):
        messages.error(request, _("Translators translate pages; they do not create new ones."))
        return redirect("wagtailadmin_explore", parent_page.pk)
    if not roles_of(user).library_keys:
        messages.error(
            request,
            _("Your account is not linked to a library yet. Ask a moderator to add you to one."),
        )
        return redirect("wagtailadmin_explore", parent_page.pk)
    if request.method == "POST":
        library_id = request.POST.get("library")
        if not library_id:
            library = default_library(user, parent_page.locale)
            if library is None:
                # Only a practice may have no library, and a partner cannot edit one that
                # has none: ask them to choose rather than create a page they would lose.
                messages.error(
                    request, _("You belong to several libraries: choose this page's library.")
                )
                return redirect("wagtailadmin_explore", parent_page.pk)
            # The form is bound to the request's data: give it the partner's library.
            data = request.POST.copy()
            data["library"] = str(library.pk)
            request.POST = data
        elif not may_attribute_to(user, None, library_id):
            raise PermissionDenied
    return None


@receiver(init_new_page)
def preset_partners_library(sender, page, parent, **kwargs):
    """A partner's new practice or case study starts as their library's."""
    owner = getattr(page, "owner", None)
    if (
        owner is None
        or not _is_library_page(type(page))
        or page.library_id
        or not restricted_at(owner, parent)
    ):
        return
    library = default_library(owner, parent.locale)
    if library is not None:
        page.library = library


@hooks.register("before_edit_page")
def keep_pages_in_their_library(request, page):
    """A restricted user cannot hand a page to a library that is not theirs. (The POSTs of
    wagtail-localize's translation editor carry no form fields and pass through.)"""
    if request.method != "POST" or not _is_library_page(page):
        return None
    if not ("title" in request.POST or "library" in request.POST):
        return None
    if restricted_at(request.user, page) and not may_attribute_to(
        request.user, page, request.POST.get("library")
    ):
        raise PermissionDenied
    return None


def _recheck(permitted):
    """Defence in depth: Wagtail's views ask the tester before these hooks run; asking again
    keeps the rule if a view ever forgets (several Wagtail security fixes were exactly that)."""

    def hook(request, page, *args):
        if _is_library_page(page) and not permitted(page.permissions_for_user(request.user), *args):
            raise PermissionDenied

    return hook


hooks.register("before_copy_page", _recheck(lambda perms: perms.can_copy()))
hooks.register("before_delete_page", _recheck(lambda perms: perms.can_delete()))
hooks.register(
    "before_move_page", _recheck(lambda perms, destination: perms.can_move_to(destination))
)


# Listings: the explorer and the page chooser ------------------------------------------------


@hooks.register("construct_explorer_page_queryset")
def partners_explore_their_librarys_pages(parent_page, pages, request):
    """In the practice and case-study indexes, a partner editor sees their library's pages.
    (Translators see everything: they start translations from there.)"""
    if not issubclass(parent_page.specific_class, (PracticeIndexPage, CaseStudyIndexPage)):
        return pages
    if not sees_public_and_own_only(request.user):
        return pages
    return pages.filter(in_pages(own_library(request.user)))


def other_library_versions() -> list[int]:
    """The library pages a library chooser leaves out: every version of a library but the one
    an editor reads (`shown_version`, in the admin's language), so each is offered once."""
    groups = {}
    for pk, key, code in LibraryPage.objects.values_list(
        "pk", "translation_key", "locale__language_code"
    ):
        groups.setdefault(key, {})[code] = pk
    shown = set(shown_versions(groups).values())
    return [pk for versions in groups.values() for pk in versions.values() if pk not in shown]


CHOOSING_A_DESTINATION = {"move_to", "bulk_move_to", "copy_to", "add_subpage"}


@hooks.register("construct_page_chooser_queryset")
def choose_only_what_a_partner_may_use(pages, request):
    """Linking to any page (a practice from a case study, say) is fine across libraries; but a
    restricted user attributes pages only to their own library, and moves or copies pages only
    to where they may add pages.

    The browse view also lists the pages to navigate through, so it only loses other
    libraries; its destination rows are already greyed out by the permission tester. The
    search view offers every result as choosable, so there the destinations are filtered."""
    user = request.user
    roles = roles_of(user)
    page_types = {name.strip().lower() for name in request.GET.get("page_type", "").split(",")}
    if "practices.librarypage" in page_types:
        pages = pages.exclude(pk__in=other_library_versions())
    if not roles.restricted or is_reviewer(user):
        return pages
    pages = visible_in_admin(user, pages)
    if "practices.librarypage" in page_types:
        others = LibraryPage.objects.exclude(slug__in=roles.library_keys)
        pages = pages.exclude(pk__in=others.values("pk"))
    searching = (
        getattr(request.resolver_match, "url_name", None) == "wagtailadmin_choose_page_search"
    )
    if searching and request.GET.get("user_perms") in CHOOSING_A_DESTINATION:
        addable = page_permission_policy.instances_user_has_permission_for(user, "add")
        pages = pages.filter(pk__in=addable.values("pk"))
    return pages


# Vocabulary terms: moderators edit them, translators translate them -------------------------


@hooks.register("before_edit_snippet")
def translators_edit_only_translated_terms(request, instance):
    if not isinstance(instance, Term) or request.user.is_superuser:
        return None
    if not request.user.has_perm(get_permission_name("add", type(instance))) and is_original(
        instance
    ):
        raise PermissionDenied
    return None


# wagtail-localize's translation views -------------------------------------------------------
#
# wagtail-localize only asks for the global "submit translation" permission before it creates
# or syncs translations (and, from the sync view, publishes them). These subclasses add the
# page-level checks; their URLs are registered ahead of wagtail-localize's own, same paths.


def _translations_follow_source_live_status() -> bool:
    return getattr(settings, "WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE", True)


def _tell_translator(request, report) -> None:
    for level, text in report.messages():
        getattr(messages, level)(request, text)


class TranslatesOnlyTheSubmittedObject:
    """wagtail-localize's submit views with our translation creator: the object (and, if
    asked, the pages under it) is translated; what it points at is linked, never translated
    over (see practices.vocabulary_translation)."""

    @transaction.atomic
    def form_valid(self, form):
        locales = list(form.cleaned_data["locales"])
        user = self.request.user
        report = vocabulary_translation.translate_object(
            self.object, locales, self.components, user
        )
        if isinstance(self.object, Page) and form.cleaned_data["include_subtree"]:
            background.enqueue(
                vocabulary_translation.translate_page_subtree,
                [self.object.id, locales, self.components, user],
                {},
            )
        names = ", ".join(str(locale.get_display_name()) for locale in locales)
        messages.success(self.request, self.get_success_message(names))
        _tell_translator(self.request, report)
        translated = self.object.get_translation(locales[0]) if len(locales) == 1 else None
        return redirect(self.get_success_url() or self.get_default_success_url(translated))


class SubmitPageTranslationWithPermissions(
    TranslatesOnlyTheSubmittedObject, SubmitPageTranslationView
):
    def dispatch(self, request, *args, **kwargs):
        page = get_object_or_404(Page, id=kwargs["page_id"])
        if not user_can_translate_page(request.user, page):
            raise PermissionDenied
        if (
            _translations_follow_source_live_status()
            and not page.permissions_for_user(request.user).can_publish()
            and page.get_descendants(inclusive=True).live().exists()
        ):
            # wagtail-localize would publish the new translations of live pages at once.
            raise PermissionDenied(
                "Set WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False so that new "
                "translations start as drafts."
            )
        return super().dispatch(request, *args, **kwargs)


class SubmitSnippetTranslationWithPermissions(
    TranslatesOnlyTheSubmittedObject, SubmitSnippetTranslationView
):
    def dispatch(self, request, *args, **kwargs):
        model = get_snippet_model_from_url_params(kwargs["app_label"], kwargs["model_name"])
        if not user_can_translate_snippet(request.user, model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UpdateTranslationsWithPermissions(UpdateTranslationsView):
    def dispatch(self, request, *args, **kwargs):
        source = get_object_or_404(TranslationSource, id=kwargs["translation_source_id"])
        try:
            instance = source.get_source_instance()
        except ObjectDoesNotExist as error:
            raise Http404 from error
        if isinstance(instance, Page):
            allowed = user_can_translate_page(request.user, instance)
        else:
            allowed = user_can_translate_snippet(request.user, type(instance))
        if not allowed:
            raise PermissionDenied
        if request.method == "POST" and request.POST.get("publish_translations"):
            for translation in source.translations.filter(enabled=True):
                try:
                    target = translation.get_target_instance()
                except ObjectDoesNotExist:
                    continue
                if (
                    isinstance(target, Page)
                    and not target.permissions_for_user(request.user).can_publish()
                ):
                    raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @transaction.atomic
    def form_valid(self, form):
        """Terms the source has come to point at since it was translated are provided in
        the target languages first, so that the synced translations link them."""
        self.object.update_from_db()
        report = vocabulary_translation.link_related_objects(self.object, self.request.user)
        response = super().form_valid(form)
        _tell_translator(self.request, report)
        return response


@hooks.register("register_admin_urls", order=-1)
def translation_urls_with_permissions():
    return [
        path(
            "localize/submit/page/<int:page_id>/",
            SubmitPageTranslationWithPermissions.as_view(),
        ),
        path(
            "localize/submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/",
            SubmitSnippetTranslationWithPermissions.as_view(),
        ),
        path(
            "localize/update/<int:translation_source_id>/",
            UpdateTranslationsWithPermissions.as_view(),
        ),
    ]


# "Adapt this method for my library" -------------------------------------------------------


@hooks.register("register_admin_urls")
def adaptation_urls():
    return [
        path("adapt/<int:practice_id>/", adaptation.adapt_practice, name="practices_adapt"),
    ]


@hooks.register("construct_homepage_panels")
def add_my_library_pages_panel(request, panels):
    if roles_of(request.user).library_keys:
        panels.append(MyLibraryPagesPanel(request.user))


@hooks.register("register_admin_viewset")
def register_contact_messages():
    return contact_admin.contact_message_viewset
