"""Machine translations: which strings of a translation came from a machine translator and
have not been reviewed, and marking them reviewed."""

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail_localize.machine_translators.dummy import DummyTranslator

REVIEW_LOG_ACTION = "kb.review_machine_translation"


class TestTranslator(DummyTranslator):
    """wagtail-localize's dummy translator (it reverses the words), named for what it is: the
    development settings offer it only where no real translator (DeepL, LibreTranslate) is
    configured, so that editors can try the translation workflow."""

    display_name = _("Test translator: reverses the word order, not a real translation")


def machine_strings(translation):
    """The machine-made string translations of a wagtail-localize Translation that nobody
    has reviewed, among the strings its source currently has."""
    from wagtail_localize.models import StringSegment, StringTranslation

    return StringTranslation.objects.filter(
        Exists(
            StringSegment.objects.filter(
                source_id=translation.source_id,
                string_id=OuterRef("translation_of_id"),
                context_id=OuterRef("context_id"),
            )
        ),
        locale_id=translation.target_locale_id,
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
    )


def machine_translated_condition(translation_key, locale_id):
    """An expression: whether the version of `translation_key` in `locale_id` is a synced
    translation with machine-made strings nobody has reviewed.

    It starts from the entry's own translation contexts (a score at most, found through
    their object's index) and checks each of their segments by unique index. Asked the
    other way round (the language's machine-made strings, then their contexts), SQLite reads
    every string translated into that language: 6 ms at 10 000 practices."""
    from wagtail_localize.models import StringSegment, StringTranslation, Translation

    machine_made = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=locale_id,
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
    )
    synced = Translation.objects.filter(
        source_id=OuterRef("source_id"), target_locale_id=locale_id, enabled=True
    )
    return Exists(
        StringSegment.objects.filter(
            Exists(machine_made), Exists(synced), context__object_id=translation_key
        )
    )


def is_machine_translated(page) -> bool:
    """Whether this version of a page is an unreviewed machine translation. One query."""
    from wagtail.models import Page

    return Page.objects.filter(
        machine_translated_condition(page.translation_key, page.locale_id), pk=page.pk
    ).exists()


def mark_translation_reviewed(translation, user) -> int:
    """An editor has read the machine translation and stands by it: make its remaining
    machine-made strings manual, with the editor as their last translator, and note it in
    the page's history. Returns how many strings changed."""
    from wagtail.log_actions import log

    count = machine_strings(translation).update(
        translation_type="manual", last_translated_by=user, updated_at=timezone.now()
    )
    if count:
        target = translation.get_target_instance()
        log(
            instance=target,
            action=REVIEW_LOG_ACTION,
            user=user,
            data={"locale": translation.target_locale.language_code, "strings": count},
        )
    return count
