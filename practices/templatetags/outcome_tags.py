"""The shared outcome measures on the case-study and practice pages (`practices.outcomes`)."""

from django import template

from practices import outcomes

register = template.Library()


@register.simple_tag
def case_study_outcomes(page):
    """The case study's own measures, or None when it reports none."""
    return outcomes.case_study_outcomes(page)


@register.simple_tag
def practice_outcomes(ledger):
    """The measures across the practice's case studies of its ledger (no query: the ledger
    has read them)."""
    return outcomes.practice_outcomes(adoption.case_study for adoption in ledger.adoptions)
