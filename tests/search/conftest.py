"""The little network most search tests search: a Latvian practice translated into English,
a Danish one only in Danish, and the Latvian library that shares the first."""

import pytest

from tests.factories import LibraryFactory, PracticeFactory, translate


@pytest.fixture
def living_library():
    """A Latvian practice with an English translation."""
    library = LibraryFactory(
        title="Valmieras bibliotēka", slug="valmiera", country="LV", locale="lv"
    )
    practice = PracticeFactory(
        title="Dzīvā bibliotēka",
        slug="living-library",
        locale="lv",
        themes=["dialogue"],
        tags=["living-library"],
        library=library,
        summary="Cilvēki kā grāmatas: sarunas ar dzīvām grāmatām.",
    )
    translate(
        practice,
        "en",
        title="Living library",
        summary="People as books: conversations with living books & <questions>.",
    )
    return practice


@pytest.fixture
def election_meeting():
    """A Danish practice about elections, only in Danish."""
    return PracticeFactory(
        title="Valgmøde på biblioteket",
        slug="election-meeting",
        locale="da",
        themes=["elections"],
        summary="Et vælgermøde med kandidaterne.",
    )


@pytest.fixture
def network(living_library, election_meeting):
    return {"living": living_library, "election": election_meeting}
