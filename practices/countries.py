"""ISO 3166-1 alpha-2 country codes and their names in the site's languages.

The names come from the Unicode CLDR through Babel, so no list of countries is
kept in this project.
"""

from functools import cache

from babel import Locale, UnknownLocaleError

# Two-letter codes CLDR knows that are not countries: groupings, pseudo-locales,
# the unknown region, and the "exceptionally reserved" ISO codes for places that
# belong to a country with its own code (the Canary Islands are ES, and so on).
# XK stays: it is user-assigned in ISO, but it is the code everyone (the EU
# included) uses for Kosovo, so a library there can be recorded.
_NON_COUNTRY_CODES = frozenset(
    {
        "EU",  # European Union
        "EZ",  # Eurozone
        "UN",  # United Nations
        "QO",  # Outlying Oceania
        "XA",  # pseudo-accents
        "XB",  # pseudo-bidi
        "ZZ",  # unknown region
        "AC",  # Ascension Island
        "CP",  # Clipperton Island
        "CQ",  # Sark
        "DG",  # Diego Garcia
        "EA",  # Ceuta and Melilla
        "IC",  # Canary Islands
        "TA",  # Tristan da Cunha
    }
)

_FALLBACK_LANGUAGE = "en"


def _is_country_code(code: str) -> bool:
    return len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()


COUNTRY_CODES: frozenset[str] = frozenset(
    code
    for code in Locale.parse(_FALLBACK_LANGUAGE).territories
    if _is_country_code(code) and code not in _NON_COUNTRY_CODES
)


@cache  # one dict of names per language
def _country_names(language: str) -> dict[str, str]:
    try:
        # Django spells languages "pt-br"; Babel wants "pt_BR" and accepts "pt_br".
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse(_FALLBACK_LANGUAGE)
    territories = locale.territories
    return {code: territories[code] for code in COUNTRY_CODES if code in territories}


def country_name(code: str, language: str) -> str:
    """The name of the country with ISO code ``code`` in ``language``.

    An unknown code is returned as it is; an unknown language gives English names.
    """
    return _country_names(language).get(code, code)


def country_choices() -> list[tuple[str, str]]:
    """(code, name) pairs in the active language, sorted by name, for form fields."""
    from django.utils.translation import get_language

    language = get_language() or _FALLBACK_LANGUAGE
    return sorted(_country_names(language).items(), key=lambda item: item[1])
