"""The public JSON API, /api/v1/. Each app contributes its own router."""

import re

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from practices.api import router as practices_router
from search.api import router as search_router

api = NinjaAPI(
    title="Democratic Library knowledge base API",
    version="1",
    description="Read-only access to the practices, case studies, meetings and libraries of the "
    "Democratic Library network, and to its search.",
    urls_namespace="api-v1",
    docs_url=None,
)
api.add_router("/", practices_router)
api.add_router("/search", search_router)


@api.exception_handler(ValidationError)
def invalid_parameter(request, exc: ValidationError):
    """A parameter that does not validate: 400, naming the first one at fault and what it takes,
    rather than ninja's 422 list of pydantic errors."""
    error = exc.errors[0]
    source, *path = error["loc"]
    field = str(path[-1]) if path else None
    value = request.GET.get(field) if source == "query" and field else None
    return api.create_response(
        request,
        {"error": _parameter_message(error, field, value), "field": field},
        status=400,
    )


def _parameter_message(error: dict, field: str | None, value: str | None) -> str:
    if field is None:
        return _("The request is not valid.")
    context = error.get("ctx", {})
    names = {"field": field, "value": value}
    match error["type"]:
        case "literal_error" | "enum":
            # pydantic lists the choices as "'en', 'lv' or 'fi'"; say them in our own words.
            choices = ", ".join(re.findall(r"'([^']*)'", str(context.get("expected", ""))))
            return _('%(field)s must be one of %(choices)s, not "%(value)s".') % {
                **names,
                "choices": choices,
            }
        case "int_parsing" | "int_type" | "int_from_float":
            return _('%(field)s must be a whole number, not "%(value)s".') % names
        case "greater_than_equal":
            return _("%(field)s must be %(limit)s or more.") % {**names, "limit": context["ge"]}
        case "less_than_equal":
            return _("%(field)s must be %(limit)s or less.") % {**names, "limit": context["le"]}
        case "missing":
            return _("%(field)s is required.") % names
        case _:
            return _("%(field)s is not valid.") % names
