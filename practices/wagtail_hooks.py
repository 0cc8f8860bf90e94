from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Audience, Format, Theme


class TermViewSet(SnippetViewSet):
    list_display = ["label", "slug", "locale"]
    search_fields = ["label"]
    ordering = ["label"]


class ThemeViewSet(TermViewSet):
    model = Theme
    icon = "tag"


class AudienceViewSet(TermViewSet):
    model = Audience
    icon = "group"


class FormatViewSet(TermViewSet):
    model = Format
    icon = "form"


class VocabularyGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, AudienceViewSet, FormatViewSet)
    menu_label = _("Vocabularies")
    menu_icon = "list-ul"
    menu_order = 250


register_snippet(VocabularyGroup)
