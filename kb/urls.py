from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from languages import views as language_views
from practices import compare, contact_views, map_page, open_data, sitemaps
from search import urls as search_urls

from . import api_docs, views
from .api import api

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api_docs.index, name="api_index"),
    path("api/v1/docs", api_docs.docs_redirect, name="api_docs_redirect"),
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    # The open-data files at their media URL, read from disk by a view in every environment
    # (whitenoise serves only static files), with a download name and a content type.
    path(
        f"{settings.MEDIA_URL.strip('/')}/{open_data.DIRECTORY}/<str:name>",
        open_data.download,
        name="open_data_file",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", include(search_urls)),
    path("not-translated/<int:page_id>/", language_views.not_translated, name="not_translated"),
    path("reading-languages/", language_views.reading_languages, name="reading_languages"),
    path("api/", api_docs.docs, name="api_docs"),
    path("compare/", compare.compare_page, name="compare"),
    path("map/", map_page.network_map_page, name="network_map"),
    path("contact/<int:page_id>/", contact_views.contact_form, name="contact"),
    path(
        "contact/<int:page_id>/sent/",
        contact_views.contact_thanks,
        {"delivered": True},
        name="contact_sent",
    ),
    path(
        "contact/<int:page_id>/saved/",
        contact_views.contact_thanks,
        {"delivered": False},
        name="contact_saved",
    ),
    path("", include("practices.open_data_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
