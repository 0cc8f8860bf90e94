"""Page events that change what the search should know."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from practices.bulk import bulk_publishing_finished
from practices.models import Audience, CaseStudyPage, Format, PracticePage, Theme

from . import synonyms
from .documents import TYPES
from .indexing import group_page_ids, refresh_pages_task, schedule_refresh
from .models import SynonymSet


def _is_indexed(page) -> bool:
    return type(page) in TYPES or isinstance(page, tuple(TYPES))


def on_published(sender, instance, **kwargs):
    if _is_indexed(instance):
        schedule_refresh([instance.pk, *_practice_versions(instance)])


def on_unpublished(sender, instance, **kwargs):
    if _is_indexed(instance):
        schedule_refresh([instance.pk, *_practice_versions(instance)])


def _practice_versions(page) -> list[int]:
    """A case study changes how far its practice took root (`practices.ledger.Spread`, in
    the practice's documents): every version of that practice is indexed again."""
    specific = getattr(page, "specific", page)
    if not isinstance(specific, CaseStudyPage) or not specific.practice_id:
        return []
    keys = Page.objects.filter(pk=specific.practice_id).values("translation_key")
    return list(Page.objects.filter(translation_key__in=keys).values_list("pk", flat=True))


def on_deleted(sender, instance, **kwargs):
    # The other versions stay, but no longer list this one's language.
    others = Page.objects.filter(translation_key=instance.translation_key).values_list(
        "pk", flat=True
    )
    schedule_refresh([instance.pk, *others, *_practice_versions(instance)])


def on_moved(sender, instance, **kwargs):
    # The page's and its descendants' URLs changed.
    ids = list(Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True))
    schedule_refresh(ids)


def on_restriction_changed(sender, instance, **kwargs):
    """A page made private, or public again, leaves the index or returns to it at once, with
    every page below it; their other versions list their languages again."""
    ids = Page.objects.descendant_of(instance.page, inclusive=True).values_list("pk", flat=True)
    schedule_refresh(group_page_ids(list(ids)))


def on_term_saved(sender, instance, created, **kwargs):
    """A theme, audience or format renamed or translated: the practices using it show the new
    label, and the search's facets too (`search.service`'s labels are read again when the
    index changes). A new term is used by none yet."""
    link_field = {
        Theme: "theme_links__theme__slug",
        Audience: "audience_links__audience__slug",
    }.get(sender)
    lookup = {link_field: instance.slug} if link_field else {"format__slug": instance.slug}
    ids = list(PracticePage.objects.filter(**lookup).values_list("pk", flat=True).distinct())
    schedule_refresh(ids)


def on_bulk_finished(sender, page_ids, **kwargs):
    if page_ids:
        refresh_pages_task.enqueue(group_page_ids(page_ids))


def on_synonyms_changed(sender, instance, **kwargs):
    synonyms.changed()


def connect():
    page_published.connect(on_published, dispatch_uid="search.published")
    page_unpublished.connect(on_unpublished, dispatch_uid="search.unpublished")
    post_page_move.connect(on_moved, dispatch_uid="search.moved")
    for model in TYPES:
        post_delete.connect(
            on_deleted, sender=model, dispatch_uid=f"search.deleted.{model.__name__}"
        )
    for model in (Theme, Audience, Format):
        post_save.connect(on_term_saved, sender=model, dispatch_uid=f"search.term.{model.__name__}")
    bulk_publishing_finished.connect(on_bulk_finished, dispatch_uid="search.bulk")
    for signal in (post_save, post_delete):
        signal.connect(
            on_synonyms_changed,
            sender=SynonymSet,
            dispatch_uid=f"search.synonyms.{signal is post_save}",
        )
    for signal in (post_save, post_delete):
        signal.connect(
            on_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"search.restriction.{signal is post_save}",
        )
