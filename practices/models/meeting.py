from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from practices.choices import MeetingKind
from practices.countries import country_choices

from ..stream import RICH_TEXT_FEATURES, BaseStreamBlock
from .base import KnowledgePage


class MeetingPage(KnowledgePage):
    """A meeting of the network where libraries shared their practices."""

    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        choices=country_choices,
        blank=True,
        help_text=_("Leave empty for a virtual meeting."),
    )
    host = models.ForeignKey(
        "practices.LibraryPage",
        verbose_name=_("host library"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_meetings",
    )
    agenda = RichTextField(_("agenda"), blank=True, features=RICH_TEXT_FEATURES)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("report"))

    content_panels = KnowledgePage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
                FieldPanel("host"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("agenda"),
        FieldPanel("body"),
    ]
    search_fields = KnowledgePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("city"),
        index.FilterField("kind"),
        index.FilterField("start_date"),
    ]

    parent_page_types = ["practices.MeetingIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["start_date"]

    def clean(self):
        super().clean()
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The meeting cannot end before it starts.")
        if self.kind != MeetingKind.VIRTUAL and not self.country:
            errors["country"] = _("Give the country of a meeting that people travel to.")
        if errors:
            raise ValidationError(errors)
