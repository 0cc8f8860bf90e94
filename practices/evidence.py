"""How strong the evidence for a practice is: a ladder of levels computed from its anchoring
ledger (`practices.ledger`), never typed by hand. Each level implies the ones below it, as in
Nesta's standards of evidence: from a method only described, to one that took root in
several libraries in several countries."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .ledger import Ledger, Spread, practice_ledger, spread_of_practices


@dataclass(frozen=True)
class EvidenceLevel:
    rank: int  # 1 (weakest) to 5 (strongest): what sorting by evidence orders by
    slug: str  # the value of the search filter and of the APIs
    name: str | Promise
    meaning: str | Promise  # one sentence a librarian understands

    def __str__(self):
        return str(self.name)


DESCRIBED = EvidenceLevel(
    1,
    "described",
    _("Described"),
    _("The method is written down, but no library has reported running it yet."),
)
TRIED = EvidenceLevel(
    2, "tried", _("Tried"), _("At least one library reports that it has run the method.")
)
REPEATED = EvidenceLevel(
    3,
    "repeated",
    _("Repeated"),
    _("A library has run the method more than once."),
)
ADOPTED = EvidenceLevel(
    4,
    "adopted",
    _("Adopted elsewhere"),
    _("A library other than the one it comes from has run the method more than once."),
)
ANCHORED = EvidenceLevel(
    5,
    "anchored",
    _("Anchored in several countries"),
    _(
        "The method has become part of regular work in at least two libraries in at least two countries."
    ),
)
# Weakest first.
LEVELS = (DESCRIBED, TRIED, REPEATED, ADOPTED, ANCHORED)
BY_SLUG = {level.slug: level for level in LEVELS}
SLUGS = tuple(BY_SLUG)


def evidence_level(spread: Spread | None) -> EvidenceLevel:
    """The highest level whose condition the practice's spread meets."""
    if spread is None or not spread.libraries:
        return DESCRIBED
    if spread.anchored >= 2 and spread.anchored_countries >= 2:
        return ANCHORED
    if spread.repeated_elsewhere:
        return ADOPTED
    if spread.repeated:
        return REPEATED
    return TRIED


def ledger_evidence(ledger: Ledger) -> EvidenceLevel:
    return evidence_level(ledger.spread())


def practice_evidence(practice) -> EvidenceLevel:
    """The evidence level of one practice, from its anchoring ledger."""
    return ledger_evidence(practice_ledger(practice))


def evidence_of_practices(practice_translation_keys) -> dict:
    """{translation key: EvidenceLevel} of many practices, in one query."""
    keys = {str(key) for key in practice_translation_keys}
    spreads = spread_of_practices(keys)
    return {key: evidence_level(spreads.get(key)) for key in keys}


def with_evidence_levels(pages: list) -> list:
    """Gives each practice among `pages` its `evidence_level` (one query for all), for the
    cards of a list; other pages are left as they are."""
    from .models import PracticePage

    practices = [page for page in pages if isinstance(page, PracticePage)]
    if practices:
        levels = evidence_of_practices(page.translation_key for page in practices)
        for page in practices:
            page.evidence_level = levels[str(page.translation_key)]
    return pages


def level_named(slug: str | None) -> EvidenceLevel | None:
    return BY_SLUG.get(slug) if slug else None
