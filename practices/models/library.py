from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from practices.countries import country_choices, country_name

from ..stream import BaseStreamBlock
from .base import KnowledgePage
from .contact import ContactMixin


class LibraryPage(ContactMixin, KnowledgePage):
    """A public library: a partner of the network, or one that took up a practice."""

    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=country_choices)
    website = models.URLField(_("website"), blank=True)
    partner = models.BooleanField(
        _("partner of the network"),
        default=False,
        help_text=_("Partners run the network; other libraries take part by trying its practices."),
    )
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Where the library is, in decimal degrees (for example 57.538), for the map."),
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("For example 25.426."),
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("about the library"))

    content_panels = KnowledgePage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("city"),
                FieldPanel("country"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("website"),
                FieldPanel("partner"),
            ],
            heading=_("Where"),
        ),
        FieldPanel("body"),
        ContactMixin.contact_panel,
    ]
    search_fields = KnowledgePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("city"),
        index.FilterField("country"),
    ]

    parent_page_types = ["practices.LibraryIndexPage"]
    subpage_types = []

    override_translatable_fields = KnowledgePage.override_translatable_fields + [
        SynchronizedField("contact_name", overridable=False),
        SynchronizedField("contact_email", overridable=False),
        SynchronizedField("contact_languages", overridable=False),
    ]

    class Meta:
        verbose_name = _("library")
        verbose_name_plural = _("libraries")

    @property
    def name(self) -> str:
        return self.title

    def country_label(self, language: str) -> str:
        return country_name(self.country, language)
