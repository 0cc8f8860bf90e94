"""The Elasticsearch backend's contract: the exact requests it sends (index settings and
mappings, search bodies, bulk lines, alias switches) and how it reads the answers, with every
body checked against Elastic's published OpenAPI specification.

No Elasticsearch is needed: the client is given a node class that records each request and
answers it from the test. The database is the real test database."""

import datetime
import json
import logging
import re
from pathlib import Path

import elastic_transport
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse
from elasticsearch import ApiError, Elasticsearch

from search import service
from search.analysis import elasticsearch_analysis
from search.backends import BackendUnavailable, RawHit, database
from search.backends import es_documents as documents
from search.backends.elasticsearch import (
    BoundedNode,
    ElasticsearchBackend,
    client_for,
    client_options,
)
from search.matching import word_matches
from search.models import SearchEntry
from search.params import SearchParams
from search.plan import plan_query
from search.tokens import keyword_tokens, text_tokens
from search.vocabulary import Vocabulary

LANGUAGES = ["en", "lv", "fi", "et", "da", "sv"]
ALIASES = [f"kb-{code}" for code in LANGUAGES]
SPEC_PATH = Path(settings.BASE_DIR).parent / "shared" / "spec" / "elasticsearch-8.19-openapi.json"


# --- a minimal OpenAPI 3.0 validator -----------------------------------------------------


class OpenApiSpec:
    """Validates request bodies against the spec's schemas: $ref, allOf, oneOf/anyOf (as
    "any of": the generated spec's alternatives overlap), discriminator, type, enum,
    properties, required, additionalProperties, items, nullable, min/maxProperties.

    Stricter than JSON Schema on one point: an object whose schema declares properties
    accepts no others, so a misspelt option is caught. The generated spec drops the
    `[field name]: ...` entries of a few types; FIELD_KEYED puts back the ones we use. It
    also drops the `@es_quirk`s of its source; WEIGHT_ALONE puts back the one we rely on."""

    FIELD_KEYED = {
        "_types.query_dsl.TermsQuery": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/_types.FieldValue"},
        },
        "_types.SortOptions": {
            "type": "object",
            "properties": {
                "order": {"$ref": "#/components/schemas/_types.SortOrder"},
                "missing": {},
                "unmapped_type": {"type": "string"},
            },
        },
    }
    # elastic/elasticsearch-specification, specification/_types/query_dsl/compound.ts:
    # "@es_quirk this container is valid without a variant ... 'weight' is actually a
    # container property that can be combined with a function ... Can be a single function
    # too when not associated to any other function". The OpenAPI output still demands one
    # variant (minProperties: 1); a function of a filter and a weight alone is valid.
    WEIGHT_ALONE = {"_types.query_dsl.FunctionScoreContainer"}
    TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}

    def __init__(self, data: dict):
        self.data = data

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            node = self.data
            for part in schema["$ref"].removeprefix("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def request_schema(self, path: str, method: str) -> dict:
        body = self.resolve(self.data["paths"][path][method]["requestBody"])
        return body["content"]["application/json"]["schema"]

    def schema(self, name: str) -> dict:
        return {"$ref": f"#/components/schemas/{name}"}

    @staticmethod
    def json_type(value) -> str:
        if isinstance(value, bool):
            return "boolean"
        if isinstance(value, int | float):
            return "number"
        return {dict: "object", list: "array", str: "string"}.get(type(value), "null")

    def possible_types(self, schema: dict):
        """The JSON types a schema accepts, or None when it does not say."""
        schema = self.resolve(schema)
        if "type" in schema:
            return {"number" if schema["type"] == "integer" else schema["type"]}
        for combinator in ("oneOf", "anyOf", "allOf"):
            if combinator in schema:
                kinds = [self.possible_types(branch) for branch in schema[combinator]]
                return None if None in kinds else set().union(*kinds)
        if "discriminator" in schema or "properties" in schema:
            return {"object"}
        return None

    def known_keys(self, schema: dict) -> tuple[set, bool]:
        """(declared property names, whether other names are allowed), across allOf."""
        if schema.get("$ref", "").rsplit("/", 1)[-1] in self.FIELD_KEYED:
            return set(self.resolve(schema).get("properties", {})), True
        schema = self.resolve(schema)
        keys = set(schema.get("properties", {}))
        is_open = bool(schema.get("additionalProperties"))
        # A bare {"type": "object"} in allOf is how the generator writes "nothing more".
        parts = [part for part in schema.get("allOf", []) if part != {"type": "object"}]
        for part in parts:
            part_keys, part_open = self.known_keys(part)
            keys |= part_keys
            is_open = is_open or part_open
        if not keys and not schema.get("allOf"):
            is_open = True  # a free-form object
        return keys, is_open

    def errors(self, value, schema: dict, path: str = "$", strict: bool = True) -> list[str]:
        name = schema["$ref"].rsplit("/", 1)[-1] if "$ref" in schema else None
        schema = self.resolve(schema)
        field_schema = self.FIELD_KEYED.get(name)
        if name in self.WEIGHT_ALONE and isinstance(value, dict) and "weight" in value:
            # The weight stands in for the one variant: none besides it (at most one).
            parts = [
                {key: rule for key, rule in part.items() if key != "minProperties"}
                for part in schema["allOf"]
            ]
            schema = {**schema, "allOf": parts}
        if value is None:
            return [] if schema.get("nullable") else [f"{path}: null is not allowed"]
        if "discriminator" in schema and isinstance(value, dict):
            key = schema["discriminator"]["propertyName"]
            mapping = schema["discriminator"]["mapping"]
            if value.get(key) not in mapping:
                return [f"{path}: {key}={value.get(key)!r} is not one of the spec's"]
            return self.errors(value, {"$ref": mapping[value[key]]}, path, strict)
        found = []
        branches = schema.get("oneOf") or schema.get("anyOf")
        if branches:
            results = [self.errors(value, branch, path, strict) for branch in branches]
            if all(results):
                kind = self.json_type(value)
                fitting = [
                    result
                    for branch, result in zip(branches, results, strict=True)
                    if self.possible_types(branch) is None or kind in self.possible_types(branch)
                ]
                closest = min(fitting or results, key=len)
                return [f"{path}: matches no alternative; closest: {closest[:3]}"]
        for part in schema.get("allOf", []):
            found += self.errors(value, part, path, strict=False)
        kind = schema.get("type")
        if kind:
            if kind in ("number", "integer"):
                ok = self.json_type(value) == "number" and (
                    kind == "number" or isinstance(value, int)
                )
            else:
                ok = isinstance(value, self.TYPES[kind])
            if not ok:
                return [*found, f"{path}: expected {kind}, got {type(value).__name__}"]
        if "enum" in schema and value not in schema["enum"]:
            found.append(f"{path}: {value!r} is not one of {schema['enum']}")
        if isinstance(value, dict):
            found += self._object_errors(value, schema, path, strict, field_schema)
        if isinstance(value, list) and "items" in schema:
            for index, item in enumerate(value):
                found += self.errors(item, schema["items"], f"{path}[{index}]")
        return found

    def _object_errors(self, value, schema, path, strict, field_schema) -> list[str]:
        found = []
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                found.append(f"{path}: {key!r} is required")
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                found += self.errors(item, properties[key], f"{path}.{key}")
            elif isinstance(extra, dict):
                found += self.errors(item, extra, f"{path}.{key}")
        keys, is_open = self.known_keys(schema)
        if field_schema is not None:
            fields = [key for key in value if key not in keys]
            if len(fields) > 1:
                found.append(f"{path}: more than one field name: {fields}")
            for key in fields:
                found += self.errors(value[key], field_schema, f"{path}.{key}")
        elif strict and not is_open:
            found += [f"{path}: unknown property {key!r}" for key in value if key not in keys]
        # Containers (a query, an aggregation) bound the number of variants they declare.
        counted = len([k for k in value if k in properties or not properties or field_schema])
        if counted < schema.get("minProperties", 0):
            found.append(f"{path}: fewer than {schema['minProperties']} of its variants")
        if counted > schema.get("maxProperties", counted):
            found.append(f"{path}: more than {schema['maxProperties']} of its variants")
        return found


@pytest.fixture(scope="session")
def spec():
    if not SPEC_PATH.exists():
        pytest.skip(f"Elastic's OpenAPI spec is not at {SPEC_PATH} (see shared/spec/README.md)")
    return OpenApiSpec(json.loads(SPEC_PATH.read_text()))


def test_the_validator_catches_misspelt_options_and_wrong_types(spec):
    body = spec.request_schema("/{index}/_search", "post")

    assert spec.errors({"query": {"match_all": {}}, "size": 1}, body) == []
    assert spec.errors({"query": {"multi_match": {"query": "x", "fuziness": 1}}}, body)
    assert spec.errors({"highlight": {"fields": {"body": {"fragmet_size": 9}}}}, body)
    assert spec.errors({"sort": [{"published_at": {"order": "down"}}]}, body)
    assert spec.errors({"query": {"term": {"type": "practice"}}}, body)  # spec: {"value": ...}
    assert spec.errors({"size": "ten"}, body)
    assert spec.errors({"index": {"_idx": "kb-en"}}, spec.schema("_global.bulk.OperationContainer"))
    function = spec.schema("_types.query_dsl.FunctionScoreContainer")
    weighted = {"filter": {"term": {"type": {"value": "meeting"}}}, "weight": 0.8}
    assert spec.errors(weighted, function) == []
    assert spec.errors({"filter": weighted["filter"]}, function)  # neither function nor weight
    assert spec.errors({**weighted, "random_score": {}, "script_score": {}}, function)
    assert spec.errors({**weighted, "wieght": 2}, function)


# --- a recording node --------------------------------------------------------------------


class Request:
    def __init__(self, method: str, target: str, body: bytes | None):
        self.method = method
        self.path, _, query = target.partition("?")
        self.params = dict(part.split("=", 1) for part in query.split("&") if part)
        self.raw = body or b""

    @property
    def json(self):
        return json.loads(self.raw)

    @property
    def lines(self) -> list:
        return [json.loads(line) for line in self.raw.decode().splitlines() if line.strip()]

    def __repr__(self):
        return f"<{self.method} {self.path}>"


class Elastic:
    """An Elasticsearch stand-in at the node level: records requests, answers from routes."""

    def __init__(self):
        self.requests: list[Request] = []
        self.aliases: dict = {}  # concrete index -> {"aliases": {...}}
        self.search_response: dict = {"hits": {"hits": []}}
        self.failure = None  # (status, body) or an exception to raise for every request
        recorder = self

        class RecordingNode(BaseNode):
            def perform_request(
                self, method, target, body=None, headers=None, request_timeout=None
            ):
                request = Request(method, target, body)
                recorder.requests.append(request)
                if isinstance(recorder.failure, Exception):
                    raise recorder.failure
                status, payload = recorder.failure or recorder.answer(request)
                meta = ApiResponseMeta(
                    status=status,
                    http_version="1.1",
                    headers=HttpHeaders(
                        {"x-elastic-product": "Elasticsearch", "content-type": "application/json"}
                    ),
                    duration=0.0,
                    node=self.config,
                )
                return NodeApiResponse(meta, json.dumps(payload).encode())

        # Configured as the backend's search client is: its retry policy is part of the test.
        self.client = Elasticsearch(
            "http://elastic.test:9200", node_class=RecordingNode, **client_options()
        )

    def answer(self, request: Request):
        method, path = request.method, request.path
        if path.endswith("/_alias"):
            return 200, self.aliases
        if path == "/_bulk":
            items = []
            for line in request.lines:
                if set(line) & {"index", "delete"}:
                    operation = next(iter(line))
                    items.append({operation: {**line[operation], "status": 200, "result": "ok"}})
            return 200, {"took": 1, "errors": False, "items": items}
        if path.endswith("/_search"):
            return 200, self.search_response
        if path.endswith("/_refresh"):
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if path == "/_aliases" or method in ("PUT", "DELETE"):
            return 200, {"acknowledged": True}
        raise AssertionError(f"unexpected request {request!r}")

    def made(self, method: str, pattern: str = "") -> list[Request]:
        return [r for r in self.requests if r.method == method and re.search(pattern, r.path)]


@pytest.fixture(autouse=True)
def _vocabulary_read_afresh():
    """Query plans read the indexed vocabulary (typos) through a per-process memo that a
    rolled-back test would otherwise leave behind for the next one."""
    Vocabulary.changed()


@pytest.fixture
def elastic():
    return Elastic()


@pytest.fixture
def backend(elastic):
    return ElasticsearchBackend(elastic.client, "kb")


def existing_aliases(stamp="20240101000000000000") -> dict:
    return {f"kb-{code}-{stamp}": {"aliases": {f"kb-{code}": {}}} for code in LANGUAGES}


def version(page_id, locale, title, **fields) -> dict:
    """A document as search.documents builds it."""
    document = {
        "id": page_id,
        "key": "living-library",
        "type": "practice",
        "locale": locale,
        "translation_key": "5b1c1c8e-0000-4000-8000-000000000001",
        "original_locale": "en",
        "available_locales": ["en", "fi"],
        "title": title,
        "summary": "People become <books>.",
        "body": "Readers borrow a conversation.",
        "tags": ["living-library", "prejudice"],
        "taxonomy_labels": {
            "en": ["Dialogue"],
            "lv": ["Dialogs"],
            "fi": ["Vuoropuhelu"],
            "et": [],
            "da": [],
            "sv": [],
        },
        "themes": ["dialogue"],
        "audiences": ["adults"],
        "format": "event",
        "country": "LV",
        "library": "valmiera",
        "meeting": "valmiera-2023",
        "stage": None,
        "evidence": "described",
        "date": datetime.date(2023, 9, 19),
        "published_at": datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.UTC),
        "last_published_at": datetime.datetime(2024, 6, 1, 8, 30, tzinfo=datetime.UTC),
        "url": f"/{locale}/practices/living-library/",
    }
    document.update(fields)
    return document


# --- index settings and mappings -----------------------------------------------------------


def analysed(code):
    return {
        "type": "text",
        "analyzer": f"kb_{code}",
        "fields": {
            "folded": {"type": "text", "analyzer": f"kb_{code}_folded"},
            "plain": {"type": "text", "analyzer": "kb_plain"},
        },
    }


TOKEN_FIELDS = ["title_tokens", "keywords_tokens", "summary_tokens", "body_tokens"]


def expected_index_body(code) -> dict:
    keyword = {"type": "keyword"}
    return {
        "settings": {"auto_expand_replicas": "0-1", "analysis": elasticsearch_analysis()},
        "mappings": {
            "dynamic": "strict",
            # What searches match, pre-analysed: indexed, never stored (nor returned).
            "_source": {"excludes": TOKEN_FIELDS},
            "properties": {
                "title": analysed(code),
                "summary": analysed(code),
                "body": analysed(code),
                "tags": {
                    "type": "keyword",
                    "fields": {"text": {"type": "text", "analyzer": "kb_plain"}},
                },
                "taxonomy": {
                    "type": "object",
                    "properties": {other: analysed(other) for other in LANGUAGES},
                },
                "translation_key": keyword,
                "key": keyword,
                "type": keyword,
                "locale": keyword,
                "original_locale": keyword,
                "available_locales": keyword,
                "themes": keyword,
                "audiences": keyword,
                "format": keyword,
                "country": keyword,
                "library": keyword,
                "meeting": keyword,
                "stage": keyword,
                "evidence": keyword,
                "url": {"type": "keyword", "index": False, "doc_values": False},
                "date": {"type": "date"},
                "published_at": {"type": "date"},
                "last_published_at": {"type": "date", "index": False},
                "displayed_in": keyword,
                "sort_title": {
                    "type": "object",
                    "properties": {other: keyword for other in LANGUAGES},
                },
                "title_length": {"type": "integer"},
                "anchored": {"type": "integer"},
                "evidence_rank": {"type": "integer"},
                **{name: {"type": "text", "analyzer": "kb_tokens"} for name in TOKEN_FIELDS},
            },
        },
    }


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_language_has_its_own_analyzers_and_a_strict_mapping(spec, code):
    body = documents.index_body(code)

    assert body == expected_index_body(code)
    analysis = body["settings"]["analysis"]
    assert {f"kb_{code}", f"kb_{code}_folded", "kb_plain", "kb_tokens"} <= set(analysis["analyzer"])
    # The token fields are split on spaces and nothing else: the tokens of search.tokens,
    # hex-spelt ones longer than the whitespace tokenizer's default 255 characters included.
    assert analysis["analyzer"]["kb_tokens"] == {
        "type": "custom",
        "tokenizer": "kb_tokens",
        "filter": [],
    }
    assert analysis["tokenizer"] == {"kb_tokens": {"type": "whitespace", "max_token_length": 2048}}
    assert spec.errors(body, spec.request_schema("/{index}", "put")) == []


def test_the_longest_index_tokens_fit_the_token_tokenizer():
    """A word is cut at 255 UTF-16 units (the standard tokenizer's limit); spelt out in hex
    behind a marker, a word of three-byte letters is the longest token there is."""
    longest = max(len(token) for token in text_tokens("ა" * 300, "fi"))

    assert longest == len("zz") + 255 * 3 * 2
    assert longest <= elasticsearch_analysis()["tokenizer"]["kb_tokens"]["max_token_length"]


# --- search bodies -------------------------------------------------------------------------

# Every kind of match of a content word looks for its tokens in the pre-analysed token
# fields: title, summary and body of a version in the language the tokens are for, weighted
# as the database's columns; tags and taxonomy labels (all languages) in keywords_tokens.
TEXT_TOKEN_FIELDS = ["title_tokens^10", "summary_tokens^3", "body_tokens^1"]
KEYWORD_TOKEN_FIELDS = ["keywords_tokens^5"]
KIND_WEIGHTS = {"word": 1.0, "part": 0.5, "synonym": 0.5, "typo": 0.25}
COVERAGE = 10000.0
# search.matching.prior, multiplied together: the type, then each count of libraries that
# anchored a practice (5 % more for each, up to four).
PRIOR_FUNCTIONS = [
    {"filter": {"term": {"type": {"value": "case_study"}}}, "weight": 0.7},
    {"filter": {"term": {"type": {"value": "meeting"}}}, "weight": 0.8},
    {"filter": {"term": {"type": {"value": "library"}}}, "weight": 0.8},
    {"filter": {"term": {"anchored": {"value": 1}}}, "weight": 1 + 0.05 * 1},
    {"filter": {"term": {"anchored": {"value": 2}}}, "weight": 1 + 0.05 * 2},
    {"filter": {"term": {"anchored": {"value": 3}}}, "weight": 1 + 0.05 * 3},
    {"filter": {"range": {"anchored": {"gte": 4}}}, "weight": 1 + 0.05 * 4},
]


def tokens_in(tokens, fields) -> dict:
    return {"combined_fields": {"query": " ".join(tokens), "fields": fields, "operator": "or"}}


def kind_clause(kind: str, text: dict, keywords) -> dict:
    """One kind of match of one word: text = {locale: tokens}, keywords = tokens."""
    # Languages with the same tokens share one clause, without a filter when all six do.
    same = {}
    for code in LANGUAGES:
        if text.get(code):
            same.setdefault(tuple(text[code]), []).append(code)
    alternatives = []
    for tokens, codes in same.items():
        clause = tokens_in(tokens, TEXT_TOKEN_FIELDS)
        if len(codes) < len(LANGUAGES):
            clause = {"bool": {"filter": [{"terms": {"locale": codes}}], "must": [clause]}}
        alternatives.append(clause)
    if keywords:
        alternatives.append(tokens_in(keywords, KEYWORD_TOKEN_FIELDS))
    return {"bool": {"should": alternatives, "boost": KIND_WEIGHTS[kind]}}


def synonym_clause(word: str, lang: str) -> dict:
    (match,) = word_matches(plan_query(word, lang), lang)
    (forms,) = [forms for forms in match.forms if forms.kind == "synonym"]
    assert {"library", "bibliotek", "raamatukogu"} <= set(forms.keywords)
    return kind_clause("synonym", forms.text, forms.keywords)


def word_clause(*kinds) -> dict:
    """A content word: the best of its kinds of match."""
    return {"dis_max": {"queries": list(kinds)}}


def word_clauses(matches) -> list:
    """The word clauses of what search.matching.word_matches computed, kind by kind."""
    return [
        word_clause(*(kind_clause(forms.kind, forms.text, forms.keywords) for forms in match.forms))
        for match in matches
    ]


def phrase_function(phrase: str) -> dict:
    return {
        "filter": {"multi_match": {"query": phrase, "type": "phrase", "fields": TOKEN_FIELDS}},
        "weight": 1.5,
    }


def expected_query(words: list, phrase: str | None = None) -> dict:
    """COVERAGE for each content word matched, plus the words' relevance weighted by the
    prior and, for a query of several words, by the phrase."""
    functions = [*PRIOR_FUNCTIONS, *([phrase_function(phrase)] if phrase else [])]
    return {
        "bool": {
            "should": [
                *({"constant_score": {"filter": word, "boost": COVERAGE}} for word in words),
                {
                    "function_score": {
                        "query": {"bool": {"should": words}},
                        "functions": functions,
                        "score_mode": "multiply",
                        "boost_mode": "multiply",
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }


def searched_tokens(clause) -> list[str]:
    """Every token a body's word clauses look for."""
    if isinstance(clause, dict):
        found = []
        for key, value in clause.items():
            if key == "combined_fields":
                found += value["query"].split()
            elif key != "multi_match":  # the phrase
                found += searched_tokens(value)
        return found
    if isinstance(clause, list):
        return [token for item in clause for token in searched_tokens(item)]
    return []


def groups():
    return {"cardinality": {"field": "translation_key", "precision_threshold": 40000}}


FACETS = [
    ("type", "type"),
    ("theme", "themes"),
    ("audience", "audiences"),
    ("format", "format"),
    ("tag", "tags"),
    ("country", "country"),
    ("library", "library"),
    ("meeting", "meeting"),
    ("stage", "stage"),
    ("language", "available_locales"),
    ("evidence", "evidence"),
]


def facet_aggregations(filters: dict) -> dict:
    """filters: {facet: [values]} -> the facet filter aggregations of the contract."""
    field = dict(FACETS)

    def only(clauses):
        return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}

    def clauses(exclude=None):
        return [{"terms": {field[n]: v}} for n, v in filters.items() if n != exclude]

    aggs = {"found": {"filter": only(clauses()), "aggregations": {"groups": groups()}}}
    for name, facet_field in FACETS:
        terms = {"field": facet_field, "size": 1000}
        if name == "tag":
            terms = {
                "field": "tags",
                "size": 20,
                "shard_size": 1000,
                "order": [{"groups": "desc"}, {"_key": "asc"}],
            }
        aggs[f"facet_{name}"] = {
            "filter": only(clauses(exclude=name)),
            "aggregations": {"values": {"terms": terms, "aggregations": {"groups": groups()}}},
        }
    return aggs


def empty_aggregations() -> dict:
    aggs = {"found": {"doc_count": 0, "groups": {"value": 0}}}
    for name, _field in FACETS:
        aggs[f"facet_{name}"] = {"doc_count": 0, "values": {"buckets": []}}
    return aggs


def searched(elastic, backend, params):
    elastic.search_response = {"hits": {"hits": []}, "aggregations": empty_aggregations()}
    backend.search(params)
    (request,) = elastic.made("POST", "_search$")
    return request


@pytest.mark.django_db
def test_a_query_with_two_filters_sends_the_whole_contract(spec, elastic, backend):
    params = SearchParams(
        "Living libraries café",
        "fi",
        {"theme": ("dialogue", "inclusion"), "country": ("LV",)},
        "relevance",
        page=2,
        page_size=10,
    )
    matches = word_matches(plan_query(params.query, "fi"), "fi")
    # Nothing indexed: no typo to expand into (and "café" folds to four letters: too short).
    assert [(m.word, [f.kind for f in m.forms]) for m in matches] == [
        ("living", ["word", "part"]),
        ("libraries", ["word", "part", "synonym"]),
        ("café", ["word", "part"]),
    ]

    request = searched(elastic, backend, params)

    assert request.path == "/" + ",".join(ALIASES) + "/_search"
    assert request.params == {
        "search_type": "dfs_query_then_fetch",
        "allow_partial_search_results": "false",
    }
    filters = [{"terms": {"themes": ["dialogue", "inclusion"]}}, {"terms": {"country": ["LV"]}}]
    assert request.json == {
        "query": expected_query(word_clauses(matches), phrase="living libraries cafe"),
        # One hit per group; Python highlights the version shown (search.service).
        "collapse": {"field": "translation_key"},
        "sort": [
            {"_score": {"order": "desc"}},
            {"published_at": {"order": "desc"}},
            {"translation_key": {"order": "asc"}},
        ],
        "from": 10,
        "size": 10,
        "_source": False,
        "track_total_hits": False,
        "aggregations": facet_aggregations({"theme": ["dialogue", "inclusion"], "country": ["LV"]}),
        "post_filter": {"bool": {"filter": filters}},
    }
    assert "highlight" not in request.raw.decode() and "fuzziness" not in request.raw.decode()
    assert spec.errors(request.json, spec.request_schema("/{index}/_search", "post")) == []


@pytest.mark.django_db
def test_one_word_has_no_phrase_function(spec, elastic, backend):
    body = searched(elastic, backend, SearchParams("kirjastossa", "fi")).json

    # A Finnish word the Finnish lexicon knows: never a typo, whatever is indexed. Its own
    # forms in each language's version (stems differ by language), and the word as a part of
    # compounds in the languages that have them.
    kirjastossa = word_clause(
        kind_clause(
            "word",
            {
                "en": ["kirjastossa"],
                "lv": ["kirjastoss", "kirjastossa"],
                "fi": ["kirjasto", "kirjastossa"],
                "et": ["kirjastossa"],
                "da": ["kirjastossa"],
                "sv": ["kirjastoss", "kirjastossa"],
            },
            ["kirjastossa", "kirjastoss", "kirjasto"],
        ),
        kind_clause(
            "part",
            {
                "fi": ["zpkirjasto", "zpkirjastossa"],
                "et": ["zpkirjastossa"],
                "da": ["zpkirjastossa"],
                "sv": ["zpkirjastoss", "zpkirjastossa"],
            },
            ["zpkirjasto", "zpkirjastossa", "zpkirjastoss"],
        ),
        # The seeded set "library, bibliotēka, kirjasto, raamatukogu, bibliotek".
        synonym_clause("kirjastossa", "fi"),
    )
    assert body["query"] == expected_query([kirjastossa])
    functions = body["query"]["bool"]["should"][-1]["function_score"]["functions"]
    assert functions == PRIOR_FUNCTIONS  # no phrase function: the database gives no bonus either
    assert spec.errors(body, spec.request_schema("/{index}/_search", "post")) == []


@pytest.mark.django_db
def test_each_content_word_carries_the_tokens_of_each_kind_of_match(spec, elastic, backend):
    """A stop word, a Danish compound, a typo and a word of a synonym set: each content word
    looks for exactly the tokens search.matching gives it, kind by kind, each kind boosted
    by its weight; the stop word counts towards the phrase only."""
    # The typo expands into the indexed vocabulary, as on the database.
    database.index_documents([version(11, "en", "Children's parliament")])
    params = SearchParams("debataften og parliamnet kids", "da")
    plan = plan_query(params.query, "da")
    matches = word_matches(plan, "da")
    assert plan.content == ("debataften", "parliamnet", "kids")
    kinds = {m.word: {f.kind: f for f in m.forms} for m in matches}
    assert {"debat", "aften"} <= set(kinds["debataften"]["part"].text["da"])
    assert "parliament" in kinds["parliamnet"]["typo"].keywords
    assert kinds["parliamnet"]["typo"].text == {code: ("parliament",) for code in LANGUAGES}
    assert "children" in kinds["kids"]["synonym"].text["en"]

    body = searched(elastic, backend, params).json

    expected_words = [
        word_clause(
            *(kind_clause(kind, forms.text, forms.keywords) for kind, forms in kinds[word].items())
        )
        for word in plan.content
    ]
    assert body["query"] == expected_query(expected_words, phrase="debataften og parliamnet kids")
    assert len(body["query"]["bool"]["should"]) == 1 + 3  # COVERAGE per content word
    typo = body["query"]["bool"]["should"][1]["constant_score"]["filter"]["dis_max"]["queries"][-1]
    assert typo["bool"]["boost"] == 0.25
    assert typo["bool"]["should"][-1] == tokens_in(["parliament"], KEYWORD_TOKEN_FIELDS)
    assert "og" not in searched_tokens(body["query"])
    assert spec.errors(body, spec.request_schema("/{index}/_search", "post")) == []


@pytest.mark.django_db
def test_a_query_with_stop_words_only_takes_them_as_content_words(spec, elastic, backend):
    body = searched(elastic, backend, SearchParams("how to", "en")).json

    assert len(body["query"]["bool"]["should"]) == 1 + 2
    assert {"how", "to"} <= set(searched_tokens(body["query"]))
    assert spec.errors(body, spec.request_schema("/{index}/_search", "post")) == []


def test_browse_mode_lists_every_group_newest_first(spec, elastic, backend):
    body = searched(elastic, backend, SearchParams("", "en")).json

    assert body == {
        "query": {"match_all": {}},
        "collapse": {"field": "translation_key"},
        "sort": [{"published_at": {"order": "desc"}}, {"translation_key": {"order": "asc"}}],
        "from": 0,
        "size": 20,
        "_source": False,
        "track_total_hits": False,
        "aggregations": facet_aggregations({}),
    }
    assert spec.errors(body, spec.request_schema("/{index}/_search", "post")) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, sort, expected, scores",
    [
        (
            "debate",
            "relevance",
            [{"_score": {"order": "desc"}}, {"published_at": {"order": "desc"}}],
            None,
        ),
        ("debate", "newest", [{"published_at": {"order": "desc"}}], True),
        ("debate", "title", [{"sort_title.sv": {"order": "asc"}}], True),
        ("", "relevance", [{"published_at": {"order": "desc"}}], None),
        ("", "newest", [{"published_at": {"order": "desc"}}], None),
        ("", "title", [{"sort_title.sv": {"order": "asc"}}], None),
        (
            "debate",
            "evidence",
            [
                {"evidence_rank": {"order": "desc", "unmapped_type": "integer"}},
                {"_score": {"order": "desc"}},
                {"published_at": {"order": "desc"}},
            ],
            True,
        ),
        (
            "",
            "evidence",
            [
                {"evidence_rank": {"order": "desc", "unmapped_type": "integer"}},
                {"_score": {"order": "desc"}},
                {"published_at": {"order": "desc"}},
            ],
            None,
        ),
    ],
)
def test_each_sort_order(spec, elastic, backend, query, sort, expected, scores):
    body = searched(elastic, backend, SearchParams(query, "sv", {}, sort)).json

    assert body["sort"] == [*expected, {"translation_key": {"order": "asc"}}]
    # Sorted by a field, scores are still reported, as the database backend does.
    assert body.get("track_scores") is scores
    assert spec.errors(body, spec.request_schema("/{index}/_search", "post")) == []


@pytest.mark.django_db
def test_strongest_evidence_first_filters_and_counts_evidence_levels(spec, elastic, backend):
    filters = {"evidence": ("adopted", "anchored")}
    body = searched(elastic, backend, SearchParams("debate", "en", filters, "evidence")).json

    assert body["post_filter"] == {
        "bool": {"filter": [{"terms": {"evidence": ["adopted", "anchored"]}}]}
    }
    assert body["aggregations"] == facet_aggregations({"evidence": ["adopted", "anchored"]})
    # Disjunctive: the evidence facet counts every level, whatever levels are chosen.
    assert body["aggregations"]["facet_evidence"]["filter"] == {"match_all": {}}
    assert body["sort"][0] == {"evidence_rank": {"order": "desc", "unmapped_type": "integer"}}
    assert spec.errors(body, spec.request_schema("/{index}/_search", "post")) == []


def test_a_practice_is_indexed_with_its_evidence_level_and_its_rank():
    source = documents.source(version(11, "en", "Living library", evidence="anchored"), {})

    assert (source["evidence"], source["evidence_rank"]) == ("anchored", 5)


def test_a_document_indexed_before_evidence_levels_has_none():
    document = version(11, "en", "Living library")
    del document["evidence"]

    source = documents.source(document, {})

    assert (source["evidence"], source["evidence_rank"]) == (None, 0)


@pytest.mark.django_db
def test_pages_beyond_what_elasticsearch_pages_through_still_count(elastic, backend):
    body = searched(elastic, backend, SearchParams("debate", "en", {}, "relevance", 501, 20)).json

    assert (body["from"], body["size"]) == (0, 0)
    assert "found" in body["aggregations"]


def test_a_query_without_words_asks_nothing(elastic, backend):
    result = backend.search(SearchParams("?!", "en"))

    assert elastic.requests == []
    assert (result.total, result.hits) == (0, [])
    assert result.facets == {name: {} for name, _field in FACETS}


# --- reading answers -----------------------------------------------------------------------


def bucket(key, count):
    return {"key": key, "doc_count": count * 2, "groups": {"value": count}}


@pytest.mark.django_db
def test_hits_totals_and_facets_are_read_in_groups(elastic, backend):
    aggs = empty_aggregations()
    aggs["found"]["groups"]["value"] = 2
    aggs["facet_type"]["values"]["buckets"] = [bucket("practice", 2)]
    aggs["facet_theme"]["values"]["buckets"] = [bucket("dialogue", 2), bucket("elections", 1)]
    aggs["facet_language"]["values"]["buckets"] = [bucket("en", 2), bucket("fi", 1)]
    elastic.search_response = {
        "hits": {
            "max_score": None,
            "hits": [
                {
                    "_index": "kb-en-20240101000000000000",
                    "_id": "11",
                    "_score": 30012.5,
                    "fields": {"translation_key": ["group-1"]},
                },
                {"_id": "31", "_score": 10002.0, "fields": {"translation_key": ["group-2"]}},
            ],
        },
        "aggregations": aggs,
    }

    result = backend.search(SearchParams("living", "fi"))

    assert result.total == 2
    # No highlight from Elasticsearch: search.service highlights the version shown.
    assert result.hits == [RawHit("group-1", 30012.5), RawHit("group-2", 10002.0)]
    assert result.facets["theme"] == {"dialogue": 2, "elections": 1}
    assert result.facets["language"] == {"en": 2, "fi": 1}
    assert result.facets["tag"] == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, lang, shown, snippet",
    [
        # The Finnish reader is shown the Finnish version: its summary does not hold the
        # word, its body does (a window of the body, which ends at its last word).
        ("conversation", "fi", "fi", "Readers borrow a <mark>conversation</mark>."),
        # The English reader, the English version, whose summary holds it (escaped).
        ("books", "en", "en", "People become &lt;<mark>books</mark>&gt;."),
        # The Finnish version does not hold the word: its summary, unmarked.
        ("books", "fi", "fi", "Ihmisistä tulee kirjoja."),
    ],
)
def test_an_elasticsearch_hit_shows_the_python_highlight_of_the_version_shown(
    spec, elastic, backend, query, lang, shown, snippet
):
    english = version(11, "en", "Living library")
    finnish = version(12, "fi", "Elävä kirjasto", summary="Ihmisistä tulee kirjoja.")
    database.index_documents([english, finnish])
    aggs = empty_aggregations()
    aggs["found"]["groups"]["value"] = 1
    elastic.search_response = {
        "hits": {
            "hits": [
                {"_score": 10001.0, "fields": {"translation_key": [english["translation_key"]]}}
            ]
        },
        "aggregations": aggs,
    }
    params = SearchParams(query, lang)

    (hit,) = service.search(params, backend).results
    (expected,) = service.search(params, database.DatabaseBackend()).results

    assert hit.locale == shown
    assert hit.highlight == snippet
    assert (hit.locale, hit.highlight) == (expected.locale, expected.highlight)
    (request,) = elastic.made("POST", "_search$")
    assert "highlight" not in request.json and "inner_hits" not in request.json["collapse"]
    assert spec.errors(request.json, spec.request_schema("/{index}/_search", "post")) == []


# --- indexing ------------------------------------------------------------------------------


def check_source(source: dict, properties: dict, path="_source") -> None:
    """A bulk source fits the strict mapping: known fields, values of the mapped types."""
    assert set(source) <= set(properties), f"{path}: unmapped {set(source) - set(properties)}"
    for name, value in source.items():
        mapping = properties[name]
        kind = mapping.get("type", "object")
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is None:
                continue
            if kind == "object":
                check_source(item, mapping["properties"], f"{path}.{name}")
            elif kind == "date":
                assert datetime.datetime.fromisoformat(item), f"{path}.{name}: {item!r}"
            elif kind == "integer":
                assert isinstance(item, int), f"{path}.{name}: {item!r} is not an integer"
            else:
                assert isinstance(item, str), f"{path}.{name}: {item!r} is not text"


def expected_tokens(document) -> dict:
    """The token fields of a document: search.tokens' tokens, space-separated."""
    locale = document["locale"]
    return {
        "title_tokens": " ".join(text_tokens(document["title"], locale)),
        "keywords_tokens": " ".join(keyword_tokens(document)),
        "summary_tokens": " ".join(text_tokens(document["summary"], locale)),
        "body_tokens": " ".join(text_tokens(document["body"], locale)),
    }


def expected_source(document, sort_titles, displayed_in) -> dict:
    return {
        "title": document["title"],
        "summary": document["summary"],
        "body": document["body"],
        "tags": ["living-library", "prejudice"],
        "taxonomy": {
            "en": ["Dialogue"],
            "lv": ["Dialogs"],
            "fi": ["Vuoropuhelu"],
            "et": [],
            "da": [],
            "sv": [],
        },
        "translation_key": document["translation_key"],
        "key": "living-library",
        "type": "practice",
        "locale": document["locale"],
        "original_locale": "en",
        "available_locales": ["en", "fi"],
        "themes": ["dialogue"],
        "audiences": ["adults"],
        "format": "event",
        "country": "LV",
        "library": "valmiera",
        "meeting": "valmiera-2023",
        "stage": None,
        "evidence": document.get("evidence"),
        "url": document["url"],
        "date": "2023-09-19",
        "published_at": "2024-05-01T12:00:00+00:00",
        "last_published_at": "2024-06-01T08:30:00+00:00",
        "displayed_in": displayed_in,
        "sort_title": sort_titles,
        "title_length": len(document["title"]),
        "anchored": 0,  # not a practice anchored anywhere
        "evidence_rank": {None: 0, "described": 1, "anchored": 5}[document.get("evidence")],
        **expected_tokens(document),
    }


ENGLISH_SHOWN = {code: "living library" for code in LANGUAGES} | {"fi": "elava kirjasto"}


@pytest.mark.django_db
def test_documents_are_bulk_indexed_into_the_alias_of_their_language(spec, elastic, backend):
    elastic.aliases = existing_aliases()
    english = version(11, "en", "Living library")
    finnish = version(12, "fi", "Elävä kirjasto", summary="Ihmisistä tulee kirjoja.")

    assert backend.index_documents([english, finnish]) == 2

    assert [r.path for r in elastic.requests] == ["/kb-*/_alias", "/_bulk"]
    lines = elastic.made("PUT", "^/_bulk$")[0].lines
    assert lines == [
        {"index": {"_index": "kb-en", "_id": "11"}},
        expected_source(english, ENGLISH_SHOWN, ["en", "lv", "et", "da", "sv"]),
        {"index": {"_index": "kb-fi", "_id": "12"}},
        expected_source(finnish, ENGLISH_SHOWN, ["fi"]),
    ]
    for action in lines[::2]:
        assert spec.errors(action, spec.schema("_global.bulk.OperationContainer")) == []
    for source in lines[1::2]:
        check_source(source, expected_index_body(source["locale"])["mappings"]["properties"])


@pytest.mark.django_db
def test_the_token_fields_are_the_databases_token_columns(spec, elastic, backend):
    """Both engines search the same strings: the tokens a bulk action sends are those the
    database's full-text index holds for the same document, block by block (stems, folded
    stems, plain words, then lemmas and compound parts), hex-spelt tokens included."""
    elastic.aliases = existing_aliases()
    english = version(11, "en", "Living library")
    finnish = version(
        12,
        "fi",
        "Elävä kirjasto",
        summary="Ihmisistä tulee kirjoja.",
        body="Kirjastonhoitaja 🙂 lainaa keskustelun.",
        tags=["living-library", "ennakkoluulot"],
    )
    database.index_documents([english, finnish])

    backend.index_documents([english, finnish])

    lines = elastic.made("PUT", "^/_bulk$")[0].lines
    for action in lines[::2]:
        assert spec.errors(action, spec.schema("_global.bulk.OperationContainer")) == []
    sources = {
        int(action["index"]["_id"]): source
        for action, source in zip(lines[::2], lines[1::2], strict=True)
    }
    for document in (english, finnish):
        source = sources[document["id"]]
        entry = SearchEntry.objects.get(page_id=document["id"])
        assert {name: source[name] for name in TOKEN_FIELDS} == {
            "title_tokens": entry.title_tokens,
            "keywords_tokens": entry.keyword_tokens,
            "summary_tokens": entry.summary_tokens,
            "body_tokens": entry.body_tokens,
        }
        assert {name: source[name] for name in TOKEN_FIELDS} == expected_tokens(document)
    assert sources[11]["title_tokens"] == "live librari live librari living library"
    assert sources[12]["body_tokens"].split() == [
        *["kirjastonhoitaj", "zzf09f9982", "laina", "keskustelu"],  # stemmed
        *["kirjastonhoitaj", "zzf09f9982", "laina", "keskustelu"],  # folded, then stemmed
        *["kirjastonhoitaja", "zzf09f9982", "lainaa", "keskustelun"],  # plain
        *["zpkirjaston", "zpkirjasto", "zphoitaja", "zphoitaj"],  # the compound's parts
        *["laina", "keskustelu"],  # lemmas
    ]
    for source in sources.values():
        check_source(source, expected_index_body(source["locale"])["mappings"]["properties"])


@pytest.mark.django_db
def test_title_sort_uses_the_title_of_the_version_shown_in_each_language(backend, elastic):
    """The Finnish version alone is re-indexed: its English sibling's title comes from the
    database index, written before Elasticsearch."""
    elastic.aliases = existing_aliases()
    english = version(11, "en", "Living library")
    database.index_documents([english])

    backend.index_documents([version(12, "fi", "Elävä kirjasto")])

    source = elastic.made("PUT", "^/_bulk$")[0].lines[1]
    assert source["sort_title"] == ENGLISH_SHOWN


@pytest.mark.django_db
def test_missing_indices_are_created_with_their_aliases_in_one_call(spec, elastic, backend):
    elastic.aliases = existing_aliases()
    del elastic.aliases["kb-et-20240101000000000000"]
    elastic.aliases["kb-sv"] = {"aliases": {}}  # auto-created by a stray write
    del elastic.aliases["kb-sv-20240101000000000000"]

    backend.index_documents([version(11, "en", "Living library")])

    created = elastic.made("PUT", r"^/kb-")
    assert [r.path for r in created] == [
        f"/kb-et-{created[0].path[-20:]}",
        f"/kb-sv-{created[0].path[-20:]}",
    ]
    assert re.fullmatch(r"/kb-et-\d{20}", created[0].path)
    assert created[0].json == expected_index_body("et")
    assert created[1].json == expected_index_body("sv")
    (switch,) = elastic.made("POST", "^/_aliases$")
    assert switch.json == {
        "actions": [
            {"remove_index": {"index": "kb-sv"}},
            {"add": {"index": created[0].path[1:], "alias": "kb-et"}},
            {"add": {"index": created[1].path[1:], "alias": "kb-sv"}},
        ]
    }
    assert spec.errors(switch.json, spec.request_schema("/_aliases", "post")) == []
    assert elastic.requests[-1].path == "/_bulk"


def test_removed_pages_are_deleted_from_the_alias_of_their_language(spec, elastic, backend):
    elastic.search_response = {
        "hits": {
            "hits": [
                {"_index": "kb-fi-1", "_id": "12", "_source": {"locale": "fi"}},
                {"_index": "kb-en-1", "_id": "11", "_source": {"locale": "en"}},
            ]
        }
    }

    assert backend.remove_pages([11, 12, 99]) == 2

    lookup, bulk = elastic.requests
    assert lookup.path == "/" + ",".join(ALIASES) + "/_search"
    assert lookup.params == {"ignore_unavailable": "true"}
    assert lookup.json == {
        "query": {"ids": {"values": ["11", "12", "99"]}},
        "_source": {"includes": ["locale"]},
        "size": 3,
    }
    assert spec.errors(lookup.json, spec.request_schema("/{index}/_search", "post")) == []
    assert bulk.lines == [
        {"delete": {"_index": "kb-fi", "_id": "12"}},
        {"delete": {"_index": "kb-en", "_id": "11"}},
    ]
    for action in bulk.lines:
        assert spec.errors(action, spec.schema("_global.bulk.OperationContainer")) == []


def test_nothing_to_index_or_remove_sends_nothing(elastic, backend):
    assert backend.index_documents([]) == 0
    assert backend.remove_pages([]) == 0
    assert elastic.requests == []


# --- rebuilding ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_rebuild_fills_new_indices_then_switches_every_alias_in_one_call(spec, elastic, backend):
    elastic.aliases = existing_aliases("20230101000000000000")
    english = version(11, "en", "Living library")
    finnish = version(12, "fi", "Elävä kirjasto")

    with backend.rebuilding() as new_indices:
        # As operations.rebuild does: the database first, batch by batch.
        database.index_documents([english])
        new_indices.index_documents([english])
        database.index_documents([finnish])
        new_indices.index_documents([finnish])
        assert elastic.made("POST", "^/_aliases$") == []

    created = elastic.made("PUT", r"^/kb-")
    stamp = created[0].path[-20:]
    assert re.fullmatch(r"\d{20}", stamp)
    assert [r.path for r in created] == [f"/kb-{code}-{stamp}" for code in LANGUAGES]
    for code, request in zip(LANGUAGES, created, strict=True):
        assert request.json == expected_index_body(code)
        assert spec.errors(request.json, spec.request_schema("/{index}", "put")) == []

    bulks = elastic.made("PUT", "^/_bulk$")
    assert [line for r in bulks for line in r.lines[::2]] == [
        {"index": {"_index": f"kb-en-{stamp}", "_id": "11"}},
        {"index": {"_index": f"kb-fi-{stamp}", "_id": "12"}},
        # Indexed before its Finnish version existed: again, now with its title.
        {"index": {"_index": f"kb-en-{stamp}", "_id": "11"}},
    ]
    assert bulks[0].lines[1]["sort_title"]["fi"] == "living library"
    assert bulks[-1].lines[1]["sort_title"] == ENGLISH_SHOWN

    (switch,) = elastic.made("POST", "^/_aliases$")
    assert switch.json == {
        "actions": [
            action
            for code in LANGUAGES
            for action in (
                {"remove": {"index": f"kb-{code}-20230101000000000000", "alias": f"kb-{code}"}},
                {"add": {"index": f"kb-{code}-{stamp}", "alias": f"kb-{code}"}},
            )
        ]
    }
    assert spec.errors(switch.json, spec.request_schema("/_aliases", "post")) == []
    refresh, lookup, switch_request, delete = elastic.requests[-4:]
    assert refresh.path == "/" + ",".join(f"kb-{code}-{stamp}" for code in LANGUAGES) + "/_refresh"
    assert lookup.path == "/kb-*/_alias"
    assert switch_request is switch
    assert (delete.method, delete.path) == (
        "DELETE",
        "/" + ",".join(f"kb-{code}-20230101000000000000" for code in LANGUAGES),
    )


def test_the_first_rebuild_creates_the_aliases_in_the_same_call(elastic, backend):
    with backend.rebuilding():
        pass

    (switch,) = elastic.made("POST", "^/_aliases$")
    assert [next(iter(action)) for action in switch.json["actions"]] == ["add"] * 6
    assert elastic.made("DELETE") == []


def test_a_failed_rebuild_deletes_its_indices_and_leaves_the_aliases(elastic, backend):
    elastic.aliases = existing_aliases()

    with pytest.raises(RuntimeError), backend.rebuilding():
        raise RuntimeError("the database went away")

    created = [r.path[1:] for r in elastic.made("PUT", r"^/kb-")]
    assert len(created) == 6
    assert elastic.made("POST", "^/_aliases$") == []
    (delete,) = elastic.made("DELETE")
    assert delete.path == "/" + ",".join(created)


# --- autocomplete, related practices, status -------------------------------------------------


def test_title_suggestions_match_the_shown_titles_by_prefix(spec, elastic, backend):
    elastic.search_response = {
        "hits": {
            "hits": [
                {
                    "_source": {
                        "translation_key": "group-1",
                        "key": "living-library",
                        "type": "practice",
                        "title": "Elävä kirjasto",
                        "url": "/fi/practices/living-library/",
                        "locale": "fi",
                    }
                }
            ]
        }
    }

    suggestions = backend.suggest_titles("Elävä kirj", "fi", limit=5)

    (request,) = elastic.requests
    assert request.params == {"search_type": "dfs_query_then_fetch"}
    assert request.json == {
        "query": {
            "bool": {
                "filter": [
                    {
                        "match_bool_prefix": {
                            "title.plain": {"query": "elava kirj", "operator": "and"}
                        }
                    },
                    {"term": {"displayed_in": {"value": "fi"}}},
                ],
                # Titles that begin with what was typed come first.
                "should": [
                    {
                        "constant_score": {
                            "filter": {
                                "span_first": {
                                    "match": {
                                        "span_multi": {
                                            "match": {
                                                "prefix": {
                                                    "title.plain": {
                                                        "value": "elava",
                                                        "rewrite": "top_terms_1000",
                                                    }
                                                }
                                            }
                                        }
                                    },
                                    "end": 1,
                                }
                            },
                            "boost": 1.0,
                        }
                    }
                ],
            }
        },
        "collapse": {"field": "translation_key"},
        "sort": [
            {"_score": {"order": "desc"}},
            {"title_length": {"order": "asc"}},
            {"sort_title.fi": {"order": "asc"}},
            {"translation_key": {"order": "asc"}},
        ],
        "size": 5,
        "_source": {"includes": ["translation_key", "key", "type", "title", "url", "locale"]},
        "track_total_hits": False,
    }
    assert spec.errors(request.json, spec.request_schema("/{index}/_search", "post")) == []
    assert [s["translation_key"] for s in suggestions] == ["group-1"]
    assert suggestions[0]["title"] == "Elävä kirjasto"
    assert backend.suggest_titles("…", "fi") == []


def test_related_practices_are_more_like_this_version(spec, elastic, backend):
    elastic.search_response = {
        "hits": {
            "hits": [
                {"_score": 7.5, "fields": {"translation_key": ["group-2"]}},
                {"_score": 3.0, "fields": {"translation_key": ["group-3"]}},
            ]
        }
    }
    document = version(12, "fi", "Elävä kirjasto")

    related = backend.related(document, limit=3)

    (request,) = elastic.requests
    assert request.params == {"search_type": "dfs_query_then_fetch"}
    like = [{"_index": "kb-fi", "_id": "12"}]
    assert request.json == {
        "query": {
            "bool": {
                "should": [
                    {
                        "more_like_this": {
                            "fields": ["tags.text"] + [f"taxonomy.{code}" for code in LANGUAGES],
                            "like": like,
                            "min_term_freq": 1,
                            "min_doc_freq": 1,
                            "max_query_terms": 50,
                            "minimum_should_match": "1",
                            "boost": 2.0,
                        }
                    },
                    {
                        "more_like_this": {
                            "fields": ["title", "summary", "body"],
                            "like": like,
                            "min_term_freq": 1,
                            "min_doc_freq": 1,
                            "max_query_terms": 25,
                            "minimum_should_match": "30%",
                        }
                    },
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
        "size": 3,
        "_source": False,
        "track_total_hits": False,
    }
    assert spec.errors(request.json, spec.request_schema("/{index}/_search", "post")) == []
    assert related == [RawHit("group-2", 7.5), RawHit("group-3", 3.0)]


def test_status_counts_versions_per_language(spec, elastic, backend):
    elastic.search_response = {
        "hits": {"hits": []},
        "aggregations": {
            "locales": {"buckets": [{"key": "en", "doc_count": 7}, {"key": "fi", "doc_count": 2}]}
        },
    }

    assert backend.count_per_locale() == {"en": 7, "fi": 2}
    (request,) = elastic.requests
    assert request.json == {
        "size": 0,
        "track_total_hits": False,
        "aggregations": {"locales": {"terms": {"field": "locale", "size": 6}}},
    }
    assert spec.errors(request.json, spec.request_schema("/{index}/_search", "post")) == []


def test_indexed_ids_reads_every_alias(elastic, backend):
    elastic.search_response = {
        "_scroll_id": "s1",
        "_shards": {"total": 6, "successful": 6, "skipped": 0, "failed": 0},
        "hits": {"hits": [{"_id": "11"}, {"_id": "12"}]},
    }

    def answer(request, original=elastic.answer):
        if request.path == "/_search/scroll":
            return 200, {"_scroll_id": "s1", "_shards": {"total": 6}, "hits": {"hits": []}}
        if request.path == "/_search/scroll" or request.method == "DELETE":
            return 200, {"succeeded": True}
        return original(request)

    elastic.answer = answer

    assert backend.indexed_ids() == {11, 12}
    first = elastic.requests[0]
    assert first.path == "/" + ",".join(ALIASES) + "/_search"
    assert first.json == {
        "query": {"match_all": {}},
        "_source": False,
        "size": 1000,
        "sort": "_doc",
    }


# --- failures ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        elastic_transport.ConnectionError("connection refused"),
        elastic_transport.ConnectionTimeout("timed out"),
        (503, {"error": {"type": "cluster_block_exception"}, "status": 503}),
        (429, {"error": {"type": "es_rejected_execution_exception"}, "status": 429}),
        (404, {"error": {"type": "index_not_found_exception"}, "status": 404}),
    ],
    ids=["refused", "timeout", "503", "429", "no index"],
)
@pytest.mark.django_db  # a query is planned against the indexed vocabulary first
def test_an_elasticsearch_that_cannot_answer_is_unavailable(elastic, backend, failure):
    elastic.failure = failure

    with pytest.raises(BackendUnavailable):
        backend.search(SearchParams("debate", "en"))
    with pytest.raises(BackendUnavailable):
        backend.remove_pages([1])
    assert len(elastic.requests) == 2  # no retries


@pytest.mark.django_db
def test_a_refused_search_falls_back_and_is_logged(elastic, backend, caplog):
    elastic.failure = (400, {"error": {"type": "parsing_exception"}, "status": 400})

    with caplog.at_level(logging.ERROR), pytest.raises(BackendUnavailable):
        backend.search(SearchParams("debate", "en"))
    assert "parsing_exception" in caplog.text


def test_a_refused_index_creation_is_an_error_not_an_outage(elastic, backend):
    elastic.aliases = {}
    answer = elastic.answer

    def refuse_creation(request):
        if request.method == "PUT":
            return 400, {"error": {"type": "mapper_parsing_exception"}, "status": 400}
        return answer(request)

    elastic.answer = refuse_creation

    with pytest.raises(ApiError) as raised:
        backend.ensure_indices()
    assert raised.value.status_code == 400


# --- configuration -------------------------------------------------------------------------


def test_settings_are_read_when_the_backend_is_made():
    with override_settings(
        ELASTICSEARCH_URL="http://127.0.0.1:9299", ELASTICSEARCH_INDEX_PREFIX="kbx"
    ):
        backend = ElasticsearchBackend.from_settings()
        indexing = ElasticsearchBackend.from_settings(for_indexing=True)

    assert backend.aliases == [f"kbx-{code}" for code in LANGUAGES]
    (node,) = backend.client.transport.node_pool.all()
    assert isinstance(node, BoundedNode)
    assert node.base_url == "http://127.0.0.1:9299"
    # Searches: bounded and never retried; indexing may wait and retry.
    assert (backend.client._request_timeout, backend.client._max_retries) == (1.5, 0)
    assert backend.client._retry_on_timeout is False
    assert indexing.client._max_retries > 0 and indexing.client._request_timeout > 1.5
    assert client_for("http://127.0.0.1:9299") is backend.client


def test_an_invalid_index_prefix_is_refused():
    with override_settings(
        ELASTICSEARCH_URL="http://127.0.0.1:9299", ELASTICSEARCH_INDEX_PREFIX="KB/x"
    ):
        with pytest.raises(ImproperlyConfigured):
            ElasticsearchBackend.from_settings()


@pytest.mark.django_db
def test_words_in_quotes_filter_the_versions_holding_the_phrase(spec, elastic, backend):
    body = searched(elastic, backend, SearchParams('"Living library" garden', "en")).json

    assert body["query"]["bool"]["filter"] == [
        {
            "multi_match": {
                "query": "living library",
                "type": "phrase",
                "fields": ["title_tokens", "keywords_tokens", "summary_tokens", "body_tokens"],
            }
        }
    ]
    assert spec.errors(body, spec.request_schema("/{index}/_search", "post")) == []


@pytest.mark.django_db
def test_documents_the_index_refuses_are_reported_as_the_index_being_unavailable(elastic, backend):
    """Indices made before the mapping changed refuse the new fields (strict mapping): the
    failure is BackendUnavailable, which indexing treats as an outage, so the database index
    is still written in full; the message says what to run."""
    from search.backends import BackendUnavailable

    refused = {
        "took": 1,
        "errors": True,
        "items": [
            {
                "index": {
                    "_index": "kb-en",
                    "_id": "11",
                    "status": 400,
                    "error": {
                        "type": "strict_dynamic_mapping_exception",
                        "reason": "mapping set to strict, dynamic introduction of [anchored]",
                    },
                }
            }
        ],
    }
    answer = elastic.answer
    elastic.answer = lambda request: (200, refused) if request.path == "/_bulk" else answer(request)

    with pytest.raises(BackendUnavailable, match="search_index rebuild"):
        backend.index_documents([version(11, "en", "Living library")])
