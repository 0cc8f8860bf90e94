"""Writing to the person to ask about a practice or a library: the panel on the pages, the
contact form, the relayed email in the contact's language, the spam checks, and the stored
messages in the admin. The contact's address is never on a public page."""

import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.models import PageViewRestriction

from kb.security import contact_rate_limit_message
from practices.contact import FORM_LIFETIME_SECONDS, form_started_token
from practices.models import ContactMessage
from practices.open_data import directory, generate_open_data
from practices.roles import grant_role, setup_roles
from tests.factories import CaseStudyFactory, LibraryFactory, PracticeFactory, translate

pytestmark = pytest.mark.django_db

ADDRESS = "ilze.ozola.private@valmiera.example"
LIBRARY_ADDRESS = "democracy.desk@turku.example"


@pytest.fixture(autouse=True)
def _empty_rate_limit_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def library(db):
    return LibraryFactory(
        title="Valmiera Library",
        slug="valmiera",
        country="LV",
        contact_name="Jānis Bērziņš",
        contact_role="Director",
        contact_email=LIBRARY_ADDRESS,
        contact_languages=["lv", "en"],
    )


@pytest.fixture
def practice(library):
    page = PracticeFactory(
        title="Debate night",
        slug="debate-night",
        library=library,
        contact_name="Ilze Ozola",
        contact_role="Youth librarian",
        contact_email=ADDRESS,
        contact_languages=["fi", "ru"],
    )
    return page


def form_data(**changes):
    data = {
        "name": "Anna Virtanen",
        "email": "anna@turku.example",
        "organisation": "Turku City Library",
        "message": "How long did you prepare the first debate night?",
        "website": "",
        # Opened a minute ago, as a person who read the page and wrote a question.
        "started": form_started_token(now=time.time() - 60),
    }
    data.update(changes)
    return data


def contact_url(page, language="en"):
    with translation.override(language):
        return reverse("contact", args=[page.pk])


# The panel on the pages -------------------------------------------------------------------


def test_the_practice_page_names_whom_to_ask_and_links_the_form(client, practice):
    html = client.get(practice.url).content.decode()

    assert "Ask about this practice" in html
    assert "Ilze Ozola" in html and "Youth librarian" in html
    assert "Languages spoken: Finnish, Russian" in html
    assert f'href="{contact_url(practice)}"' in html


def test_the_contacts_languages_are_named_in_the_readers_language(client, practice):
    finnish = translate(practice, "fi")

    html = client.get(finnish.url).content.decode()

    assert "suomi, venäjä" in html


def test_the_practice_without_case_studies_points_to_the_form(client, practice):
    html = client.get(practice.url).content.decode()

    assert "No library has reported running this practice yet." in html
    assert f'<a href="{contact_url(practice)}">Write to us about it</a>' in html


def test_the_library_page_offers_to_ask_the_library(client, library):
    html = client.get(library.url).content.decode()

    assert "Ask the library" in html
    assert "Jānis Bērziņš" in html
    assert f'href="{contact_url(library)}"' in html


def test_a_contact_without_an_address_is_named_but_cannot_be_written_to(client, library):
    practice = PracticeFactory(library=library, contact_name="Someone", contact_email="")

    html = client.get(practice.url).content.decode()
    assert "Ask about this practice" in html and "Someone" in html
    assert "Write to Someone" not in html and contact_url(practice) not in html
    assert client.get(contact_url(practice)).status_code == 404


def test_a_page_without_a_contact_has_no_panel_and_no_form(client, library):
    practice = PracticeFactory(library=library, contact_name="", contact_email="")

    assert "Ask about this practice" not in client.get(practice.url).content.decode()
    assert client.get(contact_url(practice)).status_code == 404


def test_the_address_is_on_no_public_page(client, practice, library, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    CaseStudyFactory(practice=practice, library=library, title="Our debate night")
    paths = [
        practice.url,
        library.url,
        contact_url(practice),
        contact_url(library),
        "/en/practices/",
        "/en/libraries/",
        "/en/search/?q=debate",
        "/en/search/?q=Ozola",
        "/api/v1/practices",
        "/api/v1/practices/debate-night",
        "/api/v1/libraries",
        "/api/v1/libraries/valmiera",
        "/api/v1/search?q=debate",
        "/en/feeds/practices.atom",
        "/en/feeds/case-studies.atom",
        "/en/open-data/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert ADDRESS not in html, path
        assert LIBRARY_ADDRESS not in html, path
        assert "mailto:" not in html, path

    generate_open_data()
    for written in directory().iterdir():
        text = written.read_text(encoding="utf-8", errors="replace")
        assert ADDRESS not in text, written.name
        assert LIBRARY_ADDRESS not in text, written.name


# Sending ----------------------------------------------------------------------------------


def test_a_message_is_relayed_in_the_contacts_language_with_the_visitor_as_reply_to(
    client, practice, settings
):
    response = client.post(contact_url(practice), form_data())

    assert response.status_code == 302
    assert response.url == reverse("contact_sent", args=[practice.pk])
    [email] = mail.outbox
    assert email.to == [f"Ilze Ozola <{ADDRESS}>"]
    assert email.reply_to == ["Anna Virtanen <anna@turku.example>"]
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    # The page is English, the contact speaks Finnish (and Russian): the email is Finnish.
    assert f"Sivu: {practice.full_url}" in email.body
    assert "How long did you prepare the first debate night?" in email.body
    assert "Turku City Library" in email.body
    assert "Debate night" in email.subject

    stored = ContactMessage.objects.get()
    assert stored.status == ContactMessage.Status.SENT
    assert stored.language == "fi"
    assert (stored.page_id, stored.sender_email) == (practice.pk, "anna@turku.example")


def test_the_email_is_in_the_pages_language_when_the_contact_speaks_it(client, library):
    client.post(contact_url(library), form_data())

    assert ContactMessage.objects.get().language == "en"
    assert f"Page: {library.full_url}" in mail.outbox[0].body


def test_from_a_translation_the_email_is_in_the_original_language_the_contact_speaks(
    client, library
):
    original = PracticeFactory(
        locale="fi",
        library=library,
        contact_name="Ilze Ozola",
        contact_email=ADDRESS,
        contact_languages=["en", "fi"],
    )
    latvian = translate(original, "lv")

    response = client.post(contact_url(latvian, "lv"), form_data())

    assert response.status_code == 302
    assert ContactMessage.objects.get().language == "fi"
    assert "Sivu: " in mail.outbox[0].body


def test_the_thank_you_page_says_the_message_was_sent(client, practice):
    response = client.post(contact_url(practice), form_data(), follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Your message has been sent to Ilze Ozola by email." in html
    assert f'href="{practice.url}"' in html
    assert ADDRESS not in html


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=9,  # the discard port: nothing listens there, the connection is refused
    EMAIL_TIMEOUT=2,
)
def test_a_mail_server_failure_keeps_the_message_and_tells_the_visitor(client, practice):
    response = client.post(contact_url(practice), form_data(), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("contact_saved", args=[practice.pk])
    assert "A moderator of the network will forward it" in response.content.decode()
    stored = ContactMessage.objects.get()
    assert stored.status == ContactMessage.Status.FAILED
    assert stored.error
    assert stored.message == "How long did you prepare the first debate night?"


def test_a_missing_address_is_refused_with_the_text_kept_and_escaped(client, practice):
    response = client.post(
        contact_url(practice), form_data(email="", name="<script>alert(1)</script>")
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "How long did you prepare the first debate night?" in html
    assert not mail.outbox and not ContactMessage.objects.exists()


def test_an_address_longer_than_can_be_stored_is_refused_not_a_server_error(client, practice):
    # Valid by the email standard's 320 characters, but longer than the stored 254.
    address = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".example"
    assert 254 < len(address) <= 320

    response = client.post(contact_url(practice), form_data(email=address))

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not mail.outbox and not ContactMessage.objects.exists()


def test_a_private_pages_form_is_not_found(client, practice):
    PageViewRestriction.objects.create(
        page=practice, restriction_type=PageViewRestriction.PASSWORD, password="board"
    )

    assert client.get(contact_url(practice)).status_code == 404
    assert client.post(contact_url(practice), form_data()).status_code == 404
    assert not mail.outbox


def test_an_unpublished_pages_form_is_not_found(client, practice):
    practice.unpublish()

    assert client.get(contact_url(practice)).status_code == 404


def test_a_page_that_is_no_practice_or_library_has_no_form(client, practice):
    case_study = CaseStudyFactory(practice=practice)

    assert client.get(contact_url(case_study)).status_code == 404
    assert client.get("/en/contact/999999/").status_code == 404


def test_the_form_needs_the_csrf_token(practice):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(contact_url(practice), form_data())

    assert response.status_code == 403
    assert not mail.outbox


# Spam -------------------------------------------------------------------------------------


def test_the_honeypot_refuses_a_filled_trap(client, practice):
    response = client.post(contact_url(practice), form_data(website="http://spam.example"))

    assert response.status_code == 400
    assert "The message looks automatic and was not sent." in response.content.decode()
    assert not mail.outbox and not ContactMessage.objects.exists()


@pytest.mark.parametrize(
    "started, says",
    [
        (lambda: form_started_token(), "The form was sent too quickly"),
        (
            lambda: form_started_token(now=time.time() - FORM_LIFETIME_SECONDS - 60),
            "This form was opened too long ago.",
        ),
        (lambda: "1700000000:forged", "This form was opened too long ago."),
    ],
    ids=["too fast", "too old", "forged"],
)
def test_a_form_sent_too_fast_or_too_late_is_refused_with_a_fresh_start(
    client, practice, started, says
):
    response = client.post(contact_url(practice), form_data(started=started()))

    assert response.status_code == 400
    html = response.content.decode()
    assert says in html
    assert not mail.outbox and not ContactMessage.objects.exists()
    # Sent again (a few seconds later), the refreshed form goes through.
    fresh = response.context["form"]["started"].value()
    assert fresh != form_data()["started"]


@override_settings(CONTACT_RATE_LIMIT="2/h")
def test_the_rate_limit_refuses_a_third_message_in_the_readers_language(client, practice):
    url = contact_url(practice, "fi")
    statuses = [client.post(url, form_data()).status_code for _ in range(2)]
    refused = client.post(url, form_data())

    assert statuses == [302, 302]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    html = refused.content.decode()
    assert '<html lang="fi">' in html
    with translation.override("fi"):
        message = contact_rate_limit_message(int(refused["Retry-After"]))
    assert escape(message) in html
    assert len(mail.outbox) == 2
    # Reading the form is not limited.
    assert client.get(url).status_code == 200


# Moderators read the messages -------------------------------------------------------------


@pytest.fixture
def people(library):
    setup_roles()
    return {
        role: grant_role(f"{role}-valmiera", f"{role}@valmiera.example", role, "valmiera").user
        for role in ("partner", "moderator", "translator")
    }


def test_a_moderator_reads_the_messages_and_a_partner_cannot(client, practice, people):
    client.post(contact_url(practice), form_data())
    stored = ContactMessage.objects.get()
    index = reverse("contact_messages:index")
    inspect = reverse("contact_messages:inspect", args=[stored.pk])

    client.force_login(people["moderator"])
    listing = client.get(index)
    assert listing.status_code == 200
    assert "Anna Virtanen" in listing.content.decode()
    detail = client.get(inspect).content.decode()
    assert "How long did you prepare the first debate night?" in detail
    assert index in client.get(reverse("wagtailadmin_home")).content.decode()
    # Read only: nobody edits or deletes a visitor's message.
    assert client.get(reverse("contact_messages:edit", args=[stored.pk])).status_code in (
        302,
        403,
    )

    for role in ("partner", "translator"):
        client.force_login(people[role])
        response = client.get(index)
        assert response.status_code in (302, 403), role
        assert "Anna Virtanen" not in response.content.decode()
        assert client.get(inspect).status_code in (302, 403), role
        assert index not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_moderators_list_filters_by_delivery_status(client, practice, people):
    client.post(contact_url(practice), form_data(name="Delivered Dace"))
    ContactMessage.objects.create(
        page=practice,
        page_title=practice.title,
        recipient_name="Ilze Ozola",
        sender_name="Undelivered Ulla",
        sender_email="ulla@example.org",
        message="Hello",
        language="fi",
        status=ContactMessage.Status.FAILED,
        error="SMTPConnectError",
    )
    client.force_login(people["moderator"])

    html = client.get(reverse("contact_messages:index"), {"status": "failed"}).content.decode()

    assert "Undelivered Ulla" in html
    assert "Delivered Dace" not in html
