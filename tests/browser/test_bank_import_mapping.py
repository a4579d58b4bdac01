"""The import's mapping step in Chromium at phone (390 px) and desktop (1280 px) size: another
system's export is uploaded, the admin reads how each column is read, reads a column as the
explanation, maps the type codes, saves the profile and imports. Screenshots go to
artifacts/screenshots/bank-import-mapping-*.png."""

import sqlalchemy as sa

from core import clock
from core.extensions import db
from question_bank import services
from question_bank.models import ImportProfile, Question
from tests.browser.conftest import open_page, screenshot, sign_in
from tests.factories import TEST_PASSWORD
from tests.question_bank import files
from tests.question_bank.test_import_mapping_views import HEADERS, ROWS

PHONE_390 = {"width": 390, "height": 844}
DESKTOP_1280 = {"width": 1280, "height": 800}


def test_mapping_another_systems_columns_and_codes_then_importing(world, browser, live_server):
    services.ensure_default_categories(clock.now())
    db.session.commit()
    data = files.xlsx(ROWS, HEADERS)
    for viewport, label in ((PHONE_390, "phone"), (DESKTOP_1280, "desktop")):
        page = open_page(browser, viewport, live_server)
        sign_in(page, "admin1", TEST_PASSWORD)
        page.goto("/bank/import/")
        page.set_input_files(
            "input[name=file]",
            files=[{"name": "考试系统导出.xlsx", "mimeType": "application/octet-stream", "buffer": data}],
        )
        page.select_option("select[name=category_id]", label="业务知识")
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
        mapping = page.locator(".import-mapping")
        assert mapping.locator("table.mapping-table tbody tr").count() == len(HEADERS)
        assert page.locator("table.import-errors tbody tr").count() == 3  # type codes not yet mapped
        assert "已忽略的列：test_questions_id、remark、enable" in page.content()
        screenshot(page, f"bank-import-mapping-{label}")
        remark = page.locator("tr", has=page.locator("strong", has_text="remark")).locator("select")
        remark.select_option(value="explanation")
        page.fill("textarea[name=type_map]", "1 = 单选\n2 = 多选\n3 = 判断")
        page.fill("input[name=profile_name]", f"公安东城-{label}")
        with page.expect_navigation():
            page.click("button[value=mapping]")
        assert page.locator("table.import-errors").count() == 0
        assert "导入全部 3 道新题" in page.content()
        screenshot(page, f"bank-import-mapping-{label}-checked")
        assert page.watcher.errors == [] and page.external_requests == []
        if label == "desktop":
            with page.expect_navigation():
                page.click("text=导入全部 3 道新题")
            assert "已导入 3 道题" in page.locator(".flash").first.inner_text()
        page.context.close()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 3
    assert {p.name for p in db.session.scalars(sa.select(ImportProfile))} == {"公安东城-phone", "公安东城-desktop"}
    explanations = [q.explanation for q in db.session.scalars(sa.select(Question).order_by(Question.id))]
    assert explanations == ["解析一", None, None]
