"""The demo content shows every field a partner can fill in, in every language it is written in.

A fresh site (``make run``) starts with practices/demo/kb-demo.json; these tests read that file
the way a visitor would judge the demo: does each practice say how to run it step by step,
who to ask, where the library is and what the case studies measured?
"""

import json

import pytest

from practices.demo import DEMO_FILE
from practices.exchange.validation import SECTION_KINDS, validate_document

# Roughly the Nordic and Baltic countries: from Denmark's west coast to the Finnish-Russian
# border, from northern Germany's latitude to Lapland.
NORDIC_BALTIC_LATITUDES = (53.5, 71.5)
NORDIC_BALTIC_LONGITUDES = (4.0, 32.0)
# The labels the demo's paragraphs used for the procedure and its preparation.
MOVED_LABELS = {
    *("Steps", "Kulku", "Norise", "Käik", "Forløb", "Genomförande"),
    *("Preparation", "Valmistelu", "Sagatavošanās", "Ettevalmistus", "Forberedelse"),
    *("Förberedelser", "Accessibility", "Saavutettavuus", "Piekļūstamība", "Ligipääsetavus"),
    *("Tilgængelighed", "Tillgänglighet", "Variations", "Muunnelmat", "Varianti"),
    *("Variandid", "Varianter"),
}


@pytest.fixture(scope="module")
def demo():
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def versions_of(record):
    """The record in its own language, then each of its translations."""
    yield record["locale"], record
    yield from record.get("translations", {}).items()


def test_the_demo_file_is_a_valid_exchange_document(demo):
    assert validate_document(demo) == []


def test_every_practice_has_steps_in_each_of_its_languages_within_its_duration(demo):
    for practice in demo["practices"]:
        source_steps = practice["steps"]
        planned = sum(step.get("minutes", 0) for step in source_steps)
        assert 3 <= len(source_steps) <= 7, practice["key"]
        assert 0 < planned <= practice["duration_minutes"], practice["key"]
        for language, version in versions_of(practice):
            steps = version["steps"]
            assert len(steps) == len(source_steps), (practice["key"], language)
            for step in steps:
                assert step["title"].strip(), (practice["key"], language)
                assert step["who"].strip(), (practice["key"], language)
                assert len(step["description"]) > 20, (practice["key"], language, step["title"])


def test_every_practice_moves_its_labelled_paragraphs_into_sections(demo):
    for practice in demo["practices"]:
        for language, version in versions_of(practice):
            sections = version["sections"]
            assert len(sections) >= 2, (practice["key"], language)
            assert set(sections) <= set(SECTION_KINDS), (practice["key"], language)
            # The procedure and the preparation no longer stand in the body as labelled
            # paragraphs ("Kulku: Aloitus (10 min): ..."): they are steps and sections now.
            for paragraph in version["body"].split("\n\n"):
                label = paragraph.split(":", 1)[0].split(" (")[0]
                assert label not in MOVED_LABELS, (practice["key"], language, label)


def test_every_practice_names_a_contact_with_role_and_languages_and_its_running_costs(demo):
    for practice in demo["practices"]:
        contact = practice["contact"]
        assert contact["name"] and contact["role"], practice["key"]
        assert contact["languages"], practice["key"]
        assert contact["email"].endswith(".example"), practice["key"]
        assert practice["preparation_minutes"] > 0
        assert practice["cost_band"] in {"free", "low", "medium", "high"}
        assert practice["staff_needed"] > 0
        for language, translation in practice.get("translations", {}).items():
            assert translation["contact"]["role"], (practice["key"], language)


def test_every_library_has_coordinates_in_the_nordics_or_baltics_and_a_contact(demo):
    for library in demo["libraries"]:
        assert NORDIC_BALTIC_LATITUDES[0] < library["latitude"] < NORDIC_BALTIC_LATITUDES[1]
        assert NORDIC_BALTIC_LONGITUDES[0] < library["longitude"] < NORDIC_BALTIC_LONGITUDES[1]
        assert library["contact"]["name"] and library["contact"]["languages"], library["key"]


def test_at_least_eight_printable_pdf_materials_ship_with_the_demo(demo):
    referenced = {
        material["file"]: practice["key"]
        for practice in demo["practices"]
        for material in practice.get("materials", [])
    }
    folder = DEMO_FILE.parent
    shipped = {path.relative_to(folder).as_posix() for path in (folder / "materials").glob("*.pdf")}

    assert len(shipped) >= 8
    assert shipped == set(referenced)  # none missing, none left unused
    assert len(set(referenced.values())) >= 6
    for name in shipped:
        content = (folder / name).read_bytes()
        assert content.startswith(b"%PDF-"), name
        assert len(content) < 100_000, name


def test_every_material_has_a_title_description_and_language(demo):
    languages = {"en", "lv", "fi", "et", "da", "sv"}
    for practice in demo["practices"]:
        for material in practice.get("materials", []):
            assert material["title"] and material["description"], material["file"]
            assert material["language"] in languages, material["file"]


def test_at_least_half_the_case_studies_report_outcome_measures(demo):
    case_studies = demo["case_studies"]
    measured = [case for case in case_studies if "outcome_measures" in case]

    assert len(measured) * 2 >= len(case_studies)
    for case in measured:
        measures = case["outcome_measures"]
        assert 0 < measures["respondents"] <= case["participants"], case["key"]
        for share in ("learned", "confident", "will_apply", "aware"):
            assert 0 <= measures[share] <= 100, (case["key"], share)


def test_case_studies_tell_outcomes_apart_from_what_they_would_change(demo):
    for case in demo["case_studies"]:
        for language, version in versions_of(case):
            assert version["outcomes"], (case["key"], language)
            assert version["outcomes"] not in version["body"], (case["key"], language)
            if "would_change" in version:
                assert version["would_change"] not in version["body"], (case["key"], language)
