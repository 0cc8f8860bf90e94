"""Reindexing with the text analysis in worker processes (`search.parallel`) leaves the very
index that analysing in one process leaves: entries, facet values, vocabulary and the
database's full-text index, on SQLite and on PostgreSQL."""

import pytest
from django.db import connection

from search import operations, parallel
from search.models import SearchEntry, SearchFacetValue, SearchTerm
from tests.factories import (
    CaseStudyFactory,
    LibraryFactory,
    MeetingFactory,
    PracticeFactory,
    translate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    """Pages in every language, with lemmas, compounds, folding and labels to analyse."""
    library = LibraryFactory(title="Turun kaupunginkirjasto", slug="turku", locale="fi")
    meeting = MeetingFactory(title="Kohtumine raamatukogus", slug="tallinn", locale="et")
    practice = PracticeFactory(
        title="Kirjaston vaalipaneeli",
        slug="election-panel",
        locale="fi",
        summary="Kunnallisvaalien ehdokkaat kirjastonhoitajan haastattelemina.",
        themes=["elections", "dialogue"],
        tags=["valgmøde", "debate-night"],
        library=library,
        meeting=meeting,
    )
    translate(practice, "sv", title="Valdebatt på biblioteket", summary="Kommunalvalet i fokus.")
    translate(practice, "lv", title="Vēlēšanu debates bibliotēkā", summary="Dzīvā bibliotēka.")
    PracticeFactory(
        title="Valgmøde på biblioteket",
        slug="valgmode",
        locale="da",
        summary="Et vælgermøde med kandidaterne til kommunalvalget.",
        themes=["elections"],
    )
    PracticeFactory(title="Living library", slug="living", summary="People as books 📚.")
    CaseStudyFactory(title="Raamatukoguhoidja päevik", locale="et", practice=practice)


def index_state() -> dict:
    fields = [f.attname for f in SearchEntry._meta.concrete_fields]
    state = {
        "entries": list(SearchEntry.objects.order_by("page_id").values_list(*fields)),
        "facets": sorted(SearchFacetValue.objects.values_list("entry_id", "facet", "value")),
        "terms": dict(SearchTerm.objects.values_list("term", "entry_count")),
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT page_id, search_vector::text FROM search_searchentry")
        else:
            cursor.execute("SELECT rowid, title, keywords, summary, body, locale FROM search_fts")
        state["full_text"] = sorted(cursor.fetchall())
    return state


def test_a_rebuild_with_two_workers_leaves_the_index_one_process_leaves(network, monkeypatch):
    # Batches of two pages, so that several are analysed at once and come back out of turn.
    monkeypatch.setattr(operations, "BATCH_SIZE", 2)

    assert operations.rebuild(workers=1) == {"indexed": 9}
    alone = index_state()
    assert operations.rebuild(workers=2) == {"indexed": 9}

    assert index_state() == alone
    compounds = SearchEntry.objects.filter(locale__in=["fi", "et", "da", "sv"])
    assert all(" zp" in f"{e.title_tokens} {e.summary_tokens}" for e in compounds)


def test_sync_with_workers_indexes_what_is_missing_as_one_process_does(network, monkeypatch):
    import search.indexing
    from search.backends.database import remove_pages

    monkeypatch.setattr(search.indexing, "BATCH_SIZE", 2)
    operations.rebuild(workers=1)
    complete = index_state()
    missing = SearchEntry.objects.filter(locale__in=["fi", "sv", "et", "da"])
    remove_pages(list(missing.values_list("page_id", flat=True)))

    assert operations.sync(workers=2) == {"indexed": 6, "removed": 0}

    assert index_state() == complete


def test_the_number_of_workers_comes_from_the_setting_else_the_cores(settings):
    settings.SEARCH_INDEX_WORKERS = 3
    assert parallel.worker_count() == 3
    assert parallel.worker_count(1) == 1
    settings.SEARCH_INDEX_WORKERS = 0
    assert parallel.worker_count() == parallel.usable_cores() >= 1
