import pytest
from django.core.cache import caches
from django.utils import translation
from wagtail.models import Locale

from kb.models import HomePage

LANGUAGE_CODES = ["en", "lv", "fi", "et", "da", "sv"]


@pytest.fixture(autouse=True)
def _fresh_search_word_caches():
    """The vocabulary, synonym sets and glossary each process keeps are reloaded in every
    test: a rolled-back test's words must not be found by the next one."""
    from search import glossary, service, synonyms, versions, vocabulary
    from search.backends.database import FACET_SETS

    # A new index version: what a rolled-back test left in the shared cache under the old
    # one (a glossary of its pages, say) is not read again.
    versions.bump(versions.INDEX)
    vocabulary._cache.version = object()
    synonyms._loaded["version"] = object()
    glossary._state.update(version=object(), learned_at=float("-inf"), pairs=None)
    FACET_SETS.forget()
    service._LABEL_SOURCES.forget()
    caches["fragments"].clear()  # page parts rendered for a rolled-back test's pages


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in the default language, whatever the previous one activated."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def locales(db):
    return {locale.language_code: locale for locale in Locale.objects.all()}


@pytest.fixture
def home_pages(db):
    """The home page of each locale, created by migrate (kb.setup.ensure_site_structure)."""
    return {page.locale.language_code: page for page in HomePage.objects.select_related("locale")}
