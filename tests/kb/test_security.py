"""Security headers per path, the production settings, and what editors may upload."""

import io
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image
from wagtail.documents.models import Document
from wagtail.images.models import Image as WagtailImage
from wagtail.models import Collection

from kb.security import document_content_matches, permissions_policy_header
from tests.factories import CaseStudyFactory, LibraryFactory, MeetingFactory, PracticeFactory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "secret")
    client.force_login(user)
    return user


# --- Headers ------------------------------------------------------------------------------


def test_public_pages_allow_only_the_sites_own_scripts_styles_and_images(client):
    policy = directives(client.get("/en/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


def test_the_admin_has_its_own_looser_policy_for_wagtails_inline_scripts(client):
    policy = directives(client.get("/admin/login/"))

    assert "'unsafe-inline'" in policy["script-src"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert "data:" in policy["img-src"]
    # The page preview frames the admin's own pages; nothing else may frame them.
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


def test_the_api_and_the_search_page_get_the_strict_policy(client):
    for url in ("/api/v1/practices", "/en/search/?q=debate"):
        policy = directives(client.get(url))
        assert policy["script-src"] == ["'self'"], url


@pytest.mark.parametrize("url", ["/en/", "/fi/search/?q=x", "/api/v1/practices", "/admin/login/"])
def test_every_response_carries_the_protective_headers(client, url):
    response = client.get(url)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN")
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_permissions_policy_header_format():
    assert permissions_policy_header({"camera": [], "fullscreen": ["self"]}) == (
        "camera=(), fullscreen=(self)"
    )


@override_settings(SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/en/")
    response = client.get("/en/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


class _InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style elements and attributes,
    event handler attributes and javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self._in_inline_script = True
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f'<{tag} {name}="{value}">')

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    return parser.found


def test_public_pages_have_no_inline_scripts_or_styles(client):
    library = LibraryFactory(website="https://kirjasto.turku.fi/")
    meeting = MeetingFactory(host=library)
    practice = PracticeFactory(
        themes=["dialogue"], tags=["living-library"], library=library, meeting=meeting
    )
    case_study = CaseStudyFactory(practice=practice, library=library, tags=["youth"])
    urls = [
        "/en/",
        "/en/search/?q=practice",
        "/en/open-data/",
        "/en/no-such-page/",
        library.url,
        meeting.url,
        practice.url,
        case_study.url,
        *(page.get_parent().url for page in (library, meeting, practice, case_study)),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert inline_code(response.content.decode()) == [], url


def test_the_checker_notices_inline_code():
    html = '<p style="color:red" onclick="x()"><script>alert(1)</script><a href="javascript:x">'

    assert len(inline_code(html)) == 4


# --- Production settings ------------------------------------------------------------------


def _production(code: str, **env):
    return subprocess.run(
        [sys.executable, "-c", code],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "kb.settings.production",
            "SECRET_KEY": "a-long-random-test-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "kb.example.org",
            **env,
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_cookies_are_secure_and_http_only():
    result = _production(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SEARCH_RATE_LIMIT, s.TRUSTED_PROXY_COUNT)"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "31536000", "True", "60/m", "0"]


def test_production_settings_pass_the_deployment_checklist():
    result = _production(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_malformed_rate_limit_in_the_environment_stops_the_site_with_a_clear_error():
    result = _production(
        "import django; django.setup(); from django.core.handlers.wsgi import WSGIHandler; "
        "WSGIHandler()",
        SEARCH_RATE_LIMIT="sixty a minute",
    )

    assert result.returncode != 0
    assert "SEARCH_RATE_LIMIT must look like" in result.stderr


# --- Uploads ------------------------------------------------------------------------------


def _pdf(size: int = 1000) -> bytes:
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    return head + b"0" * max(0, size - len(head))


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def _odt() -> bytes:
    return _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def _png(padding: int = 0) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    # Bytes after the end of the image do not stop it being a valid PNG, only make it bigger.
    return buffer.getvalue() + b"\0" * padding


def _upload_document(client, name: str, content: bytes):
    return client.post(
        "/admin/documents/add/",
        {
            "title": name,
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, content),
        },
    )


def _upload_image(client, name: str, content: bytes):
    return client.post(
        "/admin/images/add/",
        {
            "title": name,
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, content),
        },
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("handout.pdf", _pdf()),
        ("plan.docx", _docx()),
        ("plan.odt", _odt()),
        ("notes.txt", "Demokratia ja kirjasto: äö".encode()),
        ("participants.csv", b"\xff\xfen\x00a\x00m\x00e\x00"),  # UTF-16 from a spreadsheet
        ("letter.rtf", b"{\\rtf1\\ansi Hello}"),
    ],
)
def test_editors_can_upload_documents_of_the_allowed_types(client, editor, name, content):
    response = _upload_document(client, name, content)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Document.objects.filter(title=name).exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("handout.pdf", b"<html><script>alert(1)</script></html>"),
        ("plan.docx", _pdf()),
        ("plan.docx", _odt()),
        ("plan.odt", _docx()),
        ("notes.txt", b"MZ\x90\x00\x03\x00\x00\x00"),  # a Windows program
    ],
)
def test_a_document_whose_content_does_not_match_its_extension_is_refused(
    client, editor, name, content
):
    response = _upload_document(client, name, content)

    assert response.status_code == 200
    assert "is not a" in response.content.decode() and "although its name ends" in (
        response.content.decode()
    )
    assert not Document.objects.exists()


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "setup.exe", "archive.zip"])
def test_documents_of_other_types_are_refused_by_extension(client, editor, name):
    response = _upload_document(client, name, b"<svg onload=alert(1)>")

    assert response.status_code == 200
    assert "File extension" in response.content.decode() and "is not allowed" in (
        response.content.decode()
    )
    assert not Document.objects.exists()


def test_a_document_over_20_mb_is_refused_with_the_limit_named(client, editor):
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 20 * MB

    response = _upload_document(client, "report.pdf", _pdf(20 * MB + 1))

    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert "20.0\xa0MB" in response.content.decode()
    assert not Document.objects.exists()


def test_the_multiple_uploader_checks_document_content_too(client, editor):
    response = client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("fake.pdf", b"not a pdf"), "collection": 1},
    )

    assert response.json()["success"] is False
    assert "although its name ends in .pdf" in response.json()["error_message"]
    assert not Document.objects.exists()


def test_editors_can_upload_images_up_to_10_mb(client, editor):
    response = _upload_image(client, "photo.png", _png(padding=5 * MB))

    assert response.status_code == 302
    assert WagtailImage.objects.filter(title="photo.png").exists()


def test_an_image_over_10_mb_is_refused_with_the_limit_named(client, editor):
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * MB

    response = _upload_image(client, "poster.png", _png(padding=10 * MB))

    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert not WagtailImage.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("photo.png", b"<html><script>alert(1)</script></html>"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("photo.jpg", _png()),  # a PNG named .jpg: Wagtail compares the real format
    ],
)
def test_images_that_are_not_what_they_claim_or_not_allowed_are_refused(
    client, editor, name, content
):
    response = _upload_image(client, name, content)

    assert response.status_code == 200
    assert re.search(
        r"Not a supported image format|Not a valid|is not allowed", response.content.decode()
    )
    assert not WagtailImage.objects.exists()


def test_document_content_check_passes_unknown_extensions():
    assert document_content_matches(io.BytesIO(b"anything"), "key")
