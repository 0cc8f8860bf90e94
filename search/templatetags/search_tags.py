"""Template tags of the search app: related practices (for the practice page), the language
notes of search results, and the words of the search box's autocomplete."""

import json

from django import template
from django.utils.translation import get_language, get_language_info, ngettext
from django.utils.translation import gettext as _

from practices.ledger import Spread
from search.fragments import cached_fragment
from search.related import DEFAULT_LIMIT
from search.related import related_practices as find_related_practices
from search.service import type_labels
from search.suggest import MAX_SUGGESTIONS

register = template.Library()


@register.simple_tag
def related_practices(page, limit=DEFAULT_LIMIT):
    """`{% related_practices page as related %}`: practices sharing themes and tags with `page`,
    in the reader's language where they have a version."""
    return find_related_practices(page, limit=limit)


@register.simple_tag
def autocomplete_messages():
    """`data-suggest-messages="{% autocomplete_messages %}"`: what the autocomplete script
    (search/js/autocomplete.js) says, in the page's language, as JSON (escaped for the
    attribute): the name of the list, what the live region announces for each number of
    suggestions it can show (Latvian has three plural forms, so the script counts nothing
    itself), and the label of each type of page. An attribute rather than a
    <script type="application/json">: the public pages have no inline script element."""
    return json.dumps(
        {
            "label": _("Suggestions"),
            "none": _("No suggestions"),
            "counts": {
                str(n): ngettext("%(count)d suggestion", "%(count)d suggestions", n) % {"count": n}
                for n in range(1, MAX_SUGGESTIONS + 1)
            },
            "types": {kind: str(label) for kind, label in type_labels().items()},
        },
        ensure_ascii=False,
    )


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


@register.filter
def spread_summary(spread):
    """ "Tried in 2 libraries in 2 countries, anchored in 1" for a practice's result, or that
    no library has reported running it yet; "" for other results."""
    if spread is None:
        return ""
    summary = Spread.from_dict(spread).summary()
    return summary or _("No library has reported running it yet")


@register.tag("index_cached")
def index_cached(parser, token):
    """`{% index_cached "name" page %}…{% endindex_cached %}`: a part of `page`'s template kept
    rendered until the page or the search index changes (`search.fragments`)."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name and a page")
    nodelist = parser.parse(("endindex_cached",))
    parser.delete_first_token()
    return IndexCachedNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))


class IndexCachedNode(template.Node):
    def __init__(self, nodelist, name, page):
        self.nodelist, self.name, self.page = nodelist, name, page

    def render(self, context):
        return cached_fragment(
            self.name.resolve(context),
            self.page.resolve(context),
            context.get("request"),
            lambda: self.nodelist.render(context),
        )
