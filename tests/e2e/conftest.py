"""Browser journeys in Debian's Chromium, driven by Playwright (which never downloads a browser here).

Each journey runs against the app served by the test run (pytest-django's live_server, on the test database: PostgreSQL
in CI), fails on any console error, page error or HTTP answer ≥ 500, and saves screenshots of its steps under
test-artifacts/e2e/ (ignored by git)."""

import os
import re
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
PASSWORD = "demo-pass-12345"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run there unless told it is safe
# (the test is the only thing using it).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.e2e


class _OneRequestAtATime(ThreadedWSGIServer):
    """The live server, answering one request at a time when its threads share one database connection.

    On SQLite the test database lives in memory, and Django's live server hands every request thread the test's own
    connection. Two requests at once (a page's chart data still loading while the journey moves on) then use one
    sqlite3 connection from two threads, which can deadlock both inside SQLite for good (seen: the dashboard's chart
    data and the next page, each waiting forever). Connections stay threaded (keep-alive works); only the application
    runs one request at a time. PostgreSQL (CI) gives each thread its own connection and keeps the threaded server."""

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return list(application(environ, start_response))  # the body is produced inside the lock too

        super().set_app(one_at_a_time if self.connections_override else application)

    def _close_connections(self):
        # The shared connection is the test's own: closing it from a request thread is refused by Django (and warned
        # about as an unhandled thread exception). Connections a request thread opened itself (PostgreSQL) close.
        if not self.connections_override:
            super()._close_connections()


LiveServerThread.server_class = _OneRequestAtATime


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db, live_server):
    """The demo county of seed_demo, in the test database."""
    from django.core.management import call_command

    from tests.factories import ensure_reference_data

    ensure_reference_data()  # a previous transactional test's flush may have removed it
    call_command("seed_demo", "--password", PASSWORD, verbosity=0)
    return live_server.url


class Journey:
    """One person's browser session: signs in, records problems, saves a screenshot per step."""

    def __init__(self, browser, base_url, name, viewport, **context_options):
        self.base_url = base_url
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True, **context_options)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.problems = []
        self.steps = 0
        self.page.on("console", lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on(
            "response", lambda r: self.problems.append(f"HTTP {r.status} {r.url}") if r.status >= 500 else None
        )

    def go(self, path):
        self.page.goto(self.base_url + path)
        return self.page

    def login(self, username):
        self.go("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(re.compile(r".*/$"))

    def open_menu(self):
        """Opens the phone's collapsed nav and waits until Bootstrap's collapse has finished: a click on a link while
        the menu is still growing (class `collapsing`) can land before the link is where it will be."""
        self.page.click("button.navbar-toggler")
        self.page.locator("#mainNav.show:not(.collapsing)").wait_for(state="visible")

    def shot(self, name):
        self.steps += 1
        self.page.screenshot(path=str(self.folder / f"{self.steps:02d}-{name}.png"), full_page=True)

    def close(self):
        self.context.close()
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def journey(browser, demo, request):
    journeys = []

    def start(name, viewport=DESKTOP, **context_options):
        j = Journey(browser, demo, f"{request.node.name}-{name}", viewport, **context_options)
        journeys.append(j)
        return j

    yield start
    for j in journeys:
        j.close()
