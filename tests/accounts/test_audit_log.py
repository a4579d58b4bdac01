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
from quiz import authoring
from quiz.models import ExamAssignment
from reports import bulletins
from scheduler.jobs import job_named
from study import leave, spotchecks
from tests.quiz.factories import make_template, publish, small_bank
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


def test_the_scheduled_close_is_audited_as_the_system_and_a_hand_close_only_once(world, login_as, frozen_clock):
    category, _ = small_bank()
    by_hand = publish(make_template(world["east"], category, title="手动关闭"), open_for=timedelta(hours=1))
    on_time = publish(make_template(world["east"], category, title="到期关闭"), open_for=timedelta(hours=1))
    late = ExamAssignment.query.filter_by(exam_id=on_time.id, user_id=world["east_officer2"].id).one()
    authoring.grant_exception(
        None,
        on_time,
        [late],
        opens_at=None,
        closes_at=on_time.closes_at + timedelta(hours=2),
        extra_minutes=0,
        extra_attempts=0,
        reason="值班",
        now=clock.now(),
    )
    db.session.commit()
    frozen_clock.advance(timedelta(minutes=10))
    assert login_as(world["east_supervisor"]).post(f"/manage/quiz/exams/{by_hand.id}/close").status_code == 302
    close_job = job_named("close_exams").func

    # The exam's close: everyone but the extended officer is closed by the scheduler.
    frozen_clock.advance(timedelta(hours=1))
    close_job(clock.now())
    db.session.commit()
    hand, first = sorted(events("quiz.exam_closed"), key=lambda event: event.id)
    _from_here(hand, world["east_supervisor"])
    assert hand.target_id == str(by_hand.id) and hand.detail["officers_closed"] == 2
    assert (first.actor_id, first.ip, first.target_type, first.target_id) == (None, None, "exams", str(on_time.id))
    assert first.detail["title"] == on_time.title
    assert first.detail["officers_closed"] == 1 and "exams_closed" not in first.detail

    # The extended window ends: the last officer and the exam itself close; a tick with nothing due records nothing.
    frozen_clock.advance(timedelta(hours=2))
    close_job(clock.now())
    close_job(clock.now())
    db.session.commit()
    system = sorted(
        (e.id, e.detail["officers_closed"], e.detail.get("exams_closed"))
        for e in events("quiz.exam_closed")
        if e.actor_id is None and e.target_id == str(on_time.id)
    )
    assert [counts for _id, *counts in system] == [[1, None], [1, 1]]
    assert len([event for event in events("quiz.exam_closed") if event.target_id == str(by_hand.id)]) == 1


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
