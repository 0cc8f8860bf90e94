from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class LanguagesConfig(AppConfig):
    """Languages and translation groups: the floor the content apps stand on."""

    name = "languages"
    verbose_name = _("Languages")

    def ready(self):
        from wagtail.models import Locale

        from .codes import forget_locales

        # Locale codes are cached per process (languages.codes.locale_code).
        post_save.connect(forget_locales, sender=Locale, dispatch_uid="languages.forget.saved")
        post_delete.connect(forget_locales, sender=Locale, dispatch_uid="languages.forget.gone")
        post_migrate.connect(forget_locales, dispatch_uid="languages.forget.migrated")
