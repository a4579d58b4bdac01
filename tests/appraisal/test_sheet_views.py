"""The appraisal sheet through the pages: the page and its .xlsx (totals first, one sheet per
unit), the personal record's row, the menu, scope, and the admins' weights and rules."""

import io

import openpyxl

from tests.appraisal.test_sheet_figures import W46, W48, campaign  # noqa: F401  (the fixture)

PERIOD = f"from={W46}&to={W48}"


def test_the_sheet_opens_as_a_page_and_as_xlsx_with_totals_first(world, campaign, login_as):  # noqa: F811
    east = login_as(world["east_supervisor"])
    page = east.get(f"/appraisal/sheet?unit={world['east'].id}&{PERIOD}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "年终绩效" in body and "新警丙" in body and world["east_station"].name in body
    assert "学习滞后：1次测试尚未补课过关（规则：1次及以上）" in body
    assert 'href="/admin/settings"' not in body  # the weights' link is for admins

    export = east.get(f"/appraisal/sheet.xlsx?unit={world['east'].id}&{PERIOD}")
    assert export.status_code == 200 and export.headers["Content-Disposition"].endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(export.data))
    assert book.sheetnames[0] == "汇总"
    assert book.sheetnames[1:] == [f"1. {world['east_station'].name}", f"2. {world['east_court'].name}"]
    totals = list(book["汇总"].iter_rows(values_only=True))
    assert [row[0] for row in totals[1:]] == ["合计", world["east_station"].name, world["east_court"].name]
    court = list(book[book.sheetnames[2]].iter_rows(values_only=True))
    names = sorted(row[0] for row in court[1:])
    assert names == sorted([world["east_officer"].full_name, world["east_officer2"].full_name])


def test_the_default_period_is_the_year_so_far_and_bad_dates_get_a_chinese_message(world, login_as, frozen_clock):
    east = login_as(world["east_supervisor"])
    page = east.get("/appraisal/sheet").get_data(as_text=True)
    assert "2025-12-29" in page  # the week holding 1 January 2026
    bad = east.get("/appraisal/sheet?from=2026-02-30")
    assert bad.status_code == 400 and "日期" in bad.get_data(as_text=True)


def test_the_personal_record_shows_the_persons_appraisal_rows(world, campaign, login_as, frozen_clock):  # noqa: F811
    officer = login_as(campaign["a"])
    mine = officer.get("/reports/me").get_data(as_text=True)
    section = mine.split('id="appraisal"')[1].split("</section>")[0]
    assert world["east_station"].name in section and world["east_court"].name in section
    supervisor = login_as(world["east_supervisor"])
    theirs = supervisor.get(f"/reports/people/{campaign['b'].id}").get_data(as_text=True)
    assert "尚未补课过关" in theirs.split('id="appraisal"')[1].split("</section>")[0]


def test_the_menu_links_the_pages_for_supervisors_and_admins_only(world, login_as, frozen_clock):
    for who in ("east_supervisor", "admin"):
        home = login_as(world[who]).get("/").get_data(as_text=True)
        assert 'href="/appraisal/sheet"' in home and 'href="/appraisal/inspections"' in home
        inspections = login_as(world[who]).get("/appraisal/inspections").get_data(as_text=True)
        assert inspections.count('aria-current="page"') == 1  # the one entry, not the sheet's too
    officer = login_as(world["east_officer"])
    assert "/appraisal/" not in officer.get("/").get_data(as_text=True)
    assert officer.get("/appraisal/sheet").status_code == 403
    assert officer.get("/appraisal/sheet.xlsx").status_code == 403


def test_a_supervisor_sees_only_their_subtree(world, campaign, login_as):  # noqa: F811
    west = login_as(world["west_supervisor"])
    assert west.get(f"/appraisal/sheet?unit={world['east'].id}").status_code == 403
    own = west.get("/appraisal/sheet").get_data(as_text=True)
    assert "新警丙" not in own and world["east_officer"].full_name not in own


def test_admins_set_the_weights_and_rules_and_marks_follow(world, campaign, login_as):  # noqa: F811
    admin = login_as(world["admin"])
    settings = admin.get("/admin/settings").get_data(as_text=True)
    assert "绩效权重：补考后合格率" in settings and "绩效规则：未补课过关的测试达到此数量的干警为“学习滞后”" in settings
    refused = admin.post("/admin/settings", data={"APPRAISAL_PASS_LINE": "150"})
    assert "之间" in refused.get_data(as_text=True)
    assert admin.post("/admin/settings", data={"APPRAISAL_LAG_OUTSTANDING": "0"}).status_code == 302
    page = admin.get(f"/appraisal/sheet?unit={world['east'].id}&{PERIOD}").get_data(as_text=True)
    assert "尚未补课过关" not in page
