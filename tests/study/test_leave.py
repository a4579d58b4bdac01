"""Leave: asked before the start with a reason, decided by a supervisor in scope, noticed to the
officer, and counted as 请假 (not 缺席) when the session closes."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from core import clock
from core.extensions import db
from notices.models import Notice
from notices.services import render_title
from study import sessions
from study.models import Attendance, AttendanceStatus, LeaveRequest, LeaveStatus
from tests.study.factories import StudySessionFactory

START = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai


def _session(world, unit=None):
    return StudySessionFactory(unit=unit or world["east_police"], starts_at=START, ends_at=START + timedelta(hours=2))


def _ask(client, session, reason="外出办案，无法参加。"):
    return client.post(f"/api/v1/sessions/{session.id}/leave", json={"reason": reason})


def test_leave_is_asked_before_the_start_with_a_reason(world, login_as, frozen_clock):
    session = _session(world)
    client = login_as(world["east_officer"])
    empty = _ask(client, session, reason=" ")
    assert empty.status_code == 400 and empty.get_json()["message"] == "请填写请假事由。"
    ok = _ask(client, session)
    assert ok.status_code == 201 and ok.get_json()["leave"]["status"] == "pending"
    twice = _ask(client, session)
    assert twice.status_code == 409 and twice.get_json()["message"] == "您已为本次活动请过假。"
    frozen_clock.set(START)
    late_client = login_as(world["east_supervisor"])  # noqa: F841 (a supervisor cannot ask leave at all)
    assert _ask(late_client, session).status_code == 403
    colleague = StudySessionFactory(unit=world["east_police"], starts_at=START, ends_at=START + timedelta(hours=1))
    too_late = _ask(login_as(world["east_officer"]), colleague)
    assert too_late.status_code == 409 and too_late.get_json()["message"] == "请假须在活动开始前提出。"


def test_officers_outside_the_scope_cannot_ask_leave(world, login_as, frozen_clock):
    session = _session(world)
    response = _ask(login_as(world["west_officer"]), session)
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(LeaveRequest.id))) == 0


def test_approved_leave_is_noticed_and_counts_as_leave_not_absence(world, login_as, frozen_clock):
    session = _session(world)
    _ask(login_as(world["east_officer"]), session)
    leave = db.session.scalar(sa.select(LeaveRequest))
    west = login_as(world["west_supervisor"])
    assert west.post(f"/manage/study/leave/{leave.id}", data={"decision": "approve"}).status_code == 403
    supervisor = login_as(world["east_supervisor"])
    assert "外出办案" in supervisor.get("/manage/study/sessions").get_data(as_text=True)
    response = supervisor.post(f"/manage/study/leave/{leave.id}", data={"decision": "approve", "note": "同意"})
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(LeaveRequest, leave.id).status == LeaveStatus.APPROVED
    notice = db.session.scalar(sa.select(Notice).where(Notice.user_id == world["east_officer"].id))
    assert render_title(notice) == f"您“{session.title}”的请假已批准。"
    again = supervisor.post(f"/manage/study/leave/{leave.id}", data={"decision": "reject"})
    assert "该申请已审批" in supervisor.get(again.headers["Location"]).get_data(as_text=True)
    frozen_clock.set(session.ends_at)
    sessions.close_due_sessions(clock.now())
    db.session.commit()
    row = db.session.scalar(sa.select(Attendance).filter_by(user_id=world["east_officer"].id))
    assert row.status == AttendanceStatus.LEAVE


def test_a_rejected_request_is_noticed_and_may_be_asked_again_before_the_start(world, login_as, frozen_clock):
    session = _session(world)
    client = login_as(world["east_officer"])
    _ask(client, session)
    leave = db.session.scalar(sa.select(LeaveRequest))
    login_as(world["east_supervisor"]).post(f"/manage/study/leave/{leave.id}", data={"decision": "reject"})
    notice = db.session.scalar(sa.select(Notice).where(Notice.user_id == world["east_officer"].id))
    assert render_title(notice) == f"您“{session.title}”的请假被驳回。"
    page = client.get(f"/study/sessions/{session.id}").get_data(as_text=True)
    assert "已驳回" in page and 'name="reason"' in page
    assert _ask(client, session, "重新说明：当日在外地出差。").status_code == 201
    frozen_clock.set(session.ends_at)
    sessions.close_due_sessions(clock.now())
    db.session.commit()
    row = db.session.scalar(sa.select(Attendance).filter_by(user_id=world["east_officer"].id))
    assert row.status == AttendanceStatus.ABSENT  # the second request was never approved


def test_leave_approved_after_the_close_turns_the_absence_into_leave(world, login_as, frozen_clock):
    session = _session(world)
    _ask(login_as(world["east_officer"]), session)
    frozen_clock.set(session.ends_at)
    sessions.close_due_sessions(clock.now())
    db.session.commit()
    leave = db.session.scalar(sa.select(LeaveRequest))
    login_as(world["east_supervisor"]).post(f"/manage/study/leave/{leave.id}", data={"decision": "approve"})
    db.session.rollback()
    row = db.session.scalar(sa.select(Attendance).filter_by(user_id=world["east_officer"].id))
    assert row.status == AttendanceStatus.LEAVE
