"""The reader's languages: the one they read the site in, then those they also read.

When an entry has no version in the reader's language, the reader sees the first of their
fallback languages it has, then its original (`languages.groups.shown_version`). The default
chains start with English, the network's working language, then the languages a reader of
each is likely to read as well: Finns often read Swedish (an official language of Finland)
and Estonian is close kin; Swedes and Danes read each other's languages, and Swedes often
Finnish-Swedish texts; Estonians often read Finnish; Latvians have no close neighbour among
the site's languages. A reader can choose their own chain (`FALLBACK_COOKIE`, set from the
form next to the language switcher); it is read once per request by `ReaderMiddleware`."""

import contextvars
import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language_from_request

from .codes import language_codes

DEFAULT_FALLBACKS = {
    "en": ("sv", "da", "fi"),
    "fi": ("en", "sv", "et"),
    "sv": ("en", "da", "fi"),
    "da": ("en", "sv"),
    "et": ("en", "fi"),
    "lv": ("en",),
}
FALLBACK_COOKIE = "kb_fallback_languages"
_COOKIE_VALUE = re.compile(r"[a-z]{2,3}(?:\.[a-z]{2,3}){0,9}|-")

# The reader's own chain for this request, when they chose one: None keeps the default.
_chosen_fallbacks: contextvars.ContextVar[tuple[str, ...] | None] = contextvars.ContextVar(
    "kb_chosen_fallbacks", default=None
)


def default_fallbacks(language: str) -> tuple[str, ...]:
    codes = language_codes()
    chain = DEFAULT_FALLBACKS.get(language, (settings.LANGUAGE_CODE,))
    return tuple(code for code in chain if code in codes and code != language)


def reading_order(language: str | None = None, fallbacks=None) -> tuple[str, ...]:
    """The languages a reader of `language` (default: the active one) reads, best first:
    that language, then their chosen fallbacks, else the default ones."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if fallbacks is None:
        chosen = _chosen_fallbacks.get()
        fallbacks = chosen if chosen is not None else default_fallbacks(language)
    order = [language]
    order += [code for code in fallbacks if code in language_codes() and code not in order]
    return tuple(order)


def parse_fallbacks(value: str | None) -> tuple[str, ...] | None:
    """A chain as the cookie keeps it ("sv.en"; "-" for none); None when absent or invalid."""
    if not value or not _COOKIE_VALUE.fullmatch(value):
        return None
    if value == "-":
        return ()
    codes = [code for code in value.split(".") if code in language_codes()]
    return tuple(dict.fromkeys(codes))


def cookie_value(fallbacks) -> str:
    return ".".join(fallbacks) or "-"


def chosen_fallbacks(request) -> tuple[str, ...] | None:
    return parse_fallbacks(request.COOKIES.get(FALLBACK_COOKIE))


class ReaderMiddleware:
    """Makes the reader's chosen fallback languages the chain of this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _chosen_fallbacks.set(chosen_fallbacks(request))
        try:
            return self.get_response(request)
        finally:
            _chosen_fallbacks.reset(token)


def visitor_language(request) -> str | None:
    """The language the visitor asked for with the language cookie or their browser's
    Accept-Language, whatever page they are on; None when they asked for none."""
    if not (
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        or request.META.get("HTTP_ACCEPT_LANGUAGE")
    ):
        return None
    code = get_language_from_request(request, check_path=False)
    return code if code in language_codes() else None
