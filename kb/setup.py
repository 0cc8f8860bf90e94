"""Makes sure the site has its six locales and a home page in each of them.

Runs after every migrate, so a fresh database (and every flushed test database) is a
working multilingual site before any content is loaded."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def site_title(language_code: str) -> str:
    with translation.override(language_code):
        return _("Democratic Library")


def ensure_site_structure(**kwargs):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Site

    from .models import HomePage

    # A test database flush recreates content types with new ids; forget the old ones.
    ContentType.objects.clear_cache()
    with transaction.atomic(using=kwargs.get("using", "default")):
        for code, _name in settings.LANGUAGES:
            Locale.objects.get_or_create(language_code=code)
        default_locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)

        home = HomePage.objects.filter(locale=default_locale).first()
        if home is None:
            home = _replace_welcome_page(default_locale)

        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=settings.WAGTAIL_SITE_NAME,
            )
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save(update_fields=["root_page"])

        for locale in Locale.objects.exclude(pk=default_locale.pk):
            if not HomePage.objects.filter(
                translation_key=home.translation_key, locale=locale
            ).exists():
                translation_page = home.copy_for_translation(locale)
                translation_page.title = translation_page.draft_title = site_title(
                    locale.language_code
                )
                translation_page.save_revision().publish()
                logger.info("Created the %s home page", locale.language_code)


def _replace_welcome_page(locale):
    """Wagtail's first migration leaves a plain "Welcome" page as the site root."""
    from wagtail.models import Page

    from .models import HomePage

    root = Page.get_first_root_node()
    if root is None:  # a flushed test database: Wagtail's migration-made root is gone too
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    for page in root.get_children().filter(content_type__app_label="wagtailcore"):
        page.delete()
    root.refresh_from_db()
    home = HomePage(title=site_title(locale.language_code), slug="home", locale=locale)
    root.add_child(instance=home)
    home.save_revision().publish()
    logger.info("Created the %s home page", locale.language_code)
    return home
