"""The circuit breaker in front of Elasticsearch: after a few failures in a row, searches
answer from the database without asking it; after the cooling-off period one request tries
again; `search_index status` shows which server processes are affected."""

import socket
import time
from io import StringIO

import pytest
from django.core.management import call_command

from benchmarks.faults import SilentServer
from search.backends import BackendUnavailable, breaker
from search.backends.breaker import Breaker, CircuitOpen, EngineRefused
from search.models import OpenCircuit

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


TIMED_OUT = BackendUnavailable("Elasticsearch search: timed out")


def fail(circuit, error=TIMED_OUT):
    with pytest.raises(type(error)), circuit.guarding("search"):
        raise error


def succeed(circuit):
    with circuit.guarding("search"):
        pass


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def circuit(clock):
    return Breaker(failures_to_open=3, cool_off=30, clock=clock)


def test_two_failures_keep_asking_the_third_opens_the_circuit(circuit):
    fail(circuit)
    fail(circuit)
    assert circuit.admits()

    fail(circuit)

    assert not circuit.admits()
    with pytest.raises(CircuitOpen), circuit.guarding("search"):
        raise AssertionError("Elasticsearch must not be asked while the circuit is open")
    assert OpenCircuit.objects.get().failures == 3


def test_a_success_between_failures_starts_the_count_again(circuit):
    fail(circuit)
    fail(circuit)
    succeed(circuit)
    fail(circuit)
    fail(circuit)

    assert circuit.admits()
    assert not OpenCircuit.objects.exists()


def test_after_the_cooling_off_period_one_request_probes_while_the_others_wait(circuit, clock):
    for _ in range(3):
        fail(circuit)
    clock.now = 29.9
    assert not circuit.admits()

    clock.now = 30.0
    assert circuit.admits()  # the probe
    assert not circuit.admits()  # everyone else while it runs
    assert not circuit.admits()


def test_a_probe_that_succeeds_closes_the_circuit_and_clears_the_record(circuit, clock):
    for _ in range(3):
        fail(circuit)
    clock.now = 31

    succeed(circuit)

    assert circuit.admits() and circuit.admits()
    assert not OpenCircuit.objects.exists()


def test_a_probe_that_fails_opens_the_circuit_for_another_period(circuit, clock):
    for _ in range(3):
        fail(circuit)
    opened_at = OpenCircuit.objects.get().opened_at
    clock.now = 31

    fail(circuit)

    assert not circuit.admits()
    clock.now = 60
    assert not circuit.admits()
    clock.now = 61
    assert circuit.admits()
    record = OpenCircuit.objects.get()
    assert record.failures == 4
    assert record.opened_at == opened_at  # open since the first time, not since the probe


def test_a_refused_request_is_elasticsearch_answering(circuit):
    for _ in range(5):
        fail(circuit, EngineRefused("Elasticsearch search: 400 parsing_exception"))

    assert circuit.admits()


def test_an_error_of_our_own_does_not_leave_the_probe_in_flight(circuit, clock):
    for _ in range(3):
        fail(circuit)
    clock.now = 31

    with pytest.raises(KeyError), circuit.guarding("search"):
        raise KeyError("hits")

    assert circuit.admits()


@pytest.fixture
def hanging_elasticsearch(settings):
    server = SilentServer()
    settings.ELASTICSEARCH_URL = server.url
    settings.ELASTICSEARCH_BREAKER_COOL_OFF = 2
    breaker._breakers.clear()
    yield server
    breaker._breakers.clear()
    server.close()


def requests_after(server, count, before):
    """Waits briefly for requests in flight to be read."""
    deadline = time.monotonic() + 2
    while server.requests < before + count and time.monotonic() < deadline:
        time.sleep(0.02)
    return server.requests - before


def search_index_status(settings) -> str:
    """What `search_index status` prints, run from another process (its own count of the
    documents in Elasticsearch gets a closed port, to answer at once)."""
    url = settings.ELASTICSEARCH_URL
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{probe.getsockname()[1]}"
    status = StringIO()
    try:
        call_command("search_index", "status", stdout=status)
    finally:
        settings.ELASTICSEARCH_URL = url
    return status.getvalue()


def test_a_hanging_elasticsearch_is_asked_three_times_then_not_until_the_probe(
    client, network, hanging_elasticsearch, settings
):
    server = hanging_elasticsearch
    answers = [
        client.get("/api/v1/search", {"q": "living library", "lang": "en"}) for _ in range(8)
    ]

    assert [answer.status_code for answer in answers] == [200] * 8
    assert all(a.json()["results"][0]["key"] == "living-library" for a in answers)
    assert requests_after(server, 3, 0) == 3

    status = search_index_status(settings)
    assert "Circuit breaker open in 1 server process(es)" in status
    assert "3 failures" in status

    settings.ELASTICSEARCH_URL = server.url
    time.sleep(2.1)
    assert client.get("/api/v1/search", {"q": "debate", "lang": "en"}).status_code == 200
    assert client.get("/api/v1/search/suggest", {"q": "liv", "lang": "en"}).status_code == 200
    assert client.get("/en/practices/living-library/").status_code == 200
    assert requests_after(server, 1, 3) == 1  # the probe; it failed, the circuit is open again


def test_status_says_every_circuit_is_closed_when_none_is_open(network, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"

    assert "Circuit breaker: closed in every server process." in search_index_status(settings)


def test_status_forgets_processes_that_ended_with_their_circuit_open(network, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    long_ago = timezone.now() - timedelta(hours=1)
    OpenCircuit.objects.create(
        process="old-host:99",
        opened_at=long_ago,
        failures=3,
        last_error="x",
        next_probe_at=long_ago,
    )
    OpenCircuit.objects.filter(process="old-host:99").update(updated_at=long_ago)

    assert "closed in every server process" in search_index_status(settings)
