"""Blocks shared by every content type's body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("who said it"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"


class BaseStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Text"), icon="pilcrow")
    heading = blocks.CharBlock(label=_("Heading"), icon="title", template="blocks/heading.html")
    image = ImageBlock(label=_("Image"))
    quote = QuoteBlock()
