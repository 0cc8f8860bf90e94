"""/sitemap.xml and /robots.txt.

The sitemap lists every live, public page of every language once, with its other language
versions as ``<xhtml:link rel="alternate" hreflang>`` and, as ``x-default``, the version it
was written in (as each page's <head> does). Django's i18n sitemap does the listing: an item
is a translation group, and a group is listed in the languages it has a version in."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from languages.groups import original_locales


@dataclass
class TranslationGroup:
    """The live language versions of one page: their paths and when each was last published."""

    translation_key: object
    paths: dict[str, str] = field(default_factory=dict)
    lastmods: dict[str, datetime] = field(default_factory=dict)
    original: str | None = None

    @property
    def languages(self) -> list[str]:
        return [code for code, _name in settings.LANGUAGES if code in self.paths]

    @property
    def x_default(self) -> str | None:
        for code in (self.original, settings.LANGUAGE_CODE, *self.languages):
            if code in self.paths:
                return code
        return None


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = False  # Django's would be the unprefixed URL; ours is the original version

    def __init__(self, request):
        self.request = request

    def items(self):
        site = Site.find_for_request(self.request) or Site.objects.get(is_default_site=True)
        homes = Page.objects.filter(translation_key=site.root_page.translation_key)
        within_site = reduce(or_, (Q(path__startswith=home.path) for home in homes), Q(pk=None))
        pages = (
            Page.objects.live()
            .public()
            .filter(within_site, alias_of__isnull=True)
            .select_related("locale")
            .order_by("path")
        )
        groups: dict[object, TranslationGroup] = {}
        for page in pages:
            code = page.locale.language_code
            url_parts = page.get_url_parts(self.request)
            if url_parts is None:
                continue
            group = groups.setdefault(page.translation_key, TranslationGroup(page.translation_key))
            group.paths[code] = url_parts[2]
            group.lastmods[code] = page.last_published_at or page.latest_revision_created_at
        originals = original_locales(list(groups))
        for key, group in groups.items():
            group.original = originals.get(key)
        return list(groups.values())

    def get_languages_for_item(self, item):
        return item.languages

    def location(self, item):
        return item.paths[translation.get_language()]

    def lastmod(self, item):
        return max((when for when in item.lastmods.values() if when), default=None)

    def get_urls(self, page=1, site=None, protocol=None):
        """Django's URLs, each with an ``x-default`` alternate: its group's original."""
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            group, _language = url["item"]
            if (code := group.x_default) is not None:
                location = f"{base}{group.paths[code]}"
                url["alternates"].append({"location": location, "lang_code": "x-default"})
        return urls


class OpenDataSitemap(Sitemap):
    """The pages that are views rather than Wagtail pages, in every language."""

    i18n = True
    alternates = True
    x_default = False

    def items(self):
        return ["open_data:page"]

    def location(self, item):
        return reverse(item)


@require_safe
def sitemap(request):
    sitemaps = {"pages": PageSitemap(request), "open-data": OpenDataSitemap()}
    return django_sitemap(request, sitemaps=sitemaps)


@require_safe
def robots_txt(request):
    """Crawlers are welcome on the public pages; not in the admin, nor in the search, which
    has a page per query and filter (each one noindex) and a rate limit."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/v1/search",
        *(f"Disallow: /{code}/search/" for code, _name in settings.LANGUAGES),
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
