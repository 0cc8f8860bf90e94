"""Translation groups: the versions of one entry in several languages, which of them is the
original, and which one a reader sees (`shown_version`: the one rule every page, list, card,
feed, sitemap, search result and API answer follows)."""

from collections.abc import Mapping, Sequence
from typing import TypeVar
from uuid import UUID

from django.conf import settings
from django.db.models import BooleanField, Case, OuterRef, Subquery, When

from .codes import language_codes
from .reader import default_fallbacks, reading_order

Version = TypeVar("Version")


def shown_version(
    versions: Mapping[str, Version], original: str | None, order: Sequence[str] | None = None
) -> Version | None:
    """Of a group's versions by language code, the one a reader sees: in the first language
    of their reading order (`reader.reading_order()` unless given) that has one, else the
    original, else the first in the site's language order. None for an empty group."""
    for code in reading_order() if order is None else order:
        if code in versions:
            return versions[code]
    if original in versions:
        return versions[original]
    return next((versions[code] for code in language_codes() if code in versions), None)


def shown_versions(groups: Mapping, order: Sequence[str] | None = None) -> dict:
    """`shown_version` of each group ({translation key: {language code: version}}), by
    translation key. A group's original is read (`original_locales`, one query or two) only
    for the groups with no version in any language of the reading order, which are few."""
    order = reading_order() if order is None else order
    shown, undecided = {}, []
    for key, versions in groups.items():
        chosen = next((versions[code] for code in order if code in versions), None)
        if chosen is None:
            undecided.append(key)
        else:
            shown[key] = chosen
    if undecided:
        originals = original_locales(undecided)
        for key in undecided:
            shown[key] = shown_version(groups[key], originals.get(UUID(str(key))), order)
    return shown


def shown_language(codes, original: str | None, order: Sequence[str] | None = None) -> str | None:
    """`shown_version` for a group known only by its language codes."""
    return shown_version({code: code for code in codes}, original, order)


def readers_shown(codes, original: str | None) -> dict[str, str]:
    """{reader's language: the language of the version shown to them}, by the default
    reading orders: what an index can store ahead of a query."""
    return {
        language: shown_language(
            codes, original, reading_order(language, default_fallbacks(language))
        )
        for language in language_codes()
    }


def live_versions(page) -> dict:
    """The live language versions of a page (itself included), by language code, each
    annotated with what the language switcher and
    the notices need, in the same single query: `source_created_at`, when wagtail-localize
    first read it as a translation source (None if never), and, on the version in `page`'s
    language only (None on the others), `machine_translated`, whether it is an unreviewed
    machine translation."""
    from wagtail.models import Page
    from wagtail_localize.models import TranslationSource

    from .machine import machine_translated_condition

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
    """The original of a group, among its `live_versions` (hreflang x-default): the rule of
    `pick_originals`, applied to what `live_versions` read."""
    if not versions:
        return None
    key = next(iter(versions.values())).translation_key
    sources = [
        (key, code, version.source_created_at)
        for code, version in versions.items()
        if version.source_created_at is not None
    ]
    oldest_first = sorted(versions, key=lambda code: versions[code].pk)
    return pick_originals(sources, [(key, code) for code in oldest_first])[key]


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

    keys = list({UUID(str(key)) for key in translation_keys})
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
