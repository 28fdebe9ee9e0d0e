"""Playwright driving Debian's Chromium against pytest-django's live server, with axe-core."""

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

# Playwright's sync API runs an event loop in the test thread; Django must allow its ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Without these flags Chromium keeps trying to reach Google's services from a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it with apt.")
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: `make test` installs it with npm.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PortalPage:
    """A browser tab that records CSP violations and checks each page it visits with axe."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        self.checked_urls: list[str] = []
        page.on(
            "console",
            lambda message: message.type == "error" and self.console_errors.append(message.text),
        )

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def assert_accessible(self) -> None:
        """axe-core finds no WCAG 2.2 AA violation on the current page, and no CSP breach."""
        # Evaluated through DevTools rather than a <script> tag, which our CSP rightly blocks.
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE_SCRIPT.read_text() + "\n;true")
        results = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
        )
        violations = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in results["violations"]
        ]
        assert violations == [], f"{self.page.url}: {json.dumps(violations, indent=1)}"
        csp = [e for e in self.console_errors if "Content Security Policy" in e]
        assert csp == [], f"{self.page.url}: {csp}"
        self.checked_urls.append(self.page.url)


@pytest.fixture
def portal(chromium, live_server):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield PortalPage(page, live_server.url)
    context.close()


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield PortalPage(page, live_server.url)
    context.close()
