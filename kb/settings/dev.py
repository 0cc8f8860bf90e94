from .base import *  # noqa: F403
from .base import (
    DEEPL_API_KEY,
    LIBRETRANSLATE_API_KEY,
    LIBRETRANSLATE_URL,
    env_bool,
    env_str,
    machine_translator,
)

DEBUG = env_bool("DEBUG", True)
# Only for a developer's own machine; production refuses to start without SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-dev-only-not-for-production"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator(
    DEEPL_API_KEY, LIBRETRANSLATE_URL, LIBRETRANSLATE_API_KEY, fallback_to_dummy=True
)
