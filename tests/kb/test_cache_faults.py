"""The cache is an accelerator: with Redis down, or accepting connections and never
answering, every public path still answers from the database, and the site goes back to
Redis by itself once it answers again."""

import logging
import socket
import threading

import pytest
from django.core.cache import caches
from django.test import override_settings

from kb import cache as fail_open
from kb.settings.base import redis_caches
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = [
    "/en/",
    "/en/practices/",
    "/en/practices/debate-night/",
    "/en/search/?q=debate",
    "/api/v1/practices",
    "/api/v1/search?q=debate",
    "/api/v1/search/suggest?q=deb",
    "/en/feeds/practices.atom",
    "/sitemap.xml",
]


def redis_cache(url):
    return override_settings(CACHES=redis_caches(url))


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_redis():
    """A server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


@pytest.fixture
def practice():
    return PracticeFactory(slug="debate-night", title="Debate night")


def test_with_redis_down_every_public_path_answers(client, practice, caplog):
    with redis_cache(f"redis://127.0.0.1:{closed_port()}/0"), caplog.at_level(logging.WARNING):
        statuses = {path: client.get(path).status_code for path in PUBLIC_PATHS}

        assert statuses == dict.fromkeys(PUBLIC_PATHS, 200)
        assert "Serving without a cache" in caplog.text
        assert "rate limits and the sign-in throttle are not enforced" in caplog.text


def test_a_redis_that_never_answers_costs_one_timeout_per_cooling_off_period(
    client, practice, silent_redis
):
    with redis_cache(silent_redis):
        for path in PUBLIC_PATHS:
            assert client.get(path).status_code == 200, path

        assert caches["default"].failures == 1


def test_after_the_cooling_off_period_redis_is_tried_again(monkeypatch):
    monkeypatch.setattr(fail_open, "COOL_OFF_SECONDS", 0.0)
    with redis_cache(f"redis://127.0.0.1:{closed_port()}/0"):
        cache = caches["default"]
        assert cache.get("key", "missing") == "missing"
        assert cache.get("key", "missing") == "missing"

        assert cache.failures == 2  # tried twice: no cooling off left


def test_while_redis_is_down_the_cache_answers_as_an_empty_one():
    with redis_cache(f"redis://127.0.0.1:{closed_port()}/0"):
        cache = caches["default"]
        cache.set("key", "value")

        assert cache.get("key") is None and cache.get("key", 0) == 0
        assert cache.add("key", 1) is True
        assert cache.get_many(["key"]) == {} and cache.has_key("key") is False
        with pytest.raises(ValueError):
            cache.incr("key")


def redis_is_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_is_running(), reason="no Redis server on 127.0.0.1:6379")
def test_with_redis_up_the_cache_keeps_values():
    with redis_cache("redis://127.0.0.1:6379/15"):
        cache = caches["default"]
        cache.set("kb-test-key", "value", 5)

        assert cache.get("kb-test-key") == "value" and cache.failures == 0
        cache.delete("kb-test-key")
