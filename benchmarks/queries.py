"""The fixed mix of search queries the benchmark runs, built from a generated corpus's own words.

Five kinds, in each of the six languages: a common word, a rare word, two words, another
inflected form of a word the corpus holds, and a word with one typo. Each query carries zero to
three filters. The same corpus and seed always give the same queries, in the same order."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from practices.exchange.validation import LOCALES, SECTIONS

from .corpus import AUDIENCES, FORMATS, LIBRARY_COUNTRIES, THEMES, word_pools

KINDS = ("common", "rare", "two words", "inflected", "typo")
FILTER_VALUES = {
    "theme": THEMES,
    "audience": AUDIENCES,
    "format": FORMATS,
    "country": sorted(LIBRARY_COUNTRIES),
    "type": ["practice", "case_study", "meeting", "library"],
    "language": list(LOCALES),
}
FILTER_COUNT_WEIGHTS = [0.4, 0.3, 0.2, 0.1]  # zero, one, two or three filters
# Document frequencies are counted on this many documents per language: the corpus is drawn
# from one distribution, so a sample ranks its words as well as the whole would.
SAMPLE_DOCUMENTS = 2000
MIN_WORD_LENGTH = 4
COMMON_WORDS = slice(5, 120)  # the most frequent words, short function words left out
MIN_TYPO_LENGTH = 6
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Query:
    kind: str
    q: str
    lang: str
    filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def parameters(self) -> list[tuple[str, str]]:
        pairs = [("q", self.q), ("lang", self.lang)]
        for name, values in self.filters.items():
            pairs += [(name, value) for value in values]
        return pairs

    @property
    def api_url(self) -> str:
        return "/api/v1/search?" + urlencode(self.parameters)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "q": self.q, "lang": self.lang, "filters": self.filters}


def language_texts(document: dict) -> dict[str, list[str]]:
    """Up to SAMPLE_DOCUMENTS texts (title, summary and body together) per language."""
    texts: dict[str, list[str]] = {code: [] for code in LOCALES}
    for section in SECTIONS:
        for record in document.get(section) or []:
            versions = [(record["locale"], record), *(record.get("translations") or {}).items()]
            for code, fields in versions:
                if len(texts[code]) < SAMPLE_DOCUMENTS:
                    parts = (fields.get(name) for name in ("name", "title", "summary", "body"))
                    texts[code].append(" ".join(p for p in parts if isinstance(p, str)))
    return texts


def document_frequencies(texts: list[str]) -> Counter:
    return Counter(word for text in texts for word in {w.lower() for w in _WORD.findall(text)})


class _LanguageWords:
    """The words of one language that the corpus holds, by how many documents hold them."""

    def __init__(self, code: str, texts: list[str]):
        frequencies = document_frequencies(texts)
        self.pool = word_pools()[code].words
        self.known = set(self.pool)
        ranked = sorted(frequencies, key=lambda word: (-frequencies[word], word))
        self.ranked = [word for word in ranked if len(word) >= MIN_WORD_LENGTH]
        self.frequencies = frequencies
        self.letters = sorted({letter for word in self.pool for letter in word})
        self.by_prefix: dict[str, list[str]] = {}
        for word in self.pool:
            if len(word) >= 5:
                self.by_prefix.setdefault(word[:5], []).append(word)

    def common(self) -> list[str]:
        return self.ranked[COMMON_WORDS]

    def middle(self) -> list[str]:
        third = len(self.ranked) // 3
        return self.ranked[third : 2 * third]

    def rare(self) -> list[str]:
        lowest = min(self.frequencies[word] for word in self.ranked)
        return [word for word in self.ranked if self.frequencies[word] <= max(lowest, 2)]

    def other_forms(self) -> list[tuple[str, str]]:
        """(a word in the corpus, another form of it from the language): same five-letter
        stem, a different ending."""
        pairs = []
        for word in self.ranked:
            for other in self.by_prefix.get(word[:5], ()):
                if other != word and len(other) >= 6:
                    pairs.append((word, other))
        return pairs

    def typo(self, word: str, rng: random.Random) -> str:
        """The word with one edit (substitution, deletion, insertion or transposition) away
        from its first letter, that is not itself a word of the language."""
        while True:
            position = rng.randrange(1, len(word) - 1)
            edit = rng.choice(("substitute", "delete", "insert", "transpose"))
            letter = rng.choice(self.letters)
            if edit == "substitute":
                typo = word[:position] + letter + word[position + 1 :]
            elif edit == "delete":
                typo = word[:position] + word[position + 1 :]
            elif edit == "insert":
                typo = word[:position] + letter + word[position:]
            else:
                typo = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
            if typo != word and typo not in self.known:
                return typo


def build_queries(document: dict, count: int = 200, seed: int = 1) -> list[Query]:
    """`count` queries, the same number of each kind, the languages taking turns."""
    rng = random.Random(seed)
    words = {code: _LanguageWords(code, texts) for code, texts in language_texts(document).items()}
    queries = []
    for number in range(count):
        kind = KINDS[number % len(KINDS)]
        lang = LOCALES[(number // len(KINDS)) % len(LOCALES)]
        queries.append(Query(kind, _query_text(kind, words[lang], rng), lang, _filters(rng)))
    rng.shuffle(queries)
    return queries


def _query_text(kind: str, words: _LanguageWords, rng: random.Random) -> str:
    if kind == "common":
        return rng.choice(words.common())
    if kind == "rare":
        return rng.choice(words.rare())
    if kind == "two words":
        return f"{rng.choice(words.common())} {rng.choice(words.middle())}"
    if kind == "inflected":
        _present, other = rng.choice(words.other_forms())
        return other
    long_words = [w for w in words.middle() + words.common() if len(w) >= MIN_TYPO_LENGTH]
    return words.typo(rng.choice(long_words), rng)


def _filters(rng: random.Random) -> dict[str, list[str]]:
    count = rng.choices(range(len(FILTER_COUNT_WEIGHTS)), weights=FILTER_COUNT_WEIGHTS)[0]
    names = rng.sample(sorted(FILTER_VALUES), count)
    return {name: [rng.choice(FILTER_VALUES[name])] for name in names}
