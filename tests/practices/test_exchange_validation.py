"""What a librarian importing a kb-exchange/1 file is told about its mistakes."""

import pytest
from django.utils import translation

from practices.exchange.validation import (
    FORMAT,
    SHIPPED_VOCABULARIES,
    ExchangeError,
    ExchangeValidationError,
    load_document,
    validate_document,
)


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def valid_document() -> dict:
    return {
        "format": "kb-exchange/1",
        "libraries": [
            {
                "key": "riga-central-library",
                "name": "Rīgas Centrālā bibliotēka",
                "locale": "lv",
                "city": "Rīga",
                "country": "LV",
                "website": "https://www.rcb.lv/",
                "partner": True,
                "translations": {"en": {"name": "Riga Central Library"}},
            },
            {
                "key": "oodi-helsinki",
                "name": "Helsingin keskustakirjasto Oodi",
                "locale": "fi",
                "city": "Helsinki",
                "country": "FI",
                "website": "http://www.oodihelsinki.fi",
                "partner": False,
            },
        ],
        "meetings": [
            {
                "key": "democratic-library-days-2024",
                "kind": "international",
                "title": "Democratic Library Days 2024",
                "summary": "Librarians from six countries share their methods.",
                "body": "Two days of workshops.\n\nOne evening of debate.",
                "locale": "en",
                "start": "2024-05-14",
                "end": "2024-05-16",
                "city": "Helsinki",
                "country": "FI",
                "host": "oodi-helsinki",
                "translations": {
                    "fi": {
                        "title": "Demokraattisen kirjaston päivät 2024",
                        "summary": "Kirjastolaiset kuudesta maasta jakavat menetelmänsä.",
                    }
                },
            }
        ],
        "practices": [
            {
                "key": "election-cafe",
                "locale": "en",
                "title": "Election café",
                "summary": "Candidates meet voters over coffee in the library.",
                "body": "Invite every list.\n\nKeep the tables small.",
                "themes": ["elections", "dialogue"],
                "audiences": ["adults", "newcomers"],
                "format": "event",
                "tags": ["coffee", "candidates"],
                "duration_minutes": 120,
                "group_size": "10-30",
                "library": "oodi-helsinki",
                "meeting": "democratic-library-days-2024",
                "translations": {
                    "fi": {
                        "title": "Vaalikahvila",
                        "summary": "Ehdokkaat tapaavat äänestäjiä kahvin äärellä.",
                    },
                    "sv": {
                        "title": "Valkafé",
                        "summary": "Kandidater möter väljare över en kopp kaffe.",
                        "body": "Bjud in alla listor.\n\nHåll borden små.",
                    },
                },
            },
            {
                "key": "fake-news-workshop",
                "locale": "lv",
                "title": "Viltus ziņu darbnīca",
                "summary": "Jaunieši mācās atpazīt viltus ziņas.",
                "themes": ["media-literacy"],
                "audiences": ["youth"],
                "format": "workshop",
                "duration_minutes": 90,
                "library": "riga-central-library",
                "translations": {
                    "en": {
                        "title": "Fake news workshop",
                        "summary": "Young people learn to spot fake news.",
                    }
                },
            },
        ],
        "case_studies": [
            {
                "key": "election-cafe-in-riga",
                "locale": "lv",
                "practice": "election-cafe",
                "library": "riga-central-library",
                "date": "2024-09-12",
                "stage": "repeated",
                "participants": 45,
                "title": "Vēlēšanu kafejnīca Rīgā",
                "summary": "Otro gadu pēc kārtas kandidāti tikās ar lasītājiem.",
                "body": "Atnāca 45 cilvēki.",
                "tags": ["pašvaldību vēlēšanas"],
                "translations": {
                    "en": {
                        "title": "Election café in Riga",
                        "summary": "For the second year running, candidates met readers.",
                    }
                },
            }
        ],
    }


def messages(document, **options) -> list[str]:
    return [str(error) for error in validate_document(document, **options)]


# The document as a whole


def test_valid_document_has_no_errors():
    assert validate_document(valid_document()) == []


def test_document_with_only_the_format_is_valid():
    assert validate_document({"format": "kb-exchange/1"}) == []


def test_empty_lists_are_valid():
    document = {"format": FORMAT, "libraries": [], "meetings": [], "practices": []}

    assert validate_document(document) == []


def test_missing_format_is_reported_for_the_whole_document():
    document = valid_document()
    del document["format"]

    assert messages(document) == ["$: missing required field 'format' (it must be 'kb-exchange/1')"]


def test_unsupported_format_is_reported_with_its_value():
    document = valid_document()
    document["format"] = "kb-exchange/2"

    assert messages(document) == [
        "$: unsupported format 'kb-exchange/2'; this site reads 'kb-exchange/1'"
    ]


def test_document_that_is_not_an_object_is_reported():
    assert messages([]) == ["$: the file must hold one JSON object {…}, not a list"]


def test_misspelt_section_is_reported_with_a_suggestion():
    document = valid_document()
    document["practises"] = document.pop("practices")

    assert "$: unknown section 'practises'; did you mean 'practices'?" in messages(document)


def test_unknown_section_without_a_close_match_is_reported():
    document = valid_document()
    document["events"] = []

    assert messages(document) == ["$: unknown section 'events'"]


def test_section_that_is_not_a_list_is_reported():
    document = valid_document()
    document["meetings"] = {"key": "x"}
    document["practices"][0].pop("meeting")

    assert messages(document) == ["meetings: must be a list of records [ … ], not an object"]


def test_record_that_is_not_an_object_is_reported_with_its_place():
    document = valid_document()
    document["libraries"].append("Tartu Public Library")

    assert messages(document) == [
        "libraries[2]: must be a record (a JSON object {…}), not 'Tartu Public Library'"
    ]


# Keys


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("Election Cafe", "'Election Cafe'"),
        ("vēlēšanas", "'vēlēšanas'"),
        ("election_cafe", "'election_cafe'"),
        ("election-cafe\n", "'election-cafe\\n'"),
        ("a" * 81, "'" + "a" * 59 + "…'"),
    ],
)
def test_key_that_is_not_a_slug_is_reported(key, shown):
    document = valid_document()
    document["case_studies"][0]["key"] = key

    assert messages(document) == [
        f"case_studies[0].key: invalid key {shown}: "
        "use 1–80 lowercase letters a–z, digits and hyphens"
    ]


def test_key_of_80_characters_is_accepted():
    document = valid_document()
    document["case_studies"][0]["key"] = "a" * 80

    assert validate_document(document) == []


def test_key_that_is_not_text_is_reported():
    document = valid_document()
    document["case_studies"][0]["key"] = 7

    assert messages(document) == ["case_studies[0].key: must be text, not 7"]


def test_missing_key_is_reported():
    document = valid_document()
    del document["case_studies"][0]["key"]

    assert messages(document) == ["case_studies[0]: missing required field 'key'"]


def test_duplicate_key_names_its_first_occurrence():
    document = valid_document()
    document["practices"][1]["key"] = "election-cafe"

    assert messages(document) == [
        "practices[1].key: duplicate key 'election-cafe', first used at practices[0]"
    ]


def test_same_key_in_different_lists_is_allowed():
    document = valid_document()
    document["case_studies"][0]["key"] = "election-cafe"

    assert validate_document(document) == []


# Locales


def test_unknown_locale_is_reported_with_the_allowed_ones():
    document = valid_document()
    document["libraries"][1]["locale"] = "de"

    assert messages(document) == [
        "libraries[1].locale: unknown locale 'de'; use one of: en, lv, fi, et, da, sv"
    ]


def test_every_site_locale_is_accepted():
    document = valid_document()
    for locale in ("en", "lv", "fi", "et", "da", "sv"):
        document["libraries"][1]["locale"] = locale

        assert validate_document(document) == []


# Required fields and types


@pytest.mark.parametrize(
    ("section", "field"),
    [
        ("libraries", "name"),
        ("libraries", "locale"),
        ("libraries", "country"),
        ("meetings", "kind"),
        ("meetings", "title"),
        ("meetings", "start"),
        ("practices", "title"),
        ("practices", "summary"),
        ("practices", "themes"),
        ("case_studies", "practice"),
        ("case_studies", "library"),
        ("case_studies", "date"),
        ("case_studies", "stage"),
        ("case_studies", "summary"),
    ],
)
def test_missing_required_field_is_reported_on_its_record(section, field):
    document = valid_document()
    del document[section][0][field]
    document[section][0].pop("translations")

    assert messages(document) == [f"{section}[0]: missing required field '{field}'"]


def test_required_field_given_as_null_counts_as_missing():
    document = valid_document()
    document["practices"][1]["title"] = None
    document["practices"][1].pop("translations")

    assert messages(document) == ["practices[1]: missing required field 'title'"]


def test_required_text_that_is_only_spaces_is_reported():
    document = valid_document()
    document["practices"][1]["summary"] = "   "
    document["practices"][1].pop("translations")

    assert messages(document) == ["practices[1].summary: must not be empty"]


def test_optional_fields_left_empty_or_null_are_accepted():
    document = valid_document()
    library = document["libraries"][1]
    library.update(city=None, website="", partner=None)
    document["practices"][1].update(format="", audiences=None, body=" ", duration_minutes=None)

    assert validate_document(document) == []


@pytest.mark.parametrize(
    ("section", "field", "value", "expected"),
    [
        ("libraries", "name", 42, "libraries[0].name: must be text, not 42"),
        ("libraries", "city", ["Rīga"], "libraries[0].city: must be text, not a list"),
        ("libraries", "partner", "yes", "libraries[0].partner: must be true or false, not 'yes'"),
        ("libraries", "partner", 1, "libraries[0].partner: must be true or false, not 1"),
        ("meetings", "summary", {"en": "x"}, "meetings[0].summary: must be text, not an object"),
        ("practices", "group_size", 20, "practices[0].group_size: must be text, not 20"),
    ],
)
def test_value_of_the_wrong_type_is_reported_with_the_value(section, field, value, expected):
    document = valid_document()
    document[section][0][field] = value

    assert messages(document) == [expected]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("90", "must be a whole number, not '90'"),
        (90.5, "must be a whole number, not 90.5"),
        (True, "must be a whole number, not true"),
        (0, "must be at least 1, not 0"),
        (-15, "must be at least 1, not -15"),
        (2**31, "must be at most 2147483647, not 2147483648"),
    ],
)
def test_duration_must_be_a_positive_whole_number_of_minutes(value, expected):
    document = valid_document()
    document["practices"][1]["duration_minutes"] = value

    assert messages(document) == [f"practices[1].duration_minutes: {expected}"]


def test_participants_may_be_zero_but_not_negative():
    document = valid_document()
    document["case_studies"][0]["participants"] = 0
    assert validate_document(document) == []

    document["case_studies"][0]["participants"] = -1
    assert messages(document) == ["case_studies[0].participants: must be at least 0, not -1"]


def test_unknown_field_is_reported_with_a_suggestion_for_a_typo():
    document = valid_document()
    document["practices"][1]["summery"] = document["practices"][1].pop("summary")

    assert messages(document) == [
        "practices[1]: missing required field 'summary'",
        "practices[1]: unknown field 'summery'; did you mean 'summary'?",
    ]


def test_unknown_field_without_a_close_match_is_reported():
    document = valid_document()
    document["libraries"][0]["opening_hours"] = "9-20"

    assert messages(document) == ["libraries[0]: unknown field 'opening_hours'"]


# Countries


def test_lowercase_country_code_is_reported_with_the_right_spelling():
    document = valid_document()
    document["libraries"][0]["country"] = "lv"

    assert messages(document) == [
        "libraries[0].country: write country codes in capitals: 'LV', not 'lv'"
    ]


@pytest.mark.parametrize("code", ["XX", "EU", "ZZ", "LVA", "Latvia"])
def test_unknown_country_code_is_reported(code):
    document = valid_document()
    document["libraries"][0]["country"] = code

    assert messages(document) == [
        f"libraries[0].country: unknown country code '{code}'; "
        "use a two-letter ISO code such as 'LV'"
    ]


def test_national_meeting_needs_a_country():
    document = valid_document()
    meeting = document["meetings"][0]
    meeting["kind"] = "national"
    del meeting["country"]

    assert messages(document) == ["meetings[0]: missing required field 'country'"]


def test_virtual_meeting_needs_no_country():
    document = valid_document()
    meeting = document["meetings"][0]
    meeting["kind"] = "virtual"
    del meeting["country"], meeting["city"]

    assert validate_document(document) == []


# Choices


def test_unknown_meeting_kind_is_reported_with_the_allowed_ones():
    document = valid_document()
    document["meetings"][0]["kind"] = "online"

    assert messages(document) == [
        "meetings[0].kind: unknown meeting kind 'online'; "
        "use one of: international, national, virtual"
    ]


def test_unknown_stage_is_reported_with_the_allowed_ones():
    document = valid_document()
    document["case_studies"][0]["stage"] = "established"

    assert messages(document) == [
        "case_studies[0].stage: unknown stage 'established'; use one of: tried, repeated, anchored"
    ]


# Dates


@pytest.mark.parametrize("value", ["2024/09/12", "12.09.2024", "20240912", "2024-9-12"])
def test_date_not_written_as_iso_is_reported(value):
    document = valid_document()
    document["case_studies"][0]["date"] = value

    assert messages(document) == [
        f"case_studies[0].date: must be a date written YYYY-MM-DD, not '{value}'"
    ]


@pytest.mark.parametrize("value", ["2023-02-30", "2023-02-29", "2024-13-01", "2024-04-31"])
def test_date_that_is_not_in_the_calendar_is_reported(value):
    document = valid_document()
    document["case_studies"][0]["date"] = value

    assert messages(document) == [f"case_studies[0].date: '{value}' is not a real date"]


def test_leap_day_is_a_real_date():
    document = valid_document()
    document["case_studies"][0]["date"] = "2024-02-29"

    assert validate_document(document) == []


def test_meeting_ending_before_it_starts_is_reported_on_its_end():
    document = valid_document()
    document["meetings"][0]["end"] = "2024-05-13"

    assert messages(document) == [
        "meetings[0].end: the meeting ends (2024-05-13) before it starts (2024-05-14)"
    ]


def test_one_day_meeting_may_end_on_its_start_date():
    document = valid_document()
    document["meetings"][0]["end"] = "2024-05-14"

    assert validate_document(document) == []


# Web addresses


@pytest.mark.parametrize("value", ["www.rcb.lv", "ftp://rcb.lv", "https://", "rcb"])
def test_website_that_is_not_an_http_address_is_reported(value):
    document = valid_document()
    document["libraries"][0]["website"] = value

    assert messages(document) == [
        "libraries[0].website: must be a web address starting with http:// or https://, "
        f"not '{value}'"
    ]


# Vocabularies


def test_unknown_theme_is_reported_with_its_place_in_the_list():
    document = valid_document()
    document["practices"][0]["themes"] = ["elections", "electons"]

    assert messages(document) == ["practices[0].themes[1]: unknown theme 'electons'"]


def test_practice_needs_at_least_one_theme():
    document = valid_document()
    document["practices"][0]["themes"] = []

    assert messages(document) == ["practices[0].themes: give at least one theme"]


def test_themes_given_as_text_instead_of_a_list_are_reported():
    document = valid_document()
    document["practices"][0]["themes"] = "elections"

    assert messages(document) == ["practices[0].themes: must be a list, not 'elections'"]


def test_unknown_audience_and_format_are_reported():
    document = valid_document()
    document["practices"][1]["audiences"] = ["youth", "teenagers"]
    document["practices"][1]["format"] = "hackathon"

    assert messages(document) == [
        "practices[1].audiences[1]: unknown audience 'teenagers'",
        "practices[1].format: unknown format 'hackathon'",
    ]


def test_site_vocabulary_with_an_extra_theme_accepts_it():
    document = valid_document()
    document["practices"][0]["themes"].append("reading-promotion")
    site_vocabularies = {
        **SHIPPED_VOCABULARIES,
        "themes": SHIPPED_VOCABULARIES["themes"] | {"reading-promotion"},
    }

    assert validate_document(document, vocabularies=site_vocabularies) == []
    assert messages(document) == ["practices[0].themes[2]: unknown theme 'reading-promotion'"]


def test_vocabulary_the_site_does_not_pass_falls_back_to_the_shipped_one():
    document = valid_document()
    site_vocabularies = {"themes": SHIPPED_VOCABULARIES["themes"]}

    assert validate_document(document, vocabularies=site_vocabularies) == []


def test_every_shipped_slug_is_accepted():
    document = valid_document()
    practice = document["practices"][0]
    practice["themes"] = sorted(SHIPPED_VOCABULARIES["themes"])
    practice["audiences"] = sorted(SHIPPED_VOCABULARIES["audiences"])
    for slug in SHIPPED_VOCABULARIES["formats"]:
        practice["format"] = slug

        assert validate_document(document) == []


# Tags and lengths


def test_bad_tags_are_reported_one_by_one():
    document = valid_document()
    document["practices"][0]["tags"] = ["coffee", "", 3, "x" * 101]

    assert messages(document) == [
        "practices[0].tags[1]: a tag must not be empty",
        "practices[0].tags[2]: must be text, not 3",
        "practices[0].tags[3]: too long: 101 characters, at most 100 allowed",
    ]


def test_practice_summary_longer_than_the_site_allows_is_reported():
    document = valid_document()
    document["practices"][1]["summary"] = "s" * 301

    assert messages(document) == [
        "practices[1].summary: too long: 301 characters, at most 300 allowed"
    ]


def test_practice_summary_of_300_characters_is_accepted():
    document = valid_document()
    document["practices"][1]["summary"] = "s" * 300

    assert validate_document(document) == []


@pytest.mark.parametrize(
    ("section", "field"),
    [
        ("libraries", "name"),
        ("meetings", "title"),
        ("practices", "title"),
        ("case_studies", "title"),
    ],
)
def test_title_longer_than_255_characters_is_reported(section, field):
    document = valid_document()
    document[section][0][field] = "t" * 256

    assert messages(document) == [
        f"{section}[0].{field}: too long: 256 characters, at most 255 allowed"
    ]


# References


def test_dangling_practice_key_is_reported_with_its_place():
    document = valid_document()
    document["case_studies"][0]["practice"] = "election-caffe"

    assert messages(document) == ["case_studies[0].practice: unknown practice 'election-caffe'"]


@pytest.mark.parametrize(
    ("section", "field", "expected"),
    [
        ("meetings", "host", "meetings[0].host: unknown library 'nowhere'"),
        ("practices", "library", "practices[0].library: unknown library 'nowhere'"),
        ("practices", "meeting", "practices[0].meeting: unknown meeting 'nowhere'"),
        ("case_studies", "library", "case_studies[0].library: unknown library 'nowhere'"),
    ],
)
def test_every_kind_of_dangling_reference_is_reported(section, field, expected):
    document = valid_document()
    document[section][0][field] = "nowhere"

    assert messages(document) == [expected]


def test_references_to_keys_already_in_the_site_are_accepted():
    document = valid_document()
    case_study = document["case_studies"][0]
    case_study["practice"] = "reading-circles"
    case_study["library"] = "tartu-city-library"
    existing_keys = {
        "libraries": {"tartu-city-library"},
        "meetings": set(),
        "practices": {"reading-circles"},
        "case_studies": set(),
    }

    assert validate_document(document, existing_keys=existing_keys) == []
    assert messages(document) == [
        "case_studies[0].practice: unknown practice 'reading-circles'",
        "case_studies[0].library: unknown library 'tartu-city-library'",
    ]


def test_reference_may_point_to_a_record_later_in_the_file():
    document = valid_document()
    reordered = {
        "format": FORMAT,
        "case_studies": document["case_studies"],
        "practices": document["practices"],
        "meetings": document["meetings"],
        "libraries": document["libraries"],
    }

    assert validate_document(reordered) == []


# Translations


def test_translation_into_the_records_own_locale_is_reported():
    document = valid_document()
    document["practices"][1]["translations"]["lv"] = {"title": "Cits", "summary": "Cits."}

    assert messages(document) == [
        "practices[1].translations.lv: 'lv' is the record's own locale; translate into another one"
    ]


def test_translation_into_an_unknown_locale_is_reported():
    document = valid_document()
    document["libraries"][0]["translations"]["de"] = {"name": "Zentralbibliothek Riga"}

    assert messages(document) == [
        "libraries[0].translations.de: unknown locale 'de'; use one of: en, lv, fi, et, da, sv"
    ]


def test_translation_without_the_summary_the_record_has_is_reported():
    document = valid_document()
    del document["practices"][0]["translations"]["sv"]["summary"]

    assert messages(document) == ["practices[0].translations.sv: missing required field 'summary'"]


def test_translation_without_a_title_is_reported():
    document = valid_document()
    document["case_studies"][0]["translations"]["en"]["title"] = ""

    assert messages(document) == ["case_studies[0].translations.en.title: must not be empty"]


def test_translation_need_not_give_a_summary_the_record_lacks():
    document = valid_document()
    meeting = document["meetings"][0]
    del meeting["summary"]
    del meeting["translations"]["fi"]["summary"]

    assert validate_document(document) == []


def test_translation_may_leave_out_the_body():
    document = valid_document()
    document["practices"][0]["translations"]["sv"]["body"] = ""
    del document["practices"][0]["translations"]["fi"]

    assert validate_document(document) == []


def test_library_translation_may_only_give_the_name():
    document = valid_document()
    document["libraries"][0]["translations"]["en"]["summary"] = "The largest public library."

    assert messages(document) == ["libraries[0].translations.en: unknown field 'summary'"]


def test_misspelt_field_in_a_translation_is_reported_with_a_suggestion():
    document = valid_document()
    texts = document["practices"][0]["translations"]["fi"]
    texts["titel"] = texts.pop("title")

    assert messages(document) == [
        "practices[0].translations.fi: missing required field 'title'",
        "practices[0].translations.fi: unknown field 'titel'; did you mean 'title'?",
    ]


def test_translated_texts_obey_the_same_length_limits():
    document = valid_document()
    document["practices"][0]["translations"]["fi"]["summary"] = "s" * 301

    assert messages(document) == [
        "practices[0].translations.fi.summary: too long: 301 characters, at most 300 allowed"
    ]


def test_translations_that_are_not_objects_are_reported():
    document = valid_document()
    document["libraries"][0]["translations"] = ["Riga Central Library"]
    document["practices"][1]["translations"]["en"] = "Fake news workshop"

    assert messages(document) == [
        "libraries[0].translations: must be an object with one entry per locale, not a list",
        "practices[1].translations.en: must be an object with the translated texts, "
        "not 'Fake news workshop'",
    ]


# Many problems at once


def test_broken_document_reports_every_error_in_document_order():
    document = valid_document()
    del document["libraries"][0]["country"]
    document["meetings"][0]["start"] = "2024-02-30"
    document["practices"][0]["themes"] = ["elections", "electons"]
    document["practices"][1]["key"] = "election-cafe"
    document["case_studies"][0]["key"] = "Election café in Riga"
    document["case_studies"][0]["practice"] = "election-caffe"

    assert messages(document) == [
        "libraries[0]: missing required field 'country'",
        "meetings[0].start: '2024-02-30' is not a real date",
        "practices[0].themes[1]: unknown theme 'electons'",
        "practices[1].key: duplicate key 'election-cafe', first used at practices[0]",
        "case_studies[0].key: invalid key 'Election café in Riga': "
        "use 1–80 lowercase letters a–z, digits and hyphens",
        "case_studies[0].practice: unknown practice 'election-caffe'",
    ]


def test_errors_carry_their_path_and_message_separately():
    document = valid_document()
    document["practices"][0]["themes"][1] = "electons"

    assert validate_document(document) == [
        ExchangeError(path="practices[0].themes[1]", message="unknown theme 'electons'")
    ]


# Loading the file


def test_loading_a_valid_file_gives_its_document():
    text = '{"format": "kb-exchange/1", "libraries": []}'

    assert load_document(text) == {"format": "kb-exchange/1", "libraries": []}
    assert load_document(text.encode()) == {"format": "kb-exchange/1", "libraries": []}


def test_loading_accepts_a_byte_order_mark_from_spreadsheet_programs():
    data = '{"format": "kb-exchange/1"}'.encode("utf-8-sig")

    assert load_document(data) == {"format": "kb-exchange/1"}


def test_malformed_json_is_reported_with_line_and_column():
    text = '{\n  "format": "kb-exchange/1",\n  "practices": [\n    {"key": "a",}\n  ]\n}'

    with pytest.raises(ExchangeValidationError) as raised:
        load_document(text)

    assert [str(error) for error in raised.value.errors] == [
        "$: not valid JSON at line 4, column 17: Expecting property name enclosed in double quotes"
    ]


def test_file_that_is_not_utf8_is_reported():
    with pytest.raises(ExchangeValidationError) as raised:
        load_document('{"format": "kb-exchange/1", "x": "Rīga"}'.encode("utf-16"))

    assert str(raised.value) == "$: the file is not UTF-8 text (unreadable byte at position 0)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[]", "$: the file must hold one JSON object {…}, not a list"),
        ('{"libraries": []}', "$: missing required field 'format' (it must be 'kb-exchange/1')"),
        (
            '{"format": "kb-exchange/2"}',
            "$: unsupported format 'kb-exchange/2'; this site reads 'kb-exchange/1'",
        ),
    ],
)
def test_loading_a_file_that_is_not_an_exchange_document_is_refused(text, expected):
    with pytest.raises(ExchangeValidationError) as raised:
        load_document(text)

    assert [str(error) for error in raised.value.errors] == [expected]


def test_validation_error_lists_every_error_on_its_own_line():
    error = ExchangeValidationError(
        [
            ExchangeError("practices[0].themes[1]", "unknown theme 'electons'"),
            ExchangeError("case_studies[0].practice", "unknown practice 'x'"),
        ]
    )

    assert str(error) == (
        "practices[0].themes[1]: unknown theme 'electons'\n"
        "case_studies[0].practice: unknown practice 'x'"
    )


# Ready-to-run practices: steps, sections, facts, contacts, materials, outcome measures


def structured_document() -> dict:
    document = valid_document()
    riga = document["libraries"][0]
    riga.update(
        latitude=56.9496,
        longitude=24,
        contact={"name": "Ilze", "role": "bibliotekāre", "languages": ["lv", "ru"]},
    )
    riga["translations"]["en"]["contact"] = {"role": "librarian"}
    workshop = document["practices"][1]
    workshop.update(
        preparation_minutes=30,
        cost_band="free",
        staff_needed=1,
        licence="CC0-1.0",
        steps=[
            {"title": "Warm-up", "minutes": 10, "who": "librarian", "description": "Ask."},
            {"title": "Check the sources"},
        ],
        sections={"tips": "Use local news.", "risks": "Politics."},
        contact={"name": "Ilze", "email": "ilze@valmiera.example"},
        materials=[{"file": "materials/bookmark-lv.pdf", "title": "Grāmatzīme", "language": "lv"}],
    )
    workshop["translations"]["en"].update(
        steps=[{"title": "Warm-up"}, {"title": "Check", "who": "everyone"}],
        sections={"tips": "Use local news."},
        contact={"role": "librarian"},
    )
    case_study = document["case_studies"][0]
    case_study.update(
        outcome_measures={"respondents": 30, "learned": 80, "aware": 0},
        outcomes="Two came back.",
        would_change="More time.",
    )
    case_study["translations"]["en"]["would_change"] = "More time for questions."
    return document


def test_every_new_field_given_well_is_valid():
    assert messages(structured_document()) == []


def test_a_document_without_the_new_fields_stays_valid():
    assert messages(valid_document()) == []


def test_every_mistake_in_steps_is_reported_with_its_place():
    document = structured_document()
    document["practices"][1]["steps"] = [
        {"minutes": 0, "who": 3},
        "Open",
        {"title": "Close", "minuts": 5},
    ]

    # In document order: the translations come before the fields added after them.
    assert messages(document) == [
        "practices[1].translations.en.steps: give the same number of steps as the record "
        "itself (3), not 2",
        "practices[1].steps[0]: missing required field 'title'",
        "practices[1].steps[0].minutes: must be at least 1, not 0",
        "practices[1].steps[0].who: must be text, not 3",
        "practices[1].steps[1]: must be an object {…}, not 'Open'",
        "practices[1].steps[2]: unknown field 'minuts'; did you mean 'minutes'?",
    ]


def test_a_translation_cannot_change_a_steps_minutes_or_a_contacts_name():
    document = structured_document()
    translation = document["practices"][1]["translations"]["en"]
    translation["steps"][0]["minutes"] = 5
    translation["contact"]["name"] = "Ilze"

    assert messages(document) == [
        "practices[1].translations.en.steps[0]: unknown field 'minutes'",
        "practices[1].translations.en.contact: unknown field 'name'",
    ]


def test_unknown_section_kind_cost_band_and_licence_are_reported():
    document = structured_document()
    workshop = document["practices"][1]
    workshop["sections"]["tip"] = "Typo."
    workshop["cost_band"] = "cheap"
    workshop["licence"] = "CC-BY"
    workshop["staff_needed"] = 0

    assert messages(document) == [
        "practices[1].cost_band: unknown cost band 'cheap'; use one of: free, low, medium, high",
        "practices[1].staff_needed: must be at least 1, not 0",
        "practices[1].licence: unknown licence 'CC-BY'; use one of: CC-BY-4.0, CC-BY-SA-4.0, "
        "CC0-1.0",
        "practices[1].sections: unknown field 'tip'; did you mean 'tips'?",
    ]


def test_a_contact_needs_a_name_known_languages_and_a_real_email_address():
    document = structured_document()
    document["practices"][1]["contact"] = {"languages": ["lv", "xx"], "email": "ilze@"}

    assert messages(document) == [
        "practices[1].contact: missing required field 'name'",
        "practices[1].contact.languages[1]: unknown language 'xx'; use one of: en, lv, fi, et, "
        "da, sv, ru, uk, lt, pl, de, nb, is, fr, es, ar",
        "practices[1].contact.email: not a valid email address: 'ilze@'",
    ]


def test_values_larger_than_the_database_holds_are_reported_not_written():
    document = structured_document()
    document["practices"][1]["staff_needed"] = 40_000
    document["practices"][1]["group_size"] = "1" * 51
    document["practices"][1]["contact"] = {
        "name": "Ilze",
        "email": "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".example",
    }

    found = sorted(messages(document))
    assert found[0].startswith("practices[1].contact.email: not a valid email address: 'aaaa")
    assert found[1:] == [
        "practices[1].group_size: too long: 51 characters, at most 50 allowed",
        "practices[1].staff_needed: must be at most 32767, not 40000",
    ]


@pytest.mark.parametrize(
    "path, expected",
    [
        (
            "../secret.pdf",
            "the path '../secret.pdf' leads outside the folder of the exchange file; give a "
            "path inside it, such as 'materials/handout.pdf'",
        ),
        (
            "/etc/passwd.pdf",
            "the path '/etc/passwd.pdf' leads outside the folder of the exchange file; give a "
            "path inside it, such as 'materials/handout.pdf'",
        ),
        (
            "C:/handout.pdf",
            "the path 'C:/handout.pdf' leads outside the folder of the exchange file; give a "
            "path inside it, such as 'materials/handout.pdf'",
        ),
        (
            "materials/run.exe",
            "'materials/run.exe' is not a document type the site accepts; use one of: csv, "
            "docx, odt, ods, odp, pdf, pptx, rtf, txt, xlsx",
        ),
    ],
)
def test_a_material_path_must_stay_in_the_folder_and_name_an_accepted_type(path, expected):
    document = structured_document()
    document["practices"][1]["materials"][0]["file"] = path

    assert messages(document) == [f"practices[1].materials[0].file: {expected}"]


def test_a_material_needs_a_file_a_title_and_a_site_language():
    document = structured_document()
    document["practices"][1]["materials"] = [{"description": "A bookmark", "language": "ru"}]

    assert messages(document) == [
        "practices[1].materials[0]: missing required field 'file'",
        "practices[1].materials[0]: missing required field 'title'",
        "practices[1].materials[0].language: unknown locale 'ru'; use one of: en, lv, fi, et, "
        "da, sv",
    ]


def test_coordinates_must_be_in_range_and_given_together():
    document = structured_document()
    document["libraries"][0]["latitude"] = 91
    del document["libraries"][0]["longitude"]
    document["libraries"][1]["longitude"] = "24.1"

    assert messages(document) == [
        "libraries[0].latitude: must be between -90 and 90, not 91",
        "libraries[0]: give both latitude and longitude, or neither: 'longitude' is missing",
        "libraries[1].longitude: must be a number in decimal degrees, not '24.1'",
        "libraries[1]: give both latitude and longitude, or neither: 'latitude' is missing",
    ]


def test_outcome_shares_are_percentages_of_a_number_of_respondents():
    document = structured_document()
    document["case_studies"][0]["outcome_measures"] = {"learned": 120, "confident": True}

    assert messages(document) == [
        "case_studies[0].outcome_measures.learned: must be at most 100, not 120",
        "case_studies[0].outcome_measures.confident: must be a whole number, not true",
        "case_studies[0].outcome_measures: missing required field 'respondents': how many "
        "answered the questions",
    ]
