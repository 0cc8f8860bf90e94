"""The tokens a text is indexed under, on every engine: the database's full-text index and
Elasticsearch's pre-analysed token fields hold exactly these strings (docs/search-analysis.md).

A text in `locale` is indexed as four blocks, in order:

1. its words stemmed (`analysis`'s `stemmed` analyzer), 2. folded then stemmed (`folded`),
3. plain (lower-cased and folded: the block phrases are matched in),
4. what the stemmers do not know: each word's lemma (`lexicon.lemma`), and for a compound in
   fi, et, da or sv its parts, behind the PART marker, in their plain, stemmed and lemma
   forms (`kommunalvalg` -> `zpkommunal zpvalg ...`). Parts live under a marker so that a
   match through a part can be told from (and weighted below) a match of the word itself.

Every token is [a-z0-9]+ (anything else spelled out in hex behind HEX), so that SQLite FTS5,
PostgreSQL's `simple` configuration and Elasticsearch's whitespace tokenizer keep it whole."""

import functools

from . import analysis, lexicon

HEX = "zz"
PART = "zp"


def index_token(token: str) -> str:
    """A token both full-text engines keep whole: [a-z0-9]+ as it is, anything else (emoji,
    apostrophes, other scripts) spelled out in hex behind a marker."""
    # The same test as set(token) <= [a-z0-9], in C: this runs for every token indexed.
    if token.isascii() and token.isalnum() and token.lower() == token:
        return token
    return HEX + token.encode("utf-8").hex()


def text_tokens(text: str, locale: str) -> list[str]:
    """Every form under which a text in `locale` can be found (the four blocks above)."""
    forms = [_word_tokens(word, locale) for word in analysis.tokenize_cached(text)]
    tokens = [stemmed for stemmed, _folded, _plain, _extra in forms]
    tokens += [folded for _stemmed, folded, _plain, _extra in forms]
    tokens += [plain for _stemmed, _folded, plain, _extra in forms]
    return tokens + [token for *_blocks, extra in forms for token in extra]


@functools.lru_cache(maxsize=65_536)
def _word_tokens(word: str, locale: str) -> tuple[str, str, str, tuple[str, ...]]:
    """A word as the tokenizer gives it, in each of the four blocks: stemmed, folded then
    stemmed, plain, and its extra tokens (none or several). Every step of the analysis maps
    each word on its own, so a text's tokens are its words' tokens; a word that comes back,
    in the same text or the next, is analysed once (a rebuild meets each about 100 times)."""
    [stemmed] = analysis.analyze_tokens([word], locale, "stemmed")
    [folded] = analysis.analyze_tokens([word], locale, "folded")
    [plain] = analysis.analyze_tokens([word], None, "plain")
    return (
        index_token(stemmed),
        index_token(folded),
        index_token(plain),
        tuple(_extra_tokens(plain, locale)),
    )


def part_token(form: str) -> str:
    return PART + index_token(form)


def _extra_tokens(word: str, locale: str) -> list[str]:
    extra = []
    found = lexicon.lemma(word, locale)
    if found:
        extra.append(index_token(found))
    for part in lexicon.compound_parts(word, locale):
        extra += [part_token(form) for form in plain_and_stems(part, locale)]
    return extra


def plain_and_stems(word: str, locale: str) -> list[str]:
    """A folded word, its stem and its lemma (deduplicated, in that order)."""
    forms = [word, *analysis.analyze(word, locale, "folded")]
    found = lexicon.lemma(word, locale)
    if found:
        forms.append(found)
    return list(dict.fromkeys(forms))


def word_forms(word: str, locale: str) -> list[str]:
    """The index tokens a query word matches in a text of `locale` when the text holds the
    word itself or another inflection of it: stemmed, folded-then-stemmed, plain, lemma."""
    forms = analysis.analyze(word, locale, "stemmed") + analysis.analyze(word, locale, "folded")
    plain = analysis.analyze(word, None, "plain")
    forms += plain
    forms += [found for p in plain if (found := lexicon.lemma(p, locale))]
    return list(dict.fromkeys(index_token(f) for f in forms))


def part_forms(word: str, locale: str) -> list[str]:
    """The index tokens a query word matches in a text of `locale` through compounds: the
    word as a part of a compound in the text (`valg` in `kommunalvalg`), and, when the word
    is a compound itself, its parts as words or parts of the text (`debataften`: `debat`)."""
    if locale not in lexicon.COMPOUND_LANGUAGES:
        return []
    forms = [PART + f for f in word_forms(word, locale)]
    for plain in analysis.analyze(word, None, "plain"):
        for part in lexicon.compound_parts(plain, locale):
            stems = plain_and_stems(part, locale)
            forms += [index_token(f) for f in stems] + [part_token(f) for f in stems]
    return list(dict.fromkeys(forms))


def keyword_tokens(document: dict) -> list[str]:
    """Tags (language-neutral) and the labels of themes, audiences and format in every
    language, each analysed in its own language."""
    tokens = [
        index_token(t) for tag in document["tags"] for t in analysis.analyze(tag, None, "plain")
    ]
    for code, labels in document["taxonomy_labels"].items():
        tokens += _label_tokens(" ".join(labels), code)
    return tokens


@functools.lru_cache(maxsize=4096)
def _label_tokens(labels: str, locale: str) -> tuple[str, ...]:
    # The same few theme, audience and format labels come back in document after document.
    return tuple(text_tokens(labels, locale))
