"""The visitors' contact messages in the Wagtail admin: moderators (and superusers) read them,
filter them by delivery status and forward those that could not be delivered. Nobody edits,
adds or deletes them there: a message is a record of what a visitor wrote."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from .models.contact import ContactMessage
from .roles import MODERATOR, roles_of


def may_read_contact_messages(user) -> bool:
    """Visitors' messages hold personal data: moderators and superusers only."""
    if not getattr(user, "is_active", False):
        return False
    return user.is_superuser or roles_of(user).moderator


class ModeratorsReadOnlyPolicy(BasePermissionPolicy):
    """ "view" for moderators and superusers; no other action for anyone."""

    def user_has_permission(self, user, action):
        return action == "view" and may_read_contact_messages(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and may_read_contact_messages(user)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if "view" not in actions:
            return users.none()
        return users.filter(Q(is_superuser=True) | Q(groups__name=MODERATOR)).distinct()


class ContactMessageViewSet(ModelViewSet):
    model = ContactMessage
    icon = "mail"
    menu_label = _("Contact messages")
    add_to_admin_menu = True
    menu_order = 800
    inspect_view_enabled = True
    # No form edits a message (the policy allows no add, change or delete); Wagtail still
    # builds the add and edit views, which need a form class.
    form_fields = []
    list_display = ["sender_name", "page_title", "recipient_name", "created_at", "status"]
    list_filter = ["status", "language"]
    search_fields = ["sender_name", "sender_email", "sender_organisation", "page_title"]
    inspect_view_fields = [
        "created_at",
        "status",
        "error",
        "page_title",
        "page",
        "recipient_name",
        "language",
        "sender_name",
        "sender_email",
        "sender_organisation",
        "message",
    ]
    ordering = ["-created_at"]


contact_message_viewset = ContactMessageViewSet("contact_messages")
