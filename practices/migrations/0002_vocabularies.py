"""The controlled vocabularies of the exchange format, labelled in all six languages."""

import uuid

from django.db import migrations

LANGUAGES = ["en", "lv", "fi", "et", "da", "sv"]

THEMES = {
    "elections": ["Elections", "Vēlēšanas", "Vaalit", "Valimised", "Valg", "Val"],
    "media-literacy": ["Media literacy", "Medijpratība", "Medialukutaito", "Meediapädevus", "Mediekompetence", "Medie- och informationskunnighet"],
    "participation": ["Participation", "Līdzdalība", "Osallisuus", "Osalus", "Deltagelse", "Delaktighet"],
    "dialogue": ["Dialogue", "Dialogs", "Dialogi", "Dialoog", "Dialog", "Dialog"],
    "inclusion": ["Inclusion", "Iekļaušana", "Inkluusio", "Kaasamine", "Inklusion", "Inkludering"],
    "digital-citizenship": ["Digital citizenship", "Digitālā pilsonība", "Digitaalinen kansalaisuus", "Digitaalne kodanikuaktiivsus", "Digitalt medborgerskab", "Digitalt medborgarskap"],
    "local-democracy": ["Local democracy", "Vietējā demokrātija", "Paikallisdemokratia", "Kohalik demokraatia", "Lokaldemokrati", "Lokal demokrati"],
    "human-rights": ["Human rights", "Cilvēktiesības", "Ihmisoikeudet", "Inimõigused", "Menneskerettigheder", "Mänskliga rättigheter"],
    "sustainability": ["Sustainability", "Ilgtspēja", "Kestävä kehitys", "Kestlikkus", "Bæredygtighed", "Hållbarhet"],
    "networking": ["Networking", "Sadarbības tīkli", "Verkostoituminen", "Võrgustikutöö", "Netværk", "Nätverkande"],
}

AUDIENCES = {
    "children": ["Children", "Bērni", "Lapset", "Lapsed", "Børn", "Barn"],
    "youth": ["Young people", "Jaunieši", "Nuoret", "Noored", "Unge", "Unga"],
    "adults": ["Adults", "Pieaugušie", "Aikuiset", "Täiskasvanud", "Voksne", "Vuxna"],
    "seniors": ["Seniors", "Seniori", "Ikäihmiset", "Eakad", "Ældre", "Seniorer"],
    "newcomers": ["Newcomers", "Iebraucēji", "Maahan muuttaneet", "Uussisserändajad", "Nytilkomne", "Nyanlända"],
    "families": ["Families", "Ģimenes", "Perheet", "Pered", "Familier", "Familjer"],
    "librarians": ["Librarians", "Bibliotekāri", "Kirjastoammattilaiset", "Raamatukoguhoidjad", "Bibliotekarer", "Bibliotekarier"],
    "decision-makers": ["Decision-makers", "Lēmumu pieņēmēji", "Päättäjät", "Otsustajad", "Beslutningstagere", "Beslutsfattare"],
}

FORMATS = {
    "workshop": ["Workshop", "Darbnīca", "Työpaja", "Töötuba", "Workshop", "Workshop"],
    "debate": ["Debate", "Debates", "Väittely", "Väitlus", "Debat", "Debatt"],
    "event": ["Event", "Pasākums", "Tapahtuma", "Üritus", "Arrangement", "Evenemang"],
    "course": ["Course", "Kurss", "Kurssi", "Kursus", "Kursus", "Kurs"],
    "exhibition": ["Exhibition", "Izstāde", "Näyttely", "Näitus", "Udstilling", "Utställning"],
    "game": ["Game", "Spēle", "Peli", "Mäng", "Spil", "Spel"],
    "service": ["Service", "Pakalpojums", "Palvelu", "Teenus", "Tilbud", "Tjänst"],
    "campaign": ["Campaign", "Kampaņa", "Kampanja", "Kampaania", "Kampagne", "Kampanj"],
    "toolkit": ["Toolkit", "Rīku komplekts", "Työkalupakki", "Tööriistakast", "Værktøjskasse", "Verktygslåda"],
    "meeting": ["Meeting", "Tikšanās", "Tapaaminen", "Kohtumine", "Møde", "Möte"],
}


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
