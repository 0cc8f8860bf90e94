from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """How far a practice has taken root in a library."""

    TRIED = "tried", _("Tried")
    REPEATED = "repeated", _("Repeated")
    ANCHORED = "anchored", _("Anchored")


class MeetingKind(models.TextChoices):
    INTERNATIONAL = "international", _("International meeting")
    NATIONAL = "national", _("National meeting")
    VIRTUAL = "virtual", _("Virtual check-in")


class CostBand(models.TextChoices):
    FREE = "free", _("Free")
    LOW = "low", _("Low (under 100 €)")
    MEDIUM = "medium", _("Medium (100–500 €)")
    HIGH = "high", _("High (over 500 €)")


class Licence(models.TextChoices):
    CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0 (CC BY 4.0)")
    CC_BY_SA = "CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)")
    CC0 = "CC0-1.0", _("Public domain (CC0 1.0)")


# Languages a contact may speak: the site's languages first, then those most often spoken
# in the network's libraries. Names come from Django's own translated language list.
SPOKEN_LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES] + [
    "ru",
    "uk",
    "lt",
    "pl",
    "de",
    "nb",
    "is",
    "fr",
    "es",
    "ar",
]
