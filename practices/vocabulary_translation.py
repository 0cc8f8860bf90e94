"""Translating a page translates that page, and links what it points at.

wagtail-localize's `TranslationCreator` also submits everything a page points at (its themes,
audiences and format, its library) and saves each one's target from the page's language: a
Latvian practice translated into Finnish wrote the Latvian labels over the Finnish themes,
which every other Finnish page shows. Our creator translates only the objects it is given:

- what already exists in the target language is linked when the page's translation is saved
  (wagtail-localize maps a related object by its translation key); no Translation record is
  made from it, so nothing of it is ever overwritten;
- a vocabulary term missing in the target language is created from its default-language
  (`settings.LANGUAGE_CODE`) version through wagtail-localize, so that it shows as waiting for
  a translator; never from another language's version;
- a term with no default-language version either, and any other linked object (a library
  page, say) missing in the target language, is left alone and reported: until it exists the
  translation keeps pointing at the page's own language's version.
"""

import contextlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from languages.codes import language_name_translated
from practices.models.taxonomy import Term

logger = logging.getLogger(__name__)


@dataclass
class LinkReport:
    """What a translation could not simply link, per target language: terms created from
    the default language (to be translated), terms missing there too, other objects missing."""

    created_terms: dict[Locale, list] = field(default_factory=lambda: defaultdict(list))
    missing_terms: dict[Locale, list] = field(default_factory=lambda: defaultdict(list))
    missing_others: dict[Locale, list] = field(default_factory=lambda: defaultdict(list))

    def messages(self) -> list[tuple[str, str]]:
        """(level, text) for the admin: "info" for terms to translate, "warning" for what the
        translation shows in the original language."""
        found = []
        for locale, terms in self.created_terms.items():
            found.append(
                (
                    "info",
                    _(
                        "New terms in the target language (%(language)s), copied from the "
                        "default language (%(default)s) and waiting for their translation: "
                        "%(terms)s"
                    )
                    % {
                        "language": _language(locale),
                        "default": _default_language(),
                        "terms": _names(terms),
                    },
                )
            )
        for locale, terms in self.missing_terms.items():
            found.append(
                (
                    "warning",
                    _(
                        "Terms missing in the target language (%(language)s) and in the default "
                        "language (%(default)s): %(terms)s. The translation shows them in the "
                        "original language until a moderator adds them."
                    )
                    % {
                        "language": _language(locale),
                        "default": _default_language(),
                        "terms": _names(terms),
                    },
                )
            )
        for locale, objects in self.missing_others.items():
            found.append(
                (
                    "warning",
                    _(
                        "Linked content not yet translated into the target language "
                        "(%(language)s): %(items)s. The translation links the original until "
                        "it is translated."
                    )
                    % {"language": _language(locale), "items": _names(objects)},
                )
            )
        return found


def _language(locale: Locale) -> str:
    return language_name_translated(locale.language_code)


def _default_language() -> str:
    return language_name_translated(settings.LANGUAGE_CODE)


def _names(objects) -> str:
    def name(obj):
        if isinstance(obj, Page):
            title, kind = obj.get_admin_display_title(), obj.specific_class._meta.verbose_name
        else:
            title, kind = str(obj), obj._meta.verbose_name
        return _("“%(name)s” (%(kind)s)") % {"name": title, "kind": kind}

    return ", ".join(name(obj) for obj in objects)


def _default_locale() -> Locale | None:
    try:
        return Locale.get_default()
    except Locale.DoesNotExist:
        return None


class LinkingTranslationCreator(TranslationCreator):
    """wagtail-localize's creator, less the translation of related objects: they are linked
    (see the module's docstring). `report` says what could not be linked."""

    def __init__(self, user, target_locales):
        super().__init__(user, target_locales)
        self.report = LinkReport()
        self.default_locale = _default_locale()

    def create_translations(self, instance, include_related_objects=True):
        if isinstance(instance, Page):
            instance = instance.specific
        if include_related_objects and instance.translation_key not in self.seen_objects:
            source, _created = TranslationSource.get_or_create_from_instance(instance)
            self.link_related_objects(source)
        super().create_translations(instance, include_related_objects=False)

    def link_related_objects(self, source: TranslationSource) -> None:
        """Before the source's translations are saved: provide, in each target language, the
        terms it points at; record what is missing."""
        for segment in source.relatedobjectsegment_set.select_related("object__content_type"):
            related = segment.object
            is_term = issubclass(related.content_type.model_class(), Term)
            for locale in self.target_locales:
                if locale.pk == source.locale_id or related.has_translation(locale):
                    continue  # linked by wagtail-localize when the translation is saved
                if is_term:
                    self._provide_term(related, source.locale_id, locale)
                else:
                    _add(self.report.missing_others, locale, _version(related, source.locale_id))

    def _provide_term(self, related, source_locale_id, locale: Locale) -> None:
        """The term in `locale`, made from its default-language version as a wagtail-localize
        translation with nothing translated yet; reported as missing when there is none (or
        when another term of that language already has its slug)."""
        default = related.get_instance_or_none(self.default_locale) if self.default_locale else None
        if (
            default is None
            or type(default).objects.filter(slug=default.slug, locale=locale).exists()
        ):
            _add(self.report.missing_terms, locale, _version(related, source_locale_id))
            return
        term_source, _created = TranslationSource.get_or_create_from_instance(default)
        translation, _created = Translation.objects.update_or_create(
            source=term_source, target_locale=locale, defaults={"enabled": True}
        )
        self.mappings[term_source].append(translation)
        with contextlib.suppress(ValidationError):
            translation.save_target(user=self.user, publish=True)
        if related.has_translation(locale):
            self.report.created_terms[locale].append(translation.get_target_instance())
        else:
            _add(self.report.missing_terms, locale, _version(related, source_locale_id))


def _add(found: dict, locale: Locale, obj) -> None:
    if obj is not None:  # None: it no longer exists in any language, there is nothing to link
        found[locale].append(obj)


def _version(related, locale_id):
    """The version of a related object to name to the translator: the page's language's, or
    any (a page may link to another language's version)."""
    return related.get_instance_or_none(locale_id) or (
        related.content_type.get_all_objects_for_this_type(translation_key=related.translation_key)
        .order_by("pk")
        .first()
    )


# The operations of wagtail_localize.operations, with our creator -----------------------------


@transaction.atomic
def translate_object(instance, locales, components=None, user=None) -> LinkReport:
    """Translates `instance` into `locales`; returns what the translations could not link."""
    creator = LinkingTranslationCreator(user, locales)
    creator.create_translations(instance)
    if components is not None:
        components.save(creator, sources_and_translations=creator.mappings)
    return creator.report


@transaction.atomic
def translate_page_subtree(page_id, locales, components, user) -> LinkReport:
    """Translates the pages under `page_id` (itself already translated) into `locales`. It may
    run in a background worker, with no one to tell: what it could not link is logged."""
    creator = LinkingTranslationCreator(user, locales)

    def walk(page):
        for child in page.get_children():
            creator.create_translations(child)
            if child.numchild:
                walk(child)

    walk(Page.objects.get(id=page_id))
    if components is not None:
        components.save(creator, sources_and_translations=creator.mappings)
    for _level, text in creator.report.messages():
        logger.warning("Translating the pages under page %s: %s", page_id, text)
    return creator.report


def link_related_objects(source: TranslationSource, user) -> LinkReport:
    """For syncing: provides, in the languages `source` is translated into, the terms its
    (refreshed) content now points at."""
    locales = [
        translation.target_locale
        for translation in source.translations.filter(enabled=True).select_related("target_locale")
    ]
    creator = LinkingTranslationCreator(user, locales)
    creator.link_related_objects(source)
    return creator.report
