"""Snippets with the matched words in <mark>, everything else HTML-escaped."""

import functools
import re

from django.utils.html import escape

from .tokens import text_tokens

_WORD = re.compile(r"\w+", re.UNICODE)
SNIPPET_WORDS = 36


def _matches(word: str, locale: str, forms: set[str]) -> bool:
    return not _indexed_forms(word, locale).isdisjoint(forms)


# A page of results marks the same words again and again, in every request.
@functools.lru_cache(maxsize=100_000)
def _indexed_forms(word: str, locale: str) -> frozenset[str]:
    """The tokens under which a word of a text in `locale` is indexed."""
    return frozenset(text_tokens(word, locale))


def mark(text: str, locale: str, forms: set[str]) -> tuple[str, bool]:
    """The whole text, escaped, with matching words marked; and whether anything matched."""
    out, last, found = [], 0, False
    for match in _WORD.finditer(text):
        if _matches(match.group(), locale, forms):
            out.append(escape(text[last : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            last, found = match.end(), True
    out.append(escape(text[last:]))
    return "".join(out), found


def snippet(text: str, locale: str, forms: set[str]) -> str | None:
    """A window of words around the first match in a long text, or None without a match."""
    words = list(_WORD.finditer(text))
    for index, match in enumerate(words):
        if _matches(match.group(), locale, forms):
            first = max(0, index - SNIPPET_WORDS // 3)
            last = min(len(words) - 1, first + SNIPPET_WORDS)
            start, end = words[first].start(), words[last].end()
            if last == len(words) - 1:
                end = len(text)  # the text's own last punctuation, not an ellipsis
            marked, _found = mark(text[start:end], locale, forms)
            return ("… " if start > 0 else "") + marked + (" …" if end < len(text) else "")
    return None


def highlight(document: dict, forms: set[str]) -> str:
    locale = document["locale"]
    summary = document.get("summary") or ""
    if forms:
        marked, found = mark(summary, locale, forms)
        if found:
            return marked
        body_snippet = snippet(document.get("body") or "", locale, forms)
        if body_snippet:
            return body_snippet
    return escape(summary)
