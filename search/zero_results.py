"""What the search page offers when a search finds nothing, besides the spelling correction
the search itself suggests (`SearchResult.suggestion`):

- how many results the same words find without the filters (`unfiltered_total`);
- the themes, audiences and formats whose label, in any of the six languages, shares a word
  with the query, to browse instead (`related_concepts`).

A label "shares a word" with the query when, after folding case and diacritics, one of its
words equals a query word, or the two begin alike: the shorter is at least four letters and
the common beginning is the shorter word but for at most two letters (election/elections,
vaali/vaalit, library/librarians, democracy/democratic). Words shorter than three letters
and the stop words of the six languages (the search's own lists: "the", "och", "med"…)
count for nothing.

Plain functions: the page's view decides what runs (`search` is passed in) and how it shows."""

import dataclasses
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from languages.groups import shown_language
from languages.reader import reading_order
from practices.models import Audience, Format, Theme

from . import analysis, lexicon
from .params import SearchParams

MAX_CONCEPTS = 8
MIN_WORD_LENGTH = 3
MIN_PREFIX = 4
PREFIX_SLACK = 2  # letters the shorter word may have beyond the common beginning
VOCABULARIES = (("theme", Theme), ("audience", Audience), ("format", Format))

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Concept:
    facet: str  # "theme", "audience" or "format": the search filter that browses it
    slug: str
    label: str  # in the version a reader of the page's language sees
    locale: str  # the language of that label
    count: int | None = None  # pages with it, when counted

    @property
    def query_string(self) -> str:
        return "?" + urlencode({self.facet: self.slug})


def fold(word: str) -> str:
    """Lower case without diacritics: "Vēlēšanas" → "velesanas" (ø, æ, ß stay letters)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def _stop_words() -> frozenset[str]:
    """The stop words of every language the search knows (`lexicon.stopwords`)."""
    return frozenset().union(*(lexicon.stopwords(code) for code in analysis.LOCALES))


def _is_stop_word(word: str) -> bool:
    return analysis.fold(word) in _stop_words()


def significant_words(text: str) -> list[str]:
    """The folded words of `text` that can name a topic, in order, each once."""
    words = (fold(w) for w in _WORD.findall(text or ""))
    return list(
        dict.fromkeys(
            w
            for w in words
            if len(w) >= MIN_WORD_LENGTH and not _is_stop_word(w) and not w.isdigit()
        )
    )


def words_match(a: str, b: str) -> bool:
    """Two folded words are the same word, or two forms of it (see the module docstring)."""
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) < MIN_PREFIX:
        return False
    common = 0
    for x, y in zip(shorter, longer, strict=False):
        if x != y:
            break
        common += 1
    return common >= max(MIN_PREFIX, len(shorter) - PREFIX_SLACK)


def shared_words(query_words, label: str) -> set[str]:
    """The query words (folded) that `label` has a word for."""
    label_words = significant_words(label)
    return {q for q in query_words if any(words_match(q, w) for w in label_words)}


def matching_terms(query: str, terms: dict) -> list[tuple[str, int]]:
    """Of `terms` ({slug: {language code: label}}), the slugs with a label in any language
    sharing a word with `query`, with how many query words they share, most first (then in
    the order given)."""
    wanted = significant_words(query)
    if not wanted:
        return []
    found = []
    for slug, labels in terms.items():
        shared = set().union(*(shared_words(wanted, label) for label in labels.values()))
        if shared:
            found.append((slug, len(shared)))
    found.sort(key=lambda item: -item[1])
    return found


def vocabulary(model) -> dict:
    """{slug: {language code: label}} of every term of a vocabulary."""
    terms = defaultdict(dict)
    rows = model.objects.order_by("slug").values_list("slug", "locale__language_code", "label")
    for slug, code, label in rows:
        terms[slug][code] = label
    return dict(terms)


def related_concepts(
    query: str,
    lang: str,
    counts: Callable[[], dict] | None = None,
    limit: int = MAX_CONCEPTS,
) -> list[Concept]:
    """Themes, audiences and formats sharing a word with `query`, labelled for a reader of
    `lang`: those sharing the most words first, themes before audiences before formats.

    `counts`, when given, is called (once, and only if some term matches) for the pages each
    term has, {facet: {slug: count}}; terms that no page has are left out then."""
    if not significant_words(query):
        return []
    order = reading_order(lang)
    scored = []
    for rank, (facet, model) in enumerate(VOCABULARIES):
        terms = vocabulary(model)
        for slug, shared in matching_terms(query, terms):
            code = shown_language(terms[slug], None, order)
            scored.append((-shared, rank, Concept(facet, slug, terms[slug][code], code)))
    if not scored:
        return []
    scored.sort(key=lambda item: (item[0], item[1], item[2].label.casefold()))
    concepts = [concept for _shared, _rank, concept in scored]
    if counts is not None:
        numbers = counts()
        concepts = [
            dataclasses.replace(c, count=numbers.get(c.facet, {}).get(c.slug, 0)) for c in concepts
        ]
        concepts = [c for c in concepts if c.count]
    return concepts[:limit]


def term_counts(search: Callable, lang: str) -> dict:
    """{facet: {slug: pages}} for the vocabularies, from one search that browses everything
    (the facet counts of a search with neither words nor filters)."""
    result = search(SearchParams(query="", lang=lang, page=1, page_size=1))
    return {
        facet: {value.value: value.count for value in result.facets.get(facet, ())}
        for facet, _model in VOCABULARIES
    }


def unfiltered_total(search: Callable, params) -> int | None:
    """How many results the same words find without the filters; None without filters."""
    if not any(params.filters.values()):
        return None
    probe = dataclasses.replace(params, filters={}, page=1, page_size=1)
    return search(probe).total
