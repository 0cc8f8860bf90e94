from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers

# URLs that live outside the language prefix: a 404 there is an answer, not a missing prefix.
UNPREFIXED_PATHS = ("/api/", "/admin/", "/documents/", "/static/", "/media/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware redirects any 404 to the same path under /<lang>/ when that path
    resolves, and Wagtail's catch-all route resolves everything: an unknown API key would
    become a redirect to an HTML page instead of a JSON 404."""

    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED_PATHS):
            patch_vary_headers(response, ("Accept-Language",))
            return response
        # Pages tell a visitor when they are not in the visitor's language (from Accept-Language
        # or the language cookie): caches must keep those variants apart.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return super().process_response(request, response)
