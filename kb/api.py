"""The public JSON API, /api/v1/. Each app contributes its own router."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Democratic Library knowledge base API",
    version="1",
    description="Read-only access to the practices, case studies, meetings and libraries of the "
    "Democratic Library network, and to its search.",
    urls_namespace="api-v1",
    docs_url=None,
)
