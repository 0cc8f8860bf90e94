"""The open-data page and the feeds, under the language prefix: /<lang>/open-data/,
/<lang>/feeds/practices.atom and /<lang>/feeds/case-studies.atom."""

from django.urls import path

from . import feeds, open_data

app_name = "open_data"

urlpatterns = [
    path("open-data/", open_data.open_data_page, name="page"),
    path("feeds/practices.atom", feeds.NewPracticesFeed(), name="practices_feed"),
    path("feeds/case-studies.atom", feeds.NewCaseStudiesFeed(), name="case_studies_feed"),
]
