"""[PW] The report pages on the hand-built campaign (tests/reports/conftest.py) at phone and desktop
size: the board (sorted by a click), an exam report, a personal record and a bulletin.
Screenshots go to artifacts/screenshots/reports-*.png."""

from datetime import date

import pytest

from core import clock
from core.extensions import db
from reports import bulletins
from tests.browser.conftest import DESKTOP, PHONE, open_page, screenshot, sign_in
from tests.factories import TEST_PASSWORD
from tests.reports.campaign import build_campaign

pytestmark = pytest.mark.browser


@pytest.fixture
def campaign(world, frozen_clock):
    return build_campaign(world, frozen_clock)


WEEK = "from=2026-11-16&to=2026-11-22"


def _pages(campaign):
    bulletin = bulletins.draft_bulletin(None, campaign["east"], date(2026, 11, 16), clock.now())
    db.session.commit()
    return [
        ("board", f"/reports/board?unit={campaign['east'].id}&{WEEK}"),
        ("board-13-weeks", f"/reports/board?unit={campaign['east'].id}&from=2026-08-24&to=2026-11-22"),
        ("exam", f"/reports/exams/{campaign['e1'].id}"),
        ("record", f"/reports/people/{campaign['s2'].id}"),
        ("bulletin", f"/reports/bulletins/{bulletin.id}"),
    ]


def test_report_pages_at_phone_and_desktop(campaign, browser, live_server):
    pages = _pages(campaign)
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = open_page(browser, viewport, live_server)
        sign_in(page, campaign["east_supervisor"].username, TEST_PASSWORD)
        for label, path in pages:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            assert page.title() and "出错" not in page.title()
            screenshot(page, f"reports-{label}-{name}")
        page.goto(pages[0][1])
        header = page.locator("table.board thead th", has_text="一次合格率")
        header.click()
        assert header.get_attribute("aria-sort") == "ascending"
        first = page.locator("table.board tbody tr").first.locator("th").inner_text()
        assert first in ("东区公安分局", "东区人民法院", "东区司法局")
        # Rows with no figure (nobody took a test: the committee's own staff, the justice bureau) sort
        # last, not as the worst; the two rows with figures come first, lowest rate on top.
        rows = page.locator("table.board tbody tr")
        rates = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())]
        assert rates == ["33.3%", "66.7%", "—", "—"]
        assert page.watcher.errors == [] and page.external_requests == []
        page.context.close()


def test_officer_record_on_a_phone(campaign, browser, live_server):
    page = open_page(browser, PHONE, live_server)
    sign_in(page, campaign["s2"].username, TEST_PASSWORD)
    page.goto("/reports/me")
    page.wait_for_load_state("networkidle")
    assert "王二" in page.inner_text("main")
    screenshot(page, "reports-my-record-phone")
    assert page.watcher.errors == []
    page.context.close()
