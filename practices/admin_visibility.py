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
    # As a subquery on the primary key: Wagtail's search backends take no other filters.
    seen = Page.objects.filter(publicly_visible() | own_library(user))
    return pages.filter(pk__in=seen.values("pk"))


def may_see(user, page_id) -> bool:
    return visible_in_admin(user, Page.objects.filter(pk=page_id)).exists()


class NetworkPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy, exploring only what `visible_in_admin` allows."""

    def explorable_instances(self, user):
        return visible_in_admin(user, super().explorable_instances(user))


# Views that show one page's title before listing anything: the explorer of a page and the
# chooser's view of a page's children.
_VIEWS_OF_ONE_PAGE = {
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_choose_page_child",
}


class HideUnseenPagesMiddleware:
    """Not found, rather than its title, for the explorer of a page the user may not see."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        page_id = view_kwargs.get("parent_page_id")
        match = request.resolver_match
        if page_id is None or match is None or match.url_name not in _VIEWS_OF_ONE_PAGE:
            return None
        if not may_see(request.user, page_id):
            raise Http404
        return None
