"""The rate limit of the search page, the search API and autocomplete."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from django.utils import translation
from django.utils.html import escape

import kb.ratelimit
import kb.security
from kb.ratelimit import Rate, client_ip, client_key, hit, parse_rate
from kb.security import rate_limit_message

NOW = 1_699_999_990.0  # 10 s into a minute


@pytest.fixture(autouse=True)
def _fresh_counters_at_a_fixed_time(monkeypatch):
    """Counters start empty, and the clock stands still: no test straddles a window."""
    cache.clear()
    monkeypatch.setattr(kb.ratelimit, "time", SimpleNamespace(time=lambda: NOW))
    yield
    cache.clear()


# --- Plain functions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("60/m", Rate(60, 60)),
        ("10/s", Rate(10, 1)),
        ("1000/h", Rate(1000, 3600)),
        ("5000/d", Rate(5000, 86400)),
        ("300/5m", Rate(300, 300)),
        (" 60 / m ", Rate(60, 60)),
        ("off", None),
        ("", None),
    ],
)
def test_rates_are_read_as_requests_per_period(value, expected):
    assert parse_rate(value) == expected


@pytest.mark.parametrize("value", ["60", "sixty/m", "60/minute", "0/m", "-5/m"])
def test_a_malformed_rate_is_a_clear_configuration_error(value):
    with pytest.raises(ImproperlyConfigured, match='SEARCH_RATE_LIMIT must look like "60/m"'):
        parse_rate(value, "SEARCH_RATE_LIMIT")


def _request(remote="203.0.113.7", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/en/search/", **meta)


def test_without_a_trusted_proxy_the_client_is_remote_addr_whatever_it_forwards():
    assert client_ip(_request(forwarded="198.51.100.1")) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw():
    # The client claims 192.0.2.66; the proxy appended the address it really came from.
    request = _request(remote="10.0.0.2", forwarded="192.0.2.66, 198.51.100.1")

    assert client_ip(request) == "198.51.100.1"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_client_is_second_from_the_right():
    request = _request(remote="10.0.0.3", forwarded="192.0.2.66, 198.51.100.1, 10.0.0.2")

    assert client_ip(request) == "198.51.100.1"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_garbled_forwarded_header_falls_back_to_remote_addr():
    assert client_ip(_request(remote="10.0.0.2", forwarded="not-an-ip")) == "10.0.0.2"
    assert client_ip(_request(remote="10.0.0.2", forwarded="")) == "10.0.0.2"


def test_ipv6_clients_are_counted_by_their_64_network_and_addresses_are_not_stored():
    assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff::9")
    assert client_key("2001:db8:1:2::1") != client_key("2001:db8:1:3::1")
    assert client_key("::ffff:203.0.113.7") == client_key("203.0.113.7")
    assert "203.0.113.7" not in client_key("203.0.113.7")


def test_a_fixed_window_allows_the_limit_then_refuses_until_it_ends():
    rate = Rate(2, 60)

    assert [hit("b", "c", rate, now=NOW).allowed for _ in range(3)] == [True, True, False]
    assert hit("b", "c", rate, now=NOW).retry_after == 50
    assert hit("b", "c", rate, now=NOW + 50).allowed  # the next minute
    assert hit("b", "other-client", rate, now=NOW).allowed


# --- Through the site ---------------------------------------------------------------------


@override_settings(SEARCH_RATE_LIMIT="3/m")
def test_the_search_page_answers_429_with_retry_after_and_a_friendly_page(client, db):
    statuses = [client.get("/fi/search/", {"q": "vaalit"}).status_code for _ in range(3)]
    response = client.get("/fi/search/", {"q": "vaalit"})

    assert statuses == [200, 200, 200]
    assert response.status_code == 429
    assert response["Retry-After"] == "50"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="fi">' in html
    with translation.override("fi"):
        assert escape(rate_limit_message(50)) in html
    assert 'name="robots" content="noindex"' in html


@override_settings(SEARCH_RATE_LIMIT="2/m")
def test_the_search_api_answers_429_as_json_with_the_error_shape_of_the_api(client, db):
    for _ in range(2):
        assert client.get("/api/v1/search", {"q": "debate"}).status_code == 200
    response = client.get("/api/v1/search", {"q": "debate"})

    assert response.status_code == 429
    assert response["Retry-After"] == "50"
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "error": "You have searched very often in a short time. Please wait 50 seconds and "
        "try again.",
        "field": None,
    }


@override_settings(SEARCH_RATE_LIMIT="2/m")
def test_the_search_page_and_the_api_share_one_limit_per_client(client, db):
    assert client.get("/en/search/", {"q": "a"}).status_code == 200
    assert client.get("/api/v1/search", {"q": "a"}).status_code == 200

    assert client.get("/sv/search/", {"q": "a"}).status_code == 429
    assert client.get("/api/v1/search", {"q": "a"}).status_code == 429


@override_settings(SEARCH_RATE_LIMIT="1/m", SEARCH_SUGGEST_RATE_LIMIT="2/m")
def test_autocomplete_has_its_own_limit(client, db):
    assert client.get("/en/search/", {"q": "a"}).status_code == 200
    assert client.get("/en/search/", {"q": "a"}).status_code == 429

    statuses = [client.get("/api/v1/search/suggest", {"q": "deb"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@override_settings(SEARCH_RATE_LIMIT="1/m")
def test_each_client_address_has_its_own_count(client, db):
    assert client.get("/en/search/", REMOTE_ADDR="203.0.113.1").status_code == 200
    assert client.get("/en/search/", REMOTE_ADDR="203.0.113.1").status_code == 429

    assert client.get("/en/search/", REMOTE_ADDR="203.0.113.2").status_code == 200


@override_settings(SEARCH_RATE_LIMIT="1/m")
def test_a_forged_forwarded_header_does_not_escape_the_limit(client, db):
    assert client.get("/en/search/", HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 200
    assert client.get("/en/search/", HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 429


@override_settings(SEARCH_RATE_LIMIT="1/m")
def test_other_pages_and_apis_are_not_limited(client, db):
    client.get("/en/search/")
    for url in ("/en/", "/api/v1/practices", "/en/open-data/", "/sitemap.xml"):
        assert client.get(url).status_code == 200, url


@override_settings(SEARCH_RATE_LIMIT="off")
def test_the_limit_can_be_switched_off(client, db):
    assert {client.get("/api/v1/search").status_code for _ in range(5)} == {200}


@override_settings(SEARCH_RATE_LIMIT="1/m")
@pytest.mark.parametrize(
    "url, headers, language",
    [
        ("/api/v1/search?lang=fi", {}, "fi"),
        ("/api/v1/search", {"HTTP_ACCEPT_LANGUAGE": "lv"}, "lv"),
        ("/api/v1/search?lang=xx", {"HTTP_ACCEPT_LANGUAGE": "da"}, "da"),
        ("/et/search/", {"HTTP_ACCEPT_LANGUAGE": "sv"}, "et"),
    ],
)
def test_the_message_is_written_in_the_readers_language(
    client, db, monkeypatch, url, headers, language
):
    monkeypatch.setattr(
        kb.security, "rate_limit_message", lambda seconds: f"[{translation.get_language()}]"
    )
    client.get(url, **headers)
    response = client.get(url, **headers)

    assert response.status_code == 429
    assert f"[{language}]" in response.content.decode()
