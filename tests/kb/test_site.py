import re
import subprocess
import sys

import pytest
from django.conf import settings

from tests.conftest import LANGUAGE_CODES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_each_language_has_a_home_page_with_its_html_lang(client, code):
    response = client.get(f"/{code}/")

    assert response.status_code == 200
    assert re.search(rf'<html lang="{code}">', response.content.decode())


def test_every_home_page_links_all_six_language_versions(client):
    html = client.get("/fi/").content.decode()

    for code in LANGUAGE_CODES:
        assert f'hreflang="{code}" href="http://testserver/{code}/"' in html
    assert 'hreflang="x-default" href="http://testserver/en/"' in html


@pytest.mark.parametrize(
    "accept_language, expected",
    [
        ("lv,en;q=0.5", "/lv/"),
        ("fi-FI", "/fi/"),
        ("da", "/da/"),
        ("sv-SE,sv;q=0.9", "/sv/"),
        ("et", "/et/"),
        ("de-DE", "/en/"),
        ("", "/en/"),
    ],
)
def test_root_redirects_by_browser_language(client, accept_language, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.status_code == 302
    assert response["Location"] == expected


def test_admin_login_page_renders_outside_the_language_prefix(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_home_page_has_search_box_language_switcher_and_network_credit(client):
    html = client.get("/en/").content.decode()

    assert 'role="search"' in html and 'type="search"' in html
    assert 'aria-label="Language"' in html
    for language_name in ["English", "latviešu", "suomi", "eesti", "dansk", "svenska"]:
        assert language_name in html
    assert "Nordplus Adult" in html and "NPAD-2023/10288" in html and "Turku City Library" in html


def test_pages_use_no_external_assets(client):
    html = client.get("/en/").content.decode()

    assert not re.search(r'(src|href)="(https?:)?//(?!testserver)', html.replace("hreflang", ""))


def test_an_unknown_page_is_a_helpful_404_in_the_visitors_language(client):
    response = client.get("/fi/no-such-page/")

    assert response.status_code == 404
    assert '<html lang="fi">' in response.content.decode()


def _start_django_with(settings_module, env):
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_settings_refuse_to_start_without_secret_key():
    result = _start_django_with("kb.settings.production", {"ALLOWED_HOSTS": "kb.example.org"})

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_start_with_secret_key_and_hosts():
    result = _start_django_with(
        "kb.settings.production",
        {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "kb.example.org"},
    )

    assert result.returncode == 0, result.stderr


def test_production_keeps_database_connections_and_checks_them_before_reuse():
    read = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "kb.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "kb.example.org",
        "DATABASE_URL": "postgres://kb@db:5432/kb",
    }
    result = subprocess.run(
        [sys.executable, "-c", read], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )

    assert result.stdout.split() == ["60", "True"], result.stderr
