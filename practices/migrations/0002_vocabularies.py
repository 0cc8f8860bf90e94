"""The controlled vocabularies of the exchange format, labelled in all six languages."""

import uuid

from django.db import migrations

from practices.shipped_vocabularies import AUDIENCES, FORMATS, LANGUAGES, THEMES


def create_terms(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    locales = [Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES]
    for model_name, terms in [("Theme", THEMES), ("Audience", AUDIENCES), ("Format", FORMATS)]:
        model = apps.get_model("practices", model_name)
        for slug, labels in terms.items():
            translation_key = uuid.uuid4()
            for locale, label in zip(locales, labels, strict=True):
                model.objects.get_or_create(
                    slug=slug, locale=locale,
                    defaults={"label": label, "translation_key": translation_key},
                )


def remove_terms(apps, schema_editor):
    for model_name, terms in [("Theme", THEMES), ("Audience", AUDIENCES), ("Format", FORMATS)]:
        apps.get_model("practices", model_name).objects.filter(slug__in=terms).delete()


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(create_terms, remove_terms)]
