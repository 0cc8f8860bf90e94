from django.apps import AppConfig
from django.db.models.signals import post_migrate


class KnowledgeBaseConfig(AppConfig):
    name = "kb"
    verbose_name = "Democratic Library"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # After every migrate (and every test database flush) the six locales and their
        # home pages exist: a fresh install is usable before any content is loaded.
        post_migrate.connect(self._after_migrate, dispatch_uid="kb.ensure_site_structure")

    @staticmethod
    def _after_migrate(sender, **kwargs):
        from django.apps import apps

        from .setup import ensure_site_structure

        # post_migrate is sent once per app; wait for the last one, when every app's content
        # types and permissions exist again.
        with_models = [app for app in apps.get_app_configs() if app.models_module is not None]
        if sender is with_models[-1]:
            ensure_site_structure(**kwargs)
