"""Which language versions of a page exist, for the language switcher and hreflang links."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Case, OuterRef, Subquery, When
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language_from_request, get_language_info


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # the language's name in that language, as a speaker of it would look for it
    url: str
    exists: bool  # False: the link leads to a page that says which versions do exist
    current: bool
    original: bool = False  # the version the others were translated from: hreflang x-default


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


_locale_codes: dict[int, str] = {}


def locale_code(locale_id: int) -> str:
    """The language code of a Wagtail locale, without a query per page shown: the six
    locales are read once, and again when one is missing or has changed (`forget_locales`)."""
    if locale_id not in _locale_codes:
        from wagtail.models import Locale

        _locale_codes.clear()
        _locale_codes.update(Locale.objects.values_list("pk", "language_code"))
    return _locale_codes.get(locale_id, "")


def forget_locales(**kwargs) -> None:
    _locale_codes.clear()


def language_name(code: str) -> str:
    return get_language_info(code)["name_local"]


def language_name_translated(code: str) -> str:
    """The language's name in the active language ("latvia" when Finnish is active)."""
    return str(get_language_info(code)["name_translated"])


def visitor_language(request) -> str | None:
    """The language the visitor asked for with the language cookie or their browser's
    Accept-Language, whatever page they are on; None when they asked for none."""
    if not (
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        or request.META.get("HTTP_ACCEPT_LANGUAGE")
    ):
        return None
    code = get_language_from_request(request, check_path=False)
    return code if code in language_codes() else None


def live_translations(page) -> dict:
    """The live language versions of a page (itself included), by language code."""
    from wagtail.models import Page

    pages = (
        Page.objects.live()
        .filter(translation_key=page.translation_key, alias_of__isnull=True)
        .select_related("locale")
    )
    return {p.locale.language_code: p for p in pages}


def live_versions(page) -> dict:
    """`live_translations`, each version also annotated with what the language switcher and
    the notices need, in the same single query: `source_created_at`, when wagtail-localize
    first read it as a translation source (None if never), and, on the version in `page`'s
    language only (None on the others), `machine_translated`, whether it is an unreviewed
    machine translation."""
    from wagtail.models import Page
    from wagtail_localize.models import TranslationSource

    from .translation_status import machine_translated_condition

    sources = TranslationSource.objects.filter(
        object_id=OuterRef("translation_key"), locale_id=OuterRef("locale_id")
    )
    # Only that version's note is ever shown: the check is made for that version alone.
    machine_translated = Case(
        When(
            locale_id=page.locale_id,
            then=machine_translated_condition(page.translation_key, page.locale_id),
        ),
        default=None,
        output_field=BooleanField(null=True),
    )
    pages = (
        Page.objects.live()
        .filter(translation_key=page.translation_key, alias_of__isnull=True)
        .select_related("locale")
        .annotate(
            source_created_at=Subquery(sources.values("created_at")[:1]),
            machine_translated=machine_translated,
        )
    )
    return {p.locale.language_code: p for p in pages}


def original_language(versions: dict) -> str | None:
    """The language to send a visitor to when theirs is not known (hreflang x-default), among
    the `live_versions` of a page: the first translation source, else the default language,
    else the oldest version."""
    sources = [
        (version.source_created_at, code)
        for code, version in versions.items()
        if version.source_created_at is not None
    ]
    if sources:
        return min(sources)[1]
    if settings.LANGUAGE_CODE in versions:
        return settings.LANGUAGE_CODE
    return min(versions.items(), key=lambda item: item[1].pk)[0] if versions else None


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


def pick_originals(sources, versions) -> dict:
    """The original language of each translation group, by translation key.

    `sources`: (translation_key, language_code, created_at) of wagtail-localize translation
    sources; the first source of a group names its original. `versions`: (translation_key,
    language_code) of the group's pages, oldest first; a group without a source was written
    in the default language if it has a version in it, otherwise in its oldest version."""
    originals = {}
    first_created = {}
    for key, code, created_at in sources:
        if key not in first_created or created_at < first_created[key]:
            first_created[key] = created_at
            originals[key] = code
    fallback = {}
    for key, code in versions:
        if key in originals:
            continue
        if key not in fallback or code == settings.LANGUAGE_CODE:
            fallback[key] = code
    return {**fallback, **originals}


def original_locales(translation_keys) -> dict:
    """The language each translation group was written in, by translation key.

    That is the locale of the wagtail-localize translation source; for a group with no such
    record, the default language if it has a version in it, otherwise its oldest version."""
    from wagtail.models import Page
    from wagtail_localize.models import TranslationSource

    keys = list(set(translation_keys))
    sources = TranslationSource.objects.filter(object_id__in=keys).values_list(
        "object_id", "locale__language_code", "created_at"
    )
    originals = pick_originals(sources, [])
    missing = [key for key in keys if key not in originals]
    if missing:
        versions = (
            Page.objects.filter(translation_key__in=missing, alias_of__isnull=True)
            .order_by("pk")
            .values_list("translation_key", "locale__language_code")
        )
        originals.update(pick_originals([], versions))
    return originals
