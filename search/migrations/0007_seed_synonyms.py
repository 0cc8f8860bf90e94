"""Sensible first synonym sets; editors change them under Snippets → Synonyms."""

from django.db import migrations

SETS = [
    ("en", "seniors, pensioners, retirees, elderly, older"),
    ("fi", "eläkeläiset, ikäihmiset, seniorit, ikääntyneet"),
    ("da", "pensionister, ældre, seniorer"),
    ("sv", "pensionärer, äldre, seniorer"),
    ("et", "pensionärid, eakad, seeniorid"),
    ("lv", "pensionāri, seniori"),
    ("", "children, kids, bērni, lapset, lapsed, børn, barn"),
    ("", "library, bibliotēka, kirjasto, raamatukogu, bibliotek"),
    (
        "",
        "youth, teenagers, teens, jaunieši, pusaudži, nuoret, teinit, noored, teismelised, "
        "unge, teenagere, ungdomar, tonåringar",
    ),
    (
        "",
        "immigrants, migrants, newcomers, imigranti, maahanmuuttajat, sisserändajad, "
        "indvandrere, invandrare, nyanlända",
    ),
    (
        "",
        "disinformation, misinformation, dezinformācija, disinformaatio, valeuutiset, "
        "desinformatsioon, desinformation",
    ),
    ("", "voting, vote, balsošana, äänestys, hääletamine, afstemning, omröstning"),
    ("", "källkritik, kildekritik, lähdekritiikki, lähdekriittisyys, allikakriitika"),
    ("", "nuorisovaltuusto, ungdomsråd, ungdomsfullmäktige, noortevolikogu"),
]


def seed(apps, schema_editor):
    SynonymSet = apps.get_model("search", "SynonymSet")
    if SynonymSet.objects.exists():
        return
    SynonymSet.objects.bulk_create(
        SynonymSet(language=language, words=words) for language, words in SETS
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0006_synonym_set")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
