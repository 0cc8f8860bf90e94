from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField

from practices.page_forms import KnowledgePageForm


class KnowledgePage(Page):
    """A page of the knowledge base that other records refer to by a stable key.

    The key is the slug, kept the same in every language version (wagtail-localize would
    otherwise offer it for translation), so `/fi/practices/<key>/` and `/lv/practices/<key>/`
    are one practice and the exchange format and the API can name it in any language."""

    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_(
            "One or two sentences, shown in lists and search results (at most 300 characters)."
        ),
    )

    override_translatable_fields = [SynchronizedField("slug")]
    base_form_class = KnowledgePageForm

    class Meta:
        abstract = True

    @property
    def key(self) -> str:
        return self.slug
