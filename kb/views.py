from django.shortcuts import get_object_or_404, render
from django.utils import translation
from wagtail.models import Page

from .translations import language_name, live_translations


def not_translated(request, page_id):
    """Where the language switcher leads when a page has no version in the chosen language:
    say so in that language and link the versions that exist, rather than a bare 404."""
    page = get_object_or_404(Page.objects.live().specific(), pk=page_id)
    versions = [
        {"code": code, "name": language_name(code), "url": version.get_url(request)}
        for code, version in live_translations(page).items()
    ]
    context = {
        "source_page": page,
        "versions": versions,
        "language": language_name(translation.get_language()),
    }
    return render(request, "kb/not_translated.html", context)
