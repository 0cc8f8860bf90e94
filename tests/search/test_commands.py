"""`manage.py search_index rebuild|status|sync`: what they do and what they print."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper

from search.management.commands.search_index import Progress
from search.models import SearchEntry, SearchFacetValue, SearchTerm
from tests.factories import LibraryFactory, PracticeFactory, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    living = PracticeFactory(title="Dzīvā bibliotēka", slug="living-library", locale="lv")
    translate(living, "en", title="Living library")
    LibraryFactory(title="Turku City Library", slug="turku", locale="fi")
    return living


def run(*args) -> str:
    out = StringIO()
    call_command("search_index", *args, stdout=out)
    return out.getvalue()


def table(output: str) -> dict:
    """{language: [numbers]} from the status table."""
    rows = {}
    for line in output.splitlines():
        cells = line.split()
        if cells and cells[0] in {"en", "lv", "fi", "et", "da", "sv", "all"}:
            rows[cells[0]] = [int(c) for c in cells[1:]]
    return rows


def test_status_compares_indexed_documents_with_live_pages(pages):
    output = run("status")

    assert output.splitlines()[0].split() == ["Language", "Live", "pages", "Database"]
    rows = table(output)
    assert rows["en"] == [1, 1]
    assert rows["lv"] == [1, 1]
    assert rows["fi"] == [1, 1]
    assert rows["sv"] == [0, 0]
    assert rows["all"] == [3, 3]
    assert "Every live page is indexed." in output


def test_status_says_when_the_index_is_behind(pages):
    SearchEntry.objects.filter(locale="lv").delete()

    output = run("status")

    assert table(output)["lv"] == [1, 0]
    assert "Out of step in: lv. Run `manage.py search_index sync`." in output


def test_sync_indexes_what_is_missing_and_removes_what_is_gone(pages):
    from search.backends.database import remove_pages

    remove_pages(SearchEntry.objects.filter(locale="lv").values_list("page_id", flat=True))
    output = run("sync")

    assert "Synchronised: 1 pages indexed, 0 removed." in output
    assert table(run("status"))["lv"] == [1, 1]


def test_rebuild_reports_progress_per_language(pages):
    SearchEntry.objects.all().delete()

    output = run("rebuild", "--interval", "0")

    assert output.splitlines()[0] == "Rebuilding the search index: 3 live pages."
    assert "Indexed 3/3: en 1/1  lv 1/1  fi 1/1  et 0/0  da 0/0  sv 0/0 in " in output
    assert "Rebuilt: 3 documents indexed." in output
    assert SearchEntry.objects.count() == 3


def test_a_rebuild_leaves_the_same_index_and_vocabulary_as_indexing_page_by_page(pages):
    def index_state():
        entries = {
            entry.page_id: (entry.title_tokens, entry.body_tokens, entry.facet_text)
            for entry in SearchEntry.objects.all()
        }
        facets = sorted(SearchFacetValue.objects.values_list("entry_id", "facet", "value"))
        return entries, facets, dict(SearchTerm.objects.values_list("term", "entry_count"))

    page_by_page = index_state()
    run("rebuild")

    assert index_state() == page_by_page
    assert page_by_page[2]["turku"] == 1


def test_rebuild_without_a_terminal_prints_a_line_every_few_seconds():
    out = StringIO()
    now = [0.0]
    progress = Progress(
        OutputWrapper(out), {"en": 4, "fi": 2}, tty=False, interval=5, clock=lambda: now[0]
    )

    progress([{"locale": "en"}])
    now[0] = 2
    progress([{"locale": "en"}])
    now[0] = 6
    progress([{"locale": "fi"}])

    assert out.getvalue().splitlines() == ["Indexed 3/6: en 2/4  fi 1/2"]


def test_rebuild_on_a_terminal_draws_a_bar():
    out = StringIO()
    progress = Progress(OutputWrapper(out), {"en": 2, "fi": 2}, tty=True, clock=lambda: 0.0)

    progress([{"locale": "en"}, {"locale": "en"}, {"locale": "fi"}])
    progress.finish()

    text = out.getvalue()
    assert text.startswith("\r[" + "#" * 22 + "." * 8 + "]  75%  en 2/2  fi 1/2")
    assert text.endswith("Indexed 3/4: en 2/2  fi 1/2 in 0.0 s.\n")


def test_status_with_elasticsearch_unreachable_says_so_instead_of_failing(pages, settings):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port}"

    output = run("status")

    assert table(output)["en"] == [1, 1]
    assert "Elasticsearch cannot be reached" in output
    assert "searches are answered from the database index." in output
