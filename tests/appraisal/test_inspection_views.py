"""Inspections through the pages: recorded with two findings, one rectified and one open, they
appear on the board, in the next bulletin and in the export; scope, CSRF and bad input."""

import io
from datetime import date, timedelta

import openpyxl

from appraisal.models import FindingStatus, Inspection, InspectionFinding
from core.extensions import db
from notices.models import Notice
from tests.factories import SupervisorFactory

W48 = date(2026, 11, 23)  # the frozen clock's Monday


def _form(unit, **extra):
    data = {
        "unit": unit.id,
        "day": W48.isoformat(),
        "kind": "special",
        "inspectors": "市委政法委督导组 王强、李梅",
        "checked": "学习笔记、集中学习签到表、每周测试组织情况",
        "findings-0-text": "部分干警学习笔记照抄原文，缺少心得体会",
        "findings-0-deadline": (W48 + timedelta(days=14)).isoformat(),
        "findings-1-text": "集中学习签到表缺少请假审批记录",
        "findings-1-deadline": (W48 + timedelta(days=7)).isoformat(),
    }
    data.update(extra)
    return data


def _record(world, login_as):
    station_supervisor = SupervisorFactory(username="sup-station", unit=world["east_station"])
    db.session.commit()
    east = login_as(world["east_supervisor"])
    response = east.post("/appraisal/inspections/new", data=_form(world["east_station"]))
    assert response.status_code == 302, response.get_data(as_text=True)
    inspection = db.session.scalars(db.select(Inspection)).one()
    return east, station_supervisor, inspection


def test_an_inspection_with_two_findings_is_recorded_rectified_and_shown_everywhere(world, login_as, frozen_clock):
    east, station_supervisor, inspection = _record(world, login_as)
    assert [f.text for f in inspection.findings][0].startswith("部分干警")
    told = Notice.query.filter_by(user_id=station_supervisor.id, kind="inspection").one()
    assert told.link.endswith(f"unit={world['east_station'].id}")
    assert Notice.query.filter_by(user_id=world["west_supervisor"].id).count() == 0

    station = login_as(station_supervisor)
    first = inspection.findings[0]
    page = station.get(f"/appraisal/inspections/{inspection.id}").get_data(as_text=True)
    assert "专项督察" in page and "整改中" in page
    reply = station.post(
        f"/appraisal/findings/{first.id}/rectify", data={"rectification": "已组织重写学习笔记并逐人检查"}
    )
    assert reply.status_code == 302
    db.session.expire_all()
    assert db.session.get(InspectionFinding, first.id).status is FindingStatus.RECTIFIED
    assert Notice.query.filter_by(user_id=world["east_supervisor"].id, kind="inspection").count() == 1
    again = station.post(
        f"/appraisal/findings/{first.id}/rectify", data={"rectification": "再次登记"}, follow_redirects=True
    )
    assert "该问题已整改" in again.get_data(as_text=True)

    board = east.get(f"/reports/board?unit={world['east'].id}&from={W48}&to={W48}").get_data(as_text=True)
    section = board.split('id="inspections"')[1].split("</section>")[0]
    assert "本期开展1次" in section and "1个问题待整改" in section
    assert "集中学习签到表缺少请假审批记录" in section and "部分干警学习笔记" not in section

    draft = east.post("/reports/bulletins/", data={"unit": world["east"].id, "week": W48.isoformat()})
    bulletin = east.get(draft.headers["Location"]).get_data(as_text=True)
    assert "四、督查情况" in bulletin and "本周开展督查1次" in bulletin
    assert "集中学习签到表缺少请假审批记录" in bulletin and "尚待整改的问题1个" in bulletin

    export = east.get(f"/appraisal/inspections.xlsx?unit={world['east'].id}&from={W48}&to={W48}")
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.data))
    assert book.sheetnames == ["督查", "待整改问题"]
    rows = [[c for c in row] for row in book["督查"].iter_rows(values_only=True)]
    assert rows[0][:3] == ("督查日期", "单位", "类型") or rows[0][0] == "日期"
    statuses = sorted(row[7] for row in rows[1:])
    assert statuses == ["已整改", "整改中"]
    assert len(list(book["待整改问题"].iter_rows(values_only=True))) == 2


def test_bad_input_gets_clear_chinese_messages_and_writes_nothing(world, login_as, frozen_clock):
    east = login_as(world["east_supervisor"])
    future = east.post("/appraisal/inspections/new", data=_form(world["east_station"], day="2026-12-30"))
    assert "督查日期不能晚于今天" in future.get_data(as_text=True)
    early = east.post(
        "/appraisal/inspections/new", data=_form(world["east_station"], **{"findings-0-deadline": "2026-11-01"})
    )
    assert "整改期限不能早于督查日期" in early.get_data(as_text=True)
    no_deadline = east.post(
        "/appraisal/inspections/new", data=_form(world["east_station"], **{"findings-1-deadline": ""})
    )
    assert "请为每个问题填写整改期限" in no_deadline.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Inspection)) == 0


def test_a_supervisor_cannot_record_or_see_inspections_outside_their_subtree(world, login_as, frozen_clock):
    _east, _station_supervisor, inspection = _record(world, login_as)
    west = login_as(world["west_supervisor"])
    assert west.get(f"/appraisal/inspections/{inspection.id}").status_code == 403
    refused = west.post("/appraisal/inspections/new", data=_form(world["east_station"]))
    assert refused.status_code in (200, 403)
    assert db.session.scalar(db.select(db.func.count()).select_from(Inspection)) == 1
    finding = inspection.findings[1]
    assert west.post(f"/appraisal/findings/{finding.id}/rectify", data={"rectification": "x"}).status_code == 403
    assert west.get(f"/appraisal/inspections?unit={world['east'].id}").status_code == 403
    officer = login_as(world["east_officer"])
    assert officer.get("/appraisal/inspections").status_code == 403
