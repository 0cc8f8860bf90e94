"""A circuit breaker in front of Elasticsearch's searches, per server process.

Closed, every search goes to Elasticsearch. After `ELASTICSEARCH_BREAKER_FAILURES` failures in
a row (down, timed out, overloaded: what `BackendUnavailable` means), the circuit opens: for
`ELASTICSEARCH_BREAKER_COOL_OFF` seconds searches, suggestions and related practices are
answered from the database at once, instead of each waiting for the timeout. Then one request,
the probe, tries Elasticsearch again while the others keep answering from the database; if it
succeeds the circuit closes, if not it opens for another cooling-off period.

An answer refusing the request (a 4xx) is Elasticsearch at work and counts as a success.
pybreaker was considered: it holds a lock for the whole protected call, which would make a
threaded process send its searches one at a time.

The state of open circuits is written to the database (`OpenCircuit`, one row per process),
only when a circuit opens, a probe fails or the circuit closes, so that `search_index status`
and the admin see every process."""

import logging
import os
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from ..models import OpenCircuit
from . import BackendUnavailable

logger = logging.getLogger(__name__)

CLOSED, OPEN, PROBING = "closed", "open", "probing"


class CircuitOpen(BackendUnavailable):
    """Elasticsearch was not asked: the circuit is open."""


class EngineRefused(BackendUnavailable):
    """Elasticsearch answered, refusing the request: the database answers, the circuit is fine."""


@dataclass
class Breaker:
    failures_to_open: int
    cool_off: float
    clock: object = time.monotonic
    state: str = CLOSED
    failures: int = 0
    opened: float = 0.0
    last_error: str = ""

    def __post_init__(self):
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls) -> "Breaker":
        return cls(settings.ELASTICSEARCH_BREAKER_FAILURES, settings.ELASTICSEARCH_BREAKER_COOL_OFF)

    def admits(self) -> bool:
        """Whether this call may go to Elasticsearch; after the cooling-off period, the first
        caller becomes the probe."""
        with self._lock:
            if self.state == CLOSED:
                return True
            if self.state == OPEN and self.clock() - self.opened >= self.cool_off:
                self.state = PROBING
                return True
            return False

    def succeeded(self) -> None:
        with self._lock:
            was = self.state
            self.state, self.failures = CLOSED, 0
        if was != CLOSED:
            logger.warning("Elasticsearch answers again: circuit closed")
            _forget()

    def failed(self, error: Exception) -> None:
        with self._lock:
            self.failures += 1
            self.last_error = str(error)[:500]
            opens = self.state == PROBING or (
                self.state == CLOSED and self.failures >= self.failures_to_open
            )
            if opens:
                self.state, self.opened = OPEN, self.clock()
        if opens:
            logger.warning(
                "Elasticsearch failed %s times: circuit open, searches answer from the database "
                "for %s s (%s)",
                self.failures,
                self.cool_off,
                self.last_error,
            )
            self._record()

    def _record(self) -> None:
        now = timezone.now()
        state = {
            "failures": self.failures,
            "last_error": self.last_error,
            "next_probe_at": now + timedelta(seconds=self.cool_off),
        }
        try:
            OpenCircuit.objects.update_or_create(
                process=process_name(), defaults=state, create_defaults={**state, "opened_at": now}
            )
        except DatabaseError as error:  # the record is for people; searches go on without it
            logger.warning("Could not record the open circuit: %s", error)

    @contextmanager
    def guarding(self, action: str):
        """Runs a call to Elasticsearch through the breaker (see the module's account)."""
        if not self.admits():
            raise CircuitOpen(f"Elasticsearch {action}: not asked, the circuit is open")
        try:
            yield
        except EngineRefused:
            self.succeeded()
            raise
        except BackendUnavailable as error:
            self.failed(error)
            raise
        except BaseException:
            self.succeeded()  # not Elasticsearch's failure; a probe must not stay in flight
            raise
        self.succeeded()


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def _forget() -> None:
    try:
        OpenCircuit.objects.filter(process=process_name()).delete()
    except DatabaseError as error:
        logger.warning("Could not record the closed circuit: %s", error)


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(url: str) -> Breaker:
    """The breaker of this process for one Elasticsearch address."""
    with _breakers_lock:
        if url not in _breakers:
            _breakers[url] = Breaker.from_settings()
        return _breakers[url]


def open_circuits() -> list[OpenCircuit]:
    """The processes answering from the database because of Elasticsearch, oldest first.
    A process whose circuit stays open rewrites its row with every failed probe, and it
    probes only when it has a search to answer: a row not refreshed for several cooling-off
    periods belongs to a process that has ended or has had no search since, and is left out
    (the process writes it again, open since then, at its next failed probe)."""
    horizon = timezone.now() - timedelta(seconds=3 * settings.ELASTICSEARCH_BREAKER_COOL_OFF + 60)
    OpenCircuit.objects.filter(updated_at__lt=horizon).delete()
    return list(OpenCircuit.objects.order_by("opened_at"))
