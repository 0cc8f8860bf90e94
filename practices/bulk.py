"""Publishing many pages at once (an import): listeners that react to each publication (the
search index) can collect the pages and handle them together at the end instead."""

import contextvars
from contextlib import contextmanager

from django.dispatch import Signal

# Sent once when a bulk operation ends, with `page_ids`: every page published, unpublished or
# moved inside it.
bulk_publishing_finished = Signal()

_collected: contextvars.ContextVar[set | None] = contextvars.ContextVar(
    "kb_bulk_pages", default=None
)


@contextmanager
def bulk_publishing():
    if _collected.get() is not None:  # nested: the outermost one reports
        yield
        return
    token = _collected.set(set())
    try:
        yield
        page_ids = _collected.get()
    finally:
        _collected.reset(token)
    bulk_publishing_finished.send(sender=None, page_ids=sorted(page_ids))


def collect(page_ids) -> bool:
    """Inside a bulk operation: remember the pages and return True (the caller defers)."""
    collected = _collected.get()
    if collected is None:
        return False
    collected.update(page_ids)
    return True
