"""Template tags that give the page templates their data (the page models stay storage-only)
and let the site's own templates (home page, menu) reach the practices without importing them."""

from django import template
from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from languages.codes import locale_code
from practices import browse, presentation
from practices.blocks import SectionBlock
from practices.countries import country_name
from practices.evidence import with_evidence_levels

register = template.Library()

SECTION_TITLES = {
    value: label for value, label in SectionBlock.base_blocks["kind"].field.choices if value
}


def _request(context):
    return context.get("request")


def _index_links(context):
    try:
        return presentation.index_links(_request(context))
    except DatabaseError:  # the menu must not break a page (the 404 page, say)
        return []


@register.simple_tag(takes_context=True)
def index_links(context):
    """The live index pages (practices, case studies, meetings, libraries) of the reader's
    language, in menu order; an index page that is missing is left out. `current` is "page"
    on the index page itself and "true" on the pages under it (for aria-current)."""
    request = _request(context)
    path = request.path if request is not None else ""
    links = []
    for link in _index_links(context):
        current = "page" if path == link.url else "true" if path.startswith(link.url) else ""
        links.append({"kind": link.kind, "title": link.title, "url": link.url, "current": current})
    return links


@register.simple_tag(takes_context=True)
def index_url(context, kind):
    """The URL of the index page `kind` ("practices", "case-studies", "meetings",
    "libraries") in the reader's language, or "" when there is none."""
    return next((link.url for link in _index_links(context) if link.kind == kind), "")


@register.simple_tag(takes_context=True)
def page_context(context, page):
    """What a practice, case study, meeting or library page shows besides its own fields;
    built when first used, so that parts of the page read from the cache cost nothing."""
    request = _request(context)
    return SimpleLazyObject(lambda: presentation.page_view(page, request))


@register.simple_tag(takes_context=True)
def index_listing(context, page):
    """The pages an index page lists, filtered by the request's query string."""
    request = _request(context)
    params = request.GET if request is not None else {}
    catalogue = browse.catalogue(type(page).__name__)
    listing = browse.listing(catalogue, page.locale, get_language() or "en", params)
    with_evidence_levels(listing.items)  # the cards' evidence badges: one query for the page
    return listing


@register.simple_tag(takes_context=True)
def network_figures(context):
    return presentation.network_figures(_request(context))


@register.simple_tag(takes_context=True)
def featured_practices(context, count=presentation.FEATURED_PRACTICES):
    request = _request(context)
    locale = presentation.reader_locale(request)
    return presentation.featured_practices(locale, count, request)


@register.simple_tag(takes_context=True)
def recent_case_studies(context, count=presentation.RECENT_CASE_STUDIES):
    request = _request(context)
    locale = presentation.reader_locale(request)
    return presentation.recent_case_studies(locale, count, request)


@register.simple_tag(takes_context=True)
def meeting_timeline(context):
    request = _request(context)
    return presentation.meeting_timeline(presentation.reader_locale(request), request=request)


@register.filter
def lang_attr(page):
    """` lang="lv"` for a page shown in another language than the reader's, else nothing."""
    code = getattr(page, "language_code", None)
    if code is None and page is not None:
        code = locale_code(page.locale_id)
    if not code or code == get_language():
        return ""
    return format_html(' lang="{}"', code)


@register.filter
def language_note(page):
    """ "Only in Latvian" (or "Not in English yet: shown in Latvian") for a page listed in
    another language than the reader's; "" for a page in the reader's language."""
    code = getattr(page, "language_code", "")
    if not code or code == get_language():
        return ""
    language = get_language_info(code)["name_translated"]
    if getattr(page, "version_count", 1) == 1:
        return _("Only in %(language)s") % {"language": language}
    reader = get_language_info(get_language())["name_translated"]
    return _("Not in %(reader)s yet: shown in %(language)s") % {
        "reader": reader,
        "language": language,
    }


@register.filter
def country_label(code):
    return country_name(code, get_language() or "en") if code else ""


@register.filter
def section_title(kind):
    return SECTION_TITLES.get(kind, "")


@register.filter
def stage_label(stage):
    return presentation.STAGE_LABELS.get(stage, stage)


@register.filter
def web_address(url):
    """`url` if it is an http(s) address, else "": a value stored past the model's validation
    (a shell, a data migration) must not become a javascript: or data: link."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""
