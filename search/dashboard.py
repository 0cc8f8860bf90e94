"""The admin dashboard's panel on the search service, for those who run the site: whether
Elasticsearch answers, or which server processes answer from the database because their
circuit breaker is open (`backends.breaker`)."""

from django.conf import settings
from wagtail.admin.ui.components import Component

from practices.permissions import is_reviewer

from .backends.breaker import open_circuits


def shows_search_service(user) -> bool:
    return bool(settings.ELASTICSEARCH_URL) and is_reviewer(user)


class SearchServicePanel(Component):
    name = "search_service"
    template_name = "search/admin/search_service_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["circuits"] = open_circuits()
        return context
