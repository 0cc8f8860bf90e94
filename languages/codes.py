"""The site's languages: their codes (from `settings.LANGUAGES`, the one list) and names."""

from django.conf import settings
from django.utils.translation import get_language_info


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def is_language(code) -> bool:
    return code in language_codes()


def language_name(code: str) -> str:
    """The language's name in that language, as a speaker of it would look for it."""
    return get_language_info(code)["name_local"]


def language_name_translated(code: str) -> str:
    """The language's name in the active language ("latvia" when Finnish is active)."""
    return str(get_language_info(code)["name_translated"])


_locale_codes: dict[int, str] = {}


def locale_code(locale_id: int) -> str:
    """The language code of a Wagtail locale, without a query per page shown: the locales
    are read once, and again when one is missing or has changed (`forget_locales`)."""
    if locale_id not in _locale_codes:
        from wagtail.models import Locale

        _locale_codes.clear()
        _locale_codes.update(Locale.objects.values_list("pk", "language_code"))
    return _locale_codes.get(locale_id, "")


def locale_ids() -> dict[str, int]:
    """{language code: locale id}, from the same per-process table as `locale_code`."""
    if not _locale_codes:
        locale_code(0)
    return {code: pk for pk, code in _locale_codes.items()}


def forget_locales(**kwargs) -> None:
    _locale_codes.clear()
