from django import template
from django.conf import settings

from kb.translations import page_language_versions, path_language_versions

register = template.Library()


@register.simple_tag(takes_context=True)
def language_versions(context):
    """Every site language with where to read the current page in it."""
    request = context.get("request")
    page = context.get("page")
    if request is None:
        return []
    if page is not None and getattr(page, "translation_key", None):
        return page_language_versions(page, request)
    return path_language_versions(request)


@register.simple_tag
def default_language():
    return settings.LANGUAGE_CODE
