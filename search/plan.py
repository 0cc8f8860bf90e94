"""How a query is understood, independently of the engine that runs it.

The query is cut into words with the same tokenizer the index uses (at most ten). Stop words
of the reader's language and of English ("in", "for", "how", "ja", "og" ...) are never
required: they only count towards the phrase. The other words are the *content words*; a
document matches when at least one of them matches, and documents are ranked first by how
many content words they match (all of them first, as Elasticsearch's `minimum_should_match`
of 100 % would find, then those with one fewer ...; Meilisearch's "last" matching strategy),
then by relevance (`search.matching`). A query of stop words only takes them all as content
words. Words in double quotes must also appear together, in that order ("living library")."""

import re
from dataclasses import dataclass

from . import analysis, lexicon

MAX_QUERY_WORDS = 10
QUOTED = re.compile(r'"([^"]*)"')
STOPWORD_LANGUAGES = ("en",)  # besides the reader's: people type English everywhere


def allowed_edits(word: str) -> int:
    """Typos tolerated in a word: none below 5 letters, one from 5, two from 9 (Meilisearch's
    and Algolia's defaults; Elasticsearch's notation AUTO:5,9)."""
    length = len(word)
    if length >= 9:
        return 2
    if length >= 5:
        return 1
    return 0


@dataclass(frozen=True)
class QueryPlan:
    words: tuple[str, ...]  # lower-cased query words with their diacritics, at most ten
    content: tuple[str, ...]  # the words that count (the others are stop words)
    # Words put in quotes: a document must hold each of these phrases (plain words, folded).
    phrases: tuple[tuple[str, ...], ...] = ()
    # All the query's words in order, repeats included: the phrase ("the cat and the hat").
    sequence: tuple[str, ...] = ()

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def plain_words(self) -> tuple[str, ...]:
        """The query as a phrase: its words in order, folded."""
        return tuple(analysis.fold(word) for word in self.sequence or self.words)

    def plain_content(self) -> tuple[str, ...]:
        return tuple(analysis.fold(word) for word in self.content)


def plan_query(query: str, lang: str | None = None) -> QueryPlan | None:
    """None when the query holds no searchable word (only punctuation, say)."""
    sequence = tuple(analysis.lowercase(t) for t in analysis.tokenize(query))
    words = tuple(dict.fromkeys(sequence))[:MAX_QUERY_WORDS]
    sequence = tuple(word for word in sequence if word in words)[: 2 * MAX_QUERY_WORDS]
    if not words:
        return None
    stop = set().union(*(lexicon.stopwords(code) for code in {lang, *STOPWORD_LANGUAGES} if code))
    content = tuple(word for word in words if analysis.fold(word) not in stop)
    return QueryPlan(words, content or words, quoted_phrases(query), sequence)


def quoted_phrases(query: str) -> tuple[tuple[str, ...], ...]:
    """The phrases in double quotes, each as its plain words (a lone quote is ignored)."""
    phrases = []
    for quoted in QUOTED.findall(query):
        words = tuple(analysis.analyze(quoted, None, "plain"))
        if words:
            phrases.append(words)
    return tuple(dict.fromkeys(phrases))
