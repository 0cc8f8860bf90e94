"""Controlled vocabularies: themes, audiences and formats.

Each term is a translatable snippet: one row per language, sharing a translation key, so a
practice's themes follow it into every language (through translatable orderables)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField


class Term(TranslatableMixin, index.Indexed, models.Model):
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        help_text=_(
            "The term's identifier in the exchange format and in search filters, the same in every language."
        ),
    )
    label = models.CharField(_("label"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("label"), FieldPanel("slug"), FieldPanel("description")]
    translatable_fields = [
        SynchronizedField("slug"),
        TranslatableField("label"),
        TranslatableField("description"),
    ]
    search_fields = [index.SearchField("label"), index.FilterField("locale_id")]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["label"]

    def __str__(self):
        return self.label


class Theme(Term):
    class Meta(Term.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_theme_slug_per_locale")
        ]


class Audience(Term):
    class Meta(Term.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="unique_audience_slug_per_locale"
            )
        ]


class Format(Term):
    class Meta(Term.Meta):
        verbose_name = _("format")
        verbose_name_plural = _("formats")
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_format_slug_per_locale")
        ]
