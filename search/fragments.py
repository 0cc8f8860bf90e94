"""Parts of a page's template kept rendered in the cache (`{% index_cached %}`): the parts
that depend only on the page's published revision, the reader's language and the search
index. Every change that such a part shows reaches the index: a case study published (its
practice is indexed again), a library renamed, a term's label changed. So a part is kept
until the index changes, and a new version of the page has new keys.

Rendered afresh, and not kept, in previews and for pages that are not live. Nothing that
depends on who is reading (the partner's "Adapt" button, "sign in to report a run") may be
inside such a part."""

from django.core.cache import caches
from django.utils.translation import get_language

from . import versions

CACHE = "fragments"


def fragment_key(name: str, page, request) -> str | None:
    """The cache key of a part of `page`, or None when it must be rendered afresh."""
    if page is None or not page.live or getattr(request, "is_preview", False):
        return None
    host = request.get_host() if request is not None else ""
    version = ":".join(str(part) for part in versions.index_version())
    revision = page.live_revision_id or page.last_published_at
    return f"{name}:{page.pk}:{revision}:{get_language()}:{host}:{version}"


def cached_fragment(name: str, page, request, render) -> str:
    """`render()`'s HTML, from the cache when it was rendered for the same key."""
    key = fragment_key(name, page, request)
    if key is None:
        return render()
    cache = caches[CACHE]
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html)
    return html
