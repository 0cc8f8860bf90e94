"""Comparing practices side by side: /<lang>/compare/?practice=<key>&practice=<key>.

Two to four practices, named by their keys (slugs, the same in every language), each in the
version the reader sees, with the facts a librarian weighs when choosing: what it is, what it
takes, how far it took root and how well it worked. Anything else (one practice, five, a key
no public practice has) is answered with a page that says what to change, status 400."""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_safe

from languages.reader import reading_order

from . import presentation
from .browse import clean_slug, live_versions, one_shown_per_group
from .evidence import EvidenceLevel, ledger_evidence
from .ledger import Ledger, practice_ledger
from .outcomes import PracticeOutcomes, practice_outcomes

FEWEST = 2
MOST = 4
TEMPLATE = "practices/compare.html"


class ComparisonRefused(ValueError):
    """The practices asked for cannot be compared; the message says why, to the reader."""


@dataclass(frozen=True)
class Cell:
    text: str
    lang: str = ""  # the language of a text shown in another language than the reader's


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]


@dataclass
class Column:
    practice: object  # the version the reader sees, with `language_code`
    ledger: Ledger
    outcomes: PracticeOutcomes
    evidence: EvidenceLevel


@dataclass
class Comparison:
    columns: list[Column]
    rows: list[Row]


def chosen_keys(params) -> list[str]:
    """The keys of the practices asked for, in the order given, each once."""
    keys = [value.strip() for value in params.getlist("practice")]
    return list(dict.fromkeys(key for key in keys if key))


def checked_count(keys: list[str]) -> None:
    if len(keys) < FEWEST:
        raise ComparisonRefused(
            _("Choose at least two practices to compare: tick them in the list of practices.")
        )
    if len(keys) > MOST:
        raise ComparisonRefused(
            _("Compare at most four practices at a time; you chose %(count)d.")
            % {"count": len(keys)}
        )


def shown_practices(keys: list[str], order=None) -> list:
    """The version the reader sees of each practice named, in the order of `keys`. A key no
    publicly visible practice has is refused, by name."""
    from .models import PracticePage

    unknown = [key for key in keys if clean_slug(key) is None]
    valid = [key for key in keys if key not in unknown]
    versions = (
        live_versions(PracticePage)
        .filter(slug__in=valid)
        .select_related("locale", "format", "library")
        .order_by("pk")
    )
    by_key = {}
    for practice in one_shown_per_group(versions, order):
        by_key.setdefault(practice.slug, practice)
    unknown += [key for key in valid if key not in by_key]
    if unknown:
        raise ComparisonRefused(
            ngettext(
                "No published practice has the key %(keys)s. Choose the practices again "
                "from the list.",
                "No published practice has the keys %(keys)s. Choose the practices again "
                "from the list.",
                len(unknown),
            )
            % {"keys": ", ".join(f"“{key[:100]}”" for key in unknown)}
        )
    return [by_key[key] for key in keys]


def step_count(practice) -> int:
    return sum(len(block.value) for block in practice.body if block.block_type == "steps")


def material_titles(practices) -> dict[int, list[str]]:
    """{practice pk: titles of its downloadable materials}, one query for all."""
    from .models import PracticeMaterial

    titles = {}
    materials = (
        PracticeMaterial.objects.filter(page_id__in=[practice.pk for practice in practices])
        .select_related("document")
        .order_by("sort_order", "pk")
    )
    for material in materials:
        titles.setdefault(material.page_id, []).append(material.document.title)
    return titles


def _staff(practice) -> str:
    if not practice.staff_needed:
        return ""
    return ngettext("%(count)d person", "%(count)d people", practice.staff_needed) % {
        "count": practice.staff_needed
    }


def _steps(practice) -> str:
    count = step_count(practice)
    if not count:
        return ""
    return ngettext("%(count)d step", "%(count)d steps", count) % {"count": count}


ROWS = (
    # (label, what a practice shows, whether it is text in the practice's own language)
    (gettext_lazy("Summary"), lambda p, facts: p.summary, True),
    (gettext_lazy("Themes"), lambda p, facts: ", ".join(facts["theme"]), False),
    (gettext_lazy("Audiences"), lambda p, facts: ", ".join(facts["audience"]), False),
    (gettext_lazy("Format"), lambda p, facts: ", ".join(facts["format"]), False),
    (
        gettext_lazy("Duration"),
        lambda p, facts: presentation.minutes_label(p.duration_minutes),
        False,
    ),
    (
        gettext_lazy("Preparation time"),
        lambda p, facts: presentation.minutes_label(p.preparation_minutes),
        False,
    ),
    (gettext_lazy("Group size"), lambda p, facts: p.group_size, False),
    (gettext_lazy("Staff needed"), lambda p, facts: _staff(p), False),
    (
        gettext_lazy("Cost"),
        lambda p, facts: p.get_cost_band_display() if p.cost_band else "",
        False,
    ),
    (gettext_lazy("Steps"), lambda p, facts: _steps(p), False),
    (gettext_lazy("Materials to download"), lambda p, facts: ", ".join(facts["materials"]), True),
)


def comparison(practices, reader_locale_id: int, language: str) -> Comparison:
    """The columns and rows of the table. Queries: the materials, then for each practice
    its terms and its ledger (at most four practices)."""
    materials = material_titles(practices)
    columns, facts = [], []
    for practice in practices:
        terms = presentation.practice_terms(practice, reader_locale_id)
        facts.append(
            {kind: [label for _slug, label in terms[kind]] for kind in ("theme", "audience")}
            | {"format": [label for _slug, label in terms["format"]]}
            | {"materials": materials.get(practice.pk, [])}
        )
        ledger = practice_ledger(practice)
        columns.append(
            Column(
                practice=practice,
                ledger=ledger,
                outcomes=practice_outcomes(a.case_study for a in ledger.adoptions),
                evidence=ledger_evidence(ledger),
            )
        )
    rows = []
    for label, value, own_language in ROWS:
        cells = []
        for practice, practice_facts in zip(practices, facts, strict=True):
            lang = practice.language_code if own_language else ""
            cells.append(Cell(value(practice, practice_facts), lang if lang != language else ""))
        rows.append(Row(str(label), cells))
    return Comparison(columns=columns, rows=rows)


@require_safe
def compare_page(request):
    keys = chosen_keys(request.GET)
    language = presentation.reader_language()
    context = {"keys": keys, "fewest": FEWEST, "most": MOST}
    try:
        checked_count(keys)
        practices = shown_practices(keys, reading_order(language))
    except ComparisonRefused as refusal:
        return render(request, TEMPLATE, context | {"refusal": str(refusal)}, status=400)
    locale = presentation.reader_locale(request)
    context["comparison"] = comparison(practices, locale.pk, language)
    return render(request, TEMPLATE, context)
