"""The search log, the editors' report built on it, and its pruning."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from search import querylog
from search.models import SearchQueryLog
from search.params import SearchParams
from search.service import SearchResult

pytestmark = pytest.mark.django_db


def logged(query, lang="en", results=0, days_ago=0, filters=None):
    row = SearchQueryLog.objects.create(
        query=query, lang=lang, filters=filters or {}, result_count=results, backend="database"
    )
    SearchQueryLog.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return row


def test_record_normalises_the_query_and_keeps_the_filters():
    params = SearchParams("  Living\tLIBRARY  ", "lv", {"theme": ("dialogue", "elections")})
    result = SearchResult(query=params.query, total=4, page=1, page_size=20, backend="database")

    querylog.record(params, result)

    row = SearchQueryLog.objects.get()
    assert (row.query, row.lang, row.result_count, row.backend) == (
        "living library",
        "lv",
        4,
        "database",
    )
    assert row.filters == {"theme": ["dialogue", "elections"]}


def test_record_skips_browsing_without_words_or_filters():
    result = SearchResult(query="", total=30, page=1, page_size=20)
    assert querylog.record(SearchParams("", "en"), result) is None
    assert not SearchQueryLog.objects.exists()


def test_zero_result_queries_counts_searches_per_language_within_the_period():
    for _n in range(3):
        logged("vaalit", lang="fi", results=0, days_ago=2)
    logged("vaalit", lang="fi", results=1, days_ago=1)
    logged("vaalit", lang="en", results=0, days_ago=3)
    logged("debate", lang="en", results=0, days_ago=40)
    logged("living library", lang="en", results=12, days_ago=1)
    logged("elections", lang="en", results=3, days_ago=1)
    logged("", lang="en", results=0, days_ago=1, filters={"theme": ["x"]})

    rows = querylog.zero_result_queries(30)

    assert [(r["query"], r["lang"], r["searches"], r["results"]) for r in rows] == [
        ("vaalit", "fi", 4, 1),
        ("vaalit", "en", 1, 0),
    ]
    assert rows[0]["last_searched"] > timezone.now() - datetime.timedelta(days=1, minutes=1)
    over_90 = querylog.zero_result_queries(90)
    assert ("debate", "en") in {(r["query"], r["lang"]) for r in over_90}
    assert [r["lang"] for r in querylog.zero_result_queries(90, lang="fi")] == ["fi"]
    assert [r["query"] for r in querylog.zero_result_queries(30, max_results=0)] == [
        "vaalit",
        "vaalit",
    ]
    assert len(querylog.zero_result_queries(90, limit=1)) == 1


def test_popular_filters_counts_each_value():
    logged("a", filters={"theme": ["elections", "dialogue"]}, days_ago=1)
    logged("b", filters={"theme": ["elections"], "country": ["LV"]}, days_ago=1)
    logged("c", filters={"theme": ["dialogue"]}, days_ago=50)

    assert querylog.popular_filters(30) == [
        {"facet": "theme", "value": "elections", "count": 2},
        {"facet": "country", "value": "LV", "count": 1},
        {"facet": "theme", "value": "dialogue", "count": 1},
    ]
    # A tie goes to the filter, then the value, in alphabetical order.
    assert querylog.popular_filters(90, limit=1) == [
        {"facet": "theme", "value": "dialogue", "count": 2}
    ]


def test_prune_removes_searches_older_than_the_retention(settings):
    settings.SEARCH_LOG_RETENTION_DAYS = 30
    logged("old", days_ago=31)
    logged("recent", days_ago=29)

    assert querylog.prune() == 1
    assert list(SearchQueryLog.objects.values_list("query", flat=True)) == ["recent"]
    assert querylog.prune(older_than_days=10) == 1


def test_retention_defaults_to_a_year(settings):
    del settings.SEARCH_LOG_RETENTION_DAYS
    assert querylog.retention_days() == 365


def test_prune_command_and_task(capsys, settings):
    settings.SEARCH_LOG_RETENTION_DAYS = 365
    logged("ancient", days_ago=400)
    logged("old", days_ago=100)

    call_command("search_log", "prune")
    assert "Removed 1 searches logged more than 365 days ago." in capsys.readouterr().out
    call_command("search_log", "prune", "--days", "90")
    assert "Removed 1 searches" in capsys.readouterr().out

    logged("ancient", days_ago=400)
    result = querylog.prune_search_log_task.enqueue()
    assert result.return_value == 1


# --- the report in the admin -----------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")


def test_the_report_shows_queries_and_filters(client, editor):
    logged("vaalit", lang="fi", results=0, days_ago=2)
    logged("debate", lang="en", results=0, days_ago=60)
    logged("x", filters={"theme": ["elections"]}, results=5, days_ago=1)
    client.force_login(editor)

    response = client.get("/admin/reports/searches/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Searches that find little" in html
    assert '<th scope="row" lang="fi">vaalit</th>' in html
    assert "debate" not in html
    assert "Elections" in html and "<code>elections</code>" in html

    html = client.get("/admin/reports/searches/", {"days": 90, "lang": "en"}).content.decode()
    assert "debate" in html and "vaalit" not in html


def test_the_report_is_in_the_reports_menu(client, editor):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "/admin/reports/searches/" in html


def test_the_report_needs_admin_access(client):
    response = client.get("/admin/reports/searches/")
    assert response.status_code == 302
