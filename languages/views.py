from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.models import Page

from .codes import language_codes, language_name, language_name_translated
from .groups import live_versions, original_language
from .reader import FALLBACK_COOKIE, cookie_value, reading_order


def not_translated(request, page_id):
    """Where the language switcher leads when a page has no version in the chosen language:
    say so in that language and link the versions that exist, rather than a bare 404. An
    editor who may translate pages also gets a link to start the translation."""
    # Only a public page that has a URL (the tree's root has none) has versions to link.
    readable = Page.objects.live().public().filter(depth__gt=1)
    page = get_object_or_404(readable.select_related("locale"), pk=page_id)
    language = translation.get_language()
    translations = live_versions(page)
    public = set(
        readable.filter(pk__in=[v.pk for v in translations.values()]).values_list("pk", flat=True)
    )
    translations = {code: v for code, v in translations.items() if v.pk in public}
    if language in translations:  # translated since the link was made
        return redirect(translations[language].get_url(request))
    original = original_language(translations)
    versions = [
        {
            "code": code,
            "name": language_name(code),
            "url": translations[code].get_url(request),
            "original": code == original,
        }
        for code in language_codes()
        if code in translations
    ]
    source = translations.get(original, page)
    context = {
        "language_versions_of": page,
        "title": format_html('<span lang="{}">{}</span>', page.locale.language_code, page.title),
        "versions": versions,
        "language": language_name_translated(language),
        "translate_url": _translate_url(request.user, source, language),
    }
    return render(request, "languages/not_translated.html", context)


def _translate_url(user, source, language):
    """wagtail-localize's "Translate this page" form for `source`, with `language` ticked;
    None for a visitor who may not submit pages for translation."""
    if not user.is_authenticated or not user.has_perm("wagtail_localize.submit_translation"):
        return None
    url = reverse("wagtail_localize:submit_page_translation", args=[source.pk])
    return f"{url}?{urlencode({'select_locale': language})}"


def version_elsewhere(language: str, path: str):
    """A live page at `path` (the part of a URL after its language prefix) in another
    language's tree: what a link to a page that has no version in `language` meant. The
    page's slug is the same in every language, so the rest of the path matches too."""
    if not path.strip("/") or not path.isprintable():  # a NUL matches anything in SQLite
        return None
    pages = (
        Page.objects.live()
        .filter(url_path__endswith=f"/{path.strip('/')}/", depth__gt=2)
        .exclude(locale__language_code=language)
        .exclude(alias_of__isnull=False)
        .order_by("pk")
    )
    return next(
        (page for page in pages if page.url_path.count("/") == path.strip("/").count("/") + 3), None
    )


class NotTranslatedRedirectMiddleware:
    """Turns the 404 of a page URL in a language the page has no version in into a
    redirect to the page that says so and links the versions that exist."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        language, _slash, rest = request.path_info.lstrip("/").partition("/")
        if language not in language_codes() or rest.startswith(("admin/", "api/")):
            return response
        page = version_elsewhere(language, rest)
        if page is None:
            return response
        with translation.override(language):
            return redirect(reverse("not_translated", args=[page.pk]))


def reading_languages(request):
    """Where a reader chooses the languages they also read: what they see, in that order,
    when something has no version in the language of the site they are reading."""
    language = translation.get_language()
    if request.method == "POST":
        chosen = [
            code
            for code in request.POST.getlist("language")
            if code in language_codes() and code != language
        ]
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            next_url = reverse("reading_languages")
        response = redirect(next_url)
        response.set_cookie(
            FALLBACK_COOKIE,
            cookie_value(chosen),
            max_age=365 * 24 * 60 * 60,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response
    order = reading_order(language)
    context = {
        "language": language_name_translated(language),
        "choices": [
            {"code": code, "name": language_name(code), "checked": code in order}
            for code in language_codes()
            if code != language
        ],
        "next": request.GET.get("next", ""),
    }
    return render(request, "languages/reading_languages.html", context)
