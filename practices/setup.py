"""The index pages (practices, case studies, meetings, libraries) in every language."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def index_page_types():
    from .models import CaseStudyIndexPage, LibraryIndexPage, MeetingIndexPage, PracticeIndexPage

    return [
        (PracticeIndexPage, "practices", _("Practices")),
        (CaseStudyIndexPage, "case-studies", _("Case studies")),
        (MeetingIndexPage, "meetings", _("Meetings")),
        (LibraryIndexPage, "libraries", _("Libraries")),
    ]


def ensure_index_pages(**kwargs):
    from wagtail.models import Locale, Site

    default_locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    home = Site.objects.get(is_default_site=True).root_page.get_translation(default_locale)
    with transaction.atomic():
        for model, slug, title in index_page_types():
            source = model.objects.filter(locale=default_locale).first()
            if source is None:
                with translation.override(default_locale.language_code):
                    source = model(title=str(title), slug=slug, locale=default_locale)
                home.add_child(instance=source)
                source.save_revision().publish()
            for locale in Locale.objects.exclude(pk=default_locale.pk):
                if model.objects.filter(
                    translation_key=source.translation_key, locale=locale
                ).exists():
                    continue
                copy = source.copy_for_translation(locale)
                with translation.override(locale.language_code):
                    copy.title = copy.draft_title = str(title)
                copy.save_revision().publish()


def index_page(model, locale=None):
    """The index page of `model` in `locale` (default: the active language)."""
    from wagtail.models import Locale

    locale = locale or Locale.get_active()
    return model.objects.live().filter(locale=locale).first()
