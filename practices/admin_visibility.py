"""What a partner editor sees of the network in the admin: the pages she may edit (her
library's) and what is public, nothing more, so that another library's unpublished work does
not show its title anywhere: the explorer and its search, the page chooser, the admin API,
site history, bulk-action confirmations, the translation status board.

Wagtail asks its registered page permission policy which pages a user may explore; the policy
here is Wagtail's with that rule added, so every admin view that lists pages applies it, and
our own views (`languages.admin_views`) ask the same policy. Moderators, translators (who
translate any entry) and superusers see everything, as before."""

from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .browse import publicly_visible
from .permissions import is_reviewer
from .roles import roles_of


def sees_public_and_own_only(user) -> bool:
    roles = roles_of(user)
    return (
        user.is_authenticated
        and roles.partner
        and not roles.translator
        and not user.is_superuser
        and not is_reviewer(user)
    )


def own_library(user) -> Q:
    """Pages of the user's libraries (their practices, case studies and library pages)."""
    keys = roles_of(user).library_keys
    return (
        Q(practicepage__library__slug__in=keys)
        | Q(casestudypage__library__slug__in=keys)
        | Q(librarypage__slug__in=keys)
    )


def visible_in_admin(user, pages: QuerySet) -> QuerySet:
    if not sees_public_and_own_only(user):
        return pages
    return pages.filter(in_pages(publicly_visible() | own_library(user)))


def in_pages(condition: Q) -> Q:
    """`condition` as a subquery on the primary key: Wagtail's search backends take no other
    filters on the querysets they search."""
    return Q(pk__in=Page.objects.filter(condition).values("pk"))


def may_see(user, page_id) -> bool:
    if not sees_public_and_own_only(user):
        return True
    if not str(page_id).isdigit():
        return False
    return visible_in_admin(user, Page.objects.filter(pk=page_id)).exists()


class NetworkPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy, exploring only what `visible_in_admin` allows."""

    def explorable_instances(self, user):
        return visible_in_admin(user, super().explorable_instances(user))


# Views that show the title of the page(s) they are given, not of a listing: the explorer of
# a page, the chooser's view of a page's children, and what the chooser says of chosen pages.
_VIEWS_OF_ONE_PAGE = {
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_choose_page_child",
}
_VIEWS_OF_CHOSEN_PAGES = {"wagtailadmin_choose_page_chosen_multiple"}


class HideUnseenPagesMiddleware:
    """Not found, rather than titles, for the views above when a page they are given is one
    the user may not see."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        name = match.url_name if match else None
        if name in _VIEWS_OF_ONE_PAGE and "parent_page_id" in view_kwargs:
            page_ids = [view_kwargs["parent_page_id"]]
        elif name in _VIEWS_OF_CHOSEN_PAGES:
            page_ids = request.GET.getlist("id")
        else:
            return None
        if not all(may_see(request.user, page_id) for page_id in page_ids):
            raise Http404
        return None
