"""Playwright in Debian's Chromium against the app served on a local port.

The app under test is the `app` fixture itself, served by a werkzeug server in a thread; the
test prepares data through factories, the browser clicks through the pages. Screenshots go to
artifacts/screenshots/. Every page is watched for console errors (a CSP violation is one).
"""

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.support.tools import MISSING

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1366, "height": 860}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(MISSING["chromium"])
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def live_server(app, is_postgres):
    if is_postgres:
        pytest.skip("browser flows run in the SQLite pass")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


class PageWatcher:
    """Collects console errors and failed requests so a test can assert there were none."""

    def __init__(self, page):
        self.errors = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))


def open_page(browser, viewport, base_url):
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", base_url=base_url, is_mobile=viewport is PHONE, has_touch=viewport is PHONE
    )
    # Nothing may be fetched from another host (X11): such requests are aborted and recorded.
    external = []

    def route(route_, request):
        if request.url.startswith(base_url) or request.url.startswith("data:"):
            return route_.continue_()
        external.append(request.url)
        return route_.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.watcher = PageWatcher(page)
    page.external_requests = external
    return page


@pytest.fixture
def phone(browser, live_server):
    page = open_page(browser, PHONE, live_server)
    yield page
    page.context.close()


@pytest.fixture
def desktop(browser, live_server):
    page = open_page(browser, DESKTOP, live_server)
    yield page
    page.context.close()


@pytest.fixture
def open_at(browser, live_server):
    """open_at(viewport) -> a new page of that size (its context is closed after the test)."""
    pages = []

    def open_(viewport):
        pages.append(open_page(browser, viewport, live_server))
        return pages[-1]

    yield open_
    for page in pages:
        page.context.close()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page, username, password):
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
