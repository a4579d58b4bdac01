"""The audit log (issue 15): settings changes, bulletin publishing, leave decisions, spot-check
rulings and category creation are recorded with who, when, what and from where; admins see them,
filter them and export them as .xlsx."""

import io
from datetime import timedelta

import openpyxl
import pytest

from accounts.audit import AuditEvent
from core import clock
from core.extensions import db
from reports import bulletins
from study import leave, spotchecks
from tests.study.factories import CheckInFactory, StudySessionFactory


def events(action):
    db.session.rollback()
    return db.session.query(AuditEvent).filter(AuditEvent.action == action).all()


def _from_here(event, actor):
    assert event.actor_id == actor.id and event.actor_unit_id == actor.unit_id
    assert event.ip == "127.0.0.1"
    assert event.at.utcoffset().total_seconds() == 0


def settings_form(app, **changes):
    """The settings page as a browser posts it: every field, ticked boxes as "on"."""
    form = {}
    for spec in app.config["YINGZHI_SETTING_SPECS"]:
        value = app.config[spec.key]
        if spec.kind is not bool:
            form[spec.key] = str(value)
        elif value:
            form[spec.key] = "on"
    return {**form, **changes}


def test_a_settings_change_is_audited_with_what_changed(app, world, login_as):
    admin = login_as(world["admin"])
    assert admin.post("/admin/settings", data=settings_form(app, STUDY_DAILY_TARGET_MINUTES="90")).status_code == 302
    (event,) = events("settings.change")
    _from_here(event, world["admin"])
    assert event.detail == {"STUDY_DAILY_TARGET_MINUTES": {"from": 120, "to": 90}}
    # Saving the page again without a change records nothing more.
    admin.post("/admin/settings", data=settings_form(app, STUDY_DAILY_TARGET_MINUTES="90"))
    assert len(events("settings.change")) == 1


def test_publishing_a_bulletin_is_audited(world, login_as, frozen_clock):
    bulletin = bulletins.draft_bulletin(None, world["east"], clock.week_start(clock.today()), clock.now())
    db.session.commit()
    supervisor = login_as(world["east_supervisor"])
    assert supervisor.post(f"/reports/bulletins/{bulletin.id}/publish").status_code == 302
    (event,) = events("report.bulletin_published")
    _from_here(event, world["east_supervisor"])
    assert (event.target_type, event.target_id) == ("report_bulletins", str(bulletin.id))
    assert event.detail["unit"] == world["east"].id


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_leave_decision_is_audited(world, login_as, frozen_clock, decision):
    session = StudySessionFactory(unit=world["east_station"], starts_at=clock.now() + timedelta(days=1))
    request_ = leave.request_leave(world["east_officer"], session, "家中有事，申请请假。", clock.now())
    db.session.commit()
    supervisor = login_as(world["east_supervisor"])
    supervisor.post(f"/manage/study/leave/{request_.id}", data={"decision": decision, "note": "同意"})
    (event,) = events("study.leave_approved" if decision == "approve" else "study.leave_rejected")
    _from_here(event, world["east_supervisor"])
    assert event.target_id == str(request_.id)
    assert event.detail == {"session": session.id, "officer": world["east_officer"].id, "note": "同意"}


def test_a_spot_check_ruling_is_audited(world, login_as, frozen_clock):
    CheckInFactory(user=world["east_officer"])
    spot_check = spotchecks.draw_spot_check(
        None, unit=world["east_station"], from_day=clock.today(), to_day=clock.today(), size=5, now=clock.now()
    )
    db.session.commit()
    sample = spot_check.items[0]
    supervisor = login_as(world["east_supervisor"])
    response = supervisor.post(
        f"/manage/study/spotchecks/samples/{sample.id}", data={"result": "unqualified", "comment": "笔记过于简单"}
    )
    assert response.status_code == 302
    (event,) = events("study.spotcheck_marked")
    _from_here(event, world["east_supervisor"])
    assert event.detail == {"result": "unqualified", "comment": "笔记过于简单", "officer": world["east_officer"].id}


def test_creating_a_category_is_audited(world, login_as):
    admin = login_as(world["admin"])
    assert admin.post("/bank/categories/", data={"name": "新增审计分类", "parent_id": "0"}).status_code == 302
    (event,) = events("bank.category.create")
    _from_here(event, world["admin"])
    assert event.detail["name"] == "新增审计分类" and event.target_type == "categories"


def test_admins_filter_and_export_the_log(app, world, login_as):
    admin = login_as(world["admin"])
    admin.post("/admin/settings", data=settings_form(app, STUDY_DAILY_TARGET_MINUTES="100"))
    page = admin.get("/admin/audit?action=settings").get_data(as_text=True)
    assert "settings.change" in page and "login.success" not in page
    assert "login.success" in admin.get("/admin/audit?who=admin1").get_data(as_text=True)
    assert "settings.change" not in admin.get("/admin/audit?action=settings&from=2000-01-01&to=2000-01-02").get_data(
        as_text=True
    )

    assert admin.get("/admin/audit.xlsx").status_code == 405  # a POST: the export is itself audited
    export = admin.post("/admin/audit.xlsx", data={"action": "settings"})
    assert export.status_code == 200 and export.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(export.data), read_only=True).worksheets[0]
    header, *rows = list(sheet.values)
    assert header == ("时间", "操作人", "账号", "操作", "对象", "详情", "地址")
    assert [row[3] for row in rows] == ["settings.change"]
    assert rows[0][2] == "admin1" and rows[0][6] == "127.0.0.1" and '"to": 100' in rows[0][5]
    assert events("audit.export")[0].detail == {"filters": {"action": "settings"}, "rows": 1}


@pytest.mark.parametrize("user", ["east_supervisor", "east_officer"])
def test_only_admins_see_or_export_the_log(world, login_as, user):
    client = login_as(world[user])
    assert client.get("/admin/audit").status_code == 403
    assert client.post("/admin/audit.xlsx", data={}).status_code == 403
