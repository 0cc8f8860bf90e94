"""The sections a librarian needs to run a practice."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .stream import RICH_TEXT_FEATURES, BaseStreamBlock


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"))
    duration_minutes = blocks.IntegerBlock(
        label=_("duration in minutes"), required=False, min_value=1
    )
    who = blocks.CharBlock(label=_("who does it"), required=False)
    description = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, label=_("what happens"), required=False
    )

    class Meta:
        icon = "list-ol"
        label = _("Step")


class SectionBlock(blocks.StructBlock):
    """A titled part of the method: materials, tips, accessibility, risks, variations."""

    kind = blocks.ChoiceBlock(
        label=_("section"),
        choices=[
            ("materials", _("Materials and space")),
            ("tips", _("Facilitation tips")),
            ("accessibility", _("Accessibility and inclusion")),
            ("risks", _("Risks and what did not work")),
            ("variations", _("Variations")),
        ],
    )
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("text"))

    class Meta:
        icon = "doc-full"
        label = _("Section")
        template = "practices/blocks/section.html"


class PracticeBodyBlock(BaseStreamBlock):
    steps = blocks.ListBlock(
        StepBlock(), label=_("Steps"), icon="list-ol", template="practices/blocks/steps.html"
    )
    section = SectionBlock()
