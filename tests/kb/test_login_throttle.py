"""Throttling failed sign-ins to the admin, per username and client address."""

import time

import pytest
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.test import override_settings

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-in attempts for this username from your address"
MISMATCH = "didn&#x27;t match"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("maija", "maija@example.org", "right-one")


def sign_in(client, password, username="maija", address="203.0.113.5"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_wrong_password_says_so_below_the_limit(client, editor):
    for _ in range(4):
        response = sign_in(client, "wrong")
        assert response.status_code == 200
        assert MISMATCH in response.content.decode()
        assert LOCKED not in response.content.decode()


def test_the_fifth_failure_locks_the_username_for_this_address_with_a_clear_message(client, editor):
    for _ in range(4):
        sign_in(client, "wrong")
    fifth = sign_in(client, "wrong")

    assert LOCKED in fifth.content.decode()
    assert "blocked for 15 minutes" in fifth.content.decode()

    # Even the right password is refused now, without being checked.
    refused = sign_in(client, "right-one")
    assert refused.status_code == 200
    assert LOCKED in refused.content.decode()
    assert not signed_in(client)


def test_locked_attempts_do_not_test_the_password(client, editor):
    for _ in range(5):
        sign_in(client, "wrong")
    checked = []
    user_login_failed.connect(receiver := lambda **kwargs: checked.append(kwargs))
    try:
        sign_in(client, "another guess")
    finally:
        user_login_failed.disconnect(receiver)

    assert checked == []


def test_the_lock_is_per_address_and_per_username(client, editor, django_user_model):
    django_user_model.objects.create_superuser("jaan", "jaan@example.org", "his-own")
    for _ in range(5):
        sign_in(client, "wrong")

    assert sign_in(client, "his-own", username="jaan").status_code == 302
    client.logout()
    assert sign_in(client, "right-one", address="198.51.100.20").status_code == 302


def test_the_username_is_counted_whatever_its_case(client, editor):
    for username in ["maija", "Maija", "MAIJA", " maija", "maiJa"]:
        sign_in(client, "wrong", username=username)

    assert LOCKED in sign_in(client, "right-one").content.decode()


def test_a_successful_sign_in_clears_the_count(client, editor):
    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, "right-one").status_code == 302
    client.logout()

    for _ in range(4):
        response = sign_in(client, "wrong")
    assert LOCKED not in response.content.decode()


@override_settings(LOGIN_FAILURE_LIMIT=2, LOGIN_FAILURE_WINDOW_SECONDS=1)
def test_signing_in_works_again_once_the_window_has_passed(client, editor):
    sign_in(client, "wrong")
    assert LOCKED in sign_in(client, "wrong").content.decode()
    assert "blocked for 1 minute;" in sign_in(client, "right-one").content.decode()

    time.sleep(1.1)

    assert sign_in(client, "right-one").status_code == 302
    assert signed_in(client)


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_the_limit_comes_from_the_settings(client, editor):
    sign_in(client, "wrong")
    sign_in(client, "wrong")

    assert LOCKED in sign_in(client, "wrong").content.decode()


def test_the_count_does_not_live_in_a_cache_that_one_process_holds(client, editor):
    """Each web process has its own memory and a shared cache can restart: the count lives in
    the database, so forgetting the cache between attempts unlocks nothing."""
    for _ in range(5):
        sign_in(client, "wrong")
        cache.clear()

    assert LOCKED in sign_in(client, "right-one").content.decode()
    assert not signed_in(client)


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3",
    reason="SQLite's in-memory test database locks tables instead of waiting; the SQLite file "
    "of a real site is tested against two server processes in test_sqlite_concurrency",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_test_no_more_passwords_than_the_limit(editor):
    """Fourteen wrong passwords sent at once (as two workers would receive them): no more than
    five are checked, whichever order they arrive in."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection
    from django.test import Client

    checked = []
    user_login_failed.connect(receiver := lambda **kwargs: checked.append(kwargs))

    def guess(number):
        try:
            return sign_in(Client(), f"guess-{number}").status_code
        finally:
            connection.close()

    try:
        with ThreadPoolExecutor(max_workers=7) as pool:
            statuses = list(pool.map(guess, range(14)))
    finally:
        user_login_failed.disconnect(receiver)

    assert statuses == [200] * 14
    assert len(checked) == 5
