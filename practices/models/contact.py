"""A person to ask about a practice or a library. The email address is for relaying
visitors' messages only: it is never shown on a page nor written to open data."""

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from practices.choices import SPOKEN_LANGUAGE_CODES


def spoken_language_choices():
    return [(code, get_language_info(code)["name_local"]) for code in SPOKEN_LANGUAGE_CODES]


class LanguageListField(models.CharField):
    """Language codes, stored as `fi,en,sv`, edited as checkboxes, read as a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    @staticmethod
    def split(value) -> list[str]:
        if value is None:
            return []
        if isinstance(value, list | tuple):
            return [code for code in value if code]
        return [code.strip() for code in str(value).split(",") if code.strip()]

    def from_db_value(self, value, expression, connection):
        return self.split(value)

    def to_python(self, value):
        return self.split(value)

    def get_prep_value(self, value):
        return ",".join(self.split(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        unknown = [code for code in self.split(value) if code not in SPOKEN_LANGUAGE_CODES]
        if unknown:
            raise forms.ValidationError(
                _("Unknown language code: %(codes)s") % {"codes": ", ".join(unknown)}
            )

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=spoken_language_choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=self.verbose_name,
            help_text=self.help_text,
        )


class ContactMixin(models.Model):
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_role = models.CharField(
        _("role"),
        max_length=120,
        blank=True,
        help_text=_("For example: librarian for youth services."),
    )
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_(
            "Never shown on the site nor in open data: visitors write through a form and the "
            "message is forwarded to this address."
        ),
    )
    contact_languages = LanguageListField(_("languages spoken"))

    contact_panel = MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_role")]),
            FieldPanel("contact_email"),
            FieldPanel("contact_languages"),
        ],
        heading=_("A person to ask"),
    )

    class Meta:
        abstract = True

    def public_contact(self) -> dict | None:
        """The person to ask as the API and open data publish them: never the address."""
        if not self.contact_name:
            return None
        return {
            "name": self.contact_name,
            "role": self.contact_role,
            "languages": list(self.contact_languages),
        }

    @property
    def has_contact(self) -> bool:
        """Visitors can write to someone: a name and an address to relay to."""
        return bool(self.contact_name and self.contact_email)


class ContactMessage(models.Model):
    """A visitor's message to the contact of a practice or a library, kept for moderators
    whether or not it could be delivered."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not delivered")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("about"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    page_title = models.CharField(_("page"), max_length=255)
    recipient_name = models.CharField(_("to"), max_length=100)
    sender_name = models.CharField(_("name"), max_length=100)
    sender_email = models.EmailField(_("email"))
    sender_organisation = models.CharField(_("library or organisation"), max_length=150, blank=True)
    message = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    error = models.CharField(_("delivery error"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.sender_name} → {self.recipient_name}: {self.page_title}"
