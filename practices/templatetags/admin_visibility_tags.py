"""Admin templates that list pages by title: only those the user may see (`admin_visibility`)."""

from django import template
from wagtail.models import Page

from practices.admin_visibility import visible_in_admin

register = template.Library()


@register.simple_tag
def split_by_visibility(items, user) -> dict:
    """{"seen": the items (dicts with "item", a page) whose page the user may see,
    "unseen": how many others}."""
    ids = {item["item"].pk for item in items}
    seen_ids = set(
        visible_in_admin(user, Page.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )
    seen = [item for item in items if item["item"].pk in seen_ids]
    return {"seen": seen, "unseen": len(items) - len(seen)}
