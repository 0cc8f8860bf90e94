"""Where a practice went after it was shared: the anchoring ledger."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, F, OuterRef
from django.utils.translation import ngettext

from .browse import live_versions, one_shown_per_group, publicly_visible
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
    # The translation key of the library the practice comes from (`PracticePage.library`).
    origin_library_key: str | None = None

    @property
    def library_count(self) -> int:
        return self.spread().libraries

    @property
    def country_count(self) -> int:
        return self.spread().countries

    @property
    def anchored_count(self) -> int:
        """Libraries where the practice has become part of regular work."""
        return self.spread().anchored

    def spread(self) -> "Spread":
        """The same counts as `spread_of_practices` gives for many practices."""
        return spread_of_adoptions(
            (
                (a.library.translation_key if a.library else None, a.country, a.stage)
                for a in self.adoptions
            ),
            self.origin_library_key,
        )

    def summary(self) -> str:
        return self.spread().summary()


def practice_ledger(practice) -> Ledger:
    """The case studies of a practice (in any language version of it), one per translation
    group, each with its library in the version the reader sees, oldest first."""
    from .models import CaseStudyPage

    case_studies = one_shown_per_group(
        live_versions(CaseStudyPage)
        .filter(practice__translation_key=practice.translation_key)
        .select_related("library")
        .annotate(origin_library_key=F("practice__library__translation_key"))
        .order_by("date", "pk")
    )
    origin = next((str(c.origin_library_key) for c in case_studies if c.origin_library_key), None)
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
        ],
        origin_library_key=origin,
    )


REPEATING_STAGES = (Stage.REPEATED, Stage.ANCHORED)


@dataclass(frozen=True)
class Spread:
    """How far a practice took root: the distinct libraries (and their countries) of its
    case studies, in any language version."""

    libraries: int = 0
    countries: int = 0
    anchored: int = 0  # libraries where it has become part of regular work
    repeated: int = 0  # libraries that ran it more than once (stage repeated or anchored)
    # Libraries other than the one it comes from that ran it more than once.
    repeated_elsewhere: int = 0
    anchored_countries: int = 0  # countries of the libraries where it is anchored

    @classmethod
    def from_dict(cls, data: dict) -> "Spread":
        """From `as_dict`, also one stored before a count existed (it counts as 0)."""
        return cls(**{name: data.get(name, 0) for name in cls.__dataclass_fields__})

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

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


def spread_of_adoptions(adoptions, origin_library_key=None) -> Spread:
    """The Spread of one practice from (library translation key, country, stage) of each of
    its case studies; `origin_library_key` is the library it comes from."""
    libraries, countries, anchored, repeated, elsewhere, anchored_countries = (
        set() for _set in range(6)
    )
    origin = str(origin_library_key) if origin_library_key else None
    for library, country, stage in adoptions:
        if country:
            countries.add(country)
        if not library:
            continue
        library = str(library)
        libraries.add(library)
        if stage in REPEATING_STAGES:
            repeated.add(library)
            if library != origin:
                elsewhere.add(library)
        if stage == Stage.ANCHORED:
            anchored.add(library)
            if country:
                anchored_countries.add(country)
    return Spread(
        len(libraries),
        len(countries),
        len(anchored),
        len(repeated),
        len(elsewhere),
        len(anchored_countries),
    )


def spread_of_practices(practice_translation_keys) -> dict:
    """{practice translation key: Spread} for the practices that have public case studies:
    what `Ledger.spread` gives, for many practices in one query, as the search index and
    lists of practices need them."""
    from .models import CaseStudyPage, LibraryPage

    # As in the ledger, a library no version of which is public counts as no library.
    library_is_public = Exists(
        LibraryPage.objects.filter(
            publicly_visible(), translation_key=OuterRef("library__translation_key")
        )
    )
    rows = (
        live_versions(CaseStudyPage)
        .filter(practice__translation_key__in=list(practice_translation_keys))
        .annotate(library_is_public=library_is_public)
        .values_list(
            "practice__translation_key",
            "practice__library__translation_key",
            "library__translation_key",
            "library__country",
            "stage",
            "library_is_public",
        )
    )
    adoptions, origins = {}, {}
    for practice, origin, library, country, stage, library_is_public in rows:
        if not library_is_public:
            library, country = None, ""
        key = str(practice)
        adoptions.setdefault(key, []).append((library, country, stage))
        if origin:
            origins[key] = origin
    return {
        key: spread_of_adoptions(rows_of_practice, origins.get(key))
        for key, rows_of_practice in adoptions.items()
        if any(library or country for library, country, _stage in rows_of_practice)
    }
