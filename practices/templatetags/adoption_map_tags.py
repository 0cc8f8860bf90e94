"""The adoption map of a practice, for the practice page's ledger section."""

from django import template
from django.utils.translation import get_language

from practices.adoption_map import practice_map

register = template.Library()


@register.simple_tag
def practice_adoption_map(view):
    """The map of a practice page's `PracticeView`: built from the ledger and the library
    it already holds, so it adds no query."""
    return practice_map(view.ledger, view.library, get_language() or "en")
