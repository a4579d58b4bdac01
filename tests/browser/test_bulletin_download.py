"""[PW] A supervisor downloads the bulletin as a 公文 from its page (下载公文（Word）) at 1280 px and
on a phone: the file python-docx opens has the page's sections and the people the page names."""

from datetime import date

import docx
import pytest

from core import clock
from core.extensions import db
from reports import bulletins
from tests.browser.conftest import PHONE, sign_in
from tests.factories import TEST_PASSWORD
from tests.reports.campaign import build_campaign

pytestmark = pytest.mark.browser
WIDE = {"width": 1280, "height": 800}


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "phone"])
def test_the_bulletin_page_downloads_its_gongwen(world, frozen_clock, open_at, viewport):
    campaign = build_campaign(world, frozen_clock)
    bulletin = bulletins.draft_bulletin(None, campaign["east"], date(2026, 11, 16), clock.now())
    db.session.commit()
    page = open_at(viewport)
    sign_in(page, campaign["east_supervisor"].username, TEST_PASSWORD)
    page.goto(f"/reports/bulletins/{bulletin.id}")
    on_page = page.locator(".bulletin-section h3").all_inner_texts()
    assert on_page == [
        "一、各单位情况",
        "二、测试缺考、不合格人员",
        "三、集中学习无故缺席人员",
        "四、督查情况",
        "五、工作要求",
    ]
    button = page.get_by_role("link", name="下载公文（Word）")
    assert button.is_visible()
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename.endswith(".docx")
    document = docx.Document(str(download.value.path()))
    lines = [p.text for p in document.paragraphs]
    assert all(heading in lines for heading in on_page)
    names = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"张三", "王二", "李四"} <= names
    assert page.watcher.errors == []
