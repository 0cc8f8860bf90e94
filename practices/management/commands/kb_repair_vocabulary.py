from dataclasses import dataclass

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail_localize.models import Translation

from practices.shipped_vocabularies import LANGUAGES, VOCABULARIES


@dataclass
class CopiedText:
    """A shipped term's label (or description) in one language that is another language's."""

    term: object
    field: str
    copied: str
    shipped: str

    def __str__(self):
        where = {
            "vocabulary": self.term._meta.model_name,
            "slug": self.term.slug,
            "language": self.term.locale.language_code,
        }
        if self.field == "label":
            return _("%(vocabulary)s %(slug)s %(language)s: '%(old)s' → '%(new)s'") % {
                **where,
                "old": self.copied,
                "new": self.shipped,
            }
        return (
            _(
                "%(vocabulary)s %(slug)s %(language)s: description copied from another language "
                "removed"
            )
            % where
        )


def translation_records_of_shipped_terms() -> list[tuple[Translation, object, object]]:
    """Every wagtail-localize Translation from a shipped term into one of the languages it
    was shipped in, with its source and target versions: such a record can only have been
    made over a version that already existed, and syncing it would overwrite it again."""
    found = []
    for model_name, terms in VOCABULARIES.items():
        model = apps.get_model("practices", model_name)
        versions = {
            (term.translation_key, term.locale_id): term
            for term in model.objects.filter(slug__in=terms).select_related("locale")
        }
        keys = {key for key, _locale in versions}
        records = Translation.objects.filter(
            source__object_id__in=keys, target_locale__language_code__in=LANGUAGES
        ).select_related("source__locale", "target_locale")
        for record in records.order_by("pk"):
            source = versions.get((record.source.object_id, record.source.locale_id))
            target = versions.get((record.source.object_id, record.target_locale_id))
            if source is not None:
                found.append((record, source, target))
    return found


def record_line(record, source) -> str:
    return _("%(vocabulary)s %(slug)s: translation record %(source)s → %(target)s deleted") % {
        "vocabulary": source._meta.model_name,
        "slug": source.slug,
        "source": record.source.locale.language_code,
        "target": record.target_locale.language_code,
    }


def copied_texts(records) -> list[CopiedText]:
    """Each shipped term's label that differs from its shipped label and is copied: another
    language's shipped label of the term, or the label of the version a translation record
    copies into it. And each description such a record copied (shipped descriptions are
    empty)."""
    copied_from = {}
    for _record, source, target in records:
        if target is not None:
            copied_from.setdefault(target.pk, []).append(source)
    found = []
    for model_name, terms in VOCABULARIES.items():
        model = apps.get_model("practices", model_name)
        for term in model.objects.filter(slug__in=terms).select_related("locale").order_by("pk"):
            shipped = dict(zip(LANGUAGES, terms[term.slug], strict=True))
            code = term.locale.language_code
            sources = [s for s in copied_from.get(term.pk, []) if type(s) is model]
            others = {label for c, label in shipped.items() if c != code}
            others |= {source.label for source in sources}
            if code in shipped and term.label != shipped[code] and term.label in others:
                found.append(CopiedText(term, "label", term.label, shipped[code]))
            if term.description and term.description in {s.description for s in sources}:
                found.append(CopiedText(term, "description", term.description, ""))
    return found


class Command(BaseCommand):
    help = (
        "Repairs the shipped vocabulary terms (themes, audiences, formats) that translating a "
        "page overwrote with another language's labels. Restores to its shipped label each "
        "label that was copied: one equal to another language's shipped label of the same "
        "term, or to the label of the version a translation record copied into it. Empties "
        "descriptions such a record copied (shipped descriptions are empty). Deletes the "
        "wagtail-localize translation records from a shipped term into another shipped "
        "language, which would overwrite it again when synced. A label an editor changed in "
        "its own language, copied from nowhere, is kept: whether it is better is a judgement "
        "the command does not make. Terms added after shipping are not touched. Safe to run "
        "again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the repairs without making them."
        )

    @transaction.atomic
    def handle(self, *args, dry_run=False, **options):
        records = translation_records_of_shipped_terms()
        texts = copied_texts(records)
        for text in texts:
            self.stdout.write(str(text))
        for record, source, _target in records:
            self.stdout.write(record_line(record, source))
        if not texts and not records:
            self.stdout.write(_("Nothing to repair."))
            return
        if dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))
            return
        for text in texts:
            setattr(text.term, text.field, text.shipped)
            text.term.save(update_fields=[text.field])
        Translation.objects.filter(pk__in=[record.pk for record, *_versions in records]).delete()
        self.stdout.write(
            _("Texts restored: %(texts)d; translation records deleted: %(records)d.")
            % {"texts": len(texts), "records": len(records)}
        )
