"""search.analysis against real Lucene 9: the committed golden output of Lucene's own
analysis chains (tests/search/golden/lucene-*.json[.gz], written by
scripts/lucene_golden/generate.py from Anserini's jar: Lucene 9.9.1 with the Snowball
stemmers of Elasticsearch 8.19) for every text of the demo content and of the test
corpora, and for the database backend's token strings through ``kb_tokens``.

Reads only the committed files: no network, no Java, no Elasticsearch.  Tokenizing,
lower-casing and folding must agree exactly.  Stems may differ only where the Snowball
versions do (docs/search-analysis.md, "Known differences"), and then exactly as listed in
tests/search/golden/known-divergences.json: a new difference fails, and so does a listed
one that no longer occurs.  ``pytest -rP`` shows the counts."""

import gzip
import importlib.util
import json
import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

from search import analysis

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
KNOWN_FILE = GOLDEN_DIR / "known-divergences.json"
GENERATOR = Path(__file__).resolve().parents[2] / "scripts" / "lucene_golden" / "generate.py"
REGENERATE = "regenerate with `.venv/bin/python scripts/lucene_golden/generate.py` (needs Java)"
TOKENS_ANALYZER = "kb_tokens"
TOKENS_MAX_LENGTH = 2048
TOKEN_ALPHABET = re.compile(r"[a-z0-9]+|zz[0-9a-f]+")


def _read(path: Path) -> dict:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return json.loads(raw)


@cache
def golden() -> dict[str, dict]:
    """File name (without .json/.json.gz) -> its content."""
    files = sorted(GOLDEN_DIR.glob("lucene-*.json")) + sorted(GOLDEN_DIR.glob("lucene-*.json.gz"))
    return {path.name.split(".")[0]: _read(path) for path in files}


def text_files() -> dict[str, dict]:
    return {name: data for name, data in golden().items() if "texts" in data}


@cache
def generator():
    """scripts/lucene_golden/generate.py, for what it reads from the sources (no Java)."""
    spec = importlib.util.spec_from_file_location("lucene_golden_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def locale_and_variant(name: str) -> tuple[str | None, str]:
    if name == analysis.PLAIN_ANALYZER:
        return None, "plain"
    _, locale, *folded = name.split("_")
    return locale, "folded" if folded else "stemmed"


def known_divergences() -> dict[str, set[tuple[str, str, str]]]:
    data = json.loads(KNOWN_FILE.read_text(encoding="utf-8"))
    return {
        name: {tuple(entry) for entry in entries}
        for name, entries in data.items()
        if name.startswith("kb_")
    }


@cache
def comparison() -> dict:
    """Python's tokens against Lucene's for every golden text and analyzer.

    ``mismatches``: differences that no stemmer version explains (a different number of
    tokens, or any difference in kb_plain).  ``divergences``: analyzer -> {(word, Lucene's
    token, Python's token): occurrences}, the word lower-cased as the stemmer got it."""
    texts, tokens, differing = Counter(), Counter(), Counter()
    divergences: dict[str, Counter] = defaultdict(Counter)
    mismatches = []
    for file_name, data in text_files().items():
        for item in data["texts"]:
            for name, expected in item["tokens"].items():
                locale, variant = locale_and_variant(name)
                actual = analysis.analyze(item["text"], locale, variant)
                texts[name] += 1
                tokens[name] += len(expected)
                if actual == expected:
                    continue
                if len(actual) != len(expected) or name == analysis.PLAIN_ANALYZER:
                    mismatches.append((file_name, item["id"], name, expected, actual))
                    continue
                words = [analysis.lowercase(t) for t in analysis.tokenize(item["text"])]
                for word, lucene, python in zip(words, expected, actual, strict=True):
                    if lucene != python:
                        differing[name] += 1
                        divergences[name][(word, lucene, python)] += 1
    return {
        "texts": texts,
        "tokens": tokens,
        "differing": differing,
        "divergences": divergences,
        "mismatches": mismatches,
    }


def _entries(divergences: dict[str, set]) -> str:
    return "\n".join(
        f'  "{name}": {json.dumps(list(entry), ensure_ascii=False)},'
        for name in sorted(divergences)
        for entry in sorted(divergences[name])
    )


# --- the golden files ---------------------------------------------------------------------


def test_golden_files_cover_every_analyzer():
    names = set(golden())
    assert {"lucene-demo", "lucene-search-corpus", "lucene-tokens"} <= names, REGENERATE
    covered = {name for data in text_files().values() for name in data["meta"]["analyzers"]}
    assert covered == set(analysis.ANALYZERS)
    assert TOKENS_ANALYZER in golden()["lucene-tokens"]["meta"]["analyzers"]
    assert all(data["meta"]["lucene"].startswith("9.") for data in golden().values())


def test_golden_was_made_with_the_current_index_settings():
    """Each golden file records the analyzers it ran, resolved from the index settings
    (elasticsearch_analysis()); a changed analyzer needs new golden output."""
    current = generator().analyzer_definitions()
    for file_name, data in golden().items():
        for name, definition in data["meta"]["analyzers"].items():
            assert definition == current[name], f"{file_name}: {name} changed; {REGENERATE}"


def test_golden_covers_the_current_texts():
    """The demo content and the test corpora as they are now are all in the golden files."""
    gen = generator()
    sources = {
        "lucene-demo": gen.demo_items(),
        "lucene-search-corpus": gen.module_items(gen.SEARCH_CORPUS),
    }
    if gen.RELEVANCE_CORPUS.exists():
        sources["lucene-relevance-corpus"] = gen.module_items(gen.RELEVANCE_CORPUS)
    for file_name, items in sources.items():
        assert file_name in golden(), f"no {file_name}; {REGENERATE}"
        have = defaultdict(set)
        for item in golden()[file_name]["texts"]:
            have[(item["locale"], item["text"])] |= set(item["tokens"])
        missing = [
            (item_id, text[:60])
            for item_id, locale, text, plain_only in items
            if not set(gen.analyzers_for(locale, plain_only)) <= have[(locale, text)]
        ]
        assert not missing, (
            f"{file_name} lacks {len(missing)} texts, e.g. {missing[:5]}; {REGENERATE}"
        )


# --- the standard analyzers ---------------------------------------------------------------


def test_tokenizing_lowercasing_and_folding_agree_with_lucene_exactly():
    """Same number of tokens for every text and analyzer, and kb_plain (no stemmer) the
    same tokens: whatever differs, differs in a stem."""
    mismatches = comparison()["mismatches"]
    assert not mismatches, "\n".join(
        f"{file_name} {item_id} {name}:\n  Lucene {lucene}\n  Python {python}"
        for file_name, item_id, name, lucene, python in mismatches[:10]
    )


def test_stems_differ_from_lucene_only_where_listed_as_known():
    """A stem that differs from Lucene's and is not in known-divergences.json fails: review
    it (docs/search-analysis.md, "Known differences"), then list it there."""
    known = known_divergences()
    new = {
        name: set(found) - known.get(name, set())
        for name, found in comparison()["divergences"].items()
    }
    new = {name: entries for name, entries in new.items() if entries}
    assert not new, (
        "stems that differ from Lucene's and are not listed in "
        f"{KNOWN_FILE.name} ([word, Lucene, Python]):\n{_entries(new)}"
    )


def test_every_listed_divergence_still_occurs():
    """A listed difference that no golden text shows any more (the gap closed, or the text
    is gone) is taken off the list, so that the list stays the true extent of the gap."""
    found = comparison()["divergences"]
    stale = {
        name: entries - set(found.get(name, {})) for name, entries in known_divergences().items()
    }
    stale = {name: entries for name, entries in stale.items() if entries}
    assert not stale, f"listed in {KNOWN_FILE.name} but not found any more:\n{_entries(stale)}"


def test_known_divergences_are_only_in_stemmers_with_a_known_version_gap():
    # Latvian's stemmer is a port of Lucene's own: it never differs.
    assert all(name in analysis.ANALYZERS for name in known_divergences())
    assert not any(name.startswith("kb_lv") for name, e in known_divergences().items() if e)
    assert analysis.PLAIN_ANALYZER not in known_divergences()


def test_report_the_comparison(capsys):
    """Counts per analyzer (shown with ``pytest -rP``)."""
    result = comparison()
    lines = [
        f"{'analyzer':<14}{'texts':>7}{'tokens':>9}{'differ':>8}{'words':>7}  words that differ"
    ]
    for name in sorted(result["texts"]):
        found = result["divergences"].get(name, {})
        words = ", ".join(sorted({word for word, _, _ in found}))
        lines.append(
            f"{name:<14}{result['texts'][name]:>7}{result['tokens'][name]:>9}"
            f"{result['differing'][name]:>8}{len(found):>7}  {words}"
        )
    cases = golden()["lucene-tokens"]["cases"]
    lines.append(f"{TOKENS_ANALYZER:<14}{len(cases):>7}{sum(len(c['lucene']) for c in cases):>9}")
    print("\n".join(lines))
    assert result["texts"]


# --- kb_tokens: the database backend's token strings --------------------------------------


def _current_tokens(case: dict) -> str:
    text_tokens, index_token = generator().token_functions()
    if case["via"] == "tag":
        tokens = [index_token(t) for t in analysis.analyze(case["text"], None, "plain")]
    else:
        tokens = text_tokens(case["text"], case["locale"])
    return " ".join(tokens)


def test_lucene_splits_token_strings_as_str_split_does():
    cases = golden()["lucene-tokens"]["cases"]
    over = []
    for case in cases:
        if not case["tokens"]:
            # Lucene gives no token for "", str.split(" ") gives [""]: an empty token
            # string must be treated as no tokens (or split with str.split()).
            assert case["lucene"] == [], case["id"]
            continue
        split = case["tokens"].split(" ")
        if max(map(len, split)) > TOKENS_MAX_LENGTH:
            over.append(case)
            chunks = [
                t[i : i + TOKENS_MAX_LENGTH]
                for t in split
                for i in range(0, len(t), TOKENS_MAX_LENGTH)
            ]
            assert case["lucene"] == chunks, case["id"]
        else:
            assert case["lucene"] == split, case["id"]
    # The limit is what the golden shows: 2048 characters stay one token, 2049 do not.
    assert [case["id"] for case in over] == ["direct/over-max-length"]
    longest = max(len(t) for case in cases if case not in over for t in case["lucene"])
    assert longest == TOKENS_MAX_LENGTH
    assert "direct/empty" in {case["id"] for case in cases}


def test_the_golden_token_strings_are_what_the_database_backend_makes_now():
    stale = [
        case["id"]
        for case in golden()["lucene-tokens"]["cases"]
        if case["via"] != "direct" and _current_tokens(case) != case["tokens"]
    ]
    assert not stale, f"{len(stale)} token strings changed, e.g. {stale[:5]}; {REGENERATE}"


def test_every_token_string_is_within_what_the_golden_proves():
    """Lucene's whitespace tokenizer splits a string as str.split(" ") does as long as the
    tokens are non-empty, free of whitespace and at most 2048 characters long: checked
    for every golden text through text_tokens, in every language."""
    text_tokens, _ = generator().token_functions()
    texts = {item["text"] for data in text_files().values() for item in data["texts"]}
    texts |= {c["text"] for c in golden()["lucene-tokens"]["cases"] if c["text"] is not None}
    longest = 0
    for text in texts:
        for locale in analysis.LOCALES:
            for token in text_tokens(text, locale):
                assert TOKEN_ALPHABET.fullmatch(token), (text[:60], token)
                longest = max(longest, len(token))
    assert longest <= TOKENS_MAX_LENGTH
