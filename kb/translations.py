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


def original_locales(translation_keys) -> dict:
    """The language each translation group was written in, by translation key.

    That is the locale of the wagtail-localize translation source; for a group with no such
    record, the default language if it has a version in it, otherwise its oldest version."""
    from wagtail.models import Page
    from wagtail_localize.models import TranslationSource

    keys = list(set(translation_keys))
    originals = dict(
        TranslationSource.objects.filter(object_id__in=keys)
        .order_by("-created_at")  # the first source wins when there are several
        .values_list("object_id", "locale__language_code")
    )
    missing = [key for key in keys if key not in originals]
    if missing:
        versions = (
            Page.objects.filter(translation_key__in=missing, alias_of__isnull=True)
            .order_by("pk")
            .values_list("translation_key", "locale__language_code")
        )
        for key, code in versions:
            if key not in originals or code == settings.LANGUAGE_CODE:
                originals[key] = code
    return originals
