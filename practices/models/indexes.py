"""The pages that list each content type. One of each per language, under the home page."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from .base import KnowledgePage


class IndexPage(KnowledgePage):
    parent_page_types = ["kb.HomePage"]
    max_count_per_parent = 1

    content_panels = Page.content_panels + [FieldPanel("summary")]

    class Meta:
        abstract = True


class PracticeIndexPage(IndexPage):
    subpage_types = ["practices.PracticePage"]
    template = "practices/index/practices.html"

    class Meta:
        verbose_name = _("practice index")


class CaseStudyIndexPage(IndexPage):
    subpage_types = ["practices.CaseStudyPage"]
    template = "practices/index/case_studies.html"

    class Meta:
        verbose_name = _("case study index")


class MeetingIndexPage(IndexPage):
    subpage_types = ["practices.MeetingPage"]
    template = "practices/index/meetings.html"

    class Meta:
        verbose_name = _("meeting timeline")


class LibraryIndexPage(IndexPage):
    subpage_types = ["practices.LibraryPage"]
    template = "practices/index/libraries.html"

    class Meta:
        verbose_name = _("library index")
