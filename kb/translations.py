"""Which language versions of a page exist, for the language switcher and hreflang links."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language_info


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # the language's name in that language, as a speaker of it would look for it
    url: str
    exists: bool  # False: the link leads to a page that says which versions do exist
    current: bool


def language_name(code: str) -> str:
    return get_language_info(code)["name_local"]


def live_translations(page) -> dict:
    """The live language versions of a page (itself included), by language code."""
    from wagtail.models import Page

    pages = (
        Page.objects.live()
        .filter(translation_key=page.translation_key, alias_of__isnull=True)
        .select_related("locale")
    )
    return {p.locale.language_code: p for p in pages}


def page_language_versions(page, request) -> list[LanguageVersion]:
    current = translation.get_language()
    translations = live_translations(page)
    versions = []
    for code, _name in settings.LANGUAGES:
        target = translations.get(code)
        if target is not None:
            url = target.get_url(request)
        else:
            with translation.override(code):
                url = reverse("not_translated", args=[page.pk])
        versions.append(
            LanguageVersion(code, language_name(code), url, target is not None, code == current)
        )
    return versions


def path_language_versions(request) -> list[LanguageVersion]:
    """For pages that are not Wagtail pages (search, lists): the same path in each language."""
    current = translation.get_language()
    path = request.get_full_path()
    return [
        LanguageVersion(code, language_name(code), translate_url(path, code), True, code == current)
        for code, _name in settings.LANGUAGES
    ]
