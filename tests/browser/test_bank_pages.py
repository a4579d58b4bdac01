"""Question bank in Chromium at phone and desktop size: the list with bulk selection, the editor's
live preview, the import report, and a pocket card (on screen and as printed). Screenshots go to
artifacts/screenshots/bank-*.png."""

import random

import pytest
import sqlalchemy as sa

from core import clock
from core.extensions import db
from demo.bank import seed_bank
from question_bank.models import Category, Question
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, open_page, screenshot, sign_in
from tests.factories import TEST_PASSWORD
from tests.question_bank import files


@pytest.fixture
def demo_bank(world):
    seed_bank(clock.now(), random.Random(1), {"admin": world["admin"]})
    db.session.commit()
    return {c.name: c for c in db.session.scalars(sa.select(Category))}


def admin_page(browser, live_server, viewport):
    page = open_page(browser, viewport, live_server)
    sign_in(page, "admin1", TEST_PASSWORD)
    return page


def top(page, name):
    """What fits in the first screen (the full-page screenshot of a long list is hard to read)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def clean(page):
    assert page.watcher.errors == [] and page.external_requests == []


def test_the_list_at_phone_and_desktop_size(demo_bank, browser, live_server):
    for viewport, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = admin_page(browser, live_server, viewport)
        page.goto("/bank/")
        assert page.locator("h1").inner_text() == "题库"
        assert page.locator("input[name=ids]").count() == 50
        page.check("input[data-check-all]")
        assert page.locator("input[name=ids]:checked").count() == 50
        page.uncheck("input[data-check-all]")
        screenshot(page, f"bank-list-{label}")
        top(page, f"bank-list-{label}-top")
        page.evaluate("document.querySelector('.bulk-bar').scrollIntoView()")
        top(page, f"bank-list-{label}-rows")
        page.evaluate("window.scrollTo(0, 0)")
        page.fill("input[name=q]", "自查从宽")
        page.click(".bank-filters button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert 1 <= page.locator("input[name=ids]").count() < 10
        clean(page)
        page.context.close()


def test_the_editor_previews_what_an_officer_sees(demo_bank, browser, live_server):
    page = admin_page(browser, live_server, DESKTOP)
    page.goto("/bank/new")
    page.select_option("select[name=category_id]", str(demo_bank["政治教育"].id))
    page.select_option("select[name=type]", "fill")
    assert page.locator("[data-options]").is_hidden()
    page.fill("textarea[name=stem]", "____领导一切，为（ ）服务。")
    page.fill("input[name=answer]", "中国共产党/党；人民")
    assert page.locator("#preview .pq-blank").count() == 2
    assert page.locator("#preview .pq-fill input").count() == 2
    assert "第1空：中国共产党 / 党；第2空：人民" in page.locator("#preview-key").inner_text()

    page.select_option("select[name=type]", "multiple")
    page.fill("textarea[name=stem]", "政法队伍教育整顿的“四项教育”包括（ ）。")
    for letter, text in zip("abcde", ["政治教育", "党史教育", "警示教育", "英模教育", "业务竞赛"]):
        page.fill(f"input[name=option_{letter}]", text)
    page.fill("input[name=answer]", "a、b、c、d")
    assert page.locator("#preview .pq-blank").count() == 0
    assert page.locator("#preview .pq-option.correct").count() == 4
    assert page.locator("#preview .pq-option input[type=checkbox]").count() == 5
    page.fill(
        "input[name=explanation]" if page.locator("input[name=explanation]").count() else "textarea[name=explanation]",
        "以政治教育、党史教育、警示教育、英模教育“四项教育”为主抓手。",
    )
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "bank-editor-desktop")
    page.fill("input[name=answer]", "ABF")
    assert "不在选项中" in page.locator("#preview-key").inner_text()
    page.fill("input[name=answer]", "ABCD")
    page.click("#question-editor button[type=submit]:not([name])")
    page.wait_for_load_state("networkidle")
    assert "已保存" in page.locator(".flash").first.inner_text()
    db.session.rollback()
    saved = db.session.scalars(sa.select(Question).order_by(Question.id.desc())).first()
    assert saved.stem.startswith("政法队伍教育整顿") and saved.answer == ["A", "B", "C", "D"]
    clean(page)
    page.context.close()

    phone = admin_page(browser, live_server, PHONE)
    phone.goto(f"/bank/{saved.id}/edit")
    assert phone.locator("#preview .pq-option.correct").count() == 4
    screenshot(phone, "bank-editor-phone")
    top(phone, "bank-editor-phone-top")
    clean(phone)
    phone.context.close()


def test_the_import_report_and_importing_only_the_valid_rows(demo_bank, browser, live_server):
    from tests.question_bank.test_importer import BAD_ROWS

    data = files.xlsx([*files.TWENTY[:6], *BAD_ROWS[1:8]])
    for viewport, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = admin_page(browser, live_server, viewport)
        page.goto("/bank/import/")
        page.set_input_files(
            "input[name=file]", files=[{"name": "题库.xlsx", "mimeType": "application/octet-stream", "buffer": data}]
        )
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == "导入检查"
        assert page.locator("table.import-errors tbody tr").count() == 7
        screenshot(page, f"bank-import-report-{label}")
        top(page, f"bank-import-report-{label}-top")
        clean(page)
        if label == "desktop":
            page.on("dialog", lambda dialog: dialog.accept())
            with page.expect_navigation():
                page.click("text=仅导入 6 行正确数据")
            screenshot(page, "bank-import-done-desktop")
            assert "已导入 6 道题" in page.locator(".flash").first.inner_text()
        page.context.close()


def test_a_pocket_card_on_screen_and_in_print(demo_bank, browser, live_server):
    category = demo_bank["党史教育"]
    for viewport, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = admin_page(browser, live_server, viewport)
        page.goto(f"/bank/cards/{category.id}")
        assert page.locator(".pc-item").count() >= 10
        assert page.locator(".pc-section").count() == 2  # 党史教育 and its subcategory
        screenshot(page, f"bank-pocket-card-{label}")
        top(page, f"bank-pocket-card-{label}-top")
        if label == "desktop":
            page.goto(f"/bank/cards/{category.id}?size=a4")
            page.emulate_media(media="print")
            assert page.locator(".sidenav").is_hidden() and page.locator(".page-head").is_hidden()
            screenshot(page, "bank-pocket-card-print-a4")
            pdf = page.pdf(prefer_css_page_size=True)
            assert pdf.startswith(b"%PDF")
        clean(page)
        page.context.close()


def test_the_categories_and_import_pages(demo_bank, browser, live_server):
    for viewport, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = admin_page(browser, live_server, viewport)
        page.goto("/bank/categories/")
        assert page.locator(".category-tree li").count() == 8
        page.locator(".category-actions summary").first.click()
        assert page.locator(".rename-form").first.is_visible()
        top(page, f"bank-categories-{label}")
        page.goto("/bank/import/")
        assert "中国共产党/党；人民" in page.locator(".import-rules").inner_text()
        top(page, f"bank-import-upload-{label}")
        clean(page)
        page.context.close()
