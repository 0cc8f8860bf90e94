"""What to index again when pages change."""

import pytest

from search.indexing import group_page_ids
from tests.factories import PracticeFactory, translate

pytestmark = pytest.mark.django_db


def test_a_page_brings_every_other_version_of_it():
    practice = PracticeFactory(title="Debate night")
    finnish = translate(practice, "fi", title="Väittelyilta")
    other = PracticeFactory(title="Democracy café")

    assert group_page_ids([practice.pk]) == sorted([practice.pk, finnish.pk])
    assert group_page_ids([other.pk]) == [other.pk]


def test_more_pages_than_one_statement_may_name_at_once():
    """An import of 100 000 practices publishes about 290 000 pages: more than one statement
    may name (250 000 on this SQLite, 65 535 on PostgreSQL); it failed at its end."""
    practice = PracticeFactory(title="Debate night")
    finnish = translate(practice, "fi", title="Väittelyilta")
    ids = [practice.pk, *range(10_000_000, 10_300_000)]

    grouped = group_page_ids(ids)

    assert len(grouped) == 300_002 and finnish.pk in grouped
