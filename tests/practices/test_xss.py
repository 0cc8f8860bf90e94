"""Script payloads in everything an editor (or an import file) can write, rendered on every
public page type, in the search page and API, the JSON API, the feeds and the open data:
they come out as text, never as markup that runs."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
import wagtail_factories
from django.core.exceptions import ValidationError
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.models import Locale, Page

from practices import open_data
from practices.exchange.importer import import_document
from practices.exchange.validation import validate_document
from practices.models import LibraryPage, PracticeMaterial, Theme
from practices.stream import RICH_TEXT_FEATURES
from tests.factories import (
    CaseStudyFactory,
    LibraryFactory,
    MeetingFactory,
    PracticeFactory,
    translate,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT}{BREAKOUT}"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
JAVASCRIPT_URL = "javascript:alert(1)"


def editor_rich_text(text: str, link_url: str = JAVASCRIPT_URL) -> str:
    """What the admin's rich text editor stores when an editor types `text` and makes its
    first word a link to `link_url` (Draftail sends contentstate; Wagtail converts it)."""
    contentstate = {
        "blocks": [
            {
                "key": "xss01",
                "type": "unstyled",
                "depth": 0,
                "text": text,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": 8, "key": 0}],
            }
        ],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": link_url}}},
    }
    return ContentstateConverter(features=RICH_TEXT_FEATURES).to_database_format(
        json.dumps(contentstate)
    )


def stream(rich_text: str):
    return [
        ("heading", PAYLOAD),
        ("paragraph", rich_text),
        ("quote", {"text": PAYLOAD, "attribution": PAYLOAD}),
    ]


class _ActiveMarkup(HTMLParser):
    """What would run in a browser: script elements (other than the site's own files), event
    handler attributes, javascript: URLs, and the payload's <img src=x>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.found.append(f"<script {attributes}>")
        if tag == "img" and attributes.get("src") == "x":
            self.found.append("<img src=x>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and re.match(
                r"\s*(javascript|data|vbscript):", value or "", re.IGNORECASE
            ):
                self.found.append(f'<{tag} {name}="{value}">')


def active_markup(html: str) -> list[str]:
    parser = _ActiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_safe_html(response, expect_escaped=True):
    html = response.content.decode()
    assert response.status_code in (200, 404), response.status_code
    assert active_markup(html) == []
    assert SCRIPT not in html and BREAKOUT not in html
    if expect_escaped:
        assert ESCAPED_SCRIPT in html  # the payload was shown, as text
    return html


@pytest.fixture
def hostile():
    """Content with a payload in every field an editor can write."""
    en = Locale.objects.get(language_code="en")
    theme = Theme.objects.create(slug="xss-theme", label=PAYLOAD, locale=en)
    library = LibraryFactory(
        title=f"Library {PAYLOAD}",
        slug="xss-library",
        city=PAYLOAD,
        summary=PAYLOAD,
        website="https://example.org/?q=<script>",
        body=stream(editor_rich_text(f"Visit us {PAYLOAD}")),
    )
    meeting = MeetingFactory(
        title=f"Meeting {PAYLOAD}",
        slug="xss-meeting",
        summary=PAYLOAD,
        city=PAYLOAD,
        host=library,
        agenda=editor_rich_text(f"Agenda {PAYLOAD}"),
        body=stream(editor_rich_text(f"Report {PAYLOAD}")),
    )
    image = wagtail_factories.ImageFactory(title=PAYLOAD, description=PAYLOAD)
    document = wagtail_factories.DocumentFactory(title=f"Handout {PAYLOAD}")
    practice = PracticeFactory(
        title=f"Practice {PAYLOAD}",
        slug="xss-practice",
        summary=PAYLOAD,
        purpose=PAYLOAD,
        group_size=PAYLOAD[:50],
        contact_name=PAYLOAD,
        themes=["dialogue", "xss-theme"],
        tags=[PAYLOAD[:90]],
        library=library,
        meeting=meeting,
        image=image,
        body=[
            *stream(editor_rich_text(f"Do this {PAYLOAD}")),
            (
                "steps",
                [
                    {
                        "title": PAYLOAD,
                        "duration_minutes": 10,
                        "who": PAYLOAD,
                        "description": editor_rich_text(f"Step {PAYLOAD}"),
                    }
                ],
            ),
            ("section", {"kind": "tips", "text": editor_rich_text(f"Tip {PAYLOAD}")}),
        ],
    )
    finnish = translate(practice, "fi", title=f"Menetelmä {PAYLOAD}", summary=PAYLOAD)
    practice.materials = [PracticeMaterial(document=document, description=PAYLOAD)]
    practice.save_revision().publish()
    case_study = CaseStudyFactory(
        title=f"Case {PAYLOAD}",
        slug="xss-case",
        summary=PAYLOAD,
        practice=practice,
        library=library,
        outcomes=PAYLOAD,
        would_change=PAYLOAD,
        body=stream(editor_rich_text(f"We did {PAYLOAD}")),
    )
    case_study.tags.set([PAYLOAD[:90]])
    case_study.save_revision().publish()

    from search.indexing import refresh_pages

    refresh_pages(list(Page.objects.values_list("pk", flat=True)))
    return {
        "library": library,
        "meeting": meeting,
        "practice": practice,
        "case_study": case_study,
        "finnish": finnish,
        "theme": theme,
    }


# --- Input: what editors and imports can store -------------------------------------------


def test_the_rich_text_editor_stores_no_script_and_no_javascript_link():
    stored = editor_rich_text(f"Click me {PAYLOAD}")

    assert "javascript:" not in stored
    assert "<script" not in stored and "<img" not in stored
    assert ESCAPED_SCRIPT in stored


def test_the_rich_text_editor_keeps_ordinary_links():
    assert 'href="https://example.org/"' in editor_rich_text("Click me", "https://example.org/")


@pytest.mark.parametrize(
    "website",
    [JAVASCRIPT_URL, "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "//x"],
)
def test_a_library_website_must_be_an_http_address(website):
    library = LibraryPage(title="Library", slug="library", country="FI", website=website)

    with pytest.raises(ValidationError) as error:
        library.full_clean(exclude=["path", "depth", "locale", "translation_key"])

    assert "website" in error.value.message_dict


def test_an_import_file_cannot_give_a_library_a_javascript_website():
    document = {
        "format": "kb-exchange/1",
        "libraries": [
            {
                "key": "bad",
                "name": "Bad",
                "locale": "en",
                "country": "FI",
                "website": JAVASCRIPT_URL,
            }
        ],
    }

    errors = validate_document(document)

    assert [str(error) for error in errors if "website" in str(error)]


def test_imported_text_with_markup_is_shown_as_text(client, home_pages):
    import_document(
        {
            "format": "kb-exchange/1",
            "practices": [
                {
                    "key": "imported-xss",
                    "locale": "en",
                    "title": f"Imported {PAYLOAD}",
                    "summary": PAYLOAD,
                    "body": f'{PAYLOAD}\n\n<a href="{JAVASCRIPT_URL}">click</a>',
                    "themes": ["dialogue"],
                    "tags": ["imported"],
                }
            ],
        }
    )

    html = assert_safe_html(client.get("/en/practices/imported-xss/"))
    assert '&lt;a href="javascript:alert(1)"&gt;click&lt;/a&gt;' in html


# --- Output: every public rendering -------------------------------------------------------


def test_every_public_page_shows_the_payloads_as_text(client, hostile):
    for kind in ("library", "meeting", "practice", "case_study", "finnish"):
        html = assert_safe_html(client.get(hostile[kind].url))
        assert 'href="javascript:' not in html, kind
        if kind == "library":  # the website, an http(s) address, with its query escaped
            assert 'href="https://example.org/?q=&lt;script&gt;"' in html
    # The pages that list them, with filters by a payload theme and tag.
    for kind in ("practice", "case_study", "meeting", "library"):
        assert_safe_html(client.get(hostile[kind].get_parent().url))
    assert_safe_html(client.get("/en/practices/", {"theme": "xss-theme"}))
    assert_safe_html(client.get("/en/practices/", {"tag": PAYLOAD}), expect_escaped=False)
    assert_safe_html(client.get("/en/"), expect_escaped=False)
    # "Not translated into Latvian yet" names the page.
    assert_safe_html(client.get(f"/lv/not-translated/{hostile['practice'].pk}/"))
    # A 404 for a path that carries a payload.
    assert_safe_html(client.get("/en/%3Cscript%3Ealert(1)%3C/script%3E/"), expect_escaped=False)


def test_a_javascript_website_stored_past_validation_is_not_rendered_as_a_link(client, hostile):
    LibraryPage.objects.filter(pk=hostile["library"].pk).update(website=JAVASCRIPT_URL)

    html = client.get(hostile["library"].url).content.decode()

    assert "javascript:" not in html.split("<main", 1)[1]


def test_the_search_page_its_feed_and_the_search_api_show_the_payloads_as_text(client, hostile):
    assert_safe_html(client.get("/en/search/", {"q": "practice"}))
    assert_safe_html(client.get("/en/search/", {"q": PAYLOAD}), expect_escaped=False)
    assert_safe_html(client.get("/en/search/", {"q": "alert"}), expect_escaped=False)
    assert_safe_html(client.get("/en/search/", {"tag": PAYLOAD}), expect_escaped=False)

    feed = client.get("/en/search/", {"q": "practice", "format": "atom"})
    assert SCRIPT not in feed.content.decode()
    assert active_markup(feed_html(feed)) == []

    response = client.get("/api/v1/search", {"q": "alert"})
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    results = response.json()["results"]
    assert results
    for hit in results:  # `highlight` is HTML: escaped text with <mark>
        assert active_markup(hit["highlight"]) == []
        assert SCRIPT not in hit["highlight"]


def test_the_json_api_is_served_as_json_never_as_html(client, hostile):
    for url in (
        "/api/v1/practices/xss-practice",
        "/api/v1/practices",
        "/api/v1/case-studies/xss-case",
        "/api/v1/meetings/xss-meeting",
        "/api/v1/libraries/xss-library",
        "/api/v1/search/suggest?q=pract",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response["X-Content-Type-Options"] == "nosniff"
        # The payloads are data in JSON strings; with this content type and nosniff a browser
        # never renders the body as a page.
        assert any(PAYLOAD in text for text in strings(response.json())) or "suggest" in url


def strings(value):
    """Every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def feed_html(response) -> str:
    """The HTML a feed reader would render: the <summary type="html"> and <content> texts."""
    root = ET.fromstring(response.content)
    parts = []
    for element in root.iter():
        if element.tag.endswith(("summary", "content")) and element.text:
            parts.append(element.text)
    return "\n".join(parts)


def test_the_feeds_escape_the_payloads(client, hostile):
    for url in ("/en/feeds/practices.atom", "/en/feeds/case-studies.atom"):
        response = client.get(url)
        root = ET.fromstring(response.content)  # well-formed XML, whatever the texts hold
        titles = [e.text or "" for e in root.iter("{http://www.w3.org/2005/Atom}title")]
        assert any(PAYLOAD in title for title in titles), url  # a title is text, as typed
        html = feed_html(response)
        assert active_markup(html) == [], url
        assert SCRIPT not in html, url


def test_the_open_data_files_keep_the_payloads_as_data(client, hostile, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    open_data.generate_open_data()

    assert_safe_html(client.get("/en/open-data/"), expect_escaped=False)
    response = client.get("/media/open-data/practices.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment")
