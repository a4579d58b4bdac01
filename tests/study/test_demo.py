"""The demo step: readings, eight weeks of check-ins, past sessions closed with attendance and
leave, and a session today whose sign-in is open for the demo officer."""

import sqlalchemy as sa

from core import clock
from core.extensions import db
from study import sessions
from study.models import Attendance, AttendanceStatus, CheckIn, LeaveRequest, Reading, StudySession


def test_seed_demo_builds_the_study_world_and_todays_session_is_open(app, runner, login_as):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "study: 5 readings" in result.output
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Reading.id))) == 5
    days = db.session.scalar(sa.select(sa.func.count(sa.distinct(CheckIn.day))))
    assert days == 56  # eight weeks before today
    rows = db.session.execute(sa.select(Attendance.status, sa.func.count()).group_by(Attendance.status))
    statuses = {status: count for status, count in rows}
    assert {AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT} <= set(
        statuses
    )
    assert AttendanceStatus.PENDING not in statuses
    assert db.session.scalar(sa.select(sa.func.count(LeaveRequest.id))) > 0
    today = db.session.scalar(sa.select(StudySession).where(StudySession.title == "集中学习：习近平法治思想专题辅导"))
    now = clock.now()
    assert sessions.signin_open(today, now)

    from accounts.models import User

    officer = db.session.scalar(sa.select(User).where(User.username == "officer"))
    client = login_as(officer, "yingzhi2026")
    code, _ = sessions.current_code(today, clock.now())
    response = client.post(f"/api/v1/sessions/{today.id}/signin", json={"code": code})
    assert response.status_code == 200, response.get_json()
