"""Autocomplete for the search box: pages whose title, in the reader's language (else the
original), has words starting with what is being typed. The words before the last must be
whole; the last may be partial.

Elasticsearch answers when it is the active backend and can (`suggest_titles`); otherwise, and
whenever it is unavailable, the database's full-text index does, through the plain (unstemmed,
folded) title tokens that indexing already stores."""

import logging

from django.db import connection

from . import analysis
from .backends import BackendUnavailable
from .backends.database import DatabaseBackend, index_token, is_postgres
from .models import SearchEntry
from .params import MAX_QUERY_LENGTH, normalise_query
from .service import get_backend

logger = logging.getLogger(__name__)
MIN_LENGTH = 2
MAX_SUGGESTIONS = 8
MAX_WORDS = 6
SUGGESTION_FIELDS = ("key", "type", "title", "url")
# Candidates read per suggestion shown: the index also holds stemmed title tokens, and a
# prefix of a stem is not always a prefix of a word of the title.
OVERFETCH = 3


def suggestions(text: str, lang: str, limit: int = MAX_SUGGESTIONS) -> list[dict]:
    """Up to `limit` {key, type, title, url} for the text typed so far."""
    text = normalise_query(text or "")[:MAX_QUERY_LENGTH]
    if len(text) < MIN_LENGTH:
        return []
    try:
        backend = get_backend()
        if hasattr(backend, "suggest_titles"):
            return [_shape(item) for item in backend.suggest_titles(text, lang, limit)][:limit]
    except BackendUnavailable as error:
        logger.warning("Autocomplete answered from the database: %s", error)
    return suggest_titles(text, lang, limit)


def _shape(item) -> dict:
    get = item.get if isinstance(item, dict) else lambda name: getattr(item, name)
    return {name: get(name) for name in SUGGESTION_FIELDS}


def suggest_titles(text: str, lang: str, limit: int = MAX_SUGGESTIONS) -> list[dict]:
    """The database side: a prefix query on the title tokens of the version each group shows
    in `lang`."""
    words = [index_token(t) for t in analysis.analyze(text, None, "plain")][-MAX_WORDS:]
    if not words:
        return []
    *whole, partial = words
    if is_postgres():
        sql, args = _postgres_query(whole, partial)
    else:
        sql, args = _sqlite_query(whole, partial)
    shown_sql, shown_args = DatabaseBackend._display_condition(lang)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH matched AS MATERIALIZED ({sql})
            SELECT d.page_id FROM matched m JOIN search_searchentry d ON d.page_id = m.id
            WHERE {shown_sql}
            ORDER BY LENGTH(d.title), d.sort_title, d.page_id
            LIMIT %s""",
            [*args, *shown_args, limit * OVERFETCH],
        )
        ids = [row[0] for row in cursor.fetchall()]
    documents = _documents(ids)
    found = []
    for page_id in ids:
        document = documents[page_id]
        at_start = _begins_with_typed(document["title"], whole, partial)
        if at_start is not None:
            found.append((at_start, {name: document[name] for name in SUGGESTION_FIELDS}))
    # Titles that begin with what was typed first, then the shorter ones (the order read).
    found.sort(key=lambda item: not item[0])
    return [suggestion for _at_start, suggestion in found[:limit]]


def _sqlite_query(whole, partial):
    terms = [f'"{w}"' for w in whole] + [f'"{partial}"*']
    expression = "{title} : (" + " AND ".join(terms) + ")"
    return (
        "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s",
        [expression],
    )


def _postgres_query(whole, partial):
    query = " & ".join([f"'{w}':A" for w in whole] + [f"'{partial}':*A"])
    return (
        "SELECT page_id AS id FROM search_searchentry "
        "WHERE search_vector @@ to_tsquery('simple', %s)",
        [query],
    )


def _documents(ids) -> dict:
    return dict(SearchEntry.objects.filter(page_id__in=ids).values_list("page_id", "document"))


def _begins_with_typed(title: str, whole, partial) -> bool | None:
    """None when the title lacks the typed words; else whether it begins with them."""
    tokens = [index_token(t) for t in analysis.analyze(title, None, "plain")]
    if not set(whole) <= set(tokens) or not any(t.startswith(partial) for t in tokens):
        return None
    return tokens[0].startswith(whole[0] if whole else partial)
