"""How a query is understood, independently of the backend that runs it.

The query is cut into words with the same tokenizer the index uses. A document matches when
enough of the words match (all of them for up to three words, three in four beyond that), each
in any field, through the stemmed, folded or plain form of the word, or a typo-tolerant form
of at least five letters. Documents that contain the whole query as a phrase rank first."""

from dataclasses import dataclass

from . import analysis

MAX_QUERY_WORDS = 10
ALL_REQUIRED_UP_TO = 3
REQUIRED_SHARE = 0.75


def allowed_edits(word: str) -> int:
    """Typos tolerated in a word: none below 5 letters, one from 5, two from 8 (ES AUTO:5,8)."""
    length = len(word)
    if length >= 8:
        return 2
    if length >= 5:
        return 1
    return 0


@dataclass(frozen=True)
class QueryPlan:
    words: tuple[str, ...]  # lowercased query words with their diacritics, at most ten
    required: int  # how many of them a document must match

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def plain_words(self) -> tuple[str, ...]:
        return tuple(analysis.fold(word) for word in self.words)


def plan_query(query: str) -> QueryPlan | None:
    """None when the query holds no searchable word (only punctuation, say)."""
    words = tuple(dict.fromkeys(analysis.lowercase(t) for t in analysis.tokenize(query)))
    words = words[:MAX_QUERY_WORDS]
    if not words:
        return None
    return QueryPlan(words, required_matches(len(words)))


def required_matches(word_count: int) -> int:
    if word_count <= ALL_REQUIRED_UP_TO:
        return word_count
    return int(word_count * REQUIRED_SHARE)


def minimum_should_match() -> str:
    """The same rule in Elasticsearch's notation."""
    return f"{ALL_REQUIRED_UP_TO}<{int(REQUIRED_SHARE * 100)}%"
