"""Settings shared by every environment. Everything that differs between machines comes
from the environment; see the README's configuration table."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from .environment import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "kb",
    "languages",
    "practices",
    "search",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kb.security.HttpMethodsMiddleware",
    "kb.security.ContentSecurityPolicyMiddleware",
    "kb.security.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kb.middleware.LocaleMiddleware",
    "languages.reader.ReaderMiddleware",
    "languages.views.NotTranslatedRedirectMiddleware",
    # After the locale middleware: a 429 speaks the reader's language.
    "kb.security.SearchRateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "practices.admin_visibility.HideUnseenPagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: its 404 still passes through the headers and the language above.
    "kb.security.UnroutablePathMiddleware",
]

ROOT_URLCONF = "kb.urls"
WSGI_APPLICATION = "kb.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # A connection kept for a minute and checked before reuse: opening one per request
        # halved PostgreSQL's throughput.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers never wait for a writer (WAL); a writer takes the write lock when its
    # transaction begins (IMMEDIATE), so two writers queue instead of failing half-way, and
    # waits up to SQLITE_BUSY_TIMEOUT seconds for it.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English is the default; every public URL carries its language prefix.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("lv", _("Latvian")),
    ("fi", _("Finnish")),
    ("et", _("Estonian")),
    ("da", _("Danish")),
    ("sv", _("Swedish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Helsinki"

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The page editor of a long practice easily passes Django's default of 1000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Democratic Library"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's own search serves the admin only; the public search is the `search` app.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "odp", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Also checks that a document's content is what its extension says.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "kb.security.DocumentForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: the admin loads nothing from elsewhere (and works offline).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_USER_LOGIN_FORM = "kb.login_throttle.ThrottledLoginForm"
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# Elasticsearch serves the public search when it is configured; otherwise the database does.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL") or None
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "kb")
# Failures in a row after which a server process answers searches from the database at once,
# and for how many seconds before one search tries Elasticsearch again (`search.backends.breaker`).
ELASTICSEARCH_BREAKER_FAILURES = env_int("ELASTICSEARCH_BREAKER_FAILURES", 3)
ELASTICSEARCH_BREAKER_COOL_OFF = env_int("ELASTICSEARCH_BREAKER_COOL_OFF", 30)
# Processes that analyse the texts of a `search_index rebuild` (`search.parallel`); 0: one per
# core this process may use; 1: none besides the process itself.
SEARCH_INDEX_WORKERS = env_int("SEARCH_INDEX_WORKERS", 0)

# Machine translation for editors (wagtail-localize).
DEEPL_API_KEY = env_str("DEEPL_API_KEY") or None
LIBRETRANSLATE_URL = env_str("LIBRETRANSLATE_URL") or None
LIBRETRANSLATE_API_KEY = env_str("LIBRETRANSLATE_API_KEY") or None

# Background work (search indexing, open-data files) goes through django-tasks.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def redis_caches(url: str) -> dict:
    """Redis with short timeouts; while it fails, the site serves without a cache (kb.cache).
    Rendered parts of pages (search.fragments) are kept there for a day at most."""
    redis = {"BACKEND": "kb.cache.FailOpenRedisCache", "LOCATION": url}
    return {
        "default": redis,
        "fragments": {**redis, "KEY_PREFIX": "fragments", "TIMEOUT": 86400},
    }


REDIS_URL = env_str("REDIS_URL") or None
if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Rendered parts of pages (search.fragments), apart so that they never push out the
        # rate limits' counters; each process keeps its own.
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fragments",
            "TIMEOUT": 86400,
            "OPTIONS": {"MAX_ENTRIES": env_int("FRAGMENT_CACHE_ENTRIES", 2000)},
        },
    }

# Security: headers, rate limits and sign-in throttling (see the README's Security section).
# HTTPS-only settings (HSTS, secure cookies, SSL redirect) are in production.py.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# The public site: everything from the site itself, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin uses inline scripts and styles, data: images and, in the page preview,
# frames of its own pages (kb.security.ContentSecurityPolicyMiddleware).
CONTENT_SECURITY_POLICY_ADMIN = {
    "PATH_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE, UNSAFE_EVAL],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# Browser features no page of the site uses, switched off for every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Searches per client address (kb.security.SearchRateLimitMiddleware): "60/m" is 60 a minute;
# also /s, /h, /d and e.g. "300/5m"; "off" turns a limit off. The search page and the search
# API share SEARCH_RATE_LIMIT; autocomplete, called as the reader types, has its own.
SEARCH_RATE_LIMIT = env_str("SEARCH_RATE_LIMIT", "60/m")
SEARCH_SUGGEST_RATE_LIMIT = env_str("SEARCH_SUGGEST_RATE_LIMIT", "300/m")
# Contact forms sent per client address (practices.contact); failed attempts count too.
CONTACT_RATE_LIMIT = env_str("CONTACT_RATE_LIMIT", "10/h")
# Email: contact messages relayed to practitioners, account invitations. SMTP by default
# (development prints to the console, tests keep mail in memory).
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# A mail server that does not answer must not hold a visitor's request (and a worker) forever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Democratic Library <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# How many reverse proxies stand in front of the site and append to X-Forwarded-For. 0: the
# client's address is REMOTE_ADDR and X-Forwarded-For is ignored (a client could forge it).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Admin sign-in: after this many failures for one username from one address within the window,
# further attempts are refused until the window (from the first failure) has passed.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)

# Open data (practices.open_data): files regenerated at most once per this many seconds after
# content changes, by the task worker.
OPEN_DATA_DEBOUNCE_SECONDS = env_int("OPEN_DATA_DEBOUNCE_SECONDS", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"kb": {"level": env_str("LOG_LEVEL", "INFO")}},
}


def machine_translator(
    deepl_api_key, libretranslate_url, libretranslate_api_key, fallback_to_dummy
):
    """wagtail-localize's machine translator: DeepL, else LibreTranslate, else (development
    only) the test translator that reverses words, else none."""
    if deepl_api_key:
        return {
            "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
            "OPTIONS": {"AUTH_KEY": deepl_api_key},
        }
    if libretranslate_url:
        return {
            "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
            "OPTIONS": {
                "LIBRETRANSLATE_URL": libretranslate_url,
                "API_KEY": libretranslate_api_key or "",
            },
        }
    if fallback_to_dummy:
        return {"CLASS": "languages.machine.TestTranslator"}
    return None


WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator(
    DEEPL_API_KEY, LIBRETRANSLATE_URL, LIBRETRANSLATE_API_KEY, fallback_to_dummy=False
)

# A new translation starts as a draft; a moderator publishes it (practices.permissions).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
