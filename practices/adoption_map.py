"""The adoption map: where a practice took root, and where every library of the network is,
drawn on an offline map of the Nordic and Baltic countries.

The country outlines are `data/base_map.json`, made by `scripts/make_base_map.py` from
Natural Earth (public domain); a library is placed with the same projection from its
`latitude`/`longitude`. A library without coordinates, or outside the map's frame, is in the
table next to the map but not drawn, and the page says how many.

A practice's map is built from its ledger (no query of its own); the network's from two
queries: the libraries, and the stages their case studies report.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .browse import live_versions, one_shown_per_group
from .choices import Stage
from .countries import country_name
from .map_projection import Projection

BASE_MAP_PATH = Path(__file__).resolve().parent / "data" / "base_map.json"

# Furthest first: a library that anchored a practice once tried it, and is shown as anchored.
STAGES = (Stage.ANCHORED, Stage.REPEATED, Stage.TRIED)
STAGE_RANK = {stage: len(STAGES) - index for index, stage in enumerate(STAGES)}

# Where each country's name is written on the map (longitude, latitude): inland, clear of
# the partner libraries' markers.
COUNTRY_LABELS = {
    "NO": (8.6, 61.7),
    "SE": (15.2, 63.3),
    "FI": (26.4, 64.0),
    "EE": (25.9, 58.7),
    "LV": (23.9, 56.75),
    "LT": (23.9, 55.35),
    "DK": (9.6, 55.25),
}


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class CountryShape:
    code: str
    in_region: bool  # a Nordic or Baltic country, not a neighbour drawn for context
    path: str


@dataclass(frozen=True)
class BaseMap:
    width: float
    height: float
    projection: Projection
    countries: tuple[CountryShape, ...]

    def place(self, latitude, longitude) -> Point | None:
        """Where a library is drawn, or None when it has no coordinates or lies outside
        the map."""
        if latitude is None or longitude is None:
            return None
        x, y = self.projection(longitude, latitude)
        if not (0 <= x <= self.width and 0 <= y <= self.height):
            return None
        return Point(round(x, 1), round(y, 1))


@cache
def base_map() -> BaseMap:
    data = json.loads(BASE_MAP_PATH.read_text())
    return BaseMap(
        width=data["width"],
        height=data["height"],
        projection=Projection.from_dict(data["projection"]),
        countries=tuple(
            CountryShape(country["code"], country["region"], country["path"])
            for country in data["countries"]
        ),
    )


def furthest_stage(stages) -> str:
    """The furthest of the stages reported ("" when none)."""
    return max(stages, key=lambda stage: STAGE_RANK.get(stage, 0), default="")


def stage_label(stage: str) -> str:
    return str(Stage(stage).label) if stage in Stage.values else ""


@dataclass
class MapLibrary:
    """One library on a map and in its table."""

    library: object  # LibraryPage, the version the reader sees
    country: str  # the country's name in the reader's language
    point: Point | None
    stage: str = ""  # the furthest stage reached (with this practice, or with any)
    case_study: object = None  # the case study that reports `stage` (a practice's map)
    origin: bool = False  # the practice comes from this library (a practice's map)
    partner: bool = False  # a partner of the network (the network's map)
    stage_counts: dict = field(default_factory=dict)  # {stage: practices} (network map)

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)

    @property
    def town(self) -> str:
        return self.library.city

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(stage, label, practices) from anchored to tried, for the network table."""
        return [(stage, stage_label(stage), self.stage_counts.get(stage, 0)) for stage in STAGES]

    @property
    def ringed(self) -> bool:
        """Marked with a ring: where the practice comes from, or a partner of the network."""
        return self.origin or self.partner

    @property
    def practices_run(self) -> int:
        return sum(self.stage_counts.values())

    @property
    def accessible_name(self) -> str:
        """What a screen reader says for the library's marker: the same facts as its row."""
        where = ", ".join(part for part in (self.library.title, self.town, self.country) if part)
        facts = []
        if self.origin:
            facts.append(_("the practice comes from here"))
        if self.stage and not self.stage_counts:
            facts.append(self.stage_label)
        if self.stage_counts:
            by_stage = ", ".join(
                _("%(stage)s: %(count)d") % {"stage": label, "count": count}
                for _stage, label, count in self.counts
                if count
            )
            facts.append(
                ngettext("%(count)d practice run", "%(count)d practices run", self.practices_run)
                % {"count": self.practices_run}
                + f" ({by_stage})"
            )
        elif not facts:
            facts.append(_("no practice reported yet"))
        if self.partner:
            facts.append(_("partner of the network"))
        return f"{where}: {'; '.join(facts)}"


@dataclass(frozen=True)
class CountryLabel:
    name: str
    x: float
    y: float


@dataclass
class AdoptionMap:
    base: BaseMap
    libraries: list[MapLibrary]
    labels: list[CountryLabel]

    @property
    def drawn(self) -> list[MapLibrary]:
        """The libraries with a place on the map, the furthest stages drawn last (on top)."""
        placed = [library for library in self.libraries if library.point]
        return sorted(placed, key=lambda library: STAGE_RANK.get(library.stage, 0))

    @property
    def not_drawn(self) -> list[MapLibrary]:
        return [library for library in self.libraries if not library.point]

    @property
    def stages_shown(self) -> list[tuple[str, str]]:
        """The stages of the legend, furthest first."""
        return [(stage, stage_label(stage)) for stage in STAGES]


def _country_labels(base: BaseMap, language: str) -> list[CountryLabel]:
    labels = []
    for code, (longitude, latitude) in COUNTRY_LABELS.items():
        point = base.place(latitude, longitude)
        if point:
            labels.append(CountryLabel(country_name(code, language), point.x, point.y))
    return labels


def _sorted(libraries: list[MapLibrary]) -> list[MapLibrary]:
    return sorted(
        libraries,
        key=lambda entry: (entry.country.casefold(), entry.library.title.casefold()),
    )


def _entry(library, language: str, **facts) -> MapLibrary:
    return MapLibrary(
        library=library,
        country=country_name(library.country, language) if library.country else "",
        point=base_map().place(library.latitude, library.longitude),
        **facts,
    )


def practice_map(ledger, origin_library, language: str) -> AdoptionMap:
    """The libraries that ran a practice, each with the furthest stage its case studies
    report and the case study that reports it, and the library the practice comes from.
    `ledger` is `practices.ledger.practice_ledger(practice)`: its case studies and libraries
    are already the publicly visible versions the reader sees."""
    by_library = {}
    for adoption in ledger.adoptions:
        if adoption.library is None:  # its library is not public
            continue
        key = adoption.library.translation_key
        best = by_library.get(key)
        # Later reports of the same stage win: the freshest account of how far it got.
        if best is None or STAGE_RANK.get(adoption.stage, 0) >= STAGE_RANK.get(best.stage, 0):
            by_library[key] = adoption
    entries = {
        key: _entry(
            adoption.library, language, stage=adoption.stage, case_study=adoption.case_study
        )
        for key, adoption in by_library.items()
    }
    if origin_library is not None:
        origin = entries.get(origin_library.translation_key)
        if origin is None:
            entries[origin_library.translation_key] = _entry(origin_library, language, origin=True)
        else:
            origin.origin = True
    base = base_map()
    return AdoptionMap(base, _sorted(list(entries.values())), _country_labels(base, language))


def network_map(language: str) -> AdoptionMap:
    """Every publicly visible library, partner or not, with how many practices it ran at
    each stage (a practice counts once per library, at the furthest stage reported). Only
    public case studies of public practices count."""
    from .models import CaseStudyPage, LibraryPage, PracticePage

    libraries = one_shown_per_group(live_versions(LibraryPage).order_by("title", "pk"))
    reports = (
        live_versions(CaseStudyPage)
        .filter(
            practice__translation_key__in=live_versions(PracticePage).values("translation_key"),
            library__isnull=False,
        )
        .values_list("library__translation_key", "practice__translation_key", "stage")
    )
    furthest = {}  # {(library key, practice key): stage}
    for library_key, practice_key, stage in reports:
        key = (library_key, practice_key)
        furthest[key] = furthest_stage([furthest.get(key, ""), stage])
    counts = {}
    for (library_key, _practice_key), stage in furthest.items():
        library_counts = counts.setdefault(library_key, {})
        library_counts[stage] = library_counts.get(stage, 0) + 1
    entries = []
    for library in libraries:
        stage_counts = counts.get(library.translation_key, {})
        entries.append(
            _entry(
                library,
                language,
                stage=furthest_stage(stage_counts),
                stage_counts=stage_counts,
                partner=library.partner,
            )
        )
    base = base_map()
    return AdoptionMap(base, _sorted(entries), _country_labels(base, language))
