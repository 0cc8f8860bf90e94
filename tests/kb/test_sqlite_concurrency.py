"""The embedded default under load: a real SQLite file, the production server (gunicorn, two
workers) answering pages and searches (each search writes a log row) while `kb_import`
writes a few hundred practices. Every request answers, the import completes."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from benchmarks.corpus import generate

ROOT = Path(settings.BASE_DIR)
PRACTICES = 300

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="concerns the SQLite default; this run tests another database",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        **kwargs,
    )


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:  # refused while starting, or slow to answer its first request
            time.sleep(0.3)
    raise AssertionError(f"the server did not start: {url}")


def status_of(url: str) -> int | str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:  # a time-out or a refused connection
        return type(error).__name__


@pytest.fixture
def site(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kb.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kb.sqlite3'}",
        "SEARCH_RATE_LIMIT": "100000/m",  # the load comes from one address
    }
    env.pop("REDIS_URL", None)
    migrated = manage(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kb.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/en/")
        yield env, base, tmp_path
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_pages_and_searches_answer_while_an_import_writes(site):
    env, base, tmp_path = site
    corpus = tmp_path / "corpus.json"
    corpus.write_text(json.dumps(generate(PRACTICES)))
    paths = [
        "/en/",
        "/en/practices/",
        "/api/v1/search?q=library",
        "/api/v1/search?q=debate&lang=fi",
    ]
    statuses = []
    importing = threading.Event()
    importing.set()

    def load(offset):
        n = offset
        while importing.is_set():
            statuses.append(status_of(base + paths[n % len(paths)]))
            n += 1

    clients = [threading.Thread(target=load, args=(i,)) for i in range(4)]
    for client in clients:
        client.start()
    try:
        imported = manage(env, "kb_import", str(corpus), timeout=600)
    finally:
        importing.clear()
        for client in clients:
            client.join()

    assert imported.returncode == 0, imported.stderr
    assert f"practices:    {PRACTICES} created" in imported.stdout + imported.stderr
    assert len(statuses) > 20
    assert set(statuses) == {200}, {status: statuses.count(status) for status in set(statuses)}


def sign_in(base: str, password: str) -> str:
    """One sign-in as a browser would make it (its own cookies and form token); the page's text."""
    import http.cookiejar
    import re
    import urllib.parse

    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    form = browser.open(f"{base}/admin/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    fields = {"username": "maija", "password": password, "csrfmiddlewaretoken": token}
    answer = browser.open(
        f"{base}/admin/login/", urllib.parse.urlencode(fields).encode(), timeout=30
    )
    return answer.read().decode()


def test_two_server_processes_check_no_more_passwords_than_the_limit(site):
    env, base, _ = site
    created = manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": "right-one"},
        "createsuperuser",
        "--noinput",
        "--username",
        "maija",
        "--email",
        "maija@example.org",
    )
    assert created.returncode == 0, created.stderr
    with ThreadPoolExecutor(max_workers=7) as pool:
        pages = list(pool.map(lambda n: sign_in(base, f"guess-{n}"), range(14)))

    locked = "Too many failed sign-in attempts"
    # Four attempts say the password was wrong, the fifth that sign-in is now blocked; the
    # nine after it are refused without their password being checked.
    assert sum(locked not in page for page in pages) == 4
    assert locked in sign_in(base, "right-one")
