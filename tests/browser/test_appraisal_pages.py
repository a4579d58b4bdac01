"""[PW] The appraisal sheet and the inspections at 375 px and 1280 px: the sheet of the east
district (an officer who moved, one with a retake passed, one new this month), an inspection
recorded through its form with two findings, one rectified through the page. Screenshots go to
artifacts/screenshots/appraisal-*.png."""

import pytest

from appraisal.models import FindingStatus, Inspection
from core.extensions import db
from tests.appraisal.test_sheet_figures import W46, W48, campaign  # noqa: F401  (the fixture)
from tests.browser.conftest import PHONE, open_page, screenshot, sign_in
from tests.factories import TEST_PASSWORD, SupervisorFactory

pytestmark = pytest.mark.browser
WIDE = {"width": 1280, "height": 800}


def test_the_sheet_and_the_inspections_at_phone_and_desktop(world, campaign, browser, live_server):  # noqa: F811
    station_supervisor = SupervisorFactory(username="sup-station", unit=world["east_station"])
    db.session.commit()
    east = world["east"]
    period = f"from={W46}&to={W48}"

    page = open_page(browser, WIDE, live_server)
    sign_in(page, world["east_supervisor"].username, TEST_PASSWORD)
    page.goto(f"/appraisal/inspections/new?unit={world['east_station'].id}")
    page.fill("input[name=inspectors]", "区委政法委督导组 王强、李梅")
    page.fill("textarea[name=checked]", "学习笔记、集中学习签到表、每周测试组织情况")
    page.fill("textarea[name=findings-0-text]", "部分干警学习笔记照抄原文，缺少心得体会")
    page.fill("input[name=findings-0-deadline]", "2026-12-10")
    page.fill("textarea[name=findings-1-text]", "集中学习签到表缺少请假审批记录")
    page.fill("input[name=findings-1-deadline]", "2026-12-03")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "appraisal-inspection-form-desktop")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "督查已记录" in page.content()
    db.session.rollback()  # see what the server committed
    inspection = db.session.scalars(db.select(Inspection)).one()
    assert len(inspection.findings) == 2
    page.context.close()

    page = open_page(browser, PHONE, live_server)
    sign_in(page, station_supervisor.username, TEST_PASSWORD)
    page.goto(f"/appraisal/inspections/{inspection.id}")
    page.locator("textarea[name=rectification]").first.fill("已组织重写学习笔记并逐人检查")
    page.locator("form button[type=submit]", has_text="登记整改").first.click()
    page.wait_for_load_state("networkidle")
    assert "整改情况已登记" in page.content()
    screenshot(page, "appraisal-inspection-phone")
    db.session.rollback()
    assert sorted(f.status for f in inspection.findings) == [FindingStatus.OPEN, FindingStatus.RECTIFIED]
    page.context.close()

    for name, viewport in (("phone", PHONE), ("desktop", WIDE)):
        page = open_page(browser, viewport, live_server)
        sign_in(page, world["east_supervisor"].username, TEST_PASSWORD)
        for label, path in (
            ("sheet", f"/appraisal/sheet?unit={east.id}&{period}"),
            ("inspections", f"/appraisal/inspections?unit={east.id}&{period}"),
            ("board", f"/reports/board?unit={east.id}&{period}"),
        ):
            page.goto(path)
            page.wait_for_load_state("networkidle")
            assert page.title() and "出错" not in page.title()
            screenshot(page, f"appraisal-{label}-{name}")
        page.goto(f"/appraisal/sheet?unit={east.id}&{period}")
        assert page.locator("text=新警丙").first.is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"] + 1, f"the page scrolls sideways at {viewport['width']} px"
        # The tables are wider than the card at both sizes: each says so and fades its cut edge,
        # until scrolled to the end.
        wrap = page.locator(".table-wrap[data-scroll-hint]").first
        hint = page.locator(".scroll-hint").first
        assert hint.is_visible() and "左右滑动" in hint.inner_text()
        assert "more-right" in wrap.get_attribute("class")
        assert page.locator(".scroll-hint:visible").count() == page.locator("[data-scroll-hint]").count() == 3
        # The score column (the fourth) shows whole before the faded edge, even at 375 px.
        score_right = wrap.evaluate("w => w.querySelector('thead th:nth-child(4)').getBoundingClientRect().right")
        wrap_right = wrap.evaluate("w => w.getBoundingClientRect().right")
        assert score_right <= wrap_right - 24, (score_right, wrap_right)  # the fade: 1.5rem
        wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; w.dispatchEvent(new Event('scroll')); }")
        page.wait_for_function("w => !w.classList.contains('more-right')", arg=wrap.element_handle())
        assert hint.is_visible()  # the hint stays: the columns are still there to scroll back to
        assert page.watcher.errors == [] and page.external_requests == []
        page.context.close()
