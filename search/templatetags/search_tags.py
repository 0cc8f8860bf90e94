"""Template tags of the search app: related practices (for the practice page) and the
language notes of search results."""

from django import template
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from search.related import DEFAULT_LIMIT
from search.related import related_practices as find_related_practices
from search.service import type_labels

register = template.Library()


@register.simple_tag
def related_practices(page, limit=DEFAULT_LIMIT):
    """`{% related_practices page as related %}`: practices sharing themes and tags with `page`,
    in the reader's language where they have a version."""
    return find_related_practices(page, limit=limit)


@register.filter
def language_name(code):
    """A language's name in the reader's language."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


@register.filter
def type_label(kind):
    return type_labels().get(kind, kind)


@register.filter
def shown_in_note(hit):
    """ "Only in Latvian", or "Not in Finnish yet: shown in Latvian", for a result shown in
    another language than the reader's; "" otherwise."""
    reader = get_language()
    if not hit.locale or hit.locale == reader:
        return ""
    language = language_name(hit.locale)
    if len(hit.available_locales) <= 1:
        return _("Only in %(language)s") % {"language": language}
    return _("Not in %(reader)s yet: shown in %(language)s") % {
        "reader": language_name(reader),
        "language": language,
    }
