"""The people import clicked through in Chromium: upload, read the dry-run report, confirm, see the
one-time passwords. (Posting a form the way a browser does is what caught a doubled field once.)"""

import io

import openpyxl

from accounts.models import User
from core.extensions import db
from tests.browser.conftest import screenshot, sign_in
from tests.factories import TEST_PASSWORD


def workbook(rows):
    book = openpyxl.Workbook()
    for row in [["警号", "姓名", "单位", "角色", "手机"], *rows]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_admin_imports_people_with_one_bad_row_choosing_the_valid_rows(world, desktop, tmp_path):
    path = tmp_path / "people.xlsx"
    path.write_bytes(
        workbook(
            [
                ["340001", "甲一", "东区城关派出所", "干警", ""],
                ["340002", "乙二", "东区人民法院", "", "13900000000"],
                ["340003", "", "东区人民法院", "干警", ""],
            ]
        )
    )
    sign_in(desktop, "admin1", TEST_PASSWORD)
    desktop.goto("/admin/people/import/")
    desktop.set_input_files("input[name=file]", str(path))
    desktop.click("main button[type=submit]")
    desktop.wait_for_load_state("networkidle")
    assert "缺少姓名" in desktop.content()
    screenshot(desktop, "people-import-report-desktop")
    desktop.on("dialog", lambda dialog: dialog.accept())
    desktop.click("text=仅导入 2 行正确数据")
    desktop.wait_for_load_state("networkidle")
    assert "已导入 2 人" in desktop.content()
    screenshot(desktop, "people-import-done-desktop")
    assert desktop.watcher.errors == []
    db.session.rollback()
    assert {u.username for u in db.session.query(User).filter(User.username.like("3400%"))} == {"340001", "340002"}
