"""What Elasticsearch stores: one index per language, each behind an alias, holding the
documents of `search.documents` (one per live page version) with that language's analyzers.

Text is indexed three ways, as the database backend's tokens are (`search.analysis`): stemmed
(`title`), folded then stemmed (`title.folded`) and plain (`title.plain`). Tags are
language-neutral keywords; the labels of themes, audiences and formats are indexed in all six
languages (`taxonomy.<code>`), each with its own language's analyzers, so a Finnish word finds
an untranslated Danish practice through its themes."""

import functools

from django.conf import settings
from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    MetaField,
    Object,
    Text,
)

from languages.groups import readers_shown
from practices.evidence import level_named
from search import analysis
from search.tokens import keyword_tokens, text_tokens

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
TEXT_FIELDS = ("title", "summary", "body")
# What searches match: the tokens of `search.tokens`, as the database's full-text index holds
# them, split on spaces by the `kb_tokens` analyzer (docs/search-analysis.md). Not in _source.
TOKEN_FIELDS = {name: f"{name}_tokens" for name in ("title", "keywords", "summary", "body")}
# Plain keyword fields: filters, facets, collapsing and display.
KEYWORD_FIELDS = (
    "translation_key",
    "key",
    "type",
    "locale",
    "original_locale",
    "available_locales",
    "themes",
    "audiences",
    "format",
    "country",
    "library",
    "meeting",
    "stage",
    "evidence",
)
DATE_FIELDS = ("date", "published_at", "last_published_at")
SORT_TITLE_LENGTH = 255  # as SearchEntry.sort_title


def analysed_text(locale: str) -> Text:
    """A text field in `locale`: stemmed, with `.folded` and `.plain` subfields."""
    return Text(
        analyzer=analysis.analyzer_name(locale, "stemmed"),
        fields={
            "folded": Text(analyzer=analysis.analyzer_name(locale, "folded")),
            "plain": Text(analyzer=analysis.PLAIN_ANALYZER),
        },
    )


def _inner_doc(name: str, fields: dict) -> type[InnerDoc]:
    return type(name, (InnerDoc,), dict(fields))


@functools.cache
def document_class(locale: str) -> type[Document]:
    """The Document of the index of `locale`."""
    if locale not in analysis.LOCALES:
        raise ValueError(f"no analyzers for locale {locale!r}")
    fields = {name: analysed_text(locale) for name in TEXT_FIELDS}
    fields["tags"] = Keyword(fields={"text": Text(analyzer=analysis.PLAIN_ANALYZER)})
    fields["taxonomy"] = Object(
        _inner_doc("Taxonomy", {code: analysed_text(code) for code in LANGUAGES})
    )
    fields.update({name: Keyword() for name in KEYWORD_FIELDS})
    fields["url"] = Keyword(index=False, doc_values=False)
    fields["date"] = Date()
    fields["published_at"] = Date()
    fields["last_published_at"] = Date(index=False)
    # The languages in which this version is the one shown for its group: its own, plus every
    # language the group lacks when it is the original (the database's display rule).
    fields["displayed_in"] = Keyword()
    # Per reading language: the folded, lower-cased title of the version shown in that
    # language, so that sorting by title orders groups by the title the reader sees.
    fields["sort_title"] = Object(_inner_doc("SortTitles", {code: Keyword() for code in LANGUAGES}))
    fields["title_length"] = Integer()  # autocomplete shows shorter titles first
    fields["anchored"] = Integer()  # libraries that anchored a practice: ranking, a sort
    fields["evidence_rank"] = Integer()  # practices: the rank of the evidence level, a sort
    for name in TOKEN_FIELDS.values():
        fields[name] = Text(analyzer=analysis.TOKENS_ANALYZER)
    fields["Meta"] = type(
        "Meta",
        (),
        {
            "dynamic": MetaField("strict"),
            "source": MetaField(excludes=list(TOKEN_FIELDS.values())),
        },
    )
    return type(f"PageVersion_{locale}", (Document,), fields)


def index_settings() -> dict:
    # One shard (the default) per language; a replica only where a second node can hold it.
    return {"auto_expand_replicas": "0-1", "analysis": analysis.elasticsearch_analysis()}


def index_definition(name: str, locale: str) -> Index:
    index = Index(name)
    index.settings(**index_settings())
    index.mapping(document_class(locale)._doc_type.mapping)
    return index


def index_body(locale: str) -> dict:
    """Settings and mappings of a new index for `locale` (the body of `indices.create`)."""
    return index_definition("unused", locale).to_dict()


def sort_key(title: str) -> str:
    """The database backend's `SearchEntry.sort_title`."""
    return analysis.fold(title.lower())[:SORT_TITLE_LENGTH]


def displayed_in(document: dict) -> list[str]:
    """The reading languages whose readers are shown this version, by the default reading
    orders (`languages.groups.readers_shown`)."""
    shown = readers_shown(document["available_locales"], document["original_locale"])
    return [language for language, code in shown.items() if code == document["locale"]]


def sort_titles(document: dict, group: dict) -> dict:
    """{reading language: sort key of the title shown in it}. `group` holds the sort keys of
    the group's versions that are known ({locale: key}); where the version shown is not
    known, this version's own title stands in."""
    own = sort_key(document["title"])
    available = set(document["available_locales"])
    keys = {}
    for code in LANGUAGES:
        shown = code if code in available else document["original_locale"]
        keys[code] = group.get(shown, own)
    return keys


def missing_versions(document: dict, group: dict) -> bool:
    """Whether a version this document's sort titles depend on (any live version of its
    group) is not in `group`."""
    return not set(document["available_locales"]) <= set(group)


def source(document: dict, group: dict) -> dict:
    """The `_source` of a document: its fields under their mapped names."""
    data = {name: document[name] for name in TEXT_FIELDS}
    data["tags"] = list(document["tags"])
    labels = document["taxonomy_labels"]
    data["taxonomy"] = {code: list(labels.get(code, [])) for code in LANGUAGES}
    for name in KEYWORD_FIELDS:
        value = document.get(name)  # documents indexed before a field existed lack it
        data[name] = list(value) if isinstance(value, list | tuple) else value
    data["url"] = document["url"]
    for name in DATE_FIELDS:
        data[name] = document[name]
    data["displayed_in"] = displayed_in(document)
    data["sort_title"] = sort_titles(document, group)
    data["title_length"] = len(document["title"])
    data["anchored"] = (document.get("spread") or {}).get("anchored", 0)
    level = level_named(document.get("evidence"))
    data["evidence_rank"] = level.rank if level else 0
    locale = document["locale"]
    for name in TEXT_FIELDS:
        data[TOKEN_FIELDS[name]] = " ".join(text_tokens(document[name], locale))
    data[TOKEN_FIELDS["keywords"]] = " ".join(keyword_tokens(document))
    return data


def bulk_action(document: dict, index: str, group: dict) -> dict:
    """The `_bulk` index action of a document into `index` (an alias or a concrete index)."""
    doc = document_class(document["locale"])(
        meta={"id": str(document["id"]), "index": index}, **source(document, group)
    )
    return {"_op_type": "index", **doc.to_dict(include_meta=True, skip_empty=False)}
