"""A page with a view restriction (a password, or signed-in users only) is private: no public
path shows its title, summary or text, and it returns to every path once the restriction is
lifted. The rule is one (`practices.browse.live_versions`)."""

import pytest
from wagtail.models import PageViewRestriction

from tests.factories import CaseStudyFactory, LibraryFactory, PracticeFactory

pytestmark = pytest.mark.django_db

SECRET = "Zanzibarian"  # a word of the private practice's text, and of nothing else
TITLE = "Marmalade"  # a word of its title: searching for SECRET must not show it


@pytest.fixture
def library():
    return LibraryFactory(slug="turku", title="Turku City Library")


@pytest.fixture
def private_practice(library):
    public = PracticeFactory(title="Debate night", slug="debate-night", library=library)
    CaseStudyFactory(title="Our debate night", practice=public, library=library)
    practice = PracticeFactory(
        title=f"{TITLE} workshop",
        slug="secret-workshop",
        summary=f"A {SECRET} method.",
        purpose=f"Only for the board: {SECRET} agenda.",
        library=library,
        themes=["dialogue"],
    )
    # A case study of it is public, but names no private practice.
    CaseStudyFactory(title="How the board met", practice=practice, library=library)
    restriction = PageViewRestriction.objects.create(
        page=practice, restriction_type=PageViewRestriction.PASSWORD, password="board"
    )
    return {"page": practice, "restriction": restriction, "library": library}


def public_paths(library) -> list[str]:
    return [
        "/en/",
        "/en/practices/",
        "/en/practices/?theme=dialogue",
        library.url,
        f"/en/search/?q={SECRET}",
        f"/en/search/?q={SECRET.lower()}",
        f"/api/v1/search?q={SECRET}",
        f"/api/v1/search/suggest?q={TITLE[:5]}",
        "/en/case-studies/",
        "/api/v1/practices",
        "/en/feeds/practices.atom",
        "/sitemap.xml",
    ]


def leaks(client, library) -> dict:
    found = {}
    for path in public_paths(library):
        response = client.get(path)
        assert response.status_code == 200, path
        if TITLE.lower() in response.content.decode().lower():
            found[path] = True
    return found


def test_a_private_practice_is_on_no_public_path(client, private_practice):
    assert leaks(client, private_practice["library"]) == {}


def test_a_private_practice_is_not_offered_as_related(client, private_practice):
    html = client.get("/en/practices/debate-night/").content.decode()

    assert TITLE not in html


def test_a_practice_made_private_leaves_at_once_and_returns_when_lifted(client, library):
    practice = PracticeFactory(
        title=f"{TITLE} workshop",
        slug="secret-workshop",
        summary=f"A {SECRET} method.",
        library=library,
        themes=["dialogue"],
    )
    search = f"/api/v1/search?q={SECRET}"
    assert client.get(search).json()["total"] == 1
    assert TITLE in client.get("/en/practices/").content.decode()

    restriction = PageViewRestriction.objects.create(
        page=practice, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(search).json()["total"] == 0
    assert leaks(client, library) == {}

    restriction.delete()
    assert client.get(search).json()["total"] == 1
    assert TITLE in client.get("/en/practices/").content.decode()
    assert TITLE in client.get(f"/api/v1/search/suggest?q={TITLE[:5]}").content.decode()
