from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from languages.codes import language_codes, language_name, language_name_translated, locale_code
from languages.groups import live_versions, original_language
from languages.machine import is_machine_translated
from languages.reader import visitor_language
from languages.switcher import page_language_versions, path_language_versions

register = template.Library()


def _page_of(page):
    """A Wagtail page in a locale, or None for anything else."""
    if getattr(page, "translation_key", None) and getattr(page, "locale_id", None):
        return page
    return None


def _live_versions(request, page) -> dict:
    """The page's `live_versions`, read once per request: the switcher, the hreflang links
    and both notices use them."""
    cache = request.__dict__.setdefault("_kb_live_versions", {})
    if page.pk not in cache:
        cache[page.pk] = live_versions(page)
    return cache[page.pk]


@register.simple_tag(takes_context=True)
def language_versions(context):
    """Every site language with where to read the current page in it. A view that is about a
    page without being it (the "not translated" page) names it `language_versions_of`."""
    request = context.get("request")
    if request is None:
        return []
    page = _page_of(context.get("language_versions_of") or context.get("page"))
    if page is not None:
        return page_language_versions(page, request, _live_versions(request, page))
    return path_language_versions(request)


@register.simple_tag(takes_context=True)
def language_notice(context, page):
    """For a visitor whose language (language cookie or browser's Accept-Language) is not
    the page's: say so in the visitor's language, and link the version in it if there is one."""
    request = context.get("request")
    page = _page_of(page)
    if request is None or page is None:
        return ""
    reader = visitor_language(request)
    page_language = locale_code(page.locale_id)
    if reader is None or reader == page_language:
        return ""
    versions = _live_versions(request, page)
    with translation.override(reader):
        names = {
            "page_language": language_name_translated(page_language),
            "reader_language": language_name_translated(reader),
        }
        reader_version = versions.get(reader)
        if reader_version is not None:
            message = (
                gettext("This page is in %(page_language)s. It is also in %(reader_language)s:")
                % names
            )
        else:
            message = (
                gettext(
                    "This page is in %(page_language)s; it has not been translated into "
                    "%(reader_language)s yet."
                )
                % names
            )
        others = [
            {"code": code, "name": language_name(code), "url": versions[code].get_url(request)}
            for code in language_codes()
            if code in versions and code not in (page_language, reader)
        ]
        return render_to_string(
            "languages/components/language_notice.html",
            {
                "reader_language": reader,
                "message": message,
                "reader_version": {
                    "code": reader,
                    "name": language_name(reader),
                    "url": reader_version.get_url(request),
                }
                if reader_version is not None
                else None,
                "others": others,
            },
        )


@register.simple_tag(takes_context=True)
def machine_translation_notice(context, page):
    """On a version that is an unreviewed machine translation: say so, and link the original."""
    request = context.get("request")
    page = _page_of(page)
    if request is None or page is None:
        return ""
    versions = _live_versions(request, page)
    this_version = versions.get(locale_code(page.locale_id))
    if this_version is not None and this_version.pk == page.pk:
        machine_translated = this_version.machine_translated
    else:  # a draft or a preview
        machine_translated = is_machine_translated(page)
    if not machine_translated:
        return ""
    original = original_language(versions)
    original_version = None
    if original is not None and original != locale_code(page.locale_id):
        original_version = {
            "code": original,
            "name": language_name(original),
            "url": versions[original].get_url(request),
        }
    return render_to_string(
        "languages/components/machine_translation_notice.html",
        {"original": original_version},
        request=request,
    )
