import tempfile

from .base import *  # noqa: F403
from .base import env_str

SECRET_KEY = "django-insecure-test-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="kb-test-media-")
# Tests that need Elasticsearch set it themselves; a developer's shell must not leak into the suite.
ELASTICSEARCH_URL = None
TEST_ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL") or None
# The rate limit stays on, high enough for any test; tests of the limit lower it.
SEARCH_RATE_LIMIT = "10000/m"
SEARCH_SUGGEST_RATE_LIMIT = "10000/m"
CONTACT_RATE_LIMIT = "10000/m"
