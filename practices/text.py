"""Plain text out of rich text and StreamField values: for search, exports and snippets."""

import html
import re

_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote)>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t]+")


def html_to_text(value: str) -> str:
    """Rich text HTML as plain text: a line break stays a line break, a paragraph ends with a
    blank line, tags go, entities are decoded."""
    text = _BREAK.sub("\n", str(value))
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(_TAG.sub("", text))
    paragraphs = [_SPACES.sub(" ", p).strip(" ") for p in text.split("\n\n")]
    return "\n\n".join(p.strip("\n") for p in paragraphs if p.strip())


def stream_to_paragraphs(stream_value) -> list[str]:
    """Each block of a StreamField as one or more plain-text paragraphs, in order."""
    paragraphs = []
    for block in stream_value or []:
        paragraphs.extend(_block_paragraphs(block.block_type, block.value))
    return [p for p in paragraphs if p]


def stream_to_text(stream_value) -> str:
    return "\n\n".join(stream_to_paragraphs(stream_value))


def _block_paragraphs(block_type: str, value) -> list[str]:
    if block_type == "paragraph":
        return html_to_text(value.source if hasattr(value, "source") else value).split("\n\n")
    if block_type == "heading":
        return [str(value).strip()]
    if block_type == "quote":
        return [value.get("text", "").strip(), value.get("attribution", "").strip()]
    if block_type == "image":
        return [getattr(value, "description", "") or ""]
    if block_type == "steps":
        return [_step_text(step) for step in value]
    if block_type == "section":
        return html_to_text(value["text"].source).split("\n\n")
    return []


def _step_text(step) -> str:
    description = html_to_text(step["description"].source) if step.get("description") else ""
    return "\n".join(
        part for part in [step.get("title", ""), step.get("who", "") or "", description] if part
    )
