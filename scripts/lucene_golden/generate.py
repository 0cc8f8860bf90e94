"""Write the golden output of real Lucene 9 analysis that tests/search/test_lucene_golden.py
compares `search.analysis` with.

Usage, from the project root (needs Java 17 with its compiler module, i.e. a JDK, and
PyPI the first time):

    .venv/bin/python scripts/lucene_golden/generate.py
    .venv/bin/python scripts/lucene_golden/generate.py --texts more.jsonl --module some/corpus.py

It downloads pyserini 0.44.0's source distribution with pip into a cache directory
(``--cache-dir``, default ``$LUCENE_GOLDEN_CACHE`` or ``~/.cache/kb-lucene-golden``) if it
is not there yet, takes Anserini's fat jar out of it (Lucene 9.9.1, with the Snowball
stemmers of Elasticsearch 8.19; ``--jar`` uses a jar you already have), runs Harness.java
with ``java -cp JAR Harness.java`` and writes, under tests/search/golden/:

* ``lucene-demo.json.gz``: every text of the demo content (practices/demo/kb-demo.json:
  titles, summaries, bodies, steps, sections, outcomes, contacts' roles, library names,
  tags; and the labels of the shipped taxonomy
  terms, practices/shipped_vocabularies.py) through the analyzers of its language
  (``kb_<lang>``, ``kb_<lang>_folded``) and ``kb_plain``;
* ``lucene-search-corpus.json``: the texts of tests/search/corpus.py, read from its
  source without importing it (it needs the database);
* ``lucene-relevance-corpus.json``: the same for tests/search/relevance/corpus.py, when
  that module exists;
* ``lucene-extra-<name>.json``: one per ``--texts FILE`` (JSON lines or a JSON list of
  ``{"text": ..., "locale": ...}``, ``[locale, text]`` or plain strings) and per
  ``--module FILE.py`` (texts read from a Python module's literal data and keyword
  arguments, as for the corpora above);
* ``lucene-tokens.json.gz``: the strings the database backend indexes
  (``" ".join(search.backends.database.text_tokens(text, locale))``) for the demo texts
  and synthetic edge cases, through ``kb_tokens`` (Elasticsearch's whitespace tokenizer,
  ``max_token_length`` 2048).

A text whose language is unknown goes through every language's analyzers.  The
analyzers are built from ``search.analysis.elasticsearch_analysis()`` (kb_tokens from it
too once it defines it), so the golden output follows the index settings; each file
records the definitions it was made with.  Files over about 1 MB are gzipped; output is
deterministic, so regenerating without changes gives identical files.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
GOLDEN_DIR = ROOT / "tests" / "search" / "golden"
DEMO_FILE = ROOT / "practices" / "demo" / "kb-demo.json"
VOCABULARY_FILE = ROOT / "practices" / "shipped_vocabularies.py"
SEARCH_CORPUS = ROOT / "tests" / "search" / "corpus.py"
RELEVANCE_CORPUS = ROOT / "tests" / "search" / "relevance" / "corpus.py"

PYSERINI = "pyserini==0.44.0"
JAR_NAME = "anserini-0.39.0-fatjar.jar"
JAR_MEMBER = f"pyserini-0.44.0/pyserini/resources/jars/{JAR_NAME}"

TOKENS_ANALYZER = "kb_tokens"
# What the database backend's token strings go through in Elasticsearch, unless
# elasticsearch_analysis() defines kb_tokens itself.  Elasticsearch's whitespace
# tokenizer cuts at 255 characters by default: the 2048 must be explicit.
TOKENS_DEFAULT = {
    "analyzer": {"type": "custom", "tokenizer": "kb_whitespace_2048", "filter": []},
    "tokenizer": {"kb_whitespace_2048": {"type": "whitespace", "max_token_length": 2048}},
}
GZIP_ABOVE = 1_000_000  # bytes

# Fields of literal data, and keyword arguments of calls, that hold text to analyse.
TEXT_FIELDS = {"title", "summary", "body", "name", "purpose", "text", "label", "description"}
PLAIN_ONLY_FIELDS = {"tags"}

sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the jar ------------------------------------------------------------------------------


def default_cache_dir() -> Path:
    env = os.environ.get("LUCENE_GOLDEN_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "kb-lucene-golden"


def find_jar(cache_dir: Path) -> Path:
    """Anserini's fat jar from pyserini's sdist, downloaded with pip on first use."""
    jar = cache_dir / JAR_NAME
    if jar.exists():
        return jar
    cache_dir.mkdir(parents=True, exist_ok=True)
    sdists = sorted(cache_dir.glob("pyserini-0.44.0.tar.gz"))
    if not sdists:
        log(f"Downloading {PYSERINI} (about 200 MB) into {cache_dir} ...")
        subprocess.run(
            [sys.executable, "-m", "pip", "download", PYSERINI, "--no-deps"]
            + ["--no-binary", ":all:", "-d", str(cache_dir)],
            check=True,
        )
        sdists = sorted(cache_dir.glob("pyserini-0.44.0.tar.gz"))
    log(f"Extracting {JAR_NAME} from {sdists[0].name} ...")
    with tarfile.open(sdists[0]) as archive:
        source = archive.extractfile(JAR_MEMBER)
        if source is None:
            raise SystemExit(f"{JAR_MEMBER} not found in {sdists[0]}")
        partial = jar.with_suffix(".part")
        with source, partial.open("wb") as target:
            shutil.copyfileobj(source, target)
        partial.rename(jar)
    return jar


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- analyzer definitions -----------------------------------------------------------------


def resolve(settings: dict, name: str) -> dict:
    """An analyzer of Elasticsearch index settings with its tokenizer and filters spelled
    out: ``{"tokenizer": {"type": ..., "max_token_length": ...}, "filter": [...]}``."""
    analyzer = settings["analyzer"][name]
    tokenizer = analyzer["tokenizer"]
    tokenizer = dict(settings.get("tokenizer", {}).get(tokenizer, {"type": tokenizer}))
    tokenizer.setdefault("max_token_length", 255)  # both tokenizers' default
    filters = [settings.get("filter", {}).get(f, {"type": f}) for f in analyzer["filter"]]
    return {"tokenizer": tokenizer, "filter": filters}


def analyzer_definitions() -> dict[str, dict]:
    from search import analysis

    settings = analysis.elasticsearch_analysis()
    names = list(analysis.ANALYZERS)
    if TOKENS_ANALYZER in settings["analyzer"]:
        names.append(TOKENS_ANALYZER)
        definitions = {name: resolve(settings, name) for name in names}
    else:
        definitions = {name: resolve(settings, name) for name in names}
        definitions[TOKENS_ANALYZER] = resolve(
            {**TOKENS_DEFAULT, "analyzer": {TOKENS_ANALYZER: TOKENS_DEFAULT["analyzer"]}},
            TOKENS_ANALYZER,
        )
    return definitions


def harness_spec(definition: dict) -> tuple[str, str]:
    tokenizer = definition["tokenizer"]
    unknown = set(tokenizer) - {"type", "max_token_length"}
    if unknown:
        raise SystemExit(f"tokenizer options the harness does not know: {unknown}")
    filters = []
    for f in definition["filter"]:
        if f["type"] == "stemmer" and set(f) == {"type", "language"}:
            filters.append(f"stemmer/{f['language']}")
        elif set(f) == {"type"}:
            filters.append(f["type"])
        else:
            raise SystemExit(f"a filter the harness does not know: {f}")
    return f"{tokenizer['type']}/{tokenizer['max_token_length']}", ",".join(filters)


# --- running Lucene -----------------------------------------------------------------------


def utf16_hex(text: str) -> str:
    return text.encode("utf-16-be", "surrogatepass").hex()


def run_lucene(
    jar: Path, definitions: dict[str, dict], requests: list[tuple[str, str]]
) -> tuple[str, list[list[str]]]:
    """Lucene's version and the tokens of each (analyzer, text) request."""
    java = shutil.which("java")
    if java is None:
        raise SystemExit("java not found: install a JDK 17 (e.g. openjdk-17-jdk-headless)")
    lines = ["V"]
    for name, definition in definitions.items():
        tokenizer, filters = harness_spec(definition)
        lines.append(f"D\t{name}\t{tokenizer}\t{filters}")
    lines += [f"T\t{name}\t{utf16_hex(text)}" for name, text in requests]
    started = time.monotonic()
    result = subprocess.run(
        [java, "-Xss16m", "-cp", str(jar), str(HERE / "Harness.java")],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"Harness.java failed:\n{result.stderr}")
    output = result.stdout.splitlines()
    if len(output) != len(requests) + 1:
        raise SystemExit(f"expected {len(requests) + 1} lines from the harness, got {len(output)}")
    log(f"Lucene {output[0]}: {len(requests)} analyses in {time.monotonic() - started:.1f} s")
    return output[0], [json.loads(line) for line in output[1:]]


# --- texts --------------------------------------------------------------------------------

# An item: (id, locale or None, text, plain_only).  A locale of None means "unknown":
# every language's analyzers; plain_only texts (tags) go through kb_plain alone.
Item = tuple[str, str | None, str, bool]


def demo_items() -> Iterator[Item]:
    """Every text of the demo content, straight from kb-demo.json, and the taxonomy labels
    the migrations create (the demo's themes, audiences and formats)."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    for section in ("libraries", "meetings", "practices", "case_studies"):
        for record in data.get(section, []):
            key = record["key"]
            versions = {record["locale"]: record, **record.get("translations", {})}
            for locale, fields in versions.items():
                place = f"demo/{section}/{key}/{locale}"
                for field in ("name", "title", "summary", "body", "outcomes", "would_change"):
                    if fields.get(field):
                        yield f"{place}/{field}", locale, fields[field], False
                for number, step in enumerate(fields.get("steps") or []):
                    for field in ("title", "who", "description"):
                        if step.get(field):
                            yield f"{place}/steps/{number}/{field}", locale, step[field], False
                for kind, text in (fields.get("sections") or {}).items():
                    yield f"{place}/sections/{kind}", locale, text, False
                if (fields.get("contact") or {}).get("role"):
                    yield f"{place}/contact/role", locale, fields["contact"]["role"], False
            for tag in record.get("tags", []):
                yield f"demo/{section}/{key}/tag", None, tag, True
    vocabularies = literal_assignments(VOCABULARY_FILE)
    languages = vocabularies["LANGUAGES"]
    for vocabulary in ("THEMES", "AUDIENCES", "FORMATS"):
        for slug, labels in vocabularies[vocabulary].items():
            for locale, label in zip(languages, labels, strict=True):
                yield f"taxonomy/{vocabulary.lower()}/{slug}/{locale}", locale, label, False


def literal_assignments(path: Path) -> dict:
    values = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                try:
                    values[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    pass
    return values


def module_items(path: Path) -> Iterator[Item]:
    """The texts of a Python module, read from its source, not imported (the test corpora
    build pages with factories, which need a database): text fields of its literal data
    (dicts with title/summary/body/name..., their "translations", tuples holding a locale
    code) and string keyword arguments named like them (``Factory(title="...")``)."""
    from search.analysis import LOCALES

    prefix = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name

    def walk(value, locale, where) -> Iterator[Item]:
        if isinstance(value, dict):
            if value.get("locale") in LOCALES:
                locale = value["locale"]
            where = f"{where}/{value['key']}" if isinstance(value.get("key"), str) else where
            for field, item in value.items():
                if field in TEXT_FIELDS and isinstance(item, str) and item:
                    yield f"{where}/{locale}/{field}", locale, item, False
                elif field in PLAIN_ONLY_FIELDS and isinstance(item, list | tuple):
                    for tag in item:
                        if isinstance(tag, str):
                            yield f"{where}/tag", None, tag, True
                elif field == "translations" and isinstance(item, dict):
                    for code, fields in item.items():
                        yield from walk(fields, code if code in LOCALES else None, where)
                elif isinstance(item, dict | list | tuple):
                    yield from walk(item, locale, f"{where}/{field}")
        elif isinstance(value, list | tuple):
            codes = [v for v in value if isinstance(v, str) and v in LOCALES]
            if isinstance(value, tuple) and codes and all(isinstance(v, str) for v in value):
                # e.g. ("valmiera", "lv", "Valmieras bibliotēka", "LV")
                for text in value:
                    if text != codes[0]:
                        yield f"{where}/{codes[0]}", codes[0], text, False
                return
            for index, item in enumerate(value):
                yield from walk(item, locale, f"{where}[{index}]")

    tree = ast.parse(path.read_text(encoding="utf-8"))
    for name, value in literal_assignments(path).items():
        yield from walk(value, None, f"{prefix}:{name}")
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        locale = None
        for keyword in node.keywords:
            if keyword.arg == "locale" and isinstance(keyword.value, ast.Constant):
                locale = keyword.value.value
        positional = [a.value for a in node.args if isinstance(a, ast.Constant)]
        locale = locale or next((v for v in positional if v in LOCALES), None)
        for keyword in node.keywords:
            value = keyword.value
            if (
                keyword.arg in TEXT_FIELDS
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and value.value
            ):
                where = f"{prefix}:line{node.lineno}/{locale}/{keyword.arg}"
                yield where, locale if locale in LOCALES else None, value.value, False


def file_items(path: Path) -> Iterator[Item]:
    """Texts of a JSON file: a list, or JSON lines, of {"text", "locale"}, [locale, text]
    or strings (a string's language is unknown)."""
    from search.analysis import LOCALES

    raw = path.read_text(encoding="utf-8")
    try:
        records = json.loads(raw)
        if not isinstance(records, list):
            records = [records]
    except json.JSONDecodeError:
        records = [json.loads(line) for line in raw.splitlines() if line.strip()]
    for index, record in enumerate(records):
        if isinstance(record, str):
            locale, text = None, record
        elif isinstance(record, dict):
            locale, text = record.get("locale"), record["text"]
        else:
            locale, text = record
        if locale is not None and locale not in LOCALES:
            raise SystemExit(f"{path}: record {index}: unknown locale {locale!r}")
        yield f"{path.name}[{index}]", locale, text, False


def analyzers_for(locale: str | None, plain_only: bool) -> list[str]:
    from search.analysis import LOCALES, PLAIN_ANALYZER, analyzer_name

    if plain_only:
        return [PLAIN_ANALYZER]
    locales = [locale] if locale else list(LOCALES)
    names = [analyzer_name(code, variant) for code in locales for variant in ("stemmed", "folded")]
    return [*names, PLAIN_ANALYZER]


# --- kb_tokens ----------------------------------------------------------------------------


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings.dev")  # as manage.py
    import django

    django.setup()


def token_functions():
    """``text_tokens(text, locale)`` and ``index_token(token)`` of the database backend:
    what it indexes a text and a tag under (the test imports them from here too)."""
    from search.backends.database import index_token, text_tokens

    return text_tokens, index_token


def token_cases(demo: list[Item]) -> list[dict]:
    """The database backend's token strings: for the demo texts, and synthetic edge cases
    (the longest hex tokens the analysis can produce, emoji, other scripts)."""
    from search import analysis

    text_tokens, index_token = token_functions()
    cases, seen = [], set()

    def add(case_id: str, via: str, locale: str | None, text: str | None, tokens: str) -> None:
        if tokens in seen:
            return
        seen.add(tokens)
        cases.append({"id": case_id, "via": via, "locale": locale, "text": text, "tokens": tokens})

    for case_id, locale, text, plain_only in demo:
        if plain_only:  # tags: how keyword_tokens indexes them
            tokens = [index_token(t) for t in analysis.analyze(text, None, "plain")]
        else:
            tokens = text_tokens(text, locale)
        add(case_id, "tag" if plain_only else "text_tokens", locale, text, " ".join(tokens))
    synthetic = {
        # 255 astral letters (U+1D41A, bold small a): 510 UTF-16 units, so the standard
        # tokenizer cuts them into 127 + 127 + 1; hex tokens of 4 bytes per letter.
        "astral-letters-255": "\U0001d41a" * 255,
        "astral-deseret-255": "\U00010400" * 255,  # upper case: lowercased to U+10428
        # 255 BMP letters of 3 UTF-8 bytes: the longest token the analysis produces
        # ("zz" + 1530 hex digits).
        "georgian-255": "\u10d0" * 255,
        "hangul-255": "\ud55c" * 255,
        "cyrillic-255": "\u0436" * 255,
        "devanagari-255": "\u0915" * 255,
        "cyrillic-300": "\u0416" * 300,
        "lowercase-grows-255": "\u023a" * 255,  # Ⱥ (2 bytes) lowercases to ⱥ (3 bytes)
        "emoji": "😀 👍🏽 👩‍💻 🇱🇻 #️⃣ © ℹ️ 🏴󠁧󠁢󠁳󠁣󠁴󠁿 1️⃣ 👨‍👩‍👧‍👦",
        "emoji-zwj-long": "\u200d".join(["\U0001f469"] * 63),
        "emoji-in-words": "bibliotēka😀 😀bibliotēka käytäntö👍🏽jä",
        "mixed": "Don't Ærø İSTANBUL ﬃ Ⓜ ⑽ 3.14 1,000 snake_case e-mail U.S.A. ΣΟΦΊΑ ß þ",
        "scripts": "Ελληνικά русский עברית العربية हिन्दी ภาษาไทย 日本語 カタカナ 한국어",
        "controls": "a\x00b\tc\nd\u00a0e\u2028f\u3000g\u200bh\u00adi",
        "combining": "a\u0301" + "\u0301" * 254 + " e\u0308",
    }
    for name, text in synthetic.items():
        for locale in analysis.LOCALES:
            tokens = " ".join(text_tokens(text, locale))
            add(f"synthetic/{name}/{locale}", "text_tokens", locale, text, tokens)
    # Strings typed directly: the [a-z0-9] and zz<hex> alphabet, the length limit, and ""
    # (no token in Lucene, [""] from str.split).
    add("direct/empty", "direct", None, None, "")
    add(
        "direct/alphabet",
        "direct",
        None,
        None,
        "abcdefghijklmnopqrstuvwxyz0123456789 zz0123456789abcdef 0",
    )
    add(
        "direct/max-length", "direct", None, None, "x " + "zz" + "ab" * 1023 + " y"
    )  # 2048: one token
    # One character over max_token_length: Lucene cuts it (2048 + 1), str.split does not.
    # No token of the analysis comes near (the longest is 1532 characters).
    add("direct/over-max-length", "direct", None, None, "x " + "zz" + "ab" * 1023 + "c y")
    return cases


# --- writing ------------------------------------------------------------------------------


def write_golden(name: str, payload: dict) -> Path:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    for old in (GOLDEN_DIR / f"{name}.json", GOLDEN_DIR / f"{name}.json.gz"):
        old.unlink(missing_ok=True)
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    if len(data) > GZIP_ABOVE:
        path = GOLDEN_DIR / f"{name}.json.gz"
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as f:
            f.write(data)
        path.write_bytes(buffer.getvalue())
    else:
        path = GOLDEN_DIR / f"{name}.json"
        path.write_bytes(data + b"\n")
    log(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    return path


def dedupe(items: Iterable[Item]) -> list[Item]:
    seen, out = set(), []
    for item in items:
        key = item[1:]
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache-dir", type=Path, default=default_cache_dir())
    parser.add_argument("--jar", type=Path, help=f"use this {JAR_NAME} (no download)")
    parser.add_argument(
        "--texts", type=Path, action="append", default=[], help="a JSON file of extra texts"
    )
    parser.add_argument(
        "--module", type=Path, action="append", default=[], help="a Python module of texts"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()

    jar = args.jar or find_jar(args.cache_dir)
    definitions = analyzer_definitions()
    demo = dedupe(demo_items())
    sources: dict[str, list[Item]] = {"lucene-demo": demo}
    sources["lucene-search-corpus"] = dedupe(module_items(SEARCH_CORPUS))
    if RELEVANCE_CORPUS.exists():
        sources["lucene-relevance-corpus"] = dedupe(module_items(RELEVANCE_CORPUS))
    for path in args.module:
        sources[f"lucene-extra-{path.stem}"] = dedupe(module_items(path.resolve()))
    for path in args.texts:
        sources[f"lucene-extra-{path.stem}"] = dedupe(file_items(path))
    setup_django()
    tokens = token_cases(demo)

    requests: dict[tuple[str, str], int] = {}
    for items in sources.values():
        for _, locale, text, plain_only in items:
            for name in analyzers_for(locale, plain_only):
                requests.setdefault((name, text), len(requests))
    for case in tokens:
        requests.setdefault((TOKENS_ANALYZER, case["tokens"]), len(requests))
    version, results = run_lucene(jar, definitions, list(requests))

    meta = {
        "generator": "scripts/lucene_golden/generate.py",
        "lucene": version,
        "jar": {"name": JAR_NAME, "sha256": sha256(jar), "from": PYSERINI + " (PyPI sdist)"},
    }
    for name, items in sources.items():
        used = sorted({a for _, loc, _, p in items for a in analyzers_for(loc, p)})
        texts = [
            {
                "id": item_id,
                "locale": locale,
                "text": text,
                "tokens": {
                    a: results[requests[(a, text)]] for a in analyzers_for(locale, plain_only)
                },
            }
            for item_id, locale, text, plain_only in items
        ]
        analyzers = {a: definitions[a] for a in used}
        write_golden(name, {"meta": {**meta, "analyzers": analyzers}, "texts": texts})
    for case in tokens:
        case["lucene"] = results[requests[(TOKENS_ANALYZER, case["tokens"])]]
    analyzers = {TOKENS_ANALYZER: definitions[TOKENS_ANALYZER]}
    write_golden("lucene-tokens", {"meta": {**meta, "analyzers": analyzers}, "cases": tokens})
    log(f"done in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
