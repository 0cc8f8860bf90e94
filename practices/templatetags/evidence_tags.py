"""The evidence badge (`practices.evidence`) on practice pages, cards and search results."""

from django import template

from practices.evidence import (
    LEVELS,
    EvidenceLevel,
    ledger_evidence,
    level_named,
    practice_evidence,
)

register = template.Library()


@register.inclusion_tag("practices/includes/evidence_badge.html")
def evidence_badge(level, full=False):
    """`{% evidence_badge level %}`: the level's name, linked to the page explaining the
    levels, its meaning read out with it; `full=True` shows the meaning too (the practice
    page). `level` is an EvidenceLevel or its slug; nothing is shown without one."""
    if not isinstance(level, EvidenceLevel):
        level = level_named(level)
    steps = [other.rank <= level.rank for other in LEVELS] if level else []
    return {"level": level, "full": full, "steps": steps, "of": len(LEVELS)}


@register.filter
def evidence_of(practice) -> EvidenceLevel:
    """A practice's level: the one its list gave it (`with_evidence_levels`, one query for
    the whole list), else worked out for it alone."""
    level = getattr(practice, "evidence_level", None)
    return level if level is not None else practice_evidence(practice)


@register.filter
def evidence_of_ledger(ledger) -> EvidenceLevel:
    return ledger_evidence(ledger)
