"""The shared outcome measures: the four Project Outcome questions asked after a programme
(learned something new, more confident, will apply it, more aware of what the library
offers), stored on a case study as the share of respondents who agree, in percent.

A practice's measures are the shares of its case studies (one per translation group, the
anchoring ledger's) weighted by their respondents: 80 % of 50 people and 40 % of 10 people
is 73 % of 60 people, not 60 %."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

QUESTIONS = (
    ("outcome_learned", _("Learned something new")),
    ("outcome_confident", _("Feel more confident")),
    ("outcome_will_apply", _("Will apply what they learned")),
    ("outcome_aware", _("More aware of what the library offers")),
)


@dataclass(frozen=True)
class Measure:
    question: str  # the case study's field, e.g. "outcome_learned"
    label: str
    share: int  # percent of respondents agreeing, 0-100
    respondents: int


@dataclass(frozen=True)
class CaseStudyOutcomes:
    respondents: int | None
    measures: list[Measure]


@dataclass(frozen=True)
class PracticeOutcomes:
    measures: list[Measure]  # each weighted by the respondents of the case studies giving it
    reporting: int  # case studies that report at least one share
    case_studies: int  # the practice's public case studies
    respondents: int  # all respondents of the reporting case studies

    def summary(self) -> str:
        """ "Reported in 2 of 3 case studies, 60 respondents"; "" when none reports them."""
        if not self.reporting:
            return ""
        reported = ngettext(
            "Reported in %(reporting)d of %(total)d case study",
            "Reported in %(reporting)d of %(total)d case studies",
            self.case_studies,
        ) % {"reporting": self.reporting, "total": self.case_studies}
        respondents = ngettext(
            "%(count)d respondent", "%(count)d respondents", self.respondents
        ) % {"count": self.respondents}
        return f"{reported}, {respondents}"


def reported_shares(case_study) -> dict[str, int]:
    """{question: share} of the questions the case study answers."""
    shares = {field: getattr(case_study, field) for field, _label in QUESTIONS}
    return {field: share for field, share in shares.items() if share is not None}


def case_study_outcomes(case_study) -> CaseStudyOutcomes | None:
    """The case study's own measures, or None when it reports none (or no respondents)."""
    shares = reported_shares(case_study)
    respondents = case_study.outcome_respondents
    if not shares or not respondents:
        return None
    return CaseStudyOutcomes(
        respondents=respondents,
        measures=[
            Measure(field, str(label), shares[field], respondents)
            for field, label in QUESTIONS
            if field in shares
        ],
    )


def practice_outcomes(case_studies) -> PracticeOutcomes:
    """The measures across a practice's case studies (`Ledger.case_studies`: publicly visible,
    one per translation group), each question weighted by the respondents of the case studies
    that answer it. A case study that gives shares without respondents cannot be weighted and
    does not count (its model refuses to be saved so)."""
    case_studies = list(case_studies)
    weighted, weights = {}, {}
    reporting = respondents = 0
    for case_study in case_studies:
        outcomes = case_study_outcomes(case_study)
        if outcomes is None:
            continue
        reporting += 1
        respondents += outcomes.respondents
        for measure in outcomes.measures:
            weighted[measure.question] = weighted.get(measure.question, 0) + (
                measure.share * measure.respondents
            )
            weights[measure.question] = weights.get(measure.question, 0) + measure.respondents
    return PracticeOutcomes(
        measures=[
            Measure(field, str(label), round(weighted[field] / weights[field]), weights[field])
            for field, label in QUESTIONS
            if weights.get(field)
        ],
        reporting=reporting,
        case_studies=len(case_studies),
        respondents=respondents,
    )


def outcome_errors(case_study) -> dict[str, str]:
    """What stops a case study's measures from being counted: shares need the number of
    respondents they are a share of."""
    if reported_shares(case_study) and not case_study.outcome_respondents:
        return {
            "outcome_respondents": _(
                "Give the number of respondents: the shares agreeing are percentages of them, "
                "and the practice's totals weigh each case study by it."
            )
        }
    return {}
