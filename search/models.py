"""Storage of the embedded (database) search backend, and the log of what people search for."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import analysis


class SearchEntry(models.Model):
    """One indexed language version of a page: its document, and the text columns that the
    database's full-text index (SQLite FTS5 table `search_fts`, or the PostgreSQL tsvector in
    `search_vector`) is built from. The text columns hold analysed tokens, not prose."""

    page_id = models.BigIntegerField(primary_key=True)
    translation_key = models.CharField(max_length=36, db_index=True)
    type = models.CharField(max_length=20)
    locale = models.CharField(max_length=8)
    original_locale = models.CharField(max_length=8)
    available_locales = models.CharField(max_length=64)  # ",en,fi,lv," for a LIKE test
    key = models.CharField(max_length=255)
    title = models.CharField(max_length=255)
    published_at = models.DateTimeField(null=True, db_index=True)
    sort_title = models.CharField(max_length=255, db_index=True)
    document = models.JSONField()
    # Analysed tokens, space-separated, per weighted field.
    title_tokens = models.TextField(blank=True)
    keyword_tokens = models.TextField(blank=True)
    summary_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    # The entry's facet values again, in one string (`backends.database.facet_text`): read
    # with each match of a query instead of joining every match to SearchFacetValue.
    facet_text = models.TextField(blank=True)
    # Practices: libraries where it became part of regular work (a ranking signal, a sort).
    anchored = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["locale", "type"]), models.Index(fields=["type", "key"])]

    def __str__(self):
        return f"{self.type} {self.key} ({self.locale})"


class SearchFacetValue(models.Model):
    """One value of one facet of an entry (themes, tags, country, ...): what filters and facet
    counts are computed from."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="facet_values")
    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=200)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "entry"]),
            models.Index(fields=["entry", "facet", "value"]),
        ]

    def __str__(self):
        return f"{self.facet}={self.value}"


class SearchTerm(models.Model):
    """The vocabulary of indexed words (unstemmed), with the number of entries using each: what
    typo tolerance and "did you mean" look words up in."""

    term = models.CharField(max_length=255, unique=True)
    length = models.PositiveSmallIntegerField(db_index=True)
    entry_count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.term


class IndexGeneration(models.Model):
    """One row: a counter raised after every committed change of the embedded index
    (`search.versions.index_changed`), which each process compares with what it keeps in
    memory."""

    value = models.BigIntegerField(default=0)

    def __str__(self):
        return str(self.value)


class SearchQueryLog(models.Model):
    """What librarians looked for and how much they found. No IP address, no user."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    query = models.CharField(_("query"), max_length=500, db_index=True)
    lang = models.CharField(_("language"), max_length=8)
    filters = models.JSONField(_("filters"), default=dict)
    result_count = models.PositiveIntegerField(_("results"))
    backend = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("search")
        verbose_name_plural = _("searches")
        indexes = [models.Index(fields=["lang", "created_at"])]

    def __str__(self):
        return f"{self.query!r} ({self.lang}): {self.result_count}"


class OpenCircuit(models.Model):
    """A server process whose circuit breaker in front of Elasticsearch is open (or probing):
    it answers searches from the database. One row per process, written when the circuit
    opens or a probe fails, deleted when it closes; what `search_index status` and the admin
    dashboard show (`search.backends.breaker`)."""

    process = models.CharField(max_length=120, primary_key=True)  # host:pid
    opened_at = models.DateTimeField()
    failures = models.PositiveIntegerField()
    last_error = models.TextField()
    next_probe_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.process}: open since {self.opened_at:%Y-%m-%d %H:%M:%S}"


class SynonymSet(models.Model):
    """Words a search treats as meaning the same: a query for one also finds the others
    (ranked below the word itself). Maintained by editors as a snippet; applied when
    queries are planned, so a change counts at once, on every search engine."""

    words = models.TextField(
        _("words"),
        help_text=_(
            "One word per line or separated by commas, e.g. “children, kids”. A set may mix "
            "languages: “children, lapset, børn”."
        ),
    )
    language = models.CharField(
        _("language of the words"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_(
            "Leave empty when the words are in several languages; they are then compared in "
            "every language."
        ),
    )

    class Meta:
        verbose_name = _("synonym set")
        verbose_name_plural = _("synonym sets")
        ordering = ["language", "words"]

    def __str__(self):
        return ", ".join(self.word_list())

    def word_list(self) -> list[str]:
        return list(dict.fromkeys(w.strip() for w in re.split(r"[,\n]", self.words) if w.strip()))

    def clean(self):
        words = self.word_list()
        several = [w for w in words if len(analysis.tokenize(w)) != 1]
        if several:
            raise ValidationError(
                {
                    "words": _("Each synonym must be a single word; these are not: %(words)s.")
                    % {"words": ", ".join(several)}
                }
            )
        if len(words) < 2:
            raise ValidationError({"words": _("A synonym set needs at least two words.")})
        self.words = ", ".join(words)
