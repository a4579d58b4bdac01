"""[PW] The host's projector page fits the room's screen: at 1280 × 800 and 1920 × 1080 the sign-in
code, the QR code and the signed-in count are all in view without scrolling, with a long title."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core import clock
from tests.browser.conftest import screenshot, sign_in
from tests.factories import TEST_PASSWORD
from tests.study.factories import StudySessionFactory

pytestmark = pytest.mark.browser
SCREENS = {"1280x800": {"width": 1280, "height": 800}, "1920x1080": {"width": 1920, "height": 1080}}


@pytest.mark.parametrize("screen", SCREENS)
def test_code_qr_and_count_fit_the_screen(world, open_at, frozen_clock, screen):
    session = StudySessionFactory(
        unit=world["east"],
        title="集中学习：习近平法治思想专题辅导暨政法队伍教育整顿应知应会第三讲",
        place="分局三楼大会议室",
        starts_at=clock.now() + timedelta(minutes=10),
        ends_at=clock.now() + timedelta(minutes=130),
    )
    viewport = SCREENS[screen]
    host = open_at(viewport)
    sign_in(host, world["east_supervisor"].username, TEST_PASSWORD)
    host.goto(f"/manage/study/sessions/{session.id}/projector")
    expect(host.locator("[data-code]")).to_have_text(re.compile(r"^\d{3} \d{3}$"))
    expect(host.locator("[data-count=expected]")).to_have_text("2")
    host.wait_for_function("document.querySelector('[data-qr]').complete")
    screenshot(host, f"projector-{screen}")

    scroll = host.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert scroll[0] <= viewport["width"] and scroll[1] <= viewport["height"], f"the page scrolls: {scroll}"
    for selector in ("[data-code]", "[data-qr]", "[data-count=present]", "[data-count=expected]", ".countdown"):
        box = host.locator(selector).bounding_box()
        assert box and box["width"] > 0, selector
        assert box["x"] >= 0 and box["y"] >= 0, selector
        assert box["x"] + box["width"] <= viewport["width"] and box["y"] + box["height"] <= viewport["height"], (
            selector,
            box,
        )
    code = host.locator("[data-code]").bounding_box()
    qr = host.locator("[data-qr]").bounding_box()
    assert code["height"] >= viewport["height"] / 8, "the code reads from the back of the room"
    assert qr["width"] >= 200, "the QR code scans from a few metres"
    assert host.watcher.errors == []


def test_on_a_phone_held_upright_the_projector_stacks_without_sideways_scrolling(world, open_at, frozen_clock):
    session = StudySessionFactory(
        unit=world["east"], starts_at=clock.now() + timedelta(minutes=10), ends_at=clock.now() + timedelta(hours=2)
    )
    host = open_at({"width": 390, "height": 844})
    sign_in(host, world["east_supervisor"].username, TEST_PASSWORD)
    host.goto(f"/manage/study/sessions/{session.id}/projector")
    expect(host.locator("[data-code]")).to_have_text(re.compile(r"^\d{3} \d{3}$"))
    host.wait_for_function("document.querySelector('[data-qr]').complete")
    screenshot(host, "projector-phone")
    assert host.evaluate("document.documentElement.scrollWidth") <= 390
    code, qr = host.locator("[data-code]").bounding_box(), host.locator("[data-qr]").bounding_box()
    assert code["x"] >= 0 and code["x"] + code["width"] <= 390 and qr["y"] > code["y"]
    assert host.watcher.errors == []
