"""The editors' report "Searches that find little": what librarians look for and do not find,
and the filters they use, under Reports in the Wagtail admin."""

from django.conf import settings
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import querylog
from .dashboard import SearchServicePanel, shows_search_service
from .models import SynonymSet
from .params import SearchParams
from .service import label_facets
from .views import FACET_LEGENDS

PERIODS = (30, 90)
LANGUAGES = [code for code, _name in settings.LANGUAGES]


class SearchReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "search/search_report.html"
    page_title = _("Searches that find little")
    header_icon = "search"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = self._choice("days", PERIODS, cast=int) or PERIODS[0]
        lang = self._choice("lang", LANGUAGES)
        context.update(
            days=days,
            periods=PERIODS,
            lang=lang,
            languages=settings.LANGUAGES,
            few_results=querylog.FEW_RESULTS,
            queries=querylog.zero_result_queries(days, lang=lang),
            filters=labelled_filters(querylog.popular_filters(days)),
            retention_days=querylog.retention_days(),
        )
        return context

    def _choice(self, name, choices, cast=str):
        try:
            value = cast(self.request.GET.get(name, ""))
        except ValueError:
            return None
        return value if value in choices else None


def labelled_filters(rows: list[dict]) -> list[dict]:
    """Each {facet, value, count} with the filter's name and the value's label in the editor's
    language (English when the admin is in another language than the site's)."""
    lang = translation.get_language()
    lang = lang if lang in LANGUAGES else settings.LANGUAGE_CODE
    raw = {}
    for row in rows:
        raw.setdefault(row["facet"], {})[row["value"]] = row["count"]
    labels = {
        (facet, value.value): value.label
        for facet, values in label_facets(raw, SearchParams(lang=lang)).items()
        for value in values
    }
    return [
        {
            **row,
            "facet_label": FACET_LEGENDS.get(row["facet"], row["facet"]),
            "label": labels.get((row["facet"], row["value"]), row["value"]),
        }
        for row in rows
    ]


@hooks.register("register_admin_urls")
def register_search_report_url():
    return [path("reports/searches/", SearchReportView.as_view(), name="search_report")]


@hooks.register("register_reports_menu_item")
def register_search_report_menu_item():
    return MenuItem(
        _("Searches that find little"),
        reverse("search_report"),
        name="searches-that-find-little",
        icon_name="search",
        order=1000,
    )


@hooks.register("construct_homepage_panels")
def add_search_service_panel(request, panels):
    if shows_search_service(request.user):
        panels.append(SearchServicePanel())


class SynonymSetViewSet(SnippetViewSet):
    """Editors keep the synonym sets under Snippets (`search.synonyms` applies them)."""

    model = SynonymSet
    icon = "list-ul"
    list_display = ["__str__", "language"]
    list_filter = ["language"]
    search_fields = ["words"]
    menu_label = _("Synonyms")
    add_to_admin_menu = False


register_snippet(SynonymSetViewSet)
