"""The language switcher and hreflang links: every site language with where to read a page in
it, or the page that says it has not been translated yet."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation

from .codes import language_codes, language_name
from .groups import live_versions, original_language


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # the language's name in that language, as a speaker of it would look for it
    url: str
    exists: bool  # False: the link leads to a page that says which versions do exist
    current: bool
    original: bool = False  # the version the others were translated from: hreflang x-default


def page_language_versions(page, request, versions=None) -> list[LanguageVersion]:
    """Every site language with where to read `page` in it; `versions`: its `live_versions`,
    if already read."""
    current = translation.get_language()
    versions = live_versions(page) if versions is None else versions
    original = original_language(versions)
    result = []
    for code in language_codes():
        target = versions.get(code)
        if target is not None:
            url = target.get_url(request)
        else:
            url = not_translated_url(page, code)
        result.append(
            LanguageVersion(
                code,
                language_name(code),
                url,
                exists=target is not None,
                current=code == current,
                original=code == original,
            )
        )
    return result


def not_translated_url(page, code: str) -> str:
    with translation.override(code):
        return reverse("not_translated", args=[page.pk])


def path_language_versions(request) -> list[LanguageVersion]:
    """For pages that are not Wagtail pages (search, lists): the same path in each language."""
    current = translation.get_language()
    path = request.get_full_path()
    return [
        LanguageVersion(
            code,
            language_name(code),
            translate_url(path, code),
            exists=True,
            current=code == current,
            original=code == settings.LANGUAGE_CODE,
        )
        for code in language_codes()
    ]
