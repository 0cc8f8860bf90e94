"""Where a practice went after it was shared: the anchoring ledger."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import get_language, ngettext

from .choices import Stage


@dataclass(frozen=True)
class Adoption:
    case_study: object  # CaseStudyPage, in the reader's language where it exists
    library: object  # LibraryPage, localized
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
        libraries = ngettext(
            "Tried in %(count)d library", "Tried in %(count)d libraries", self.library_count
        ) % {"count": self.library_count}
        countries = ngettext(
            "in %(count)d country", "in %(count)d countries", self.country_count
        ) % {"count": self.country_count}
        anchored = ngettext(
            "anchored in %(count)d", "anchored in %(count)d", self.anchored_count
        ) % {"count": self.anchored_count}
        return f"{libraries} {countries}, {anchored}"


def practice_ledger(practice) -> Ledger:
    """The case studies of a practice (in any language version of it), one per translation
    group, each in the reader's language where that version exists, oldest first."""
    from .models import CaseStudyPage

    language = current_language()
    case_studies = (
        CaseStudyPage.objects.live()
        .filter(practice__translation_key=practice.translation_key)
        .select_related("library", "locale")
        .order_by("date", "pk")
    )
    chosen = {}
    for case_study in case_studies:
        current = chosen.get(case_study.translation_key)
        if current is None or (
            case_study.locale.language_code == language and current.locale.language_code != language
        ):
            chosen[case_study.translation_key] = case_study
    localized_libraries = _libraries_in(language, [c.library for c in chosen.values() if c.library])
    adoptions = [
        Adoption(
            case_study=c,
            library=localized_libraries.get(c.library.translation_key, c.library)
            if c.library
            else None,
            country=c.library.country if c.library else "",
            date=c.date,
            stage=c.stage,
            participants=c.participants,
        )
        for c in sorted(chosen.values(), key=lambda c: (c.date, c.pk))
    ]
    return Ledger(adoptions)


def _libraries_in(language, libraries):
    from .models import LibraryPage

    keys = {library.translation_key for library in libraries}
    if not keys:
        return {}
    return {
        library.translation_key: library
        for library in LibraryPage.objects.live().filter(
            translation_key__in=keys, locale__language_code=language
        )
    }


def current_language() -> str:
    return get_language() or "en"
