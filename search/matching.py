"""What each content word of a query matches, and how much each way of matching counts: the
one definition both engines turn into their queries (`backends.database`, `backends.elasticsearch`).

A content word matches a document through one of five kinds of forms, weighted so that the
way a word was found shows in the ranking (docs/search-analysis.md):

- `word` (1.0): the word itself or another inflection of it: its stems and its lemma (a text
  holding the very word scores higher still, since its plain token matches as well);
- `part` (0.5): through compounds: the word as a part of a compound (`valg` in
  `kommunalvalg`) or the parts of the word (`debataften`: `debat`, `aften`);
- `synonym` (0.5): a word of an editors' synonym set it belongs to (`kids`: `children`);
- `translation` (0.4): its translations learned from the titles of the site's translation
  groups (`search.glossary`: `kirjasto` -> `library`, `bibliotek`), in their language only;
- `typo` (0.25): indexed words within the typos its length allows, only for a word that
  neither the index nor the reader's language knows (a word spelt right is never
  "corrected" into another, nor a Swedish word into an English one).

Per document and word the best-scoring kind counts; a document's score is the number of
content words it matches times COVERAGE, plus the weighted relevance of the matches, so
every document matching more content words ranks above every one matching fewer."""

from dataclasses import dataclass

from django.conf import settings

from . import glossary, lexicon, synonyms
from .plan import QueryPlan, allowed_edits
from .tokens import index_token, part_forms, word_forms
from .vocabulary import Vocabulary

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
KIND_WEIGHTS = {"word": 1.0, "part": 0.5, "synonym": 0.5, "translation": 0.4, "typo": 0.25}
# Above any relevance a document can gather (scores stay far below it), so that the number
# of content words matched orders the results first.
COVERAGE = 10_000.0
# A document holding the whole query as a phrase gains this share of its relevance:
# proximity ranks among documents that match as many words, it never lifts a document above
# one that matches more of them.
PHRASE_SHARE = 0.5
# Results of each type, relative to a practice: a method matching a query comes before a
# library's account of running it (a case study whose title repeats the method's name).
TYPE_WEIGHTS = {"practice": 1.0, "case_study": 0.7, "meeting": 0.8, "library": 0.8}
# A mild signal: each library that anchored a practice adds this share, up to ANCHORED_CAP
# libraries (at most a fifth more: a far better match still comes first).
ANCHORED_SHARE = 0.05
ANCHORED_CAP = 4
# The highest `prior` an entry can have.
MAX_PRIOR = max(TYPE_WEIGHTS.values()) * (1 + ANCHORED_SHARE * ANCHORED_CAP)


def prior(kind: str, anchored: int) -> float:
    """What an entry's relevance is multiplied by before any query: its type, its anchoring."""
    return TYPE_WEIGHTS.get(kind, 1.0) * (1 + ANCHORED_SHARE * min(anchored or 0, ANCHORED_CAP))


@dataclass(frozen=True)
class Forms:
    """The index tokens of one kind of match of one word."""

    kind: str
    text: dict  # locale -> tokens matched in title, summary and body of a version in it
    keywords: tuple[str, ...]  # tokens matched in tags and taxonomy labels (all languages)

    @property
    def weight(self) -> float:
        return KIND_WEIGHTS[self.kind]


@dataclass(frozen=True)
class WordMatch:
    word: str
    forms: tuple[Forms, ...]


def word_matches(plan: QueryPlan, lang: str | None = None) -> list[WordMatch]:
    """For each content word, its forms of each kind that has any."""
    plains = plan.plain_content()
    typo_candidates = [p for p in plains if _may_have_typos(p, lang)]
    expansions = Vocabulary.expansions(typo_candidates) if typo_candidates else {}
    synonym_sets, learned = synonyms.current(), glossary.current()
    matches = []
    for word, plain in zip(plan.content, plains, strict=True):
        kinds = [
            _forms("word", [word], word_forms),
            _forms("part", [word], part_forms),
            _forms("synonym", synonyms.synonyms_of(word, synonym_sets), word_forms),
            _translation_forms(word, learned),
        ]
        typos = tuple(index_token(t) for t in expansions.get(plain, ()))
        if typos:
            kinds.append(Forms("typo", {code: typos for code in LANGUAGES}, typos))
        matches.append(WordMatch(word, tuple(f for f in kinds if f is not None)))
    return _without_repeats(matches)


def _forms(kind: str, words: list[str], forms_of) -> Forms | None:
    text = {
        code: tuple(dict.fromkeys(t for w in words for t in forms_of(w, code)))
        for code in LANGUAGES
    }
    keywords = tuple(dict.fromkeys(t for tokens in text.values() for t in tokens))
    if not keywords:
        return None
    return Forms(kind, text, keywords)


def _translation_forms(word: str, learned: dict) -> Forms | None:
    stems = glossary.translations(word, learned)
    if not stems:
        return None
    text = {code: tuple(index_token(s) for s in stems.get(code, ())) for code in LANGUAGES}
    keywords = tuple(dict.fromkeys(t for tokens in text.values() for t in tokens))
    return Forms("translation", text, keywords)


def _without_repeats(matches: list[WordMatch]) -> list[WordMatch]:
    """Within each word, a token already matched by a better kind is left out of the worse
    ones (the part `valg` of a query is no synonym match too)."""
    cleaned = []
    for match in matches:
        seen_text = {code: set() for code in LANGUAGES}
        seen_keywords = set()
        kept = []
        for forms in match.forms:
            text = {
                code: tuple(t for t in tokens if t not in seen_text[code])
                for code, tokens in forms.text.items()
            }
            keywords = tuple(t for t in forms.keywords if t not in seen_keywords)
            for code, tokens in text.items():
                seen_text[code].update(tokens)
            seen_keywords.update(keywords)
            if keywords or any(text.values()):
                kept.append(Forms(forms.kind, text, keywords))
        cleaned.append(WordMatch(match.word, tuple(kept)))
    return cleaned


def _may_have_typos(plain: str, lang: str | None) -> bool:
    if not allowed_edits(plain):
        return False
    if Vocabulary.is_known(plain):
        return False
    return not (lang and lexicon.is_known(plain, lang))


def all_forms(matches: list[WordMatch], locale: str) -> set[str]:
    """Every token of a version in `locale` that some word of the query matches (what the
    highlighter marks)."""
    return {t for match in matches for forms in match.forms for t in forms.text[locale]}
