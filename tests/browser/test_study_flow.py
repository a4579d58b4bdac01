"""[PW] The study loop at phone size: an officer checks in, reads a reading and marks it read, and
signs in to a session with the code from the host's projector; a supervisor marks a spot-check.
Screenshots of each page at phone and desktop size go to artifacts/screenshots/."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from core import clock
from tests.browser.conftest import DESKTOP, PHONE, open_page, screenshot, sign_in
from tests.factories import TEST_PASSWORD, UserFactory
from tests.question_bank.factories import CategoryFactory
from tests.study.factories import CheckInFactory, ReadingFactory, StudySessionFactory

SHOWN_CODE = re.compile(r"^\d{3} \d{3}$")
BODY = (
    "<h2>一、筑牢政治忠诚</h2><p>政法机关是党和人民手中的“刀把子”，必须牢牢掌握在党和人民手中。"
    "政法干警要把对党忠诚作为第一位的政治要求。</p><h2>二、清除害群之马</h2>"
    "<p>坚持刀刃向内，以零容忍态度清除政法队伍中的害群之马。</p>"
    "<ul><li>主动说明问题从宽</li><li>拒不交代从严</li></ul><blockquote>以案为鉴，以案促改。</blockquote>"
)


def test_officer_checks_in_reads_and_signs_in_and_supervisor_spot_checks(world, browser, phone, live_server):
    officer = world["east_officer"]
    colleague = UserFactory(unit=world["east_station"], full_name="李晓明")
    ReadingFactory(
        unit=world["east"],
        title="政法队伍教育整顿应知应会（一）",
        body=BODY,
        category=CategoryFactory(name="政治教育"),
        due_on=clock.today() + timedelta(days=6),
    )
    ReadingFactory(unit=world["east"], title="违纪违法典型案例警示录", required=False)
    session = StudySessionFactory(
        unit=world["east"],
        title="集中学习：习近平法治思想专题辅导",
        starts_at=clock.now() + timedelta(minutes=10),
        ends_at=clock.now() + timedelta(minutes=130),
    )
    for back in (1, 2):  # a colleague's earlier check-ins to sample later
        CheckInFactory(user=colleague, day=clock.today() - timedelta(days=back), minutes=80)

    # The officer checks in on the phone.
    sign_in(phone, officer.username, TEST_PASSWORD)
    phone.click("nav.tabbar >> text=学习打卡")
    phone.wait_for_url("**/study/checkin")
    phone.fill("input[name=minutes]", "95")
    phone.click("label.choice:has-text('线上')")
    phone.check("input[name=readings] >> nth=0")
    phone.fill("textarea[name=notes]", "短")
    phone.click("#checkin-form button[type=submit]")
    phone.wait_for_selector(".form-message:not([hidden])")
    assert "学习笔记至少需要 20 个字" in phone.inner_text(".form-message")
    assert phone.watcher.errors == ["Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"]
    phone.watcher.errors.clear()  # that refusal was the point; nothing else may fail
    phone.fill(
        "textarea[name=notes]", "学习了教育整顿的四项任务，认识到筑牢政治忠诚是首要任务，要在执法办案中体现对党忠诚。"
    )
    phone.click("#checkin-form button[type=submit]")
    phone.wait_for_selector("#checkin-card .badge.good")
    assert "已打卡" in phone.inner_text("#checkin-card")
    assert phone.locator("td.day.today .min").inner_text() == "95"
    screenshot(phone, "study-checkin-phone")

    # Opens the reading and marks it read.
    phone.goto("/study/readings")
    phone.click("text=政法队伍教育整顿应知应会（一）")
    assert phone.locator(".reading-body h2").first.inner_text() == "一、筑牢政治忠诚"
    screenshot(phone, "study-reading-phone")
    phone.click("text=我已学习")
    phone.wait_for_selector("text=您已学习本篇")

    # The host shows the projector page; the officer types the code.
    host = open_page(browser, DESKTOP, live_server)
    sign_in(host, world["east_supervisor"].username, TEST_PASSWORD)
    host.goto(f"/manage/study/sessions/{session.id}/projector")
    expect(host.locator("[data-code]")).to_have_text(SHOWN_CODE)
    assert host.locator("[data-qr]").get_attribute("src").startswith("data:image/svg+xml")
    screenshot(host, "study-projector-desktop")
    phone.goto("/study/sessions")
    phone.click("text=集中学习：习近平法治思想专题辅导")
    code = host.locator("[data-code]").inner_text().replace(" ", "")
    phone.fill("input[name=code]", code)
    screenshot(phone, "study-signin-phone")
    phone.click(".signin-form button[type=submit]")
    phone.wait_for_selector(".signed-in")
    assert "出席" in phone.inner_text(".signed-in")
    screenshot(phone, "study-signed-in-phone")
    expect(host.locator("[data-count=present]")).to_have_text("1", timeout=20000)

    # The supervisor's attendance table, then a spot-check marked not qualified.
    host.goto(f"/manage/study/sessions/{session.id}")
    assert officer.full_name in host.inner_text("#status-present + .table-wrap")
    screenshot(host, "study-attendance-desktop")
    host.goto("/manage/study/spotchecks")
    host.fill("input[name=size]", "3")
    host.click("form >> text=随机抽取")
    host.wait_for_url("**/manage/study/spotchecks/*")
    first = host.locator("article.sample").first
    first.locator("label.choice:has-text('不合格')").click()
    first.locator("input[name=comment]").fill("笔记过于简单，缺少结合工作的体会")
    first.locator("button[type=submit]").click()
    host.wait_for_selector("article.sample .badge.bad")
    screenshot(host, "study-spotcheck-desktop")
    host.goto("/")
    screenshot(host, "study-supervisor-home-desktop")
    assert host.watcher.errors == [] and host.external_requests == []
    host.context.close()

    phone.goto("/")
    screenshot(phone, "study-officer-home-phone")
    assert phone.watcher.errors == [] and phone.external_requests == []


def test_study_pages_at_both_sizes(world, browser, live_server):
    """Screenshots of the check-in calendar, a reading and the attendance table at both sizes."""
    officer = world["east_officer"]
    for back in range(3, 0, -1):
        day = clock.today() - timedelta(days=back)
        CheckInFactory(user=officer, day=day, minutes=60 * back)
    reading = ReadingFactory(unit=world["east"], title="《中国共产党纪律处分条例》学习要点", body=BODY)
    session = StudySessionFactory(unit=world["east"], starts_at=clock.now() - timedelta(minutes=5))
    for viewport, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = open_page(browser, viewport, live_server)
        sign_in(page, officer.username, TEST_PASSWORD)
        page.goto("/study/checkin")
        screenshot(page, f"study-checkin-calendar-{label}")
        page.goto(f"/study/readings/{reading.id}")
        screenshot(page, f"study-reading-{label}")
        page.goto(f"/study/sessions/{session.id}")
        screenshot(page, f"study-session-{label}")
        assert page.watcher.errors == []
        page.context.close()
        host = open_page(browser, viewport, live_server)
        sign_in(host, world["east_supervisor"].username, TEST_PASSWORD)
        host.goto(f"/manage/study/sessions/{session.id}")
        screenshot(host, f"study-attendance-{label}")
        host.goto("/manage/study/checkins")
        screenshot(host, f"study-checkins-overview-{label}")
        host.goto(f"/manage/study/sessions/{session.id}/projector")
        expect(host.locator("[data-code]")).to_have_text(SHOWN_CODE)
        screenshot(host, f"study-projector-{label}")
        assert host.watcher.errors == []
        host.context.close()
