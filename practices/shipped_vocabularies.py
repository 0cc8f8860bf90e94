"""The controlled vocabularies as shipped: every term's label in all six languages.

Plain data, read by the migration that creates the terms (`0002_vocabularies`) and by
`manage.py kb_repair_vocabulary`, which restores labels copied over from another language.
Changing a label here changes neither the database nor what the migration did: the shipped
labels are a record, add or relabel terms in a new migration."""

# One row per term, its labels in the order of LANGUAGES.
# fmt: off
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
# fmt: on

VOCABULARIES = {"Theme": THEMES, "Audience": AUDIENCES, "Format": FORMATS}
