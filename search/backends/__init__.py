"""The search backends. Both take the same documents and the same SearchParams and return the
same RawResults; `search.service` turns those into what pages and the API show."""

from dataclasses import dataclass, field


class BackendUnavailable(Exception):
    """The backend could not answer (Elasticsearch down or too slow)."""


@dataclass
class RawHit:
    translation_key: str
    score: float


@dataclass
class RawResult:
    total: int
    hits: list[RawHit]
    facets: dict = field(default_factory=dict)  # facet name -> {value: count of groups}
    # What each content word matched (`search.matching.word_matches`), for the highlighter
    # not to work it out again; None when the backend did not say.
    matches: list | None = field(default=None, compare=False, repr=False)
