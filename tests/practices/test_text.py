"""Plain text out of a page body, by the one set of rules the export and search share."""

import json

import pytest
import wagtail_factories

from practices.exchange.exporter import export_document
from search.models import SearchEntry
from tests.factories import STEPS_AND_SECTIONS, PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def illustrated_practice():
    image = wagtail_factories.ImageFactory(description="Chairs in a circle around a bell")
    body = json.loads(STEPS_AND_SECTIONS) + [
        {"type": "image", "value": {"image": image.pk, "decorative": False, "alt_text": ""}},
        {"type": "quote", "value": {"text": "Everyone spoke.", "attribution": "A reader"}},
    ]
    return PracticeFactory(slug="circle-debate", title="Circle debate", body=json.dumps(body))


EXPECTED = [
    "Set up the room",
    "Two librarians",
    "Put the chairs in a circle.",
    "Open the debate",
    "Read out the motion.",
    "A bell and name cards.",
    "Step-free access.",
    "Everyone spoke.",
    "A reader",
]


def test_the_export_writes_every_text_block_as_a_paragraph_and_no_image(illustrated_practice):
    [record] = [
        record for record in export_document()["practices"] if record["key"] == "circle-debate"
    ]

    # Steps and sections have fields of their own in the exchange format.
    assert record["body"].split("\n\n") == ["Everyone spoke.", "A reader"]
    assert [(step["title"], step.get("who")) for step in record["steps"]] == [
        ("Set up the room", "Two librarians"),
        ("Open the debate", None),
    ]
    assert record["steps"][1]["description"] == "Read out the motion."
    assert record["sections"] == {
        "materials": "A bell and name cards.",
        "accessibility": "Step-free access.",
    }


def test_search_indexes_the_same_paragraphs_and_the_images_description(illustrated_practice):
    entry = SearchEntry.objects.get(page_id=illustrated_practice.pk)

    body = entry.document["body"].split("\n\n")
    assert [paragraph for paragraph in body if paragraph in EXPECTED] == EXPECTED
    assert "Chairs in a circle around a bell" in body
