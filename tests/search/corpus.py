"""A small multilingual corpus for the relevance suite: inflected forms in each of the six
languages, diacritics, cross-language groups. The same corpus serves every backend."""

import datetime

import pytest
from django.db import transaction

from tests.factories import (
    CaseStudyFactory,
    LibraryFactory,
    MeetingFactory,
    PracticeFactory,
    translate,
)

PRACTICES = [
    {
        "key": "living-library",
        "locale": "lv",
        "title": "Dzīvā bibliotēka",
        "summary": "Cilvēki kļūst par grāmatām: lasītāji aizņemas sarunu ar cilvēku, ar kuru citādi nesatiktos.",
        "body": "Dzīvās grāmatas stāsta par savu dzīvi, un lasītāji uzdod jautājumus.",
        "themes": ["dialogue", "inclusion"],
        "audiences": ["adults", "youth"],
        "format": "event",
        "tags": ["living-library", "prejudice"],
        "library": "valmiera",
        "translations": {
            "en": {
                "title": "Living library",
                "summary": "People become books: readers borrow a conversation with someone they would otherwise never meet.",
            },
            "fi": {
                "title": "Elävä kirjasto",
                "summary": "Ihmisistä tulee kirjoja: lukijat lainaavat keskustelun ihmisen kanssa, jota eivät muuten tapaisi.",
            },
        },
    },
    {
        "key": "advance-voting",
        "locale": "da",
        "title": "Brevstemmeafgivning på biblioteket",
        "summary": "Borgerne kan brevstemme på biblioteket i ugerne op til valget, med hjælp fra personalet.",
        "body": "Biblioteket samarbejder med kommunen om valget. Bibliotekerne annoncerer åbningstiderne.",
        "themes": ["elections"],
        "audiences": ["adults", "seniors"],
        "format": "service",
        "tags": ["advance-voting"],
        "library": "ikast",
    },
    {
        "key": "source-criticism",
        "locale": "fi",
        "title": "Lähdekritiikin työpaja",
        "summary": "Nuoret harjoittelevat tunnistamaan valeuutisia ja arvioimaan lähteitä ennen vaaleja.",
        "body": "Työpaja pidetään kirjastossa. Osallistujat tutkivat somejulkaisuja ja äänestyskehotuksia vaaleissa.",
        "themes": ["media-literacy", "elections"],
        "audiences": ["youth"],
        "format": "workshop",
        "tags": ["fact-checking"],
        "library": "turku",
    },
    {
        "key": "village-assembly",
        "locale": "et",
        "title": "Külakoosolek raamatukogus",
        "summary": "Kogukond arutab kohalikke otsuseid raamatukogus enne valimisi.",
        "body": "Raamatukogust saab avatud arutelu koht. Vallavanem vastab küsimustele.",
        "themes": ["local-democracy", "dialogue"],
        "audiences": ["adults", "decision-makers"],
        "format": "meeting",
        "tags": ["island"],
        "library": "hiiumaa",
    },
    {
        "key": "childrens-parliament",
        "locale": "en",
        "title": "Children's parliament",
        "summary": "Children vote on the library's new book purchases and learn how decisions are made.",
        "body": "Each class elects two representatives. The debating happens in the children's corner.",
        "themes": ["participation"],
        "audiences": ["children"],
        "format": "game",
        "tags": ["voting"],
        "library": "turku",
    },
    {
        "key": "democracy-cafe",
        "locale": "sv",
        "title": "Demokratikafé på biblioteket",
        "summary": "Ett samtal i månaden om en aktuell samhällsfråga, med kaffe och källkritik.",
        "body": "Bibliotekens personal leder samtalet. Inför valet bjuder vi in kandidater.",
        "themes": ["dialogue"],
        "audiences": ["adults"],
        "format": "event",
        "tags": ["cafe"],
        "library": "pargas",
    },
    {
        "key": "debate-night",
        "locale": "en",
        "title": "Debate night for first-time voters",
        "summary": "Young people question local candidates before the elections.",
        "body": "A librarian moderates; questions are collected in advance. A living library corner follows.",
        "themes": ["elections", "dialogue"],
        "audiences": ["youth"],
        "format": "debate",
        "tags": ["elections", "youth-council"],
        "library": "ikast",
    },
]

LIBRARIES = [
    ("valmiera", "lv", "Valmieras bibliotēka", "LV"),
    ("turku", "fi", "Turun kaupunginkirjasto", "FI"),
    ("hiiumaa", "et", "Hiiumaa Keskraamatukogu", "EE"),
    ("ikast", "da", "Ikast-Brande Bibliotek", "DK"),
    ("pargas", "sv", "Pargas stadsbibliotek", "FI"),
]


def built_once(build):
    """A module-scoped fixture: `build()` once for the module, inside a transaction that is
    rolled back at the end; each test runs in a savepoint within it."""

    @pytest.fixture(scope="module")
    def corpus(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            yield build()
            transaction.set_rollback(True)

    return corpus


def practice_from_spec(spec: dict, library, meeting):
    """A practice of a corpus spec (key, locale, title, summary, body, themes, audiences,
    format, tags, translations), with its translations."""
    practice = PracticeFactory(
        slug=spec["key"],
        locale=spec["locale"],
        title=spec["title"],
        summary=spec["summary"],
        purpose=spec["body"],
        themes=spec["themes"],
        audiences=spec["audiences"],
        format=spec["format"],
        tags=spec["tags"],
        library=library,
        meeting=meeting,
    )
    for code, fields in spec.get("translations", {}).items():
        translate(practice, code, **fields)
    return practice


def build_corpus():
    libraries = {
        key: LibraryFactory(slug=key, locale=locale, title=title, country=country)
        for key, locale, title, country in LIBRARIES
    }
    meeting = MeetingFactory(
        slug="valmiera-2023", title="Valmiera meeting", start_date=datetime.date(2023, 9, 19)
    )
    practices = {
        spec["key"]: practice_from_spec(
            spec, libraries[spec["library"]], meeting if index < 3 else None
        )
        for index, spec in enumerate(PRACTICES)
    }
    CaseStudyFactory(
        slug="living-library-in-kardla",
        title="Dzīvā bibliotēka Kärdlas",
        summary="Hiiumaa proovis elavat raamatukogu.",
        practice=practices["living-library"],
        library=libraries["hiiumaa"],
        stage="anchored",
        date=datetime.date(2024, 6, 1),
    )
    return practices
