"""Where a practice went after it was shared: the anchoring ledger."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import ngettext

from .browse import live_versions, one_shown_per_group
from .choices import Stage


@dataclass(frozen=True)
class Adoption:
    case_study: object  # CaseStudyPage: the version the reader sees
    library: object  # LibraryPage: the version the reader sees
    country: str
    date: date
    stage: str
    participants: int | None


@dataclass
class Ledger:
    adoptions: list[Adoption] = field(default_factory=list)

    @property
    def library_count(self) -> int:
        return len({a.library.translation_key for a in self.adoptions if a.library})

    @property
    def country_count(self) -> int:
        return len({a.country for a in self.adoptions if a.country})

    @property
    def anchored_count(self) -> int:
        """Libraries where the practice has become part of regular work."""
        return len(
            {
                a.library.translation_key
                for a in self.adoptions
                if a.library and a.stage == Stage.ANCHORED
            }
        )

    def summary(self) -> str:
        if not self.adoptions:
            return ""
        return Spread(self.library_count, self.country_count, self.anchored_count).summary()


def practice_ledger(practice) -> Ledger:
    """The case studies of a practice (in any language version of it), one per translation
    group, each with its library in the version the reader sees, oldest first."""
    from .models import CaseStudyPage

    case_studies = one_shown_per_group(
        live_versions(CaseStudyPage)
        .filter(practice__translation_key=practice.translation_key)
        .select_related("library")
        .order_by("date", "pk")
    )
    return Ledger(
        [
            Adoption(
                case_study=c,
                library=c.library,
                country=c.library.country if c.library else "",
                date=c.date,
                stage=c.stage,
                participants=c.participants,
            )
            for c in case_studies
        ]
    )


@dataclass(frozen=True)
class Spread:
    """How far a practice took root: the distinct libraries (and their countries) of its
    case studies, in any language version."""

    libraries: int = 0
    countries: int = 0
    anchored: int = 0  # libraries where it has become part of regular work

    def as_dict(self) -> dict:
        return {"libraries": self.libraries, "countries": self.countries, "anchored": self.anchored}

    def summary(self) -> str:
        """ "Tried in 3 libraries in 2 countries, anchored in 1"; "" when tried nowhere."""
        if not self.libraries:
            return ""
        libraries = ngettext(
            "Tried in %(count)d library", "Tried in %(count)d libraries", self.libraries
        ) % {"count": self.libraries}
        countries = ngettext("in %(count)d country", "in %(count)d countries", self.countries) % {
            "count": self.countries
        }
        anchored = ngettext("anchored in %(count)d", "anchored in %(count)d", self.anchored) % {
            "count": self.anchored
        }
        return f"{libraries} {countries}, {anchored}"


def spread_of_practices(practice_translation_keys) -> dict:
    """{practice translation key: Spread} for the practices that have public case studies:
    the counts of `Ledger` (`library_count`, `country_count`, `anchored_count`) for many
    practices in one query, as the search index needs them."""
    from .models import CaseStudyPage

    rows = (
        live_versions(CaseStudyPage)
        .filter(practice__translation_key__in=list(practice_translation_keys))
        .values_list(
            "practice__translation_key", "library__translation_key", "library__country", "stage"
        )
    )
    libraries, countries, anchored = {}, {}, {}
    for practice, library, country, stage in rows:
        key = str(practice)
        if library:
            libraries.setdefault(key, set()).add(library)
            if stage == Stage.ANCHORED:
                anchored.setdefault(key, set()).add(library)
        if country:
            countries.setdefault(key, set()).add(country)
    return {
        key: Spread(
            len(libraries.get(key, ())), len(countries.get(key, ())), len(anchored.get(key, ()))
        )
        for key in set(libraries) | set(countries)
    }
