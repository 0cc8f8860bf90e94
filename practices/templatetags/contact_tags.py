"""The "person to ask" panel of practice and library pages."""

from django import template

from ..contact import contact_of

register = template.Library()


@register.simple_tag
def page_contact(page):
    """The page's contact as the public sees it (no address), or None."""
    return contact_of(page)
