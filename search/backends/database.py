"""The embedded search backend: the database's own full-text index over tokens produced by
`search.analysis`, so that it matches exactly what Elasticsearch's analyzers match.

SQLite: an FTS5 table `search_fts` (rowid = page id) with one column per weighted field.
PostgreSQL: a weighted tsvector column on `search_searchentry` with a GIN index (title A,
keywords B, summary C, body D). A query's filters and facet counts are intersections of
bitmaps (`search.facet_sets`); browsing's come from `SearchFacetValue` in SQL."""

from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import connection, transaction
from pyroaring import BitMap

from languages.codes import language_codes
from languages.groups import shown_version
from languages.reader import reading_order
from practices.evidence import LEVELS as EVIDENCE_LEVELS
from search import analysis, facet_sets, snapshots, versions
from search.matching import (
    ANCHORED_CAP,
    ANCHORED_SHARE,
    COVERAGE,
    PHRASE_SHARE,
    TYPE_WEIGHTS,
    word_matches,
)
from search.models import SearchEntry, SearchFacetValue
from search.params import FILTERS
from search.plan import QueryPlan, plan_query
from search.tokens import index_token, keyword_tokens, text_tokens
from search.vocabulary import Vocabulary

from . import RawHit, RawResult

LANGUAGES = [code for code, _name in settings.LANGUAGES]
FACETS = FILTERS  # every filter is counted as a facet
TOP_TAGS = 20
# Column weights: title above tags and taxonomy, above summary, above body.
WEIGHTS = {"title": 10.0, "keywords": 5.0, "summary": 3.0, "body": 1.0}
# SQLite: the index a query's matches are read through (migration 0004).
MATCHES_INDEX = "search_entry_matches"


def _index_changed() -> None:
    versions.index_changed()
    snapshots.index_changed_here()


def entries_read_lightly(alias: str) -> str:
    """The entries table, for reading only page id, translation key, publication date and
    facet values: on SQLite through the index that holds them (migration 0004), so that the
    large document and token columns are never visited. Dates read as text, which sorts the
    same, spares parsing each one."""
    if is_postgres():
        return f"search_searchentry {alias}"
    return f"search_searchentry {alias} INDEXED BY {MATCHES_INDEX}"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- indexing ----------------------------------------------------------------------------


def plain_words(document: dict) -> set[str]:
    """The unstemmed words of a document: its contribution to the vocabulary. Each text is
    analysed on its own, as indexing just did (the tokenizer caches the latest texts)."""
    texts = [document["title"], document["summary"], document["body"], *document["tags"]]
    texts += [" ".join(labels) for labels in document["taxonomy_labels"].values()]
    return {t for text in texts for t in analysis.analyze(text, None, "plain") if len(t) <= 255}


# Separators of an entry's facet values in `SearchEntry.facet_text`: control characters that
# no tag, slug or code contains.
FACET_SEPARATOR, VALUE_SEPARATOR = "\x1f", "\x1e"


def facet_values(document: dict) -> list[tuple[str, str]]:
    values = [("type", document["type"])]
    values += [("theme", s) for s in document["themes"]]
    values += [("audience", s) for s in document["audiences"]]
    values += [("tag", t[:200]) for t in document["tags"]]
    values += [("language", code) for code in document["available_locales"]]
    for name in ("format", "country", "library", "meeting", "stage"):
        if document[name]:
            values.append((name, document[name]))
    if document.get("evidence"):  # documents indexed before evidence levels lack it
        values.append(("evidence", document["evidence"]))
    return values


EVIDENCE_RANKS = {level.slug: level.rank for level in EVIDENCE_LEVELS}
_EVIDENCE_PREFIX = f"evidence{VALUE_SEPARATOR}"


def evidence_rank(facet_text: str) -> int:
    """The rank of the evidence level among an entry's facet values; 0 for pages other than
    practices."""
    start = facet_text.find(_EVIDENCE_PREFIX)
    if start < 0:
        return 0
    value = facet_text[start + len(_EVIDENCE_PREFIX) :].split(FACET_SEPARATOR, 1)[0]
    return EVIDENCE_RANKS.get(value, 0)


def evidence_rank_sql(value: str) -> str:
    """`evidence_rank` of the facet value column `value` in SQL."""
    cases = " ".join(f"WHEN '{slug}' THEN {rank}" for slug, rank in EVIDENCE_RANKS.items())
    return f"(CASE {value} {cases} ELSE 0 END)"


def facet_entries(chunk: int = 5000) -> Iterator[tuple]:
    """Every entry's page id, translation key, publication date (as text, which sorts the
    same), facet values as (facet, value) pairs, anchoring and evidence rank: what
    `search.facet_sets` keeps. The versions of a group come one after the other; read in
    chunks, so that the whole index is never held in memory at once."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.page_id, e.translation_key, CAST(e.published_at AS TEXT), e.facet_text, "
            f"e.anchored FROM {entries_read_lightly('e')} ORDER BY e.translation_key"
        )
        while rows := cursor.fetchmany(chunk):
            for page_id, key, published_at, text, anchored in rows:
                yield (
                    page_id,
                    key,
                    published_at,
                    facet_pairs(text),
                    anchored,
                    evidence_rank(text) if text else 0,
                )


# This process's facet bitmaps of the index.
FACET_SETS = snapshots.Snapshot(lambda: facet_sets.build(facet_entries()), versions.index_version)


def facet_pairs(text: str) -> list[tuple[str, str]]:
    """The (facet, value) pairs of an entry's `facet_text`."""
    return (
        [tuple(pair.split(VALUE_SEPARATOR, 1)) for pair in text.split(FACET_SEPARATOR)]
        if text
        else []
    )


def facet_text(document: dict) -> str:
    """All facet values of a document in one string, read with each match of a query."""
    return FACET_SEPARATOR.join(f"{f}{VALUE_SEPARATOR}{v}" for f, v in facet_values(document))


def entry_for(document: dict) -> SearchEntry:
    locale = document["locale"]
    return SearchEntry(
        page_id=document["id"],
        translation_key=document["translation_key"],
        type=document["type"],
        locale=locale,
        original_locale=document["original_locale"],
        available_locales="," + ",".join(document["available_locales"]) + ",",
        key=document["key"],
        title=document["title"][:255],
        anchored=(document.get("spread") or {}).get("anchored", 0),
        sort_title=analysis.fold(document["title"].lower())[:255],
        published_at=document["published_at"],
        document=_jsonable(document),
        title_tokens=" ".join(text_tokens(document["title"], locale)),
        keyword_tokens=" ".join(keyword_tokens(document)),
        summary_tokens=" ".join(text_tokens(document["summary"], locale)),
        body_tokens=" ".join(text_tokens(document["body"], locale)),
        facet_text=facet_text(document),
    )


def _jsonable(document: dict) -> dict:
    data = dict(document)
    for name in ("date", "published_at", "last_published_at"):
        if data[name] is not None:
            data[name] = data[name].isoformat()
    return data


def analysed(document: dict) -> tuple[SearchEntry, set[str]]:
    """A document's entry (its tokens) and its words for the vocabulary: all the text analysis
    indexing does, without the database, so that it can run in another process."""
    return entry_for(document), plain_words(document)


def index_documents(
    documents: Iterable[dict],
    vocabulary_changes: Counter | None = None,
    analyses: list[tuple[SearchEntry, set[str]]] | None = None,
) -> int:
    """Adds or replaces the entries of these documents. Returns how many were written.

    With `vocabulary_changes`, the change in word counts is added there, for the caller to
    apply once after many batches (`Vocabulary.apply`) instead of updating the same terms
    again with every batch. `analyses`: `analysed(document)` of each document, when it was
    done elsewhere (worker processes: `search.parallel`); otherwise it is done here."""
    documents = list(documents)
    if not documents:
        return 0
    ids = [d["id"] for d in documents]
    if analyses is None:
        analyses = [analysed(document) for document in documents]
    entries = [entry for entry, _words in analyses]
    new_words = {
        document["id"]: words for document, (_entry, words) in zip(documents, analyses, strict=True)
    }
    with transaction.atomic():
        old_words = _words_of(ids)
        _delete_rows(ids)
        SearchEntry.objects.bulk_create(entries, batch_size=500)
        with connection.cursor() as cursor:  # cheaper than bulk_create for many small rows
            cursor.executemany(
                f"INSERT INTO {SearchFacetValue._meta.db_table} (entry_id, facet, value) "
                "VALUES (%s, %s, %s)",
                [(d["id"], f, v) for d in documents for f, v in facet_values(d)],
            )
        _write_full_text(entries)
        changes = Vocabulary.changes(old_words, new_words)
        if vocabulary_changes is None:
            Vocabulary.apply(changes)
        else:
            vocabulary_changes.update(changes)
    _index_changed()
    return len(entries)


def remove_pages(page_ids: Iterable[int]) -> int:
    ids = list(page_ids)
    if not ids:
        return 0
    with transaction.atomic():
        old_words = _words_of(ids)
        removed = _delete_rows(ids)
        Vocabulary.apply_changes(old_words, {})
    _index_changed()
    return removed


def _words_of(ids) -> dict:
    words = {}
    for entry in SearchEntry.objects.filter(page_id__in=ids).only("page_id", "document"):
        words[entry.page_id] = plain_words(entry.document)
    return words


def _delete_rows(ids) -> int:
    """Removes these entries, their facet values and full-text rows; returns how many entries
    were removed. In SQL: Django's delete() would load every entry, document and all, first."""
    removed = 0
    with connection.cursor() as cursor:
        for chunk in _chunks(ids, 500):
            placeholders = ",".join(["%s"] * len(chunk))
            if not is_postgres():
                cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({placeholders})", chunk)
            cursor.execute(
                f"DELETE FROM {SearchFacetValue._meta.db_table} WHERE entry_id IN ({placeholders})",
                chunk,
            )
            cursor.execute(
                f"DELETE FROM {SearchEntry._meta.db_table} WHERE page_id IN ({placeholders})",
                chunk,
            )
            removed += cursor.rowcount
    return removed


def _write_full_text(entries):
    with connection.cursor() as cursor:
        if is_postgres():
            for chunk in _chunks([e.page_id for e in entries], 500):
                cursor.execute(
                    "UPDATE search_searchentry SET search_vector = "
                    "setweight(to_tsvector('simple', title_tokens), 'A') || "
                    "setweight(to_tsvector('simple', keyword_tokens), 'B') || "
                    "setweight(to_tsvector('simple', summary_tokens), 'C') || "
                    "setweight(to_tsvector('simple', body_tokens), 'D') "
                    f"WHERE page_id IN ({','.join(['%s'] * len(chunk))})",
                    chunk,
                )
        else:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, keywords, summary, body, locale) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (
                        e.page_id,
                        e.title_tokens,
                        e.keyword_tokens,
                        e.summary_tokens,
                        e.body_tokens,
                        "l" + e.locale,
                    )
                    for e in entries
                ],
            )


def clear_index():
    with transaction.atomic(), connection.cursor() as cursor:
        if not is_postgres():
            cursor.execute("DELETE FROM search_fts")
        # In SQL: Django's delete() would first load every entry, document and all.
        cursor.execute(f"DELETE FROM {SearchFacetValue._meta.db_table}")
        cursor.execute(f"DELETE FROM {SearchEntry._meta.db_table}")
        Vocabulary.clear()
    _index_changed()


def prior_sql(entry: str) -> str:
    """`search.matching.prior` of the entry `entry` in SQL."""
    kinds = " ".join(f"WHEN '{kind}' THEN {weight}" for kind, weight in TYPE_WEIGHTS.items())
    capped = f"(CASE WHEN {entry}.anchored > {ANCHORED_CAP} THEN {ANCHORED_CAP} ELSE {entry}.anchored END)"
    return f"(CASE {entry}.type {kinds} ELSE 1.0 END) * (1 + {ANCHORED_SHARE} * {capped})"


def _most_used(counts: dict) -> dict:
    """The TOP_TAGS values found most often (ties alphabetically)."""
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_TAGS])


def _chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- querying ----------------------------------------------------------------------------


class DatabaseBackend:
    name = "database"

    def search(self, params) -> RawResult:
        plan = plan_query(params.query, params.lang) if params.query else None
        if params.query and plan is None:
            return RawResult(total=0, hits=[], facets={name: {} for name in FACETS})
        matches = word_matches(plan, params.lang) if plan is not None else []
        if plan is not None and params.effective_sort != "title":
            result = self._search_matches(plan, params, matches)
        else:
            result = self._search_all(plan, params, matches)
        result.matches = matches
        return result

    def _search_matches(self, plan, params, matches=None) -> RawResult:
        """Words to look for: the full-text index gives each matching entry once, with its
        score; filters, totals and facet counts are intersections of the index's bitmaps
        (`search.facet_sets`), and only the groups that can reach the page asked for are
        sorted. In relevance order only the best-scored matches are read with their scores
        (`_rows_to_read`); the others' page ids come as one text."""
        matched_sql, matched_args = self._matched(plan, params.lang, matches)
        sets = FACET_SETS.get()
        needed = params.offset + params.page_size
        limit = _rows_to_read(sets, params, needed)
        ids, rows = _read_matches(matched_sql, matched_args, limit)
        # Entries another process has just written, which the sets will hold in a moment
        # (`search.snapshots`), or full-text rows whose entry is gone (removed while this
        # query ran, or a table emptied under the full-text index, as a test's flush does):
        # not results yet, or no longer.
        matched_ids = BitMap(ids)

        def indexed(rows):
            return [row for row in rows if row[0] in matched_ids]

        if not matched_ids.issubset(sets.page_ids):
            matched_ids &= sets.page_ids
            rows = indexed(rows)
        matched = facet_sets.filter_and_count(sets, matched_ids, params.filters, FACETS)
        facets = matched.facets
        facets["tag"] = _most_used(facets["tag"])
        complete = limit is None or len(ids) <= limit
        page = facet_sets.ranked_groups(
            sets, rows, matched_ids, matched, params.effective_sort, needed, complete
        )
        if page is None:  # the best-scored matches held too few that pass the filters
            _ids, rows = _read_matches(matched_sql, matched_args, None)
            rows = indexed(rows)  # as the first read found them
            page = facet_sets.ranked_groups(
                sets, rows, matched_ids, matched, params.effective_sort, needed, True
            )
        hits = [RawHit(translation_key=key, score=score) for key, score in page[params.offset :]]
        return RawResult(total=matched.total, hits=hits, facets=facets)

    def _search_all(self, plan, params, matches=None) -> RawResult:
        """Browsing (no words), or sorting by title: filtered, grouped and counted in SQL."""
        matched_sql, matched_args = self._matched(plan, params.lang, matches)
        filters = params.filters
        where, where_args = self._filter_clause(filters, exclude=None)
        order = {
            "relevance": "g.score DESC, g.published_at DESC, g.translation_key",
            "newest": "g.published_at DESC, g.translation_key",
            "title": "d.sort_title, g.translation_key",
            "anchored": "g.anchored DESC, g.published_at DESC, g.translation_key",
            "evidence": "g.evidence DESC, g.score DESC, g.published_at DESC, g.translation_key",
        }[params.effective_sort]
        # Evidence levels are facet values: joined only to sort by them.
        evidence, evidence_join = "0", ""
        if params.effective_sort == "evidence":
            evidence = f"MAX({evidence_rank_sql('ev.value')})"
            evidence_join = (
                f"LEFT JOIN {SearchFacetValue._meta.db_table} ev "
                "ON ev.entry_id = e.page_id AND ev.facet = 'evidence'"
            )
        shown_sql, shown_args = self._display_condition(params.lang)
        sql = f"""
            WITH matched AS MATERIALIZED ({matched_sql}),
            groups AS (
                SELECT e.translation_key,
                    MAX(m.covered * {COVERAGE} + m.relevance * {prior_sql("e")}) AS score,
                    MAX(e.published_at) AS published_at, MAX(e.anchored) AS anchored,
                    {evidence} AS evidence
                FROM matched m JOIN search_searchentry e ON e.page_id = m.id
                {evidence_join}
                WHERE {where}
                GROUP BY e.translation_key
            )
            SELECT g.translation_key, g.score, COUNT(*) OVER () AS total
            FROM groups g
            JOIN search_searchentry d ON d.translation_key = g.translation_key AND {shown_sql}
            ORDER BY {order}
            LIMIT %s OFFSET %s
        """
        args = [
            *matched_args,
            *where_args,
            *shown_args,
            params.page_size,
            params.offset,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            rows = cursor.fetchall()
        total = (
            rows[0][2]
            if rows
            else self._count(matched_sql, matched_args, where, where_args, params)
        )
        hits = [RawHit(translation_key=key, score=float(score or 0)) for key, score, _total in rows]
        facets = self._facets(matched_sql, matched_args, filters)
        return RawResult(total=total, hits=hits, facets=facets)

    def _count(self, matched_sql, matched_args, where, where_args, params) -> int:
        if params.offset == 0:
            return 0
        sql = f"""WITH matched AS MATERIALIZED ({matched_sql})
            SELECT COUNT(DISTINCT e.translation_key) FROM matched m
            JOIN search_searchentry e ON e.page_id = m.id WHERE {where}"""
        with connection.cursor() as cursor:
            cursor.execute(sql, [*matched_args, *where_args])
            return cursor.fetchone()[0]

    @staticmethod
    def _display_condition(lang: str) -> tuple[str, list]:
        """SQL that keeps, of a group's entries `d`, the version a reader of `lang` sees: the
        rule of `languages.groups.shown_version` (the first language of the reader's reading
        order the group has, else its original, else the first in the site's order), written
        over `d.available_locales`."""
        order = reading_order(lang)
        available = "WHEN d.available_locales LIKE %s THEN %s"
        original = (
            "WHEN d.available_locales LIKE '%%,' || d.original_locale || ',%%' "
            "THEN d.original_locale"
        )
        cases = [available] * len(order) + [original] + [available] * len(language_codes())
        args = [value for code in order for value in (f"%,{code},%", code)]
        args += [value for code in language_codes() for value in (f"%,{code},%", code)]
        return f"d.locale = (CASE {' '.join(cases)} END)", args

    def _filter_clause(self, filters: dict, exclude: str | None):
        clauses, args = ["1 = 1"], []
        for name, values in filters.items():
            if name == exclude or not values:
                continue
            placeholders = ",".join(["%s"] * len(values))
            clauses.append(
                "e.page_id IN (SELECT fv.entry_id FROM search_searchfacetvalue fv "
                f"WHERE fv.facet = %s AND fv.value IN ({placeholders}))"
            )
            args += [name, *values]
        return " AND ".join(clauses), args

    def _facets(self, matched_sql, matched_args, filters) -> dict:
        """Value counts per translation group. A facet counts under every filter but its own
        (with a theme chosen, the other themes still show what they would add); the facets
        with no filter of their own in use are all counted in one shared pass."""
        own_filter = [name for name in FACETS if filters.get(name)]
        passes = [(name, [name]) for name in own_filter]
        shared = [name for name in FACETS if name not in own_filter]
        if shared:
            passes.append((None, shared))
        parts, args = [], []
        for excluded, names in passes:
            where, where_args = self._filter_clause(filters, exclude=excluded)
            parts.append(
                f"""SELECT fv.facet, fv.value, COUNT(DISTINCT e.translation_key)
                FROM matched m JOIN search_searchentry e ON e.page_id = m.id
                JOIN search_searchfacetvalue fv ON fv.entry_id = e.page_id
                    AND fv.facet IN ({",".join(["%s"] * len(names))})
                WHERE {where} GROUP BY fv.facet, fv.value"""
            )
            args += [*names, *where_args]
        sql = f"WITH matched AS MATERIALIZED ({matched_sql}) " + " UNION ALL ".join(parts)
        facets = {name: {} for name in FACETS}
        with connection.cursor() as cursor:
            cursor.execute(sql, [*matched_args, *args])
            for facet, value, count in cursor.fetchall():
                facets[facet][value] = count
        facets["tag"] = _most_used(facets["tag"])
        return facets

    # The matched set: (id, covered, relevance) of every entry that matches the query, as
    # `search.matching` defines them: how many content words it matches, and how well.

    def _matched(self, plan: QueryPlan | None, lang: str | None = None, matches=None):
        if plan is None:
            return (
                "SELECT page_id AS id, 0 AS covered, 0.0 AS relevance FROM search_searchentry",
                [],
            )
        if matches is None:
            matches = word_matches(plan, lang)
        if is_postgres():
            word_hits, args = _word_hits_postgres(matches)
        else:
            word_hits, args = _word_hits_sqlite(matches)
        bonus, bonus_args = "0", []
        if plan.is_phrase:
            holding, bonus_args = _holding_phrase(plan.plain_words())
            bonus = f"CASE WHEN b.id IN ({holding}) THEN {PHRASE_SHARE} ELSE 0 END"
        # Words in quotes: only the entries holding each phrase.
        required, required_args = "", []
        for phrase in plan.phrases:
            holding, holding_args = _holding_phrase(phrase)
            required += f" AND b.id IN ({holding})"
            required_args += holding_args
        covered, relevance = _per_entry(len(matches))
        sql = f"""SELECT b.id AS id, b.covered AS covered, b.relevance * (1 + {bonus}) AS relevance
            FROM (SELECT h.id AS id, {covered} AS covered, {relevance} AS relevance
                  FROM ({word_hits}) h GROUP BY h.id) b
            WHERE 1 = 1{required}"""
        return sql, [*bonus_args, *args, *required_args]  # in the order of their placeholders


# In relevance order, the matches read with their scores: enough for the groups of a page
# nearly always (`facet_sets.ranked_groups` tells when not, and then all are read).
RANKED_ROWS = 1000


def _rows_to_read(sets, params, needed: int) -> int | None:
    """How many of a query's best-scored matches to read with their scores; None: all of
    them (other orders than relevance need every match's score). The share of the groups
    that pass the filters, whatever the words, tells how many more to read under filters."""
    if params.effective_sort != "relevance":
        return None
    rows = max(RANKED_ROWS, 4 * needed)
    passing = facet_sets.share_passing(sets, params.filters)
    if passing * len(sets.page_ids) < rows:
        return None
    return int(rows / passing)


def _read_matches(matched_sql: str, matched_args: list, limit: int | None):
    """The page ids of all the matches, and (page id, covered, relevance) of the `limit`
    best-scored (of all when None, in no order). The ids come as one comma-separated text:
    at tens of thousands of matches, a row each is most of a search's time in Python."""
    all_ids = "string_agg(id::text, ',')" if is_postgres() else "group_concat(id)"
    best, limit_args = "SELECT id, covered, relevance FROM m", []
    if limit is not None:
        best += " ORDER BY covered DESC, relevance DESC, id LIMIT %s"
        limit_args = [limit]
    sql = f"""WITH m AS MATERIALIZED ({matched_sql}), best AS ({best})
        SELECT NULL, NULL, NULL, (SELECT {all_ids} FROM m)
        UNION ALL SELECT id, covered, relevance, NULL FROM best"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*matched_args, *limit_args])
        fetched = cursor.fetchall()
    ids_text = next((row[3] for row in fetched if row[0] is None), None)
    ids = array("I", map(int, ids_text.split(","))) if ids_text else array("I")
    rows = [
        (page_id, covered, float(relevance or 0))
        for page_id, covered, relevance, _ in fetched
        if page_id is not None
    ]
    return ids, rows


def _per_entry(words: int) -> tuple[str, str]:
    """SQL of an entry's covered words and relevance over its word hits `h`: the words it
    matches, and the sum over them of each word's best hit. In one grouping by entry (two,
    by entry and word, then by entry, took a third longer on the commonest words)."""
    if words == 1:
        return "1", "MAX(h.s)"
    covered = " + ".join(f"MAX(CASE WHEN h.word = {n} THEN 1 ELSE 0 END)" for n in range(words))
    relevance = " + ".join(
        f"COALESCE(MAX(CASE WHEN h.word = {n} THEN h.s END), 0)" for n in range(words)
    )
    return covered, relevance


def _holding_phrase(words) -> tuple[str, list]:
    """SQL selecting the ids of the entries that hold these plain words as a phrase."""
    tokens = [index_token(w) for w in words]
    if is_postgres():
        return (
            "SELECT page_id FROM search_searchentry WHERE search_vector @@ to_tsquery('simple', %s)",
            [" <-> ".join(f"'{t}'" for t in tokens)],
        )
    return (
        "SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
        ['{title keywords summary body} : "' + " ".join(tokens) + '"'],
    )


COLUMN_WEIGHTS = ", ".join(str(WEIGHTS[c]) for c in ("title", "keywords", "summary", "body"))


def _word_hits_sqlite(matches):
    """(id, word, score) of each entry and content word it matches, once per kind of match."""
    selects, args = [], []
    for number, match in enumerate(matches):
        for forms in match.forms:
            selects.append(
                f"SELECT rowid AS id, {number} AS word, "
                f"{forms.weight} * -bm25(search_fts, {COLUMN_WEIGHTS}, 0.0) AS s "
                "FROM search_fts WHERE search_fts MATCH %s"
            )
            args.append(_fts_expression(forms))
    return " UNION ALL ".join(selects), args


def _fts_expression(forms) -> str:
    """Each token once, restricted to the languages whose versions it may match in: a
    token of every language (a typo's expansions, most stems) is written without any."""
    languages_of = {}  # token -> the languages it is a form in
    for code in LANGUAGES:
        for token in forms.text.get(code) or ():
            languages_of.setdefault(token, []).append(code)
    by_languages = {}  # the languages -> their tokens
    for token, codes in languages_of.items():
        by_languages.setdefault(tuple(codes), []).append(token)
    clauses = []
    for codes, tokens in by_languages.items():
        text = " OR ".join(f'"{t}"' for t in tokens)
        if len(codes) == len(LANGUAGES):
            clauses.append(f"{{title summary body}} : ({text})")
        else:
            locales = " OR ".join(f'"{index_token("l" + code)}"' for code in codes)
            clauses.append(f"(locale : ({locales}) AND {{title summary body}} : ({text}))")
    if forms.keywords:
        keywords = " OR ".join(f'"{t}"' for t in forms.keywords)
        clauses.append(f"{{keywords}} : ({keywords})")
    return " OR ".join(clauses)


def _same_in_every_language(forms) -> bool:
    first = forms.text.get(LANGUAGES[0])
    return bool(first) and all(forms.text.get(code) == first for code in LANGUAGES)


def _word_hits_postgres(matches):
    selects, args = [], []
    for number, match in enumerate(matches):
        for forms in match.forms:
            if _same_in_every_language(forms):  # typos: one condition for every language
                query = _tsquery(forms, LANGUAGES[0])
                selects.append(
                    f"SELECT page_id AS id, {number} AS word, {forms.weight} * "
                    "ts_rank('{0.1, 0.3, 0.5, 1.0}', search_vector, to_tsquery('simple', %s)) "
                    "* 10 AS s FROM search_searchentry "
                    "WHERE search_vector @@ to_tsquery('simple', %s)"
                )
                args += [query, query]
                continue
            conditions, ranks, condition_args, rank_args = [], [], [], []
            for code in LANGUAGES:
                query = _tsquery(forms, code)
                if not query:
                    continue
                conditions.append("(locale = %s AND search_vector @@ to_tsquery('simple', %s))")
                condition_args += [code, query]
                ranks.append(
                    "WHEN %s THEN ts_rank('{0.1, 0.3, 0.5, 1.0}', search_vector, "
                    "to_tsquery('simple', %s))"
                )
                rank_args += [code, query]
            if not conditions:
                continue
            selects.append(
                f"SELECT page_id AS id, {number} AS word, "
                f"{forms.weight} * (CASE locale {' '.join(ranks)} END) * 10 AS s "
                f"FROM search_searchentry WHERE {' OR '.join(conditions)}"
            )
            args += [*rank_args, *condition_args]
    return " UNION ALL ".join(selects), args


def _tsquery(forms, locale: str) -> str:
    alternatives = [f"'{t}':ACD" for t in forms.text.get(locale, ())]
    alternatives += [f"'{t}':B" for t in forms.keywords]
    return " | ".join(alternatives)


def shown_documents(translation_keys: Iterable[str], order) -> dict:
    """The document of the version shown to a reader with this reading order
    (`languages.groups.shown_version`) of each of these groups still indexed, by translation
    key. Only the shown versions' documents are read."""
    versions, originals = defaultdict(dict), {}
    rows = SearchEntry.objects.filter(translation_key__in=list(translation_keys)).values_list(
        "page_id", "translation_key", "locale", "original_locale"
    )
    for page_id, key, locale, original in rows:
        versions[key][locale] = page_id
        originals[key] = original
    shown = {key: shown_version(group, originals[key], order) for key, group in versions.items()}
    documents = dict(
        SearchEntry.objects.filter(page_id__in=list(shown.values())).values_list(
            "page_id", "document"
        )
    )
    return {key: documents[page_id] for key, page_id in shown.items() if page_id in documents}
