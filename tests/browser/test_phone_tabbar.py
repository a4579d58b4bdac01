"""[PW] The officer's fixed bottom tab bar on a phone (375 × 740) hides nothing: the page ends the
bar's height higher (its padding is the bar's height with the safe area), so scrolled to the bottom
the footer shows whole above the bar. (The footer once ran on under the bar.)"""

import pytest

from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.factories import TEST_PASSWORD
from tests.reports.campaign import build_campaign

pytestmark = pytest.mark.browser


def test_officer_home_footer_ends_above_the_tab_bar_at_375(world, frozen_clock, open_at):
    campaign = build_campaign(world, frozen_clock)
    phone = open_at(PHONE)
    sign_in(phone, campaign["s1"].username, TEST_PASSWORD)
    phone.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    phone.wait_for_function("window.scrollY + innerHeight >= document.documentElement.scrollHeight - 1")
    screenshot(phone, "officer-home-phone-bottom")

    tabbar = phone.locator("nav.tabbar").bounding_box()
    footer = phone.locator(".site-footer").bounding_box()
    assert tabbar["y"] + tabbar["height"] == pytest.approx(PHONE["height"], abs=1), "the bar sits at the bottom"
    assert footer["y"] + footer["height"] <= tabbar["y"] + 0.5, f"the footer ends under the tab bar: {footer}, {tabbar}"
    main = phone.locator("main").bounding_box()
    assert main["y"] + main["height"] <= tabbar["y"], "the last content ends above the tab bar"
    padding = phone.evaluate("parseFloat(getComputedStyle(document.body).paddingBottom)")
    assert padding == pytest.approx(tabbar["height"], abs=0.5), "the page's bottom padding is the bar's height"
    assert phone.watcher.errors == []


def test_pages_without_a_tab_bar_keep_no_room_for_it(world, open_at):
    phone = open_at(PHONE)
    sign_in(phone, world["east_supervisor"].username, TEST_PASSWORD)
    assert phone.locator("nav.tabbar").count() == 0
    assert phone.evaluate("parseFloat(getComputedStyle(document.body).paddingBottom)") == 0
