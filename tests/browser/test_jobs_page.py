"""[PW] The jobs page at phone and desktop size: Chinese job names, every "run now" button on one
line, and the scheduler's heartbeat at the top (alive after a tick, a warning without one)."""

from datetime import timedelta

import pytest

from core import clock
from core.extensions import db
from scheduler import heartbeat
from scheduler.jobs import JOBS
from tests.browser.conftest import screenshot, sign_in
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}

# Lines of text in each run-now button (a wrapped label has two).
BUTTON_LINES = """() => [...document.querySelectorAll("table.jobs td.job-actions button")].map(button => {
  const range = document.createRange();
  range.selectNodeContents(button);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
})"""


@pytest.mark.parametrize("size", SIZES)
def test_jobs_page_names_jobs_keeps_buttons_on_one_line_and_shows_the_heartbeat(world, open_at, frozen_clock, size):
    page = open_at(SIZES[size])
    sign_in(page, world["admin"].username, TEST_PASSWORD)
    page.goto("/admin/jobs/")
    assert page.locator("[data-heartbeat=stale]").is_visible()
    db.session.rollback()  # end the test's read snapshot: the server has written since (SQLite)
    assert heartbeat.beat("demo-host:4242", clock.now() - timedelta(seconds=30), force=True)
    page.goto("/admin/jobs/")
    banner = page.locator("[data-heartbeat=alive]")
    assert banner.is_visible() and "demo-host:4242" in banner.inner_text()
    assert page.locator("table.jobs strong", has_text="自动发布测试").is_visible()
    lines = page.evaluate(BUTTON_LINES)
    assert len(lines) == len(JOBS) and set(lines) == {1}, lines  # one button per job
    screenshot(page, f"jobs-{size}")
    assert page.watcher.errors == []
