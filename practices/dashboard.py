"""The admin dashboard's panel for partner editors: their library's pages."""

from wagtail.admin.ui.components import Component
from wagtail.models import Page

from .admin_visibility import own_library
from .roles import roles_of

SHOWN = 10


def library_pages(user):
    """The pages of the user's libraries (`own_library`), in every language, most recently
    edited first."""
    if not roles_of(user).library_keys:
        return Page.objects.none()
    return (
        Page.objects.filter(own_library(user))
        .exclude(alias_of__isnull=False)
        .order_by("-latest_revision_created_at", "-pk")
    )


class MyLibraryPagesPanel(Component):
    name = "my_library_pages"
    template_name = "practices/admin/my_library_pages_panel.html"
    order = 120

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        pages = library_pages(self.user)
        context.update(
            pages=list(pages.specific().prefetch_workflow_states()[:SHOWN]),
            total=pages.count(),
        )
        return context
