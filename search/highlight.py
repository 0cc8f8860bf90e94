"""Snippets with the matched words in <mark>, everything else HTML-escaped."""

import functools
import re
from collections import deque
from itertools import islice

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
    """A window of words around the first match in a long text, or None without a match.
    Each distinct word is looked up once before the text is read as far as the window."""
    if not any(_matches(word, locale, forms) for word in set(_WORD.findall(text))):
        return None
    words = _WORD.finditer(text)
    before = deque(maxlen=SNIPPET_WORDS // 3 + 1)  # the match and the words before it
    for match in words:
        before.append(match)
        if _matches(match.group(), locale, forms):
            wanted = SNIPPET_WORDS + 1 - len(before)
            after = list(islice(words, wanted + 1))  # one more tells whether the text ends
            window = [*before, *after[:wanted]]
            start, end = window[0].start(), window[-1].end()
            if len(after) <= wanted:
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
