"""Related practices: the ones sharing themes and tags with a practice."""

import pytest
from django.template import Context, Template
from django.utils import translation

from search import related
from search.backends import BackendUnavailable, RawHit
from tests.factories import PracticeFactory, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def practices():
    living = PracticeFactory(
        title="Living library",
        slug="living-library",
        themes=["dialogue", "inclusion"],
        tags=["conversation", "prejudice"],
    )
    return {
        "living": living,
        # two shared themes and a shared tag: 5
        "human": PracticeFactory(
            title="Human books",
            slug="human-books",
            locale="fi",
            themes=["dialogue", "inclusion"],
            tags=["prejudice"],
        ),
        # one shared theme: 2
        "cafe": PracticeFactory(title="Democracy café", slug="cafe", themes=["dialogue"]),
        # two shared tags: 2, as much as the café, and newer: first of the two
        "talk": PracticeFactory(
            title="Talk table",
            slug="talk",
            themes=["elections"],
            tags=["conversation", "prejudice"],
        ),
        # nothing shared
        "quiz": PracticeFactory(title="Election quiz", slug="quiz", themes=["elections"]),
    }


def keys(items):
    return [item.key for item in items]


def test_practices_sharing_themes_and_tags_rank_by_what_they_share(practices):
    found = related.related_practices(practices["living"], lang="en")

    assert keys(found) == ["human-books", "talk", "cafe"]
    assert [item.score for item in found] == [5.0, 2.0, 2.0]
    assert "living-library" not in keys(found)


def test_limit(practices):
    assert keys(related.related_practices(practices["living"], limit=1, lang="en")) == [
        "human-books"
    ]


def test_each_related_practice_once_in_the_readers_language_else_a_fallback_language(practices):
    translate(practices["human"], "en", title="Human books (English)")
    translate(practices["living"], "fi", title="Elävä kirjasto")

    in_english = related.related_practices(practices["living"], lang="en")
    in_finnish = related.related_practices(practices["living"], lang="fi")
    in_danish = related.related_practices(practices["living"], lang="da")

    assert keys(in_english).count("human-books") == 1
    assert in_english[0].title == "Human books (English)"
    assert in_finnish[0].title == "Human books"
    # Danish readers read English first, then Swedish, then the original.
    assert (in_danish[0].title, in_danish[0].locale) == ("Human books (English)", "en")
    # Its own translations are never related to it.
    assert "living-library" not in keys(in_finnish)


def test_the_readers_language_is_the_active_one(practices):
    with translation.override("fi"):
        assert related.related_practices(practices["living"])[0].locale == "fi"


def test_a_practice_without_themes_or_tags_has_none(db):
    lonely = PracticeFactory(title="Lonely", slug="lonely")
    assert related.related_practices(lonely) == []


def test_elasticsearch_answers_when_it_can_and_the_database_when_it_cannot(practices, monkeypatch):
    quiz_key = str(practices["quiz"].translation_key)
    own_key = str(practices["living"].translation_key)

    class Answering:
        def related(self, document, limit):
            assert document["key"] == "living-library"
            return [RawHit(own_key, 9.0), RawHit(quiz_key, 3.5)]

    class Down:
        def related(self, document, limit):
            raise BackendUnavailable("down")

    monkeypatch.setattr(related, "get_backend", Answering)
    assert keys(related.related_practices(practices["living"], lang="en")) == ["quiz"]
    monkeypatch.setattr(related, "get_backend", Down)
    assert keys(related.related_practices(practices["living"], lang="en"))[0] == "human-books"


def test_the_template_tag_renders_an_aside(practices):
    template = Template(
        "{% load search_tags %}{% related_practices page as related %}"
        '{% include "search/related_practices.html" %}'
    )
    with translation.override("en"):
        html = template.render(Context({"page": practices["living"]}))

    assert '<aside class="related-practices panel" aria-labelledby="related-practices-title">' in (
        html
    )
    assert '<h2 id="related-practices-title">Related practices</h2>' in html
    assert '<a href="/fi/practices/human-books/" lang="fi">Human books</a>' in html
    assert "Only in Finnish" in html
