from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
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
from practices.outcomes import outcome_errors
from practices.permissions import LibraryPermissionsMixin

from ..stream import BaseStreamBlock
from .base import KnowledgePage


class CaseStudyTag(TaggedItemBase):
    content_object = ParentalKey(
        "practices.CaseStudyPage", related_name="tagged_items", on_delete=models.CASCADE
    )


def OutcomeShareField(verbose_name):  # noqa: N802 - a field factory, read like a field class
    return models.PositiveSmallIntegerField(
        verbose_name, null=True, blank=True, validators=[MaxValueValidator(100)]
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
    outcome_respondents = models.PositiveIntegerField(
        _("respondents"),
        null=True,
        blank=True,
        help_text=_("How many participants answered the four outcome questions."),
    )
    outcome_learned = OutcomeShareField(_("learned something new"))
    outcome_confident = OutcomeShareField(_("feel more confident"))
    outcome_will_apply = OutcomeShareField(_("will apply what they learned"))
    outcome_aware = OutcomeShareField(_("more aware of what the library offers"))
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
        MultiFieldPanel(
            [
                FieldPanel("outcome_respondents"),
                FieldRowPanel([FieldPanel("outcome_learned"), FieldPanel("outcome_confident")]),
                FieldRowPanel([FieldPanel("outcome_will_apply"), FieldPanel("outcome_aware")]),
            ],
            heading=_("Outcome measures"),
            help_text=_(
                "The four questions asked after every programme: the share of respondents who "
                "agree or strongly agree, in percent."
            ),
        ),
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

    def clean(self):
        super().clean()
        errors = outcome_errors(self)
        if errors:
            raise ValidationError(errors)
