"""Open data: the files of everything published, how they are kept up to date, the page that
offers them and the view that serves them."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import default_task_backend
from wagtail.models import Locale, PageViewRestriction

from practices import open_data
from practices.bulk import bulk_publishing
from practices.exchange.exporter import export_document
from tests.factories import (
    CaseStudyFactory,
    LibraryFactory,
    MeetingFactory,
    PracticeFactory,
    translate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_open_data_directory(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    cache.clear()


@pytest.fixture
def network():
    library = LibraryFactory(
        title="Valmieras bibliotēka", slug="valmiera", country="LV", locale="lv"
    )
    translate(library, "en", title="Valmiera Library")
    meeting = MeetingFactory(slug="kickoff", host=library)
    practice = PracticeFactory(
        title="Living library",
        slug="living-library",
        summary="People as books.",
        themes=["dialogue", "inclusion"],
        audiences=["youth"],
        tags=["living-library", "=HYPERLINK(evil)"],
        library=library,
        meeting=meeting,
    )
    translate(practice, "fi", title="Elävä kirjasto", summary="Ihmiset kirjoina.")
    case_study = CaseStudyFactory(
        slug="living-in-turku", practice=practice, library=library, title="@Turku"
    )
    return {"library": library, "meeting": meeting, "practice": practice, "case": case_study}


def read_csv(name: str) -> list[dict[str, str]]:
    text = (open_data.directory() / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# --- The files ----------------------------------------------------------------------------


def test_the_json_file_is_the_exchange_document_of_everything_published(network):
    open_data.generate_open_data()

    written = json.loads((open_data.directory() / "kb-exchange.json").read_text("utf-8"))
    assert written == export_document()
    assert written["format"] == "kb-exchange/1"
    assert [record["key"] for record in written["practices"]] == ["living-library"]
    assert written["practices"][0]["translations"]["fi"]["title"] == "Elävä kirjasto"


def test_each_type_has_a_csv_with_the_source_fields_and_a_column_per_language(network):
    open_data.generate_open_data()

    [practice] = read_csv("practices.csv")
    assert practice["key"] == "living-library"
    assert practice["locale"] == "en"
    assert practice["title"] == "Living library"
    assert practice["themes"] == "dialogue;inclusion"
    assert practice["audiences"] == "youth"
    assert practice["library"] == "valmiera" and practice["meeting"] == "kickoff"
    assert practice["licence"] == "CC-BY-4.0"
    assert practice["languages"] == "en;fi"
    assert practice["title_en"] == "Living library"
    assert practice["title_fi"] == "Elävä kirjasto"
    assert practice["summary_fi"] == "Ihmiset kirjoina."
    assert practice["title_lv"] == "" and practice["body_sv"] == ""

    [library] = read_csv("libraries.csv")
    assert library["name"] == "Valmieras bibliotēka" and library["locale"] == "lv"
    assert library["name_en"] == "Valmiera Library"
    assert library["partner"] == "true"
    assert len(read_csv("meetings.csv")) == 1
    assert len(read_csv("case-studies.csv")) == 1
    assert list(read_csv("case-studies.csv")[0])[:4] == ["key", "locale", "practice", "library"]


def test_pages_behind_a_login_or_password_are_left_out(network):
    PageViewRestriction.objects.create(
        page=network["case"], restriction_type=PageViewRestriction.LOGIN
    )
    finnish = network["practice"].get_translation(Locale.objects.get(language_code="fi"))
    PageViewRestriction.objects.create(
        page=finnish, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )

    manifest = open_data.generate_open_data()

    assert manifest["counts"]["case_studies"] == 0
    document = json.loads((open_data.directory() / "kb-exchange.json").read_text("utf-8"))
    assert "translations" not in document["practices"][0]
    assert read_csv("practices.csv")[0]["title_fi"] == ""
    assert read_csv("case-studies.csv") == []


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_defused(network):
    open_data.generate_open_data()

    assert read_csv("practices.csv")[0]["tags"] == "'=HYPERLINK(evil);living-library"
    assert read_csv("case-studies.csv")[0]["title"] == "'@Turku"
    # The JSON keeps the exact text.
    document = json.loads((open_data.directory() / "kb-exchange.json").read_text("utf-8"))
    assert "=HYPERLINK(evil)" in document["practices"][0]["tags"]


def test_csv_files_open_as_utf8_in_spreadsheets(network):
    open_data.generate_open_data()

    raw = (open_data.directory() / "libraries.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "bibliotēka".encode() in raw
    assert b"\r\n" in raw


def test_the_manifest_records_when_and_how_big(network):
    before = timezone.now().replace(microsecond=0)
    manifest = open_data.generate_open_data()

    assert manifest == open_data.read_manifest()
    assert datetime.datetime.fromisoformat(manifest["generated_at"]) >= before
    assert manifest["licence"] == "CC-BY-4.0"
    assert manifest["counts"] == {
        "libraries": 1,
        "meetings": 1,
        "practices": 1,
        "case_studies": 1,
    }
    sizes = {entry["name"]: entry["bytes"] for entry in manifest["files"]}
    assert set(sizes) == {
        "kb-exchange.json",
        "libraries.csv",
        "meetings.csv",
        "practices.csv",
        "case-studies.csv",
    }
    for name, size in sizes.items():
        assert (open_data.directory() / name).stat().st_size == size


def test_files_are_replaced_whole_and_leave_no_temporary_files():
    open_data.generate_open_data()
    open_data.generate_open_data()

    names = sorted(path.name for path in open_data.directory().iterdir())
    assert not [name for name in names if name.startswith(".") or name.endswith(".tmp")]


def test_a_failed_write_keeps_the_previous_file():
    open_data.generate_open_data()
    target = open_data.directory() / "kb-exchange.json"
    before = target.read_bytes()

    def fail(out):
        out.write("{half a")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        open_data.write_atomically(target, fail)

    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")) == []


def test_the_command_writes_the_files(capsys):
    call_command("kb_open_data")

    assert "practices.csv: 0 records" in capsys.readouterr().out
    assert (open_data.directory() / "kb-exchange.json").exists()


def test_the_nightly_task_writes_the_files():
    result = open_data.regenerate_open_data.enqueue()

    assert result.return_value == {
        "libraries": 0,
        "meetings": 0,
        "practices": 0,
        "case_studies": 0,
    }
    assert (open_data.directory() / "manifest.json").exists()


# --- Kept up to date ----------------------------------------------------------------------


def keys_in_file() -> set[str]:
    document = json.loads((open_data.directory() / "kb-exchange.json").read_text("utf-8"))
    return {record["key"] for section in open_data.SECTIONS for record in document[section]}


def test_publishing_regenerates_the_files_after_the_transaction(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        PracticeFactory(slug="debate-night")

    assert "debate-night" in keys_in_file()


def test_unpublishing_and_deleting_regenerate_the_files(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        gone = PracticeFactory(slug="withdrawn")
        deleted = LibraryFactory(slug="closed-library")
    assert {"withdrawn", "closed-library"} <= keys_in_file()

    with django_capture_on_commit_callbacks(execute=True):
        gone.unpublish()
    assert "withdrawn" not in keys_in_file()

    with django_capture_on_commit_callbacks(execute=True):
        deleted.delete()
    assert "closed-library" not in keys_in_file()


def test_other_pages_do_not_regenerate_the_files(
    home_pages, monkeypatch, django_capture_on_commit_callbacks
):
    runs = []
    monkeypatch.setattr(open_data, "generate_open_data", lambda: runs.append(1) or {"counts": {}})

    with django_capture_on_commit_callbacks(execute=True):
        home_pages["en"].save_revision().publish()

    assert runs == []


def test_a_bulk_import_regenerates_the_files_once(monkeypatch, django_capture_on_commit_callbacks):
    runs = []
    monkeypatch.setattr(open_data, "generate_open_data", lambda: runs.append(1) or {"counts": {}})

    with django_capture_on_commit_callbacks(execute=True):
        with bulk_publishing():
            for n in range(3):
                PracticeFactory(slug=f"imported-{n}")

    assert runs == [1]


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
    OPEN_DATA_DEBOUNCE_SECONDS=60,
)
def test_with_a_worker_changes_in_quick_succession_share_one_delayed_run(
    django_capture_on_commit_callbacks,
):
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        PracticeFactory(slug="first")
    with django_capture_on_commit_callbacks(execute=True):
        PracticeFactory(slug="second")

    runs = [
        result
        for result in default_task_backend.results
        if result.task.name == "regenerate_open_data"
    ]
    assert len(runs) == 1
    delay = runs[0].task.run_after - timezone.now()
    assert datetime.timedelta(seconds=55) < delay <= datetime.timedelta(seconds=60)

    # Once the wait is over, the next change schedules a new run.
    cache.delete(open_data._PENDING_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        PracticeFactory(slug="third")
    assert len([r for r in default_task_backend.results if r.task.name == runs[0].task.name]) == 2


# --- The page and the downloads -----------------------------------------------------------


def test_the_page_lists_the_files_with_sizes_records_and_generation_time(client, network):
    manifest = open_data.generate_open_data()

    response = client.get("/en/open-data/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    for name in ("kb-exchange.json", "libraries.csv", "practices.csv", "case-studies.csv"):
        assert f'href="/media/open-data/{name}"' in html
    json_size = next(f["bytes"] for f in manifest["files"] if f["name"] == "kb-exchange.json")
    assert f"{json_size / 1024:.1f}\xa0KB" in html
    assert "Generated " in html
    assert "CC BY 4.0" in html and "https://creativecommons.org/licenses/by/4.0/" in html
    assert "Source: Democratic Library knowledge base, http://testserver/, licensed under" in html
    assert "title_en" in html  # the columns are documented


def test_the_page_is_in_every_language_and_says_when_files_are_not_ready(client):
    for code in ("en", "fi", "lv"):
        response = client.get(f"/{code}/open-data/")
        assert response.status_code == 200
        assert f'<html lang="{code}">' in response.content.decode()
    assert "being prepared" in client.get("/en/open-data/").content.decode()


@pytest.mark.parametrize(
    "name, content_type",
    [
        ("kb-exchange.json", "application/json"),
        ("practices.csv", "text/csv; charset=utf-8"),
        ("case-studies.csv", "text/csv; charset=utf-8"),
        ("manifest.json", "application/json"),
    ],
)
def test_files_are_served_as_attachments_from_disk(client, name, content_type):
    open_data.generate_open_data()

    response = client.get(f"/media/open-data/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == (open_data.directory() / name).read_bytes()


def test_an_unchanged_file_is_not_sent_again(client):
    open_data.generate_open_data()
    last_modified = client.get("/media/open-data/practices.csv")["Last-Modified"]

    response = client.get("/media/open-data/practices.csv", HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 304


@pytest.mark.parametrize(
    "name", ["secrets.txt", "..%2Fdb.sqlite3", ".kb-exchange.json.abc.tmp", "not-yet.csv"]
)
def test_only_the_open_data_files_are_served(client, name):
    open_data.generate_open_data()
    Path(open_data.directory() / ".kb-exchange.json.abc.tmp").write_text("partial")

    assert client.get(f"/media/open-data/{name}").status_code == 404


def test_a_file_not_generated_yet_is_not_found(client):
    assert client.get("/media/open-data/practices.csv").status_code == 404


def test_downloads_are_read_only(client):
    open_data.generate_open_data()

    assert client.post("/media/open-data/practices.csv").status_code == 405


# --- Ready-to-run practices ---------------------------------------------------------------


@pytest.fixture
def structured_site(tmp_path):
    from tests.practices.test_import_export import import_structured

    import_structured(tmp_path / "import")


def test_the_files_carry_steps_contacts_coordinates_and_outcome_measures(structured_site):
    open_data.generate_open_data()

    written = json.loads((open_data.directory() / "kb-exchange.json").read_text("utf-8"))
    workshop = next(p for p in written["practices"] if p["key"] == "fake-news-workshop")
    assert [step["title"] for step in workshop["steps"]] == ["Sagatavošanās", "Trīs jautājumi"]
    assert workshop["materials"][0]["language"] == "fi"
    [_cafe, practice] = read_csv("practices.csv")
    assert json.loads(practice["steps"])[1]["minutes"] == 45
    assert json.loads(practice["contact"]) == {"name": "Ilze Bērziņa", "role": "bibliotekāre"}
    assert practice["licence"] == "CC-BY-SA-4.0"
    assert json.loads(practice["sections_en"])["tips"] == "Use real news."
    riga = next(row for row in read_csv("libraries.csv") if row["key"] == "riga-central-library")
    assert (riga["latitude"], riga["longitude"]) == ("56.9496", "24.1052")
    [case_study] = read_csv("case-studies.csv")
    assert json.loads(case_study["outcome_measures"])["respondents"] == 38
    assert case_study["outcomes_en"] == "Two candidates came back."


def test_the_contact_email_is_in_no_open_data_file(structured_site):
    from practices.models import LibraryPage, PracticePage
    from tests.practices.test_import_export import CONTACT_EMAIL

    assert PracticePage.objects.filter(contact_email=CONTACT_EMAIL).exists()
    assert LibraryPage.objects.filter(contact_email=CONTACT_EMAIL).exists()

    open_data.generate_open_data()

    files = sorted(open_data.directory().iterdir())
    assert len(files) == 6
    for path in files:
        assert CONTACT_EMAIL not in path.read_text(encoding="utf-8-sig"), path.name
