"""Word knowledge beyond the stemmers: the lemma of a word form, and the parts of a compound.

Both come from the dictionaries of simplemma (MIT; form -> lemma tables for each of our six
languages). Loaded as Python dicts they would take 0.5 GB for Finnish alone, so `build()`
turns each into a MARISA trie on disk (marisa-trie, MIT), keyed by the folded form (the form
as `analysis.fold(analysis.lowercase(...))` gives it, so a word typed without diacritics
finds its lemma too); processes memory-map the tries and share them (26 MB on disk).
`make install` builds them once (`python -m search.lexicon`); a process that finds them
missing builds them on first use.

Like `search.analysis`, this module does not import Django."""

import functools
import os
import sys
import threading
from pathlib import Path

import marisa_trie

from . import analysis

LEMMA_LANGUAGES = ("en", "lv", "fi", "et", "da", "sv")
COMPOUND_LANGUAGES = ("fi", "et", "da", "sv")
# A compound part is a known word form of at least this many letters: shorter parts ("by",
# "ost", "työ") would make ordinary words look like compounds and match unrelated words.
MIN_PART = 4
MAX_PARTS = 3
# Letters that may join the parts of a Danish or Swedish compound (`biblioteks|hus`,
# `skole|bibliotek` keeps its own -e, `barne|bog`); Finnish and Estonian first parts are
# word forms themselves (the genitive `kirjaston|hoitaja`, `raamatu|kogu`).
LINKERS = {"da": ("", "s", "e"), "sv": ("", "s", "e", "a", "u"), "fi": ("",), "et": ("",)}
DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / ".cache" / "lexicon"
# Lucene's stop word lists (Elasticsearch's `_finnish_`, `_danish_` ...; for English the
# longer Snowball list, which also holds question words such as "how"), and the question
# words some of them lack (questions.txt).
STOPWORD_DIRECTORY = Path(__file__).resolve().parent / "data" / "stopwords"

_build_lock = threading.Lock()


def directory() -> Path:
    return Path(os.environ.get("SEARCH_LEXICON_DIR") or DEFAULT_DIRECTORY) / _simplemma_version()


def _simplemma_version() -> str:
    from importlib.metadata import version

    return "simplemma-" + version("simplemma")


def _path(language: str) -> Path:
    return directory() / f"{language}.marisa"


def build(languages=LEMMA_LANGUAGES, force: bool = False) -> list[Path]:
    """Writes the trie of each language that lacks one. Returns the paths written."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    written = []
    directory().mkdir(parents=True, exist_ok=True)
    for language in languages:
        path = _path(language)
        if path.exists() and not force:
            continue
        table = DefaultDictionaryFactory(cache_max_size=0).get_dictionary(language)
        entries = {}
        for form, lemma in table.items():
            key = _key(form)
            if key and key not in entries:
                entries[key] = _key(lemma).encode()
        trie = marisa_trie.BytesTrie(entries.items())
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        trie.save(str(partial))
        partial.replace(path)  # whole or not at all: readers never see half a trie
        written.append(path)
    return written


def _key(word: str) -> str:
    return analysis.fold(analysis.lowercase(word))


@functools.cache
def _trie(language: str):
    path = _path(language)
    if not path.exists():
        with _build_lock:
            build([language])
    trie = marisa_trie.BytesTrie()
    trie.mmap(str(path))
    return trie


def load() -> None:
    """Open every language's trie (building what is missing) and read the stop words: a
    process about to fork workers calls this first, so that they share what it loaded."""
    for language in LEMMA_LANGUAGES:
        _trie(language)
    for language in analysis.LOCALES:
        stopwords(language)


def is_known(word: str, language: str) -> bool:
    """Whether `word` (lower-cased and folded) is a form in the language's dictionary."""
    return language in LEMMA_LANGUAGES and word in _trie(language)


@functools.lru_cache(maxsize=50_000)
def lemma(word: str, language: str) -> str | None:
    """The lemma of a known form (lower-cased and folded), when it differs from the form."""
    if language not in LEMMA_LANGUAGES:
        return None
    found = _trie(language).get(word)
    if not found:
        return None
    value = found[0].decode()
    return value if value and value != word else None


@functools.lru_cache(maxsize=50_000)
def compound_parts(word: str, language: str) -> tuple[str, ...]:
    """The parts of a compound (lower-cased, folded): `kommunalvalg` -> (`kommunal`,
    `valg`); () for a word that is not one. Each part is a known form of at least MIN_PART
    letters and not a stop word; between them only the language's linking letters; the longest
    first part that leaves a known (or itself compound) rest wins."""
    if language not in COMPOUND_LANGUAGES or len(word) < 2 * MIN_PART or not word.isalpha():
        return ()
    parts = _split(word, language, MAX_PARTS)
    if parts and stopwords(language).intersection(parts):
        return ()  # `under|visning`, `efter|skole`: a preposition and a word, not a compound
    return tuple(parts) if parts and len(parts) > 1 else ()


def _split(word: str, language: str, allowed: int) -> list[str] | None:
    trie = _trie(language)
    if allowed == 1:
        return [word] if len(word) >= MIN_PART and word in trie else None
    heads = [
        h for h in trie.prefixes(word) if len(h) >= MIN_PART and len(word) - len(h) >= MIN_PART
    ]
    for head in sorted(heads, key=len, reverse=True):
        for linker in LINKERS[language]:
            rest = word[len(head) :]
            if not rest.startswith(linker):
                continue
            rest = rest[len(linker) :]
            if len(rest) < MIN_PART:
                continue
            if rest in trie:
                return [head, rest]
            if allowed > 2:
                tail = _split(rest, language, allowed - 1)
                if tail:
                    return [head, *tail]
    return None


@functools.cache
def stopwords(language: str) -> frozenset[str]:
    """The language's stop words, lower-cased and folded as query words are compared."""
    path = STOPWORD_DIRECTORY / f"{language}.txt"
    if not path.exists():
        return frozenset()
    return frozenset(_words(path) | _question_words().get(language, set()))


def _words(path: Path) -> set[str]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("|", 1)[0].split("#", 1)[0].strip()
        if word:
            words.add(_key(word))
    return words


@functools.cache
def _question_words() -> dict[str, set[str]]:
    """questions.txt: `# <language>` lines, then that language's words."""
    words, language = {}, None
    for line in (STOPWORD_DIRECTORY / "questions.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") and len(line.split()) == 2:
            language = line.split()[1]
        elif line.strip() and not line.startswith("#") and language:
            words.setdefault(language, set()).add(_key(line.strip()))
    return words


if __name__ == "__main__":
    for written in build(force="--force" in sys.argv):
        print(f"built {written}")
