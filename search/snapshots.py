"""What a process keeps in memory from the embedded index (the facet bitmaps, which the
related practices use too, and the facet labels), built from the index and built again when the index's version changes.

When this process changed the index itself (an editor publishing, a test), the next use builds
at once, so that the change shows in its own next answer. A change made by another process
(the task worker, an import) is built in a background thread while the previous snapshot
answers, as Elasticsearch's refresh makes new documents visible a moment later: at 10 000
practices a build takes about a second, which a search should not wait for. While another
process keeps changing the index (an import, a rebuild), a process builds again only after
waiting BACKGROUND_SPACING times as long as its last build took, so that it spends at most a
fraction of a core on building and new pages show a few builds' time later."""

import logging
import threading
import time
from collections.abc import Callable

from django.db import connection

logger = logging.getLogger(__name__)

_changes_here = 0  # index changes made by this process
BACKGROUND_SPACING = 3


def index_changed_here() -> None:
    global _changes_here
    _changes_here += 1


class Snapshot:
    def __init__(self, build: Callable[[], object], version: Callable[[], object]):
        self._build = build
        self._version = version
        self._value = None
        self._built_for = None  # (index version, changes here) when built
        self._next_background_build = 0.0  # time.monotonic()
        self._lock = threading.Lock()

    def get(self):
        version = self._version()  # before building: a change during the build shows next time
        if self._value is None or self._built_for[1] != _changes_here:
            with self._lock:
                if self._value is None or self._built_for[1] != _changes_here:
                    self._store(version, _changes_here)
        elif (
            self._built_for[0] != version
            and time.monotonic() >= self._next_background_build
            and self._lock.acquire(blocking=False)
        ):
            threading.Thread(
                target=self._build_in_background, args=(version, _changes_here), daemon=True
            ).start()
        return self._value

    def warm(self) -> None:
        """Builds in a background thread now, if nothing is loaded yet (a web worker that has
        just started): its first search waits for this build instead of starting another."""
        if self._value is None and self._lock.acquire(blocking=False):
            threading.Thread(target=self._build_in_background, daemon=True).start()

    def forget(self) -> None:
        """The next use builds at once."""
        self._value = None

    def _store(self, version, changes) -> None:
        started = time.monotonic()
        value = self._build()
        self._value, self._built_for = value, (version, changes)
        finished = time.monotonic()
        self._next_background_build = finished + BACKGROUND_SPACING * (finished - started)

    def _build_in_background(self, version=None, changes=None) -> None:
        try:
            if version is None:
                version, changes = self._version(), _changes_here
            self._store(version, changes)
        except Exception:  # the previous snapshot keeps answering; the next change retries
            logger.exception("Could not build a search snapshot in the background")
        finally:
            self._lock.release()
            connection.close()  # this thread's own database connection
