"""The contact form in a real browser: reached from the practice page, usable with the
keyboard, and without serious accessibility violations (axe-core) on the form, on the form
with its errors, and on the thank-you page, under the site's Content-Security-Policy."""

import pytest
from django.core import mail

from practices.models import ContactMessage
from tests.browser.conftest import describe
from tests.factories import LibraryFactory, PracticeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vocabularies"),
]


@pytest.fixture
def practice():
    library = LibraryFactory(title="Valmiera Library", slug="valmiera", country="LV")
    return PracticeFactory(
        title="Debate night",
        slug="debate-night",
        library=library,
        contact_name="Anna Ozola",
        contact_role="Youth librarian",
        contact_email="anna.ozola@valmiera.example",
        contact_languages=["lv", "en"],
    )


def test_a_visitor_writes_to_the_practitioner_with_no_accessibility_violations(
    page, axe, csp_violations, practice, monkeypatch
):
    page.goto(practice.url)
    page.get_by_role("link", name="Write to Anna Ozola").click()
    page.wait_for_url(f"**/en/contact/{practice.pk}/")

    assert page.get_by_role("heading", level=1, name="Write to Anna Ozola").is_visible()
    violations = axe(page)
    assert violations == [], describe(violations)

    page.get_by_label("Your name").fill("Kristiina Tamm")
    page.get_by_label("Your email address").fill("kristiina@hiiumaa.example")
    page.get_by_label("Library or organisation").fill("Hiiumaa Central Library")
    page.get_by_label("Message").fill("Which motions worked best with teenagers?")
    # From the message, the next stop of the keyboard is the button, never the spam trap.
    page.get_by_label("Message").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"

    # Sent at once: refused as too fast, with the text kept and the problem named.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert page.get_by_label("Message").input_value() == (
        "Which motions worked best with teenagers?"
    )
    violations = axe(page)
    assert violations == [], describe(violations)

    monkeypatch.setattr("practices.contact.FASTEST_HUMAN_SECONDS", 0)
    page.get_by_role("button", name="Send the message").click()
    page.wait_for_url(f"**/en/contact/{practice.pk}/sent/")

    assert page.get_by_role("heading", level=1, name="Thank you for your message").is_visible()
    violations = axe(page)
    assert violations == [], describe(violations)
    assert csp_violations == []
    assert ContactMessage.objects.get().sender_name == "Kristiina Tamm"
    assert mail.outbox[0].reply_to == ["Kristiina Tamm <kristiina@hiiumaa.example>"]
    assert "anna.ozola@valmiera.example" not in page.content()


def test_the_library_pages_contact_panel_has_no_accessibility_violations(
    page, axe, csp_violations, practice
):
    library = practice.library.specific
    library.contact_name = "Jānis Bērziņš"
    library.contact_email = "janis@valmiera.example"
    library.contact_languages = ["lv", "en", "ru"]
    library.save_revision().publish()

    page.goto(library.url)

    assert page.get_by_role("heading", name="Ask the library").is_visible()
    assert page.get_by_text("Languages spoken: Latvian, English, Russian").is_visible()
    violations = axe(page)
    assert violations == [], describe(violations)
    assert csp_violations == []
    assert "janis@valmiera.example" not in page.content()
