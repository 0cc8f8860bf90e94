"""Browser tests: Debian's Chromium driven by Playwright against a live test server, with
axe-core for accessibility. Skipped, with the reason, where Chromium or axe-core is missing."""

import json
import os
import shutil
from pathlib import Path

import pytest

# Playwright's synchronous API runs an event loop in the test's thread; the ORM calls that
# the tests make between page loads are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[2]
AXE_PATH = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def pytest_collection_modifyitems(config, items):
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "the playwright Python package is not installed"
    if reason is None and not chromium_path():
        reason = "Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)"
    for item in items:
        if item.get_closest_marker("browser") and reason:
            item.add_marker(pytest.mark.skip(reason=f"browser test skipped: {reason}"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # Under the site's real Content-Security-Policy (axe-core runs through the DevTools protocol).
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def axe():
    """Runs axe-core's WCAG 2.1 A/AA rules on the current page; returns the serious and
    critical violations. axe-core is evaluated through the DevTools protocol, which the
    page's Content-Security-Policy does not govern, so it also runs on a page that keeps its
    real policy (an inline <script> would be refused)."""
    if not AXE_PATH.exists():
        pytest.skip("axe-core is not installed (npm ci installs it into node_modules/)")
    source = AXE_PATH.read_text()

    def run(tab, impacts=("serious", "critical")):
        tab.evaluate(f"() => {{ {source}\n window.axe = axe; }}")
        result = tab.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
        )
        return [v for v in result["violations"] if v["impact"] in impacts]

    return run


def describe(violations):
    return json.dumps(
        [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in violations
        ],
        indent=1,
    )


@pytest.fixture
def vocabularies():
    """The themes, audiences and formats. A data migration ships them, but a transactional
    test's flush empties the tables, and post_migrate only brings back the page tree."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("practices.migrations.0002_vocabularies")
    migration.create_terms(apps, None)


@pytest.fixture
def csp_violations(page):
    """Content-Security-Policy violations the pages cause (an inline style or script)."""
    messages = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return messages
