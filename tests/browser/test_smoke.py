"""O4 and the foundation's browser flows: Chromium starts, sign-in works on a phone, the home pages
render without console errors or external requests, and screenshots are taken."""

from tests.browser.conftest import screenshot, sign_in
from tests.factories import TEST_PASSWORD


def test_debian_chromium_launches_and_loads_the_login_page(browser, phone):
    """O4: fails loudly when a Debian update breaks Playwright's compatibility with Chromium."""
    print(f"Chromium {browser.version}")
    phone.goto("/login")
    assert phone.locator("h1").inner_text() == "应知"
    assert phone.watcher.errors == []
    screenshot(phone, "login-phone")


def test_officer_signs_in_on_a_phone_and_sees_my_study(world, phone):
    sign_in(phone, "off-east", TEST_PASSWORD)
    assert "您好" in phone.locator("h1").inner_text()
    assert phone.locator("nav.tabbar").is_visible()  # the officer's bottom tab bar
    assert phone.watcher.errors == [] and phone.external_requests == []
    screenshot(phone, "officer-home-phone")


def test_phone_menu_opens_and_signs_out(world, phone):
    sign_in(phone, "sup-east", TEST_PASSWORD)
    assert not phone.locator("#sidenav").is_visible()
    phone.click(".menu-toggle")
    assert phone.locator("#sidenav").is_visible()
    phone.click("text=退出登录")
    phone.wait_for_url("**/login")
    assert phone.watcher.errors == []


def test_desktop_home_pages_for_officer_and_supervisor(world, desktop, browser, live_server):
    sign_in(desktop, "off-east", TEST_PASSWORD)
    screenshot(desktop, "officer-home-desktop")
    desktop.goto("/login")
    screenshot(desktop, "login-desktop")
    assert desktop.watcher.errors == []

    from tests.browser.conftest import DESKTOP, PHONE, open_page

    for viewport, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = open_page(browser, viewport, live_server)
        sign_in(page, "sup-east", TEST_PASSWORD)
        assert page.locator("h1").inner_text() == "工作台"
        screenshot(page, f"supervisor-home-{label}")
        page.goto("/admin/people/")
        screenshot(page, f"people-{label}")
        assert page.watcher.errors == [] and page.external_requests == []
        page.context.close()


def test_forced_password_change_in_the_browser(app, world, phone):
    from accounts import services
    from core import clock
    from core.extensions import db

    _user, one_time = services.create_user(
        None,
        username="first-time",
        full_name="新干警",
        unit=world["east_station"],
        role=world["east_officer"].role,
        now=clock.now(),
    )
    db.session.commit()
    sign_in(phone, "first-time", one_time)
    assert phone.url.endswith("/password")
    phone.fill("input[name=current]", one_time)
    phone.fill("input[name=password]", "我的新密码 2026")
    phone.fill("input[name=confirm]", "我的新密码 2026")
    phone.click("main button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert "密码已修改" in phone.content()
