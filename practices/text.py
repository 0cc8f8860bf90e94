"""Plain text out of rich text and StreamField values, by one set of rules for the exchange
format's export, the importer's comparisons and the search documents: block elements end a
paragraph, `<br>` ends a line, runs of spaces become one, entities are decoded."""

import re
from html.parser import HTMLParser

from wagtail import blocks
from wagtail.images.blocks import ImageBlock

_WHITESPACE = re.compile(r"\s+")


def clean_line(text: str) -> str:
    """One line of text with its runs of spaces (HTML would show one) made single."""
    return " ".join(text.split())


def text_paragraphs(text: str) -> list[str]:
    """The paragraphs of a plain text: a blank line separates them; a paragraph keeps its
    single line breaks."""
    paragraphs: list[str] = []
    lines: list[str] = []
    for raw_line in text.splitlines():
        line = clean_line(raw_line)
        if line:
            lines.append(line)
        elif lines:
            paragraphs.append("\n".join(lines))
            lines = []
    if lines:
        paragraphs.append("\n".join(lines))
    return paragraphs


class _HTMLParagraphs(HTMLParser):
    """Rich text to plain paragraphs: block elements end a paragraph, ``<br>`` ends a line,
    other tags are dropped and entities decoded."""

    BLOCK_TAGS = frozenset(
        "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
        "h6 header hr li main nav ol p pre section table td th tr ul".split()
    )

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self._current.append("\n")
        elif tag in self.BLOCK_TAGS:
            self._end_paragraph()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.BLOCK_TAGS:
            self._end_paragraph()

    def handle_data(self, data):
        # Line breaks in the HTML source are only spaces; <br> makes the real ones.
        self._current.append(_WHITESPACE.sub(" ", data))

    def close(self):
        super().close()
        self._end_paragraph()

    def _end_paragraph(self):
        if self._current:
            self.paragraphs.extend(text_paragraphs("".join(self._current)))
            self._current = []


def html_paragraphs(html: str) -> list[str]:
    parser = _HTMLParagraphs()
    parser.feed(html or "")
    parser.close()
    return parser.paragraphs


def _block_paragraphs(block, value, paragraphs: list[str], images: bool) -> None:
    if value is None:
        return
    if isinstance(block, ImageBlock):
        # An image's value is the image itself; its description is the text it has.
        if images and getattr(value, "description", ""):
            paragraphs.extend(text_paragraphs(value.description))
    elif isinstance(block, blocks.RichTextBlock):
        paragraphs.extend(html_paragraphs(value.source))
    elif isinstance(block, blocks.CharBlock | blocks.TextBlock):
        paragraphs.extend(text_paragraphs(value))
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            _block_paragraphs(child_block, value.get(name), paragraphs, images)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            _block_paragraphs(block.child_block, item, paragraphs, images)
    elif isinstance(block, blocks.StreamBlock):
        for child in value:
            _block_paragraphs(child.block, child.value, paragraphs, images)
    # Numbers and choices carry no text of their own.


def body_paragraphs(stream_value, images: bool = False) -> list[str]:
    """The text of a body StreamField as plain paragraphs: headings, quotes, steps and
    sections become paragraphs too; with `images`, so do the images' descriptions (the
    exchange format carries no images, search finds them by their description)."""
    paragraphs: list[str] = []
    for child in stream_value or ():
        _block_paragraphs(child.block, child.value, paragraphs, images)
    return paragraphs


def body_text(stream_value, images: bool = False) -> str:
    return "\n\n".join(body_paragraphs(stream_value, images))


def html_text(html: str) -> str:
    return "\n\n".join(html_paragraphs(html))
