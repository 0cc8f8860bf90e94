from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Practices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connected after kb's handler (kb comes first in INSTALLED_APPS), so the home pages
        # the index pages live under already exist.
        post_migrate.connect(self._after_migrate, dispatch_uid="practices.ensure_index_pages")

    @staticmethod
    def _after_migrate(sender, **kwargs):
        from django.apps import apps

        from .setup import ensure_index_pages

        with_models = [app for app in apps.get_app_configs() if app.models_module is not None]
        if sender is with_models[-1]:
            ensure_index_pages(**kwargs)
