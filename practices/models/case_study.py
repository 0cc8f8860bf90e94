from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from practices.choices import Stage
from practices.models.practice import TAGS_HELP_TEXT
from practices.permissions import LibraryPermissionsMixin

from ..stream import BaseStreamBlock
from .base import KnowledgePage


class CaseStudyTag(TaggedItemBase):
    content_object = ParentalKey(
        "practices.CaseStudyPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class CaseStudyPage(LibraryPermissionsMixin, KnowledgePage):
    """A library's own account of running a practice, and how far it took root there."""

    practice = models.ForeignKey(
        "practices.PracticePage",
        verbose_name=_("practice"),
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="case_studies",
    )
    library = models.ForeignKey(
        "practices.LibraryPage",
        verbose_name=_("library"),
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="case_studies",
    )
    date = models.DateField(
        _("date"), help_text=_("When the library ran the practice (the first time, if repeated).")
    )
    stage = models.CharField(
        _("stage"),
        max_length=10,
        choices=Stage.choices,
        help_text=_("Tried once; repeated; or anchored: part of the library's regular work."),
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    would_change = models.TextField(_("what we would change"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("our account"))
    tags = ClusterTaggableManager(
        through=CaseStudyTag, blank=True, verbose_name=_("tags"), help_text=TAGS_HELP_TEXT
    )

    content_panels = KnowledgePage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("practice"),
                FieldPanel("library"),
                FieldRowPanel(
                    [FieldPanel("date"), FieldPanel("stage"), FieldPanel("participants")]
                ),
            ],
            heading=_("What, where and how far"),
        ),
        FieldPanel("body"),
        FieldPanel("outcomes"),
        FieldPanel("would_change"),
        FieldPanel("tags"),
    ]
    search_fields = KnowledgePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("stage"),
    ]

    parent_page_types = ["practices.CaseStudyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        # Lists (the index page, the home page) show the newest first.
        indexes = [models.Index(fields=["date"])]
