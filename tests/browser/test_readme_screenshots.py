"""[PW] The README's screenshots (docs/screenshots/), taken over the hand-built campaign at phone
(375 px) and desktop (1280 px) size. Skipped unless YINGZHI_README_SCREENSHOTS=1 (they overwrite
files in the repository): `bin/readme-screenshots` runs it."""

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core import clock
from core.extensions import db
from reports import bulletins
from tests.browser.conftest import PHONE, sign_in
from tests.factories import TEST_PASSWORD
from tests.quiz.factories import make_template, publish, small_bank
from tests.reports.campaign import build_campaign

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.environ.get("YINGZHI_README_SCREENSHOTS"), reason="set YINGZHI_README_SCREENSHOTS=1"),
]
README_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP_1280 = {"width": 1280, "height": 800}
assert PHONE["width"] == 375


def shot(page, name):
    """The whole page. On a phone the window is first made as tall as the page, so a bar fixed to
    the bottom (the officer's tab bar, the test's buttons) is drawn below the page's end, as it
    shows when scrolled there, not over its middle where the window's first screen ended."""
    page.wait_for_load_state("networkidle")
    assert page.watcher.errors == [], page.watcher.errors
    window = page.viewport_size
    if window["width"] == PHONE["width"]:
        page.set_viewport_size({**window, "height": page.evaluate("document.documentElement.scrollHeight")})
    page.screenshot(path=str(README_SHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(window)


def render_first_page(docx_path, png_path, workdir):
    """Page 1 of a .docx as LibreOffice prints it (soffice → PDF → pdftoppm), at 70 dpi."""
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(workdir), str(docx_path)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    stem = workdir / "page"
    pdf = workdir / (docx_path.stem + ".pdf")
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)], check=True
    )
    shutil.copy(f"{stem}.png", png_path)


def test_readme_screenshots(world, frozen_clock, open_at, tmp_path):
    campaign = build_campaign(world, frozen_clock)
    category, _ = small_bank()
    publish(make_template(world["east"], category, title="第48周应知应会周测"))
    bulletin = bulletins.draft_bulletin(None, campaign["east"], date(2026, 11, 16), clock.now())
    db.session.commit()

    phone = open_at(PHONE)
    phone.goto("/login")
    shot(phone, "login-phone")
    sign_in(phone, campaign["s1"].username, TEST_PASSWORD)
    shot(phone, "officer-home-phone")
    phone.click(".quiz-panel-home >> text=开始答题")
    phone.click("[data-start]")
    expect(phone.locator(".question")).to_have_count(1)
    for box in range(phone.locator("[data-grid] .box").count()):  # a choice question, answered
        phone.click(f"[data-grid] .box >> nth={box}")
        if phone.locator(".question label.option").count():
            phone.locator(".question label.option").first.click()
            break
    expect(phone.locator("[data-save-status]")).to_have_text("答案已全部保存", timeout=10000)
    shot(phone, "test-question-phone")
    supervisor_phone = open_at(PHONE)
    sign_in(supervisor_phone, campaign["east_supervisor"].username, TEST_PASSWORD)
    supervisor_phone.goto(f"/reports/bulletins/{bulletin.id}")
    shot(supervisor_phone, "bulletin-phone")
    if shutil.which("soffice") and shutil.which("pdftoppm"):  # the 公文 it downloads, as printed
        with supervisor_phone.expect_download() as download:
            supervisor_phone.get_by_role("link", name="下载公文（Word）").click()
        saved = tmp_path / "bulletin.docx"
        download.value.save_as(saved)
        render_first_page(saved, README_SHOTS / "bulletin-docx.png", tmp_path)

    desktop = open_at(DESKTOP_1280)
    sign_in(desktop, campaign["east_supervisor"].username, TEST_PASSWORD)
    shot(desktop, "supervisor-home-desktop")
    desktop.goto(f"/reports/board?unit={campaign['east'].id}&from=2026-11-16&to=2026-11-22")
    shot(desktop, "board-desktop")
    desktop.goto("/admin/people/")
    shot(desktop, "people-desktop")
