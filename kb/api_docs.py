"""The API's front door: `/api/v1/` answers, as JSON, where the schema and the documentation
are and what the resources are; `/<lang>/api/` is the documentation for people, written from
the same OpenAPI schema that `/api/v1/openapi.json` serves, so the two cannot disagree;
`/api/v1/docs` leads there in the visitor's language."""

from dataclasses import dataclass

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .api import api

ANSWERS = {
    "200": gettext_lazy("The answer, as JSON."),
    "400": gettext_lazy("A parameter is not valid; the answer says which one and why."),
    "404": gettext_lazy("Nothing public has that key."),
    "429": gettext_lazy("Too many searches in a short time; the answer says how long to wait."),
}
WHERE = {"path": gettext_lazy("in the path"), "query": gettext_lazy("in the query string")}


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str
    required: bool
    values: str
    description: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    answers: tuple[tuple[str, str], ...]

    @property
    def example(self) -> str | None:
        """A URL to try, for operations that need no key."""
        return None if "{" in self.path else f"{self.path}?lang={get_language()}"


def schema() -> dict:
    return api.get_openapi_schema()


def operations(openapi: dict) -> list[Operation]:
    found = []
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=tuple(_parameter(p) for p in operation.get("parameters", ())),
                    answers=tuple(
                        (str(code), str(ANSWERS.get(str(code), answer.get("description", ""))))
                        for code, answer in operation.get("responses", {}).items()
                    ),
                )
            )
    return found


def _parameter(parameter: dict) -> Parameter:
    return Parameter(
        name=parameter["name"],
        where=str(WHERE.get(parameter["in"], parameter["in"])),
        required=parameter.get("required", False),
        values=_values(parameter.get("schema", {})),
        description=parameter.get("description", ""),
    )


def _values(schema: dict) -> str:
    """What a parameter takes, in words."""
    kinds = [option for option in schema.get("anyOf", [schema]) if option.get("type") != "null"]
    kind = kinds[0] if kinds else {}
    repeated = kind.get("type") == "array"
    item = kind.get("items", kind) if repeated else kind
    enum = schema.get("enum") or item.get("enum")
    if enum:
        words = _("one of: %(values)s") % {"values": ", ".join(map(str, enum))}
    elif item.get("type") == "integer":
        low = schema.get("minimum", item.get("minimum"))
        high = schema.get("maximum", item.get("maximum"))
        if low is not None and high is not None:
            words = _("a whole number from %(low)s to %(high)s") % {"low": low, "high": high}
        else:
            words = _("a whole number")
    else:
        words = _("text")
    if repeated:
        words = _("%(values)s; may be repeated") % {"values": words}
    return words


def index(request):
    """GET /api/v1/: where everything is."""
    openapi = schema()
    return JsonResponse(
        {
            "title": openapi["info"]["title"],
            "version": openapi["info"]["version"],
            "openapi": request.build_absolute_uri(reverse("api-v1:openapi-json")),
            "documentation": request.build_absolute_uri(reverse("api_docs")),
            "resources": [
                {"method": o.method, "path": o.path, "summary": o.summary}
                for o in operations(openapi)
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def docs_redirect(request):
    """GET /api/v1/docs: the documentation, in the visitor's language."""
    return redirect("api_docs")


def docs(request):
    openapi = schema()
    return render(
        request,
        "kb/api_docs.html",
        {
            "info": openapi["info"],
            "operations": operations(openapi),
            "schema_url": reverse("api-v1:openapi-json"),
        },
    )
