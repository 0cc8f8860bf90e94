"""Protections that sit around every request: the Content-Security-Policy (strict on the public
site, looser in the editors' interface), the Permissions-Policy header, the rate limit of the
search and of the contact form, and the checks on uploaded documents.

The policies and limits themselves are settings (see the README's Security section)."""

import functools
import logging
import re
import zipfile

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.documents.forms import BaseDocumentForm

from .ratelimit import client_ip, client_key, hit, parse_rate

logger = logging.getLogger(__name__)


# --- Content-Security-Policy ---------------------------------------------------------------


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with ``CONTENT_SECURITY_POLICY_ADMIN`` instead of
    ``CONTENT_SECURITY_POLICY`` under its ``PATH_PREFIXES`` (the Wagtail admin, whose pages
    use inline scripts and styles). A view's own ``@csp_*`` decorators still win."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        admin_policy = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None)
        if admin_policy and request.path_info.startswith(tuple(admin_policy["PATH_PREFIXES"])):
            parts.config = default_config(admin_policy["DIRECTIVES"])
        return parts


# --- Permissions-Policy --------------------------------------------------------------------


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} → 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` from the ``PERMISSIONS_POLICY`` setting: the browser
    features (camera, microphone, geolocation…) that no page of the site uses are switched
    off, so that injected or embedded content cannot ask for them either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", None)
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions_policy_header(policy)
        return response


# --- Rate limit of the search --------------------------------------------------------------

SEARCH_API_PATH = "/api/v1/search"
SUGGEST_API_PATH = "/api/v1/search/suggest"


@functools.lru_cache
class HttpMethodsMiddleware:
    """Only the methods the site serves: TRACE, TRACK, CONNECT and the like are a 405 (a page
    would otherwise answer them), and HEAD on the API is answered as GET without the body (the
    API's routes are declared for GET alone)."""

    SERVED = frozenset(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.SERVED:
            return HttpResponseNotAllowed(sorted(self.SERVED - {"OPTIONS"}))
        if request.method == "HEAD" and request.path.startswith("/api/"):
            request.method = request.META["REQUEST_METHOD"] = "GET"
            response = self.get_response(request)
            if not response.streaming:
                length = len(response.content)
                response.content = b""
                response["Content-Length"] = str(length)
            return response
        return self.get_response(request)


_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


class UnroutablePathMiddleware:
    """A path with a NUL or another control character names no page: a 404 at once, before
    page routing looks the slug up (PostgreSQL refuses a NUL in a string: that was a 500).
    The API answers such keys itself, as JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if _CONTROL_CHARACTER.search(path) and not path.startswith("/api/"):
            raise Http404
        return self.get_response(request)


def _search_page_path() -> re.Pattern:
    codes = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.compile(rf"^/(?:{codes})/search/")


def _contact_form_path() -> re.Pattern:
    codes = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.compile(rf"^/(?:{codes})/contact/\d+/$")


@functools.lru_cache
def _rate(value: str | None, setting: str):
    return parse_rate(value, setting)


def rate_limited_endpoint(path: str, method: str = "GET") -> tuple[str, str, str] | None:
    """(bucket, setting, "html" or "json") for a request that is rate limited, else None.

    The search page and the search API share one counter per client (they run the same
    search); autocomplete, which a browser calls as the reader types, has its own. Sending
    a contact form (a POST; reading the form is free) has its own too."""
    if method == "POST" and _contact_form_path().match(path):
        return "contact", "CONTACT_RATE_LIMIT", "html"
    if path.startswith(SUGGEST_API_PATH):
        return "suggest", "SEARCH_SUGGEST_RATE_LIMIT", "json"
    if path.startswith(SEARCH_API_PATH):
        return "search", "SEARCH_RATE_LIMIT", "json"
    if _search_page_path().match(path):
        return "search", "SEARCH_RATE_LIMIT", "html"
    return None


class SearchRateLimitMiddleware:
    """Limits how often one client may search: the search page (/<lang>/search/), the search
    API (/api/v1/search) and autocomplete (/api/v1/search/suggest), per client address
    (see ``kb.ratelimit.client_ip``). Over the limit: 429 with Retry-After, as a page for the
    page and as ``{"error", "field": null}`` for the API, in the reader's language."""

    def __init__(self, get_response):
        self.get_response = get_response
        # A malformed limit in the environment stops the process at start, not at a search.
        for setting in ("SEARCH_RATE_LIMIT", "SEARCH_SUGGEST_RATE_LIMIT", "CONTACT_RATE_LIMIT"):
            _rate(getattr(settings, setting, None), setting)

    def __call__(self, request):
        endpoint = rate_limited_endpoint(request.path_info, request.method)
        if endpoint is not None:
            bucket, setting, kind = endpoint
            rate = _rate(getattr(settings, setting, None), setting)
            if rate is not None:
                decision = hit(bucket, client_key(client_ip(request)), rate)
                if not decision.allowed:
                    if decision.count == rate.limit + 1:  # log once per client and window
                        logger.warning("Rate limit of %s reached by a client", bucket)
                    return too_many_requests(request, kind, decision.retry_after, bucket)
        return self.get_response(request)


def rate_limit_message(seconds: int) -> str:
    return ngettext(
        "You have searched very often in a short time. Please wait %(seconds)d second and "
        "try again.",
        "You have searched very often in a short time. Please wait %(seconds)d seconds and "
        "try again.",
        seconds,
    ) % {"seconds": seconds}


def contact_rate_limit_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "You have sent many messages in a short time. Please wait %(minutes)d minute and "
        "try again.",
        "You have sent many messages in a short time. Please wait %(minutes)d minutes and "
        "try again.",
        minutes,
    ) % {"minutes": minutes}


def too_many_requests(request, kind: str, retry_after: int, bucket: str = "search"):
    if kind == "json":
        language = request.GET.get("lang")
        codes = {code for code, _name in settings.LANGUAGES}
        with translation.override(language if language in codes else translation.get_language()):
            response = JsonResponse(
                {"error": rate_limit_message(retry_after), "field": None},
                status=429,
                content_type="application/json; charset=utf-8",  # as the API's own answers
                json_dumps_params={"ensure_ascii": False},
            )
    else:
        if bucket == "contact":
            message = contact_rate_limit_message(retry_after)
            reason = _(
                "The limit keeps automatic spam away from the people who answer these "
                "messages. Reading the practices, case studies, meetings and libraries is not "
                "limited."
            )
        else:
            message = rate_limit_message(retry_after)
            reason = _(
                "The limit keeps the search quick for everyone. Browsing the practices, case "
                "studies, meetings and libraries is not limited."
            )
        context = {"message": message, "reason": reason}
        response = render(request, "kb/rate_limited.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    patch_cache_control(response, no_store=True)
    return response


# --- Uploaded documents --------------------------------------------------------------------

_OOXML_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")  # UTF-8, UTF-16 LE and BE
_SNIFF_BYTES = 64 * 1024


def _is_zip_with(file, check) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            return check(archive)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return False


def _odf_mimetype(archive: zipfile.ZipFile) -> bytes:
    with archive.open("mimetype") as member:
        return member.read(100).strip()


def document_content_matches(file, extension: str) -> bool:
    """Whether the bytes of an uploaded document are what its extension says: a PDF starts as
    a PDF, a .docx is an Office Open XML word-processing package, a .txt or .csv is text… An
    extension the site does not know how to check passes."""
    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    file.seek(0)
    try:
        if extension == "pdf":
            return head.startswith(b"%PDF-")
        if extension == "rtf":
            return head.startswith(b"{\\rtf")
        if extension in ("txt", "csv"):
            return head.startswith(_TEXT_BOMS) or b"\x00" not in head
        if extension in _OOXML_PARTS:
            part = _OOXML_PARTS[extension]
            return _is_zip_with(
                file, lambda zf: {"[Content_Types].xml", part} <= set(zf.namelist())
            )
        if extension in _ODF_MIMETYPES:
            expected = _ODF_MIMETYPES[extension]
            return _is_zip_with(file, lambda zf: _odf_mimetype(zf) == expected)
        return True
    finally:
        file.seek(0)


_KINDS = {
    "pdf": "PDF",
    "rtf": "Rich Text Format",
    "txt": gettext_lazy("plain text"),
    "csv": gettext_lazy("plain text"),
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "pptx": "PowerPoint (.pptx)",
    "odt": "OpenDocument Text",
    "ods": "OpenDocument Spreadsheet",
    "odp": "OpenDocument Presentation",
}


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (``WAGTAILDOCS_DOCUMENT_FORM_BASE``), which already checks the
    size (``WAGTAILDOCS_MAX_UPLOAD_SIZE``) and the extension (``WAGTAILDOCS_EXTENSIONS``),
    plus a look at the content: a file renamed to .pdf is refused with a clear message."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not isinstance(file, UploadedFile):
            return file  # unchanged, or no file: nothing new to check
        extension = file.name.rpartition(".")[2].lower() if "." in file.name else ""
        allowed = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
        if allowed and extension not in allowed:
            return file  # Wagtail's own check names the allowed extensions
        if not document_content_matches(file, extension):
            raise forms.ValidationError(
                _(
                    "The content of “%(name)s” is not a %(kind)s file, although its name ends "
                    "in .%(extension)s. Upload the document in the format its name says, or "
                    "give it the right extension."
                )
                % {
                    "name": file.name,
                    "kind": _KINDS.get(extension, extension.upper()),
                    "extension": extension,
                },
                code="content_does_not_match_extension",
            )
        return file
