"""Writing to the person to ask about a practice or a library: the form a visitor fills in,
the checks that keep automatic spam out, and relaying the message by email.

The contact's address is never shown: the visitor writes here, the message is stored for
moderators (`ContactMessage`) and forwarded with the visitor's address as Reply-To, so the
contact answers directly. The email is written in a language the contact speaks.

Spam is kept out without third-party services: a field people never see (bots fill every
field), a signed time the form was shown (a person takes a few seconds to write; a form kept
for days is stale), and a limit per client on how often the form may be sent (the
`CONTACT_RATE_LIMIT` setting, applied by the site's rate limiter in `kb`)."""

import logging
import re
import time
from dataclasses import dataclass
from email.utils import formataddr

from django import forms
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from languages.codes import is_language, language_name_translated, locale_code
from languages.groups import live_versions, original_language

from .browse import publicly_visible
from .models.contact import ContactMessage, ContactMixin

logger = logging.getLogger(__name__)

# A person needs more than this to read the form and write a message.
FASTEST_HUMAN_SECONDS = 3
# A form shown longer ago than this is stale: sending it again gives a fresh one.
FORM_LIFETIME_SECONDS = 12 * 60 * 60
_SIGNING_SALT = "practices.contact.form-shown"
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


# The page and its contact ------------------------------------------------------------------


def page_with_contact(page_id: int):
    """The publicly visible practice or library page `page_id` if visitors can write to its
    contact, else None."""
    page = Page.objects.filter(publicly_visible(), pk=page_id).first()
    if page is None:
        return None
    page = page.specific
    if not isinstance(page, ContactMixin) or not page.has_contact:
        return None
    return page


@dataclass(frozen=True)
class Contact:
    """What a page shows of its contact: never the address."""

    name: str
    role: str
    languages: list[str]  # names in the reader's language
    writable: bool  # visitors can write through the form: there is an address to relay to


def contact_of(page) -> Contact | None:
    """The named person of a page, as the API and open data name them too."""
    if not isinstance(page, ContactMixin) or not page.contact_name:
        return None
    return Contact(
        name=page.contact_name,
        role=page.contact_role,
        languages=spoken_language_names(page.contact_languages),
        writable=page.has_contact,
    )


def spoken_language_names(codes) -> list[str]:
    """The contact's languages, named in the active language as it writes them ("suomi" in
    Finnish, "Finnish" in English)."""
    names = []
    for code in codes:
        try:
            names.append(language_name_translated(code))
        except KeyError:
            continue  # a code Django no longer knows: show nothing rather than fail the page
    return names


def email_language(page) -> str:
    """The language to write to the contact in: the page's language if they speak it, else
    the language of the page's original version if they speak that, else the first site
    language they speak, else the page's language."""
    page_language = locale_code(page.locale_id) or settings.LANGUAGE_CODE
    spoken = [code for code in page.contact_languages if is_language(code)]
    if not spoken or page_language in spoken:
        return page_language
    original = original_language(live_versions(page))
    if original in spoken:
        return original
    return spoken[0]


# Spam checks -------------------------------------------------------------------------------


def form_started_token(now: float | None = None) -> str:
    """A signed note of when the form was shown."""
    return signing.dumps(int(time.time() if now is None else now), salt=_SIGNING_SALT)


def seconds_since_form_shown(token: str, now: float | None = None) -> float | None:
    """Seconds since the form carrying `token` was shown, or None for a token this site did
    not sign."""
    try:
        shown_at = signing.loads(token, salt=_SIGNING_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(shown_at, int):
        return None
    return (time.time() if now is None else now) - shown_at


def _no_control_characters(value: str) -> None:
    if _CONTROL_CHARACTER.search(value):
        raise forms.ValidationError(_("Write this on one line."), code="control_character")


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=100, validators=[_no_control_characters]
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("The answer comes to this address. It is not published."),
    )
    organisation = forms.CharField(
        label=_("Library or organisation (optional)"),
        max_length=150,
        required=False,
        validators=[_no_control_characters],
    )
    message = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea)
    # The trap: hidden from people (by the stylesheet, and labelled for anyone who still
    # meets it), filled in by bots that fill every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        if not self.is_bound:
            self.initial["started"] = form_started_token()

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(
                _("The message looks automatic and was not sent. Leave the last field empty."),
                code="honeypot",
            )
        return ""

    def clean_started(self):
        seconds = seconds_since_form_shown(self.cleaned_data.get("started", ""))
        if seconds is None or seconds > FORM_LIFETIME_SECONDS:
            raise forms.ValidationError(
                _(
                    "This form was opened too long ago. Your text is kept below: please "
                    "send it again."
                ),
                code="stale",
            )
        if seconds < FASTEST_HUMAN_SECONDS:
            raise forms.ValidationError(
                _(
                    "The form was sent too quickly after it was opened, as automatic spam "
                    "is. Please check your message and send it again."
                ),
                code="too_fast",
            )
        return seconds

    def with_fresh_start(self):
        """After a refusal the visitor sends again: the next attempt needs a new token."""
        data = self.data.copy()
        data[self.add_prefix("started")] = form_started_token()
        self.data = data
        return self


# Relaying ----------------------------------------------------------------------------------


def record_and_relay(page, cleaned: dict, page_url: str) -> ContactMessage:
    """Stores the visitor's message, then forwards it to the page's contact by email in
    their language. A delivery failure leaves the message stored as not delivered for a
    moderator to forward; it never loses the message."""
    language = email_language(page)
    message = ContactMessage.objects.create(
        page=page,
        page_title=page.title[:255],
        recipient_name=page.contact_name,
        sender_name=cleaned["name"],
        sender_email=cleaned["email"],
        sender_organisation=cleaned.get("organisation", ""),
        message=cleaned["message"],
        language=language,
        # Not delivered until the mail server has taken it.
        status=ContactMessage.Status.FAILED,
    )
    try:
        relay_email(message, page, page_url).send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - whatever the mail server does, keep the message
        logger.warning("A contact message (%s) could not be relayed", message.pk, exc_info=True)
        message.error = f"{type(error).__name__}: {error}"[:255]
    else:
        message.status = ContactMessage.Status.SENT
    message.save(update_fields=["status", "error"])
    return message


def relay_email(message: ContactMessage, page, page_url: str) -> EmailMessage:
    context = {"message": message, "page_url": page_url, "page_title": page.title}
    with translation.override(message.language):
        subject = render_to_string("practices/contact/email_subject.txt", context)
        body = render_to_string("practices/contact/email_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split())[:200],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((page.contact_name, page.contact_email))],
        reply_to=[formataddr((message.sender_name, message.sender_email))],
    )
