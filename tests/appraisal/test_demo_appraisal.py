"""The appraisal sheet of the demo city over the demo's weeks opens as a page and as .xlsx."""

import io
from datetime import timedelta

import openpyxl
import sqlalchemy as sa

from accounts.models import User
from core import clock
from core.extensions import db


def test_the_demo_citys_appraisal_sheet_opens_as_a_page_and_as_xlsx(app, runner, login_as):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    admin = login_as(db.session.scalar(sa.select(User).where(User.username == "admin")), "yingzhi2026")
    today = clock.today()
    period = f"from={(today - timedelta(weeks=8)).isoformat()}&to={today.isoformat()}"
    page = admin.get(f"/appraisal/sheet?{period}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "年终绩效" in body and "东湖区" in body and "合计" in body
    export = admin.get(f"/appraisal/sheet.xlsx?{period}")
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.data))
    assert book.sheetnames[0] == "汇总" and len(book.sheetnames) > 3
    totals = list(book["汇总"].iter_rows(values_only=True))
    assert totals[1][0] == "合计" and totals[1][2] > 300  # the city's officers
    inspections = admin.get(f"/appraisal/inspections?{period}").get_data(as_text=True)
    assert "共4次" in inspections and "已逐人督促整改并复查" not in inspections  # rectified: not in the open list
    assert "专项督察" in inspections and "随机抽查" in inspections
