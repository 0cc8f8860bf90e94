"""The admin's edit form of the knowledge base's pages."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page
from wagtail.permissions import policy_registry


class KnowledgePageForm(WagtailAdminPageForm):
    """Wagtail's page form, saying which page holds a slug that is taken (often a draft that
    an autosave or an abandoned attempt left behind), with a link to it, instead of only that
    the slug is in use."""

    def clean(self):
        slug = self.cleaned_data.get("slug")
        cleaned_data = super().clean()
        if slug and self.has_error("slug") and self.parent_page is not None:
            holder = self.parent_page.get_children().filter(slug=slug)
            if self.instance.pk:
                holder = holder.exclude(pk=self.instance.pk)
            holder = holder.first()
            if holder is not None:
                self.errors["slug"] = self.error_class([self._slug_taken(slug, holder)])
        return cleaned_data

    def _slug_taken(self, slug, holder):
        user = getattr(self, "for_user", None)
        explorable = policy_registry.get_by_type(Page).explorable_instances
        if user is not None and not explorable(user).filter(pk=holder.pk).exists():
            return _(
                "The slug “%(slug)s” is already used by a page of another library that you "
                "cannot see. Choose another slug."
            ) % {"slug": slug}
        if user is not None and not holder.specific.permissions_for_user(user).can_edit():
            return format_html(
                _("The slug “{slug}” is already used by “{title}”. Choose another slug."),
                slug=slug,
                title=holder.title,
            )
        edited = holder.latest_revision_created_at or holder.last_published_at
        link = format_html(
            '<a href="{}">{}</a>',
            reverse("wagtailadmin_pages:edit", args=[holder.pk]),
            holder.get_admin_display_title(),
        )
        return format_html(
            _(
                "The slug “{slug}” is already used by {page} ({state}, last edited {date}). "
                "Open that page to finish or delete it, or choose another slug."
            ),
            slug=slug,
            page=link,
            state=holder.status_string,
            date=date_format(localtime(edited), "DATE_FORMAT") if edited else "–",
        )
