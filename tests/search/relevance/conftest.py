"""Collects each relevance case's outcome and prints, at the end of the run, the pass rate and
mean reciprocal rank per category. A conftest's hooks are registered once pytest collects its
directory, so the table appears whether the run starts here, at tests/ or at the root."""

from collections import defaultdict
from dataclasses import dataclass

import pytest

from .cases import CATEGORIES


@dataclass(frozen=True)
class Outcome:
    category: str
    case_id: str
    passed: bool
    reciprocal_rank: float


OUTCOMES = pytest.StashKey[dict]()


@pytest.fixture
def record_relevance(request):
    """record(case, passed, reciprocal_rank): keeps the latest outcome of each case."""
    outcomes = request.config.stash.setdefault(OUTCOMES, {})

    def record(case, passed: bool, reciprocal_rank: float) -> None:
        outcomes[case.id] = Outcome(case.category, case.id, passed, reciprocal_rank)

    return record


def relevance_table(outcomes) -> list[str]:
    by_category = defaultdict(list)
    for outcome in outcomes:
        by_category[outcome.category].append(outcome)
    order = [c for c in CATEGORIES if c in by_category]
    order += sorted(set(by_category) - set(CATEGORIES))
    header = f"{'category':<16}{'cases':>6}{'passed':>8}{'pass rate':>11}{'MRR':>8}"
    lines = [header, "-" * len(header)]

    def row(name, group):
        passed = sum(o.passed for o in group)
        mrr = sum(o.reciprocal_rank for o in group) / len(group)
        return f"{name:<16}{len(group):>6}{passed:>8}{passed / len(group):>10.0%}{mrr:>9.3f}"

    lines += [row(category, by_category[category]) for category in order]
    lines += ["-" * len(header), row("total", list(outcomes))]
    return lines


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    outcomes = list(config.stash.get(OUTCOMES, {}).values())
    if not outcomes:
        return
    terminalreporter.write_sep("=", "search relevance")
    for line in relevance_table(outcomes):
        terminalreporter.write_line(line)
