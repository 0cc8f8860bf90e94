"""The Elasticsearch backend: the same answers as the database backend, from one index per
language (`es_documents`) behind the aliases `{ELASTICSEARCH_INDEX_PREFIX}-{locale}`.

Matching runs the plan of `search.matching` over the pre-analysed token fields, as the
database backend does: per content word the tokens of each kind of match (word, compound
part, synonym, translation, typo), each kind boosted by its weight, the best kind counting
(`dis_max`); a constant per content word matched, so documents matching more words rank
first; the type, anchoring and whole-phrase weights multiplying the relevance
(`function_score`); words in quotes as phrase filters. One hit per translation group
(`collapse`), totals and facet counts per group (`cardinality`), filters as `post_filter` so
each facet ignores its own filter (disjunctive facets).

Searches wait at most `SEARCH_TIMEOUT` seconds and never retry: any failure raises
BackendUnavailable and `search.service` answers from the database instead; after a few
failures in a row, a circuit breaker (`search.backends.breaker`) skips Elasticsearch for a while."""

import datetime
import logging
import re
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from elastic_transport import ApiError, TransportError, Urllib3HttpNode
from elastic_transport.client_utils import DEFAULT
from elasticsearch import Elasticsearch, helpers
from urllib3 import Timeout

from search import analysis
from search.matching import (
    ANCHORED_CAP,
    COVERAGE,
    PHRASE_SHARE,
    TYPE_WEIGHTS,
    WordMatch,
    prior,
    word_matches,
)
from search.params import SearchParams
from search.plan import QueryPlan, plan_query
from search.tokens import index_token

from . import BackendUnavailable, RawHit, RawResult
from . import es_documents as documents
from .breaker import Breaker, EngineRefused, breaker_for
from .database import FACETS, TOP_TAGS, WEIGHTS

logger = logging.getLogger(__name__)

LANGUAGES = documents.LANGUAGES
CONNECT_TIMEOUT = 1.0
# The whole search request, so that the fallback still answers within two seconds.
SEARCH_TIMEOUT = 1.5
INDEXING_TIMEOUT = 30.0
INDEXING_RETRIES = 2
BULK_CHUNK = 500

# Facet (and filter) name -> field.
FACET_FIELDS = {
    "type": "type",
    "theme": "themes",
    "audience": "audiences",
    "format": "format",
    "tag": "tags",
    "country": "country",
    "library": "library",
    "meeting": "meeting",
    "stage": "stage",
    "language": "available_locales",
    "evidence": "evidence",
}
FACET_SIZE = 1000  # every value (libraries and meetings are the longest lists)
TAG_SHARD_SIZE = 1000  # tags are cut to the top 20 after merging the indices' counts
GROUP_PRECISION = 40000  # cardinality counts up to here are exact in practice

# Scoring, as `search.matching` defines it for both engines: per content word the best kind
# of match (`dis_max` of the kinds, each boosted by its weight) over the pre-analysed token
# fields, title above tags and taxonomy, above summary, above body (BM25F, as FTS5's
# weighted bm25); COVERAGE per content word matched; the phrase and the type weighting the
# relevance (`function_score`), never the count of words matched.
TOKEN_FIELDS = {
    "title": documents.TOKEN_FIELDS["title"],
    "summary": documents.TOKEN_FIELDS["summary"],
    "body": documents.TOKEN_FIELDS["body"],
}
TEXT_TOKEN_FIELDS = [f"{field}^{WEIGHTS[name]:g}" for name, field in TOKEN_FIELDS.items()]
KEYWORD_TOKEN_FIELDS = [f"{documents.TOKEN_FIELDS['keywords']}^{WEIGHTS['keywords']:g}"]
PHRASE_FIELDS = list(documents.TOKEN_FIELDS.values())
MAX_RESULT_WINDOW = 10_000  # index.max_result_window: from + size beyond it is refused

SUGGEST_MAX_WORDS = 6
SPAN_PREFIX_REWRITE = "top_terms_1000"
SUGGESTION_FIELDS = ("translation_key", "key", "type", "title", "url", "locale")
RELATED_MAX_KEYWORD_TERMS = 50
RELATED_MAX_TEXT_TERMS = 25
RELATED_KEYWORD_BOOST = 2.0

_INDEX_PREFIX = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


RELATED_KEYWORD_FIELDS = ["tags.text", *(f"taxonomy.{code}" for code in LANGUAGES)]


# --- connection --------------------------------------------------------------------------


class BoundedNode(Urllib3HttpNode):
    """Gives up connecting after CONNECT_TIMEOUT, and on the whole request after the request
    timeout (urllib3 would otherwise allow the timeout for connecting and again for reading)."""

    def perform_request(self, method, target, body=None, headers=None, request_timeout=DEFAULT):
        if request_timeout is DEFAULT:
            request_timeout = self.config.request_timeout
        if isinstance(request_timeout, int | float):
            request_timeout = Timeout(
                connect=min(CONNECT_TIMEOUT, request_timeout), total=request_timeout
            )
        return super().perform_request(
            method, target, body=body, headers=headers, request_timeout=request_timeout
        )


_clients: dict[tuple[str, bool], Elasticsearch] = {}
_clients_lock = threading.Lock()


def client_options(for_indexing: bool = False) -> dict:
    """Searches wait briefly and never retry (the database answers instead); indexing runs in
    the background and may wait and retry."""
    if for_indexing:
        return {
            "request_timeout": INDEXING_TIMEOUT,
            "max_retries": INDEXING_RETRIES,
            "retry_on_timeout": True,
        }
    return {
        "request_timeout": SEARCH_TIMEOUT,
        "max_retries": 0,
        "retry_on_timeout": False,
        "retry_on_status": (),
    }


def client_for(url: str, for_indexing: bool = False) -> Elasticsearch:
    """A shared client per URL (clients are thread-safe and keep their connections)."""
    with _clients_lock:
        client = _clients.get((url, for_indexing))
        if client is None:
            client = Elasticsearch(url, node_class=BoundedNode, **client_options(for_indexing))
            _clients[(url, for_indexing)] = client
        return client


@contextmanager
def answering(action: str, *, any_error: bool = False):
    """Turns an Elasticsearch that is down, too slow or failing into BackendUnavailable.

    With `any_error` (searches), a refused request also does: the database answers while the
    error is logged."""
    try:
        yield
    except TransportError as error:  # refused, timed out, TLS, unreadable answer
        raise BackendUnavailable(f"Elasticsearch {action}: {error}") from error
    except ApiError as error:
        status = error.status_code
        if status >= 500 or status in (404, 408, 429):
            raise BackendUnavailable(f"Elasticsearch {action}: {error}") from error
        if any_error:
            logger.error("Elasticsearch refused the %s: %s %s", action, status, error.body)
            raise EngineRefused(f"Elasticsearch {action}: {error}") from error
        raise


def _timestamp() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")


# --- request bodies ------------------------------------------------------------------------


def forms_clause(forms) -> dict:
    """One kind of match of one word: its tokens in title, summary and body of a version in
    each language (the tokens differ by language: stems), or in tags and taxonomy labels."""
    # Languages whose tokens are the same share one clause (typo expansions are the same in
    # all six): fewer clauses, the same matches and scores.
    languages_of = {}
    for code, tokens in forms.text.items():
        if tokens:
            languages_of.setdefault(tokens, []).append(code)
    alternatives = []
    for tokens, codes in languages_of.items():
        text = {
            "combined_fields": {
                "query": " ".join(tokens),
                "fields": TEXT_TOKEN_FIELDS,
                "operator": "or",
            }
        }
        if len(codes) < len(LANGUAGES):
            text = {"bool": {"filter": [{"terms": {"locale": codes}}], "must": [text]}}
        alternatives.append(text)
    if forms.keywords:
        alternatives.append(
            {
                "combined_fields": {
                    "query": " ".join(forms.keywords),
                    "fields": KEYWORD_TOKEN_FIELDS,
                    "operator": "or",
                }
            }
        )
    return {"bool": {"should": alternatives, "boost": forms.weight}}


def word_clause(match: WordMatch) -> dict:
    """A content word: the best of its kinds of match."""
    return {"dis_max": {"queries": [forms_clause(forms) for forms in match.forms]}}


def prior_functions() -> list[dict]:
    """`search.matching.prior` as function_score functions, multiplied together: the type
    weights, and the weight of each count of anchoring libraries up to the cap."""
    functions = [
        {"filter": {"term": {"type": {"value": kind}}}, "weight": weight}
        for kind, weight in TYPE_WEIGHTS.items()
        if weight != 1.0
    ]
    for count in range(1, ANCHORED_CAP + 1):
        anchored = {"term": {"anchored": {"value": count}}}
        if count == ANCHORED_CAP:
            anchored = {"range": {"anchored": {"gte": count}}}
        functions.append({"filter": anchored, "weight": prior("practice", count)})
    return functions


def query_clause(plan: QueryPlan | None, matches: list[WordMatch]) -> dict:
    if plan is None:
        return {"match_all": {}}
    words = [word_clause(match) for match in matches if match.forms]
    if not words:
        return {"match_none": {}}
    coverage = [{"constant_score": {"filter": word, "boost": COVERAGE}} for word in words]
    functions = [*prior_functions()]
    if plan.is_phrase:
        functions.append({"filter": phrase_clause(plan.plain_words()), "weight": 1 + PHRASE_SHARE})
    relevance = {
        "function_score": {
            "query": {"bool": {"should": words}},
            "functions": functions,
            "score_mode": "multiply",
            "boost_mode": "multiply",
        }
    }
    query = {"bool": {"should": [*coverage, relevance], "minimum_should_match": 1}}
    if plan.phrases:  # words in quotes: only the versions holding each phrase
        query["bool"]["filter"] = [phrase_clause(words) for words in plan.phrases]
    return query


def phrase_clause(words) -> dict:
    phrase = " ".join(index_token(w) for w in words)
    return {"multi_match": {"query": phrase, "type": "phrase", "fields": PHRASE_FIELDS}}


def filter_clauses(filters: dict, exclude: str | None = None) -> list[dict]:
    """OR within a filter (`terms`), AND across filters; `exclude` leaves one out."""
    return [
        {"terms": {FACET_FIELDS[name]: list(values)}}
        for name, values in filters.items()
        if name != exclude and values
    ]


def _all_of(clauses: list[dict]) -> dict:
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def _group_count() -> dict:
    return {"cardinality": {"field": "translation_key", "precision_threshold": GROUP_PRECISION}}


def aggregations(filters: dict) -> dict:
    """The number of groups found, and each facet's values counted in groups, under every
    filter but the facet's own."""
    aggs = {
        "found": {
            "filter": _all_of(filter_clauses(filters)),
            "aggregations": {"groups": _group_count()},
        }
    }
    for name in FACETS:
        terms = {"field": FACET_FIELDS[name], "size": FACET_SIZE}
        if name == "tag":
            terms = {
                "field": FACET_FIELDS[name],
                "size": TOP_TAGS,
                "shard_size": TAG_SHARD_SIZE,
                "order": [{"groups": "desc"}, {"_key": "asc"}],
            }
        aggs[f"facet_{name}"] = {
            "filter": _all_of(filter_clauses(filters, exclude=name)),
            "aggregations": {
                "values": {"terms": terms, "aggregations": {"groups": _group_count()}}
            },
        }
    return aggs


def sort_clause(params: SearchParams) -> list[dict]:
    sort = params.effective_sort
    if sort == "relevance":
        first = [{"_score": {"order": "desc"}}, {"published_at": {"order": "desc"}}]
    elif sort == "newest":
        first = [{"published_at": {"order": "desc"}}]
    elif sort == "anchored":
        first = [
            {"anchored": {"order": "desc"}},
            {"_score": {"order": "desc"}},
            {"published_at": {"order": "desc"}},
        ]
    elif sort == "evidence":
        first = [
            # An index built before the field existed sorts as if every level were 0.
            {"evidence_rank": {"order": "desc", "unmapped_type": "integer"}},
            {"_score": {"order": "desc"}},
            {"published_at": {"order": "desc"}},
        ]
    else:
        first = [{f"sort_title.{params.lang}": {"order": "asc"}}]
    return [*first, {"translation_key": {"order": "asc"}}]


def search_body(params: SearchParams, plan: QueryPlan | None, matches: list[WordMatch]) -> dict:
    start, size = params.offset, params.page_size
    if start + size > MAX_RESULT_WINDOW:
        start, size = 0, 0  # past what Elasticsearch pages through: totals and facets only
    body = {
        "query": query_clause(plan, matches),
        "collapse": {"field": "translation_key"},
        "sort": sort_clause(params),
        "from": start,
        "size": size,
        "_source": False,
        "track_total_hits": False,
        "aggregations": aggregations(params.filters),
    }
    if plan is not None and params.effective_sort != "relevance":
        body["track_scores"] = True
    clauses = filter_clauses(params.filters)
    if clauses:
        body["post_filter"] = {"bool": {"filter": clauses}}
    return body


def read_search(response: dict, lang: str) -> RawResult:
    aggs = response["aggregations"]
    hits = [
        RawHit(
            translation_key=hit["fields"]["translation_key"][0],
            score=float(hit.get("_score") or 0.0),
        )
        for hit in response["hits"]["hits"]
    ]
    facets = {
        name: {
            bucket["key"]: bucket["groups"]["value"]
            for bucket in aggs[f"facet_{name}"]["values"]["buckets"]
        }
        for name in FACETS
    }
    return RawResult(total=aggs["found"]["groups"]["value"], hits=hits, facets=facets)


def suggest_body(text: str, lang: str, limit: int) -> dict | None:
    """Titles shown in `lang` holding the typed words, the last one possibly unfinished;
    ordered as `search.suggest` orders them: titles beginning with what was typed first,
    then shorter titles, then alphabetically."""
    words = analysis.analyze(text, None, "plain")[-SUGGEST_MAX_WORDS:]
    if not words:
        return None
    begins_with_typed = {
        "span_first": {
            "match": {
                "span_multi": {
                    "match": {
                        "prefix": {
                            # Bounded: a span query may not expand a prefix without limit.
                            "title.plain": {"value": words[0], "rewrite": SPAN_PREFIX_REWRITE}
                        }
                    }
                }
            },
            "end": 1,
        }
    }
    return {
        "query": {
            "bool": {
                "filter": [
                    {
                        "match_bool_prefix": {
                            "title.plain": {"query": " ".join(words), "operator": "and"}
                        }
                    },
                    {"term": {"displayed_in": {"value": lang}}},
                ],
                "should": [{"constant_score": {"filter": begins_with_typed, "boost": 1.0}}],
            }
        },
        "collapse": {"field": "translation_key"},
        "sort": [
            {"_score": {"order": "desc"}},
            {"title_length": {"order": "asc"}},
            {f"sort_title.{lang}": {"order": "asc"}},
            {"translation_key": {"order": "asc"}},
        ],
        "size": limit,
        "_source": {"includes": list(SUGGESTION_FIELDS)},
        "track_total_hits": False,
    }


def related_body(document: dict, alias: str, limit: int) -> dict:
    """Practices like this version: sharing tags and theme, audience or format labels counts
    most (as in the database's related practices), sharing words of the text adds to it."""

    def like_this(fields, **options):
        return {
            "more_like_this": {
                "fields": fields,
                "like": [{"_index": alias, "_id": str(document["id"])}],
                "min_term_freq": 1,
                "min_doc_freq": 1,
                **options,
            }
        }

    return {
        "query": {
            "bool": {
                "should": [
                    like_this(
                        RELATED_KEYWORD_FIELDS,
                        max_query_terms=RELATED_MAX_KEYWORD_TERMS,
                        minimum_should_match="1",
                        boost=RELATED_KEYWORD_BOOST,
                    ),
                    like_this(
                        list(documents.TEXT_FIELDS),
                        max_query_terms=RELATED_MAX_TEXT_TERMS,
                        minimum_should_match="30%",
                    ),
                ],
                "minimum_should_match": 1,
                "filter": [{"term": {"type": {"value": "practice"}}}],
                "must_not": [{"term": {"translation_key": {"value": document["translation_key"]}}}],
            }
        },
        "collapse": {"field": "translation_key"},
        "sort": [
            {"_score": {"order": "desc"}},
            {"published_at": {"order": "desc"}},
            {"translation_key": {"order": "asc"}},
        ],
        "size": limit,
        "_source": False,
        "track_total_hits": False,
    }


# --- the backend ---------------------------------------------------------------------------


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, prefix: str, breaker: Breaker | None = None):
        if not _INDEX_PREFIX.match(prefix):
            raise ImproperlyConfigured(
                f"ELASTICSEARCH_INDEX_PREFIX {prefix!r} is not a valid index name start: "
                "use lower-case letters, digits, '-', '_' or '.'"
            )
        self.client = client
        self.prefix = prefix
        self.breaker = breaker or Breaker.from_settings()

    @classmethod
    def from_settings(cls, for_indexing: bool = False) -> "ElasticsearchBackend":
        """The backend for the settings in force now (tests override them)."""
        url = settings.ELASTICSEARCH_URL
        if not url:
            raise ImproperlyConfigured("ELASTICSEARCH_URL is not set")
        return cls(
            client_for(url, for_indexing), settings.ELASTICSEARCH_INDEX_PREFIX, breaker_for(url)
        )

    def alias(self, locale: str) -> str:
        return f"{self.prefix}-{locale}"

    @property
    def aliases(self) -> list[str]:
        return [self.alias(code) for code in LANGUAGES]

    # --- searching ---

    @contextmanager
    def _searching(self, action: str):
        """A search request: through the circuit breaker, any failure BackendUnavailable."""
        with self.breaker.guarding(action), answering(action, any_error=True):
            yield

    def search(self, params: SearchParams) -> RawResult:
        plan = plan_query(params.query, params.lang) if params.query else None
        if params.query and plan is None:
            return RawResult(total=0, hits=[], facets={name: {} for name in FACETS})
        matches = word_matches(plan, params.lang) if plan else []
        body = search_body(params, plan, matches)
        with self._searching("search"):
            response = self.client.search(
                index=self.aliases,
                body=body,
                # Term statistics of all six indices together, as the database's single
                # full-text index has them: a word is as rare in Finnish pages as overall.
                search_type="dfs_query_then_fetch",
                allow_partial_search_results=False,
            )
        result = read_search(response.body, params.lang)
        result.matches = matches
        return result

    def suggest_titles(self, prefix: str, lang: str, limit: int = 8) -> list[dict]:
        """Groups whose title in `lang` (else in the original language) has the typed words,
        the last one possibly unfinished: [{translation_key, key, type, title, url, locale}],
        best first."""
        body = suggest_body(prefix, lang, limit)
        if body is None:
            return []
        with self._searching("suggestion search"):
            response = self.client.search(
                index=self.aliases, body=body, search_type="dfs_query_then_fetch"
            )
        return [
            {name: hit["_source"][name] for name in SUGGESTION_FIELDS}
            for hit in response.body["hits"]["hits"]
        ]

    def related(self, document: dict, limit: int = 5) -> list[RawHit]:
        """Practices most like this page version (other groups only), best first."""
        body = related_body(document, self.alias(document["locale"]), limit)
        with self._searching("related search"):
            response = self.client.search(
                index=self.aliases, body=body, search_type="dfs_query_then_fetch"
            )
        return [
            RawHit(hit["fields"]["translation_key"][0], float(hit.get("_score") or 0.0))
            for hit in response.body["hits"]["hits"]
        ]

    # --- indices and aliases ---

    def _aliased_indices(self) -> tuple[dict, set]:
        """({alias: [its indices]}, {concrete indices named like one of our aliases})."""
        with answering("alias lookup"):
            response = self.client.indices.get_alias(index=f"{self.prefix}-*")
        ours = set(self.aliases)
        behind = {alias: [] for alias in self.aliases}
        for index, data in sorted(response.body.items()):
            for alias in data.get("aliases", {}):
                if alias in ours:
                    behind[alias].append(index)
        return behind, ours & set(response.body)

    def _create_indices(self, names: dict) -> list[str]:
        created = []
        try:
            for code, name in names.items():
                with answering("index creation"):
                    self.client.indices.create(index=name, body=documents.index_body(code))
                created.append(name)
        except BaseException:
            self._delete_indices(created)
            raise
        return created

    def _delete_indices(self, names) -> None:
        if not names:
            return
        try:
            self.client.indices.delete(index=",".join(names), ignore_unavailable=True)
        except (TransportError, ApiError) as error:
            logger.warning("Could not delete Elasticsearch indices %s: %s", names, error)

    def _switch_aliases(self, new: dict, behind: dict, squatters: set) -> None:
        """Points each alias in `new` ({alias: index}) at its new index, in one request."""
        actions = [{"remove_index": {"index": name}} for name in sorted(squatters)]
        for alias, index in new.items():
            actions += [{"remove": {"index": old, "alias": alias}} for old in behind.get(alias, [])]
            actions.append({"add": {"index": index, "alias": alias}})
        with answering("alias switch"):
            self.client.indices.update_aliases(actions=actions)

    def ensure_indices(self) -> list[str]:
        """Creates the index and alias of every language that has none. Returns the aliases
        created."""
        behind, squatters = self._aliased_indices()
        missing = [code for code in LANGUAGES if not behind[self.alias(code)]]
        if not missing:
            return []
        stamp = _timestamp()
        names = {code: f"{self.alias(code)}-{stamp}" for code in missing}
        created = self._create_indices(names)
        try:
            self._switch_aliases(
                {self.alias(code): name for code, name in names.items()},
                {},
                squatters & {self.alias(code) for code in missing},
            )
        except BaseException:
            self._delete_indices(created)
            raise
        return [self.alias(code) for code in missing]

    @contextmanager
    def rebuilding(self):
        """New indices to fill, swapped in for the old ones behind the aliases in one
        `update_aliases` call when the block ends; on an error they are deleted instead and
        the aliases left alone. Searches keep answering from the old indices meanwhile."""
        stamp = _timestamp()
        names = {code: f"{self.alias(code)}-{stamp}" for code in LANGUAGES}
        created = self._create_indices(names)
        try:
            target = RebuildTarget(self, names)
            yield target
            target.finish()
            behind, squatters = self._aliased_indices()
            self._switch_aliases(
                {self.alias(code): name for code, name in names.items()}, behind, squatters
            )
        except BaseException:
            self._delete_indices(created)
            raise
        self._delete_indices(
            [index for indices in behind.values() for index in indices if index not in created]
        )

    # --- documents ---

    def _actions(self, docs: list[dict], index_for) -> tuple[list[dict], set[int]]:
        """Bulk index actions for `docs`, and the ids of those whose group is not complete."""
        groups = _known_versions({d["translation_key"] for d in docs})
        for d in docs:
            groups.setdefault(d["translation_key"], {})[d["locale"]] = documents.sort_key(
                d["title"]
            )
        actions, incomplete = [], set()
        for d in docs:
            group = groups[d["translation_key"]]
            actions.append(documents.bulk_action(d, index_for(d["locale"]), group))
            if documents.missing_versions(d, group):
                incomplete.add(d["id"])
        return actions, incomplete

    def _bulk(self, actions: list[dict], **options) -> None:
        if not actions:
            return
        with answering("bulk indexing"):
            try:
                helpers.bulk(self.client, actions, chunk_size=BULK_CHUNK, **options)
            except helpers.BulkIndexError as error:
                # E.g. indices created before the mapping changed: `search_index rebuild`.
                first = error.errors[0] if error.errors else {}
                raise BackendUnavailable(
                    f"Elasticsearch refused {len(error.errors)} documents "
                    f"(run `manage.py search_index rebuild` after an upgrade): {first}"
                ) from error

    def index_documents(self, docs) -> int:
        """Adds or replaces these documents, each in the index of its language."""
        docs = list(docs)
        if not docs:
            return 0
        self.ensure_indices()
        actions, _incomplete = self._actions(docs, self.alias)
        self._bulk(actions)
        return len(actions)

    def remove_pages(self, page_ids) -> int:
        ids = [str(page_id) for page_id in page_ids]
        removed = 0
        for start in range(0, len(ids), BULK_CHUNK):
            chunk = ids[start : start + BULK_CHUNK]
            with answering("lookup of pages to remove"):
                response = self.client.search(
                    index=self.aliases,
                    body={
                        "query": {"ids": {"values": chunk}},
                        "_source": {"includes": ["locale"]},
                        "size": len(chunk),
                    },
                    ignore_unavailable=True,
                )
            actions = [
                {
                    "_op_type": "delete",
                    "_index": self.alias(hit["_source"]["locale"]),
                    "_id": hit["_id"],
                }
                for hit in response.body["hits"]["hits"]
            ]
            self._bulk(actions, ignore_status=(404,))
            removed += len(actions)
        return removed

    def indexed_ids(self) -> set[int]:
        with answering("listing of indexed pages"):
            return {
                int(hit["_id"])
                for hit in helpers.scan(
                    self.client,
                    index=self.aliases,
                    query={"query": {"match_all": {}}, "_source": False},
                    size=1000,
                    ignore_unavailable=True,
                )
            }

    def count_per_locale(self) -> dict:
        with answering("count"):
            response = self.client.search(
                index=self.aliases,
                body={
                    "size": 0,
                    "track_total_hits": False,
                    "aggregations": {
                        "locales": {"terms": {"field": "locale", "size": len(LANGUAGES)}}
                    },
                },
                ignore_unavailable=True,
                allow_no_indices=True,
            )
        buckets = response.body.get("aggregations", {}).get("locales", {}).get("buckets", [])
        return {bucket["key"]: bucket["doc_count"] for bucket in buckets}


class RebuildTarget:
    """What `rebuilding()` yields: takes documents into the new indices."""

    def __init__(self, backend: ElasticsearchBackend, names: dict):
        self.backend = backend
        self.names = names  # {locale: new index}
        self.incomplete: set[int] = set()
        self.count = 0

    def index_documents(self, docs) -> int:
        docs = list(docs)
        actions, incomplete = self.backend._actions(docs, self.names.__getitem__)
        self.backend._bulk(actions)
        self.incomplete = (self.incomplete - {d["id"] for d in docs}) | incomplete
        self.count += len(actions)
        return len(actions)

    def finish(self) -> None:
        """Indexes again the versions indexed before the rest of their group (whose titles
        their title sort needs), then makes everything searchable."""
        from search.models import SearchEntry

        if self.incomplete:
            ids = sorted(self.incomplete)
            for start in range(0, len(ids), BULK_CHUNK):
                docs = list(
                    SearchEntry.objects.filter(page_id__in=ids[start : start + BULK_CHUNK])
                    .order_by("page_id")
                    .values_list("document", flat=True)
                )
                actions, _incomplete = self.backend._actions(docs, self.names.__getitem__)
                self.backend._bulk(actions)
        with answering("refresh"):
            self.backend.client.indices.refresh(index=",".join(self.names.values()))


def _known_versions(translation_keys) -> dict:
    """{translation_key: {locale: sort title}} of the versions in the database index, which
    is always written before Elasticsearch."""
    from search.models import SearchEntry

    groups: dict = {}
    rows = SearchEntry.objects.filter(translation_key__in=list(translation_keys)).values_list(
        "translation_key", "locale", "sort_title"
    )
    for key, locale, sort_title in rows:
        groups.setdefault(key, {})[locale] = sort_title
    return groups
