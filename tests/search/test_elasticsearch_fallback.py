"""When Elasticsearch is down or hangs, searching still answers, from the database, within two
seconds; and publishing still works and keeps the database index current.

The time limits are behaviour bounds (a search page must not hang), with room for CI jitter:
they are not benchmarks."""

import importlib
import socket
import threading
import time

import pytest
from django.test import override_settings

from search.backends.database import DatabaseBackend
from search.models import SearchEntry
from search.params import parse_params
from search.service import search
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db
ANSWER_WITHIN_SECONDS = 2.5


@pytest.fixture
def closed_port():
    """A local port nothing listens on: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def silent_node():
    """A local server that accepts connections, reads the request and never answers."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    held, stop = [], threading.Event()

    def accept_and_hold():
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)

    thread = threading.Thread(target=accept_and_hold, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(timeout=2)
    for connection in held:
        connection.close()
    server.close()


@pytest.fixture
def practice():
    # Published while Elasticsearch is not configured: the database index has it.
    page = PracticeFactory(
        slug="debate-night", title="Debate night", summary="Young people question candidates."
    )
    # Warm up (imports, translations, the vocabulary cache) so that the timings below measure
    # the fallback, not a cold start.
    importlib.import_module("search.backends.elasticsearch")
    search(parse_params({"q": "debate", "lang": "en"}, "en"), DatabaseBackend())
    return page


def timed_search(url, q):
    with override_settings(ELASTICSEARCH_URL=url, ELASTICSEARCH_INDEX_PREFIX="kb-fallback"):
        started = time.monotonic()
        result = search(parse_params({"q": q, "lang": "en"}, "en"))
        return result, time.monotonic() - started


def test_search_answers_from_the_database_when_elasticsearch_refuses(closed_port, practice):
    result, seconds = timed_search(closed_port, "debate")

    assert result.backend == "database"
    assert result.notice
    assert [hit.key for hit in result.results] == ["debate-night"]
    assert seconds < ANSWER_WITHIN_SECONDS


def test_search_answers_from_the_database_when_elasticsearch_never_answers(silent_node, practice):
    result, seconds = timed_search(silent_node, "debate")

    assert result.backend == "database"
    assert result.notice
    assert [hit.key for hit in result.results] == ["debate-night"]
    assert seconds < ANSWER_WITHIN_SECONDS


def test_the_fallback_notice_is_not_part_of_the_api_answer(closed_port, practice):
    result, _seconds = timed_search(closed_port, "debate")

    assert "notice" not in result.as_dict()


def test_publishing_with_elasticsearch_down_succeeds_and_updates_the_database_index(
    closed_port,
):
    with override_settings(ELASTICSEARCH_URL=closed_port, ELASTICSEARCH_INDEX_PREFIX="kb-fallback"):
        page = PracticeFactory(
            slug="village-assembly", title="Village assembly", summary="Decisions, together."
        )
        result = search(parse_params({"q": "assembly", "lang": "en"}, "en"))

    page.refresh_from_db()
    assert page.live
    assert SearchEntry.objects.filter(page_id=page.pk, title="Village assembly").exists()
    assert result.backend == "database"
    assert [hit.key for hit in result.results] == ["village-assembly"]
