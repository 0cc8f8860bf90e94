"""A synthetic kb-exchange/1 document of any size, for measuring import, indexing and search.

Its words are the demo content's own, per language, so that stemming, folding and typo
tolerance meet real inflected forms. Words are drawn with a Zipf-like weighting over how often
they occur in the demo texts: common words are common, rare words are rare, and a query for a
rare word matches few documents. The same seed always gives the same document.

    python -m benchmarks.corpus --practices 1000 --out corpus.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path

from django.utils.text import slugify

from practices.demo import DEMO_FILE
from practices.exchange.validation import (
    FORMAT,
    LOCALES,
    MEETING_KINDS,
    PRACTICE_SUMMARY_MAX_LENGTH,
    SECTIONS,
    SHIPPED_VOCABULARIES,
    STAGES,
)

THEMES = sorted(SHIPPED_VOCABULARIES["themes"])
AUDIENCES = sorted(SHIPPED_VOCABULARIES["audiences"])
FORMATS = sorted(SHIPPED_VOCABULARIES["formats"])

LIBRARY_COUNTRIES = {"FI": "fi", "LV": "lv", "EE": "et", "DK": "da", "SE": "sv"}
CITIES = {
    "FI": ["Helsinki", "Turku", "Tampere", "Oulu", "Jyväskylä", "Kuopio", "Porvoo", "Rovaniemi"],
    "LV": ["Rīga", "Valmiera", "Liepāja", "Cēsis", "Jelgava", "Daugavpils", "Ventspils", "Sigulda"],
    "EE": ["Tallinn", "Tartu", "Kärdla", "Pärnu", "Viljandi", "Rakvere", "Narva", "Haapsalu"],
    "DK": ["Ikast", "Brande", "Aarhus", "Odense", "Aalborg", "Esbjerg", "Vejle", "Roskilde"],
    "SE": ["Malmö", "Umeå", "Uppsala", "Göteborg", "Luleå", "Växjö", "Örebro", "Visby"],
}
LIBRARY_WORD = {
    "fi": "kirjasto",
    "lv": "bibliotēka",
    "et": "raamatukogu",
    "da": "Bibliotek",
    "sv": "bibliotek",
    "en": "Library",
}
DURATIONS = [45, 60, 90, 120, 150, 180, 240]
GROUP_SIZES = ["5-12", "8-20", "10-30", "15-40", "20-60", "any"]
FIRST_DATE = date(2021, 1, 1)
DATE_SPAN_DAYS = 5 * 365

# How often a record has 0, 1, 2... translations: practices average 1.2.
PRACTICE_TRANSLATIONS = [0.25, 0.40, 0.25, 0.10]
CASE_STUDY_TRANSLATIONS = [0.45, 0.40, 0.15]
MEETING_TRANSLATIONS = [0.3, 0.4, 0.3]
LIBRARY_TRANSLATIONS = [0.0, 0.6, 0.4]

ZIPF_EXPONENT = 1.0
MEETING_SHARE = 0.7  # practices that name the meeting where they were first shared
TAG_POOL_SIZE = 240
NAME_WORDS = slice(30, 400)
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class WordPool:
    """The words of one language, most frequent first, with cumulative Zipf weights."""

    words: tuple[str, ...]
    cumulative_weights: tuple[float, ...]

    def draw(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative_weights, k=count)


def zipf_weights(count: int) -> list[float]:
    return list(accumulate(1.0 / (rank + 1) ** ZIPF_EXPONENT for rank in range(count)))


def demo_texts(demo: dict) -> dict[str, list[str]]:
    """Every text of the demo document by language: each record's own texts in its locale,
    each translation's in the translation's language."""
    texts: dict[str, list[str]] = {code: [] for code in LOCALES}
    for section in SECTIONS:
        for record in demo.get(section) or []:
            versions = [(record["locale"], record), *(record.get("translations") or {}).items()]
            for code, fields in versions:
                for name in ("name", "title", "summary", "body"):
                    if isinstance(fields.get(name), str):
                        texts[code].append(fields[name])
    return texts


@cache
def word_pools() -> dict[str, WordPool]:
    """Per language, the demo's words ranked by frequency (ties alphabetically)."""
    demo = json.loads(Path(DEMO_FILE).read_text(encoding="utf-8"))
    pools = {}
    for code, texts in demo_texts(demo).items():
        counts = Counter(word.lower() for text in texts for word in _WORD.findall(text))
        words = tuple(sorted(counts, key=lambda word: (-counts[word], word)))
        pools[code] = WordPool(words, tuple(zipf_weights(len(words))))
    return pools


@cache
def demo_tags() -> tuple[str, ...]:
    demo = json.loads(Path(DEMO_FILE).read_text(encoding="utf-8"))
    tags = Counter(
        tag
        for section in ("practices", "case_studies")
        for record in demo.get(section) or []
        for tag in record.get("tags") or []
    )
    return tuple(sorted(tags, key=lambda tag: (-tags[tag], tag)))


class _Writer:
    """Draws texts, dates and choices from one random generator."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.pools = word_pools()
        self.tag_pool = self._tag_pool()
        self.tag_weights = zipf_weights(len(self.tag_pool))

    def _tag_pool(self) -> list[str]:
        """The demo's tags, then made-up English compounds, up to TAG_POOL_SIZE."""
        tags = list(demo_tags())
        known = set(tags)
        english = self.pools["en"].words[50:1200]
        while len(tags) < TAG_POOL_SIZE:
            tag = f"{self.rng.choice(english)}-{self.rng.choice(english)}"
            if tag not in known:
                known.add(tag)
                tags.append(tag)
        return tags

    def words(self, locale: str, count: int) -> list[str]:
        return self.pools[locale].draw(self.rng, count)

    def name_word(self, locale: str) -> str:
        """A word for a library's name: neither a function word nor a rarity."""
        return _capitalised(self.rng.choice(self.pools[locale].words[NAME_WORDS]))

    def title(self, locale: str) -> str:
        return _capitalised(" ".join(self.words(locale, self.rng.randint(3, 7))))

    def sentence(self, locale: str) -> str:
        words = self.words(locale, self.rng.randint(6, 16))
        if len(words) > 9 and self.rng.random() < 0.4:
            words[self.rng.randint(3, len(words) - 4)] += ","
        return _capitalised(" ".join(words)) + "."

    def summary(self, locale: str) -> str:
        text = " ".join(self.sentence(locale) for _ in range(self.rng.randint(1, 2)))
        if len(text) <= PRACTICE_SUMMARY_MAX_LENGTH:
            return text
        return text[: PRACTICE_SUMMARY_MAX_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",.") + "."

    def paragraph(self, locale: str) -> str:
        return " ".join(self.sentence(locale) for _ in range(self.rng.randint(2, 5)))

    def body(self, locale: str, paragraphs: int | None = None) -> str:
        count = paragraphs or self.rng.randint(3, 6)
        return "\n\n".join(self.paragraph(locale) for _ in range(count))

    def texts(self, locale: str, paragraphs: int | None = None) -> dict:
        return {
            "title": self.title(locale),
            "summary": self.summary(locale),
            "body": self.body(locale, paragraphs),
        }

    def translations(self, own_locale: str, weights: list[float], paragraphs: int) -> dict:
        count = self.rng.choices(range(len(weights)), weights=weights)[0]
        others = [code for code in LOCALES if code != own_locale]
        return {code: self.texts(code, paragraphs) for code in self.rng.sample(others, count)}

    def tags(self, most: int) -> list[str]:
        wanted = self.rng.randint(0, most)
        tags: list[str] = []
        while len(tags) < wanted:
            tag = self.rng.choices(self.tag_pool, cum_weights=self.tag_weights)[0]
            if tag not in tags:
                tags.append(tag)
        return tags

    def day(self) -> date:
        return FIRST_DATE + timedelta(days=self.rng.randrange(DATE_SPAN_DAYS))

    def key(self, title: str, number: int) -> str:
        return f"{slugify(title)[:60].strip('-') or 'record'}-{number}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _paragraph_count(body: str) -> int:
    return body.count("\n\n") + 1


def library_count(practices: int) -> int:
    return max(4, round(practices / 20))


def meeting_count(practices: int) -> int:
    return max(2, round(practices / 50))


def case_study_count(practices: int) -> int:
    return round(practices / 3)


def generate(practices: int, seed: int = 1) -> dict:
    """A valid kb-exchange/1 document with `practices` practices and the libraries, meetings
    and case studies that go with them."""
    writer = _Writer(seed)
    libraries = _libraries(writer, library_count(practices))
    meetings = _meetings(writer, meeting_count(practices), libraries)
    practice_records = _practices(writer, practices, libraries, meetings)
    case_studies = _case_studies(writer, case_study_count(practices), practice_records, libraries)
    return {
        "format": FORMAT,
        "libraries": libraries,
        "meetings": meetings,
        "practices": practice_records,
        "case_studies": case_studies,
    }


def _libraries(writer: _Writer, count: int) -> list[dict]:
    rng = writer.rng
    countries = list(LIBRARY_COUNTRIES)
    libraries = []
    for number in range(1, count + 1):
        country = countries[(number - 1) % len(countries)]
        locale = LIBRARY_COUNTRIES[country]
        city = rng.choice(CITIES[country])
        name = f"{city} {writer.name_word(locale)} {LIBRARY_WORD[locale]}"
        translations = {}
        weights = LIBRARY_TRANSLATIONS
        count_translations = rng.choices(range(len(weights)), weights=weights)[0]
        others = ["en", *rng.sample([c for c in LOCALES if c not in ("en", locale)], 4)]
        for code in others[:count_translations]:
            translations[code] = {"name": f"{city} {writer.name_word(code)} {LIBRARY_WORD[code]}"}
        libraries.append(
            {
                "key": writer.key(f"{city}-library", number),
                "name": name,
                "locale": locale,
                "city": city,
                "country": country,
                "website": f"https://library-{number}.example.org/",
                "partner": number <= 4,
                "translations": translations,
            }
        )
    return libraries


def _meetings(writer: _Writer, count: int, libraries: list[dict]) -> list[dict]:
    rng = writer.rng
    meetings = []
    for number in range(1, count + 1):
        kind = MEETING_KINDS[(number - 1) % len(MEETING_KINDS)]
        host = rng.choice(libraries)
        locale = {"international": "en", "national": host["locale"]}.get(kind) or rng.choice(
            LOCALES
        )
        texts = writer.texts(locale)
        start = writer.day()
        record = {
            "key": writer.key(texts["title"], number),
            "kind": kind,
            "locale": locale,
            **texts,
            "start": start.isoformat(),
            "end": (start + timedelta(days=rng.randint(0, 2))).isoformat(),
            "host": host["key"],
            "translations": writer.translations(
                locale, MEETING_TRANSLATIONS, _paragraph_count(texts["body"])
            ),
        }
        if kind != "virtual":
            record["city"] = host["city"]
            record["country"] = host["country"]
        meetings.append(record)
    return meetings


def _practices(
    writer: _Writer, count: int, libraries: list[dict], meetings: list[dict]
) -> list[dict]:
    rng = writer.rng
    practices = []
    for number in range(1, count + 1):
        locale = rng.choice(LOCALES)
        texts = writer.texts(locale)
        record = {
            "key": writer.key(texts["title"], number),
            "locale": locale,
            **texts,
            "themes": rng.sample(THEMES, rng.randint(1, 3)),
            "audiences": rng.sample(AUDIENCES, rng.randint(0, 3)),
            "format": rng.choice(FORMATS),
            "tags": writer.tags(5),
            "duration_minutes": rng.choice(DURATIONS),
            "group_size": rng.choice(GROUP_SIZES),
            "library": rng.choice(libraries)["key"],
        }
        if rng.random() < MEETING_SHARE:
            record["meeting"] = rng.choice(meetings)["key"]
        record["translations"] = writer.translations(
            locale, PRACTICE_TRANSLATIONS, _paragraph_count(texts["body"])
        )
        practices.append(record)
    return practices


def _case_studies(
    writer: _Writer, count: int, practices: list[dict], libraries: list[dict]
) -> list[dict]:
    rng = writer.rng
    case_studies = []
    for number in range(1, count + 1):
        library = rng.choice(libraries)
        locale = library["locale"] if rng.random() < 0.8 else rng.choice(LOCALES)
        texts = writer.texts(locale)
        case_studies.append(
            {
                "key": writer.key(texts["title"], number),
                "locale": locale,
                "practice": rng.choice(practices)["key"],
                "library": library["key"],
                "date": writer.day().isoformat(),
                "stage": rng.choice(STAGES),
                "participants": rng.randint(0, 400),
                **texts,
                "tags": writer.tags(3),
                "translations": writer.translations(
                    locale, CASE_STUDY_TRANSLATIONS, _paragraph_count(texts["body"])
                ),
            }
        )
    return case_studies


def record_counts(document: dict) -> dict[str, int]:
    return {section: len(document.get(section) or []) for section in SECTIONS}


def expected_pages(document: dict) -> int:
    """Pages an import into an empty site writes: each record and each of its translations."""
    return sum(
        1 + len(record.get("translations") or {})
        for section in SECTIONS
        for record in document.get(section) or []
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.corpus", description="Write a synthetic kb-exchange/1 file."
    )
    parser.add_argument("--practices", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="the JSON file to write")
    args = parser.parse_args(argv)
    started = time.monotonic()
    document = generate(args.practices, args.seed)
    args.out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    counts = ", ".join(
        f"{n} {section.replace('_', ' ')}" for section, n in record_counts(document).items()
    )
    print(
        f"{args.out}: {counts}; {expected_pages(document)} pages; "
        f"{time.monotonic() - started:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
