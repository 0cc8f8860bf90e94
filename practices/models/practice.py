from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from practices.blocks import PracticeBodyBlock
from practices.choices import CostBand, Licence
from practices.permissions import LibraryPermissionsMixin

from .base import KnowledgePage
from .contact import ContactMixin

TAGS_HELP_TEXT = _(
    "Free keywords, the same in every language (for example: elections, fact-checking, "
    "youth-council). Themes, audiences and format are translated; tags are not."
)


class PracticeTag(TaggedItemBase):
    content_object = ParentalKey(
        "practices.PracticePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class PracticeTheme(TranslatableMixin, Orderable):
    """A practice's theme. Translatable, so that a translated practice points at the theme's
    translation rather than at the source language's term."""

    page = ParentalKey(
        "practices.PracticePage", related_name="theme_links", on_delete=models.CASCADE
    )
    theme = models.ForeignKey(
        "practices.Theme", verbose_name=_("theme"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("theme")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("theme")


class PracticeAudience(TranslatableMixin, Orderable):
    page = ParentalKey(
        "practices.PracticePage", related_name="audience_links", on_delete=models.CASCADE
    )
    audience = models.ForeignKey(
        "practices.Audience", verbose_name=_("audience"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("audience")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("audience")


class PracticeMaterial(TranslatableMixin, Orderable):
    """A downloadable handout, template or slide deck for running the practice."""

    page = ParentalKey("practices.PracticePage", related_name="materials", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language the material is written in; leave empty if it has no text."),
    )

    panels = [FieldPanel("document"), FieldPanel("description"), FieldPanel("language")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("material")


class PracticePage(LibraryPermissionsMixin, ContactMixin, KnowledgePage):
    """A method of democracy education that a library can run."""

    purpose = models.TextField(
        _("purpose"), blank=True, help_text=_("Why a library would run it: what it changes.")
    )
    body = StreamField(PracticeBodyBlock(), blank=True, verbose_name=_("how to run it"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    duration_minutes = models.PositiveIntegerField(_("duration in minutes"), null=True, blank=True)
    group_size = models.CharField(
        _("group size"), max_length=50, blank=True, help_text=_("For example 10-30.")
    )
    preparation_minutes = models.PositiveIntegerField(
        _("preparation time in minutes"), null=True, blank=True
    )
    cost_band = models.CharField(_("cost"), max_length=10, choices=CostBand.choices, blank=True)
    staff_needed = models.PositiveSmallIntegerField(_("staff needed"), null=True, blank=True)

    format = models.ForeignKey(
        "practices.Format",
        verbose_name=_("format"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(
        through=PracticeTag, blank=True, verbose_name=_("tags"), help_text=TAGS_HELP_TEXT
    )

    library = models.ForeignKey(
        "practices.LibraryPage",
        verbose_name=_("library it comes from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    meeting = models.ForeignKey(
        "practices.MeetingPage",
        verbose_name=_("first shared at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices_first_shared",
    )

    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.CC_BY
    )

    content_panels = KnowledgePage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("purpose"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("preparation_minutes")]),
                FieldRowPanel(
                    [FieldPanel("group_size"), FieldPanel("staff_needed"), FieldPanel("cost_band")]
                ),
            ],
            heading=_("Practical facts"),
        ),
        MultiFieldPanel(
            [
                InlinePanel("theme_links", label=_("Themes"), min_num=1),
                InlinePanel("audience_links", label=_("Audiences")),
                FieldPanel("format"),
                FieldPanel("tags"),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [FieldPanel("library"), FieldPanel("meeting")],
            heading=_("Where it comes from"),
        ),
        FieldPanel("image"),
        InlinePanel("materials", label=_("Materials to download")),
        FieldPanel("licence"),
        ContactMixin.contact_panel,
    ]
    search_fields = KnowledgePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("purpose"),
        index.SearchField("body"),
    ]
    override_translatable_fields = KnowledgePage.override_translatable_fields + [
        SynchronizedField("group_size"),
        SynchronizedField("contact_name", overridable=False),
        SynchronizedField("contact_email", overridable=False),
        SynchronizedField("contact_languages", overridable=False),
    ]

    parent_page_types = ["practices.PracticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    @property
    def themes(self):
        return [link.theme for link in self.theme_links.all()]

    @property
    def audiences(self):
        return [link.audience for link in self.audience_links.all()]
