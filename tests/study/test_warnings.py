"""Warnings: absent twice in a row, or a week below half the target; posted once."""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from core import clock
from core.extensions import db
from notices.models import Notice
from notices.services import render_title
from study import sessions, warnings
from study.models import StudyWarning, WarningKind
from tests.factories import UserFactory
from tests.study.factories import CheckInFactory, StudySessionFactory


def _closed_session(world, start, attend=()):
    session = StudySessionFactory(unit=world["east_police"], starts_at=start, ends_at=start + timedelta(hours=2))
    if attend:
        sessions.mark_present(None, session, [p.id for p in attend], start)
    sessions.close_due_sessions(session.ends_at)
    db.session.commit()
    return session


def test_two_absences_in_a_row_warn_once(world, login_as, frozen_clock):
    officer = world["east_officer"]
    start = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
    _closed_session(world, start)
    _closed_session(world, start + timedelta(days=7), attend=[officer])
    frozen_clock.set(start + timedelta(days=8))
    warnings.issue_warnings(clock.now())
    assert (
        db.session.scalar(sa.select(sa.func.count(StudyWarning.id)).where(StudyWarning.kind == WarningKind.ABSENCES))
        == 0
    )
    _closed_session(world, start + timedelta(days=14))
    _closed_session(world, start + timedelta(days=15))
    frozen_clock.set(start + timedelta(days=16))
    assert warnings.issue_warnings(clock.now()) >= 1
    db.session.commit()
    assert warnings.issue_warnings(clock.now()) == 0
    db.session.commit()
    rows = db.session.scalars(sa.select(StudyWarning).where(StudyWarning.kind == WarningKind.ABSENCES)).all()
    assert [(r.user_id, r.detail["count"]) for r in rows] == [(officer.id, 2)]
    notice = db.session.scalar(
        sa.select(Notice).where(Notice.kind == "study.warning", Notice.dedupe_key.startswith("study-warning:absences"))
    )
    assert render_title(notice) == "学习预警：您已连续 2 次缺席集中学习。"
    page = login_as(world["east_supervisor"]).get("/manage/study/warnings").get_data(as_text=True)
    assert officer.full_name in page and "连续缺席集中学习" in page
    assert officer.full_name not in login_as(world["west_supervisor"]).get("/manage/study/warnings").get_data(
        as_text=True
    )


def test_a_week_below_half_the_target_warns(world, frozen_clock):
    frozen_clock.set(datetime(2026, 11, 1, 1, 0, tzinfo=UTC))
    diligent = UserFactory(unit=world["east_station"])
    idle = UserFactory(unit=world["east_station"])
    # Joined on the Monday after the week: never judged for days before their account.
    newcomer = UserFactory(unit=world["east_station"], created_at=datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    # Joined on the week's Saturday: judged for the two days they were there (2 x 60 minutes).
    late_joiner = UserFactory(unit=world["east_station"], created_at=datetime(2026, 11, 21, 1, 0, tzinfo=UTC))
    monday = date(2026, 11, 16)
    for offset in range(7):
        day = monday + timedelta(days=offset)
        frozen_clock.set(clock.local_datetime(day, time(21, 0)))
        CheckInFactory(user=diligent, day=day, minutes=70)  # 490 ≥ 420 = half of 7 × 120
        if offset < 2:
            CheckInFactory(user=idle, day=day, minutes=120)  # 240 < 420
    frozen_clock.set(clock.local_datetime(date(2026, 11, 24), time(6, 0)))
    warnings.issue_warnings(clock.now())
    db.session.commit()
    rows = db.session.scalars(sa.select(StudyWarning).where(StudyWarning.kind == WarningKind.LOW_STUDY)).all()
    warned = {r.user_id: r.detail for r in rows}
    assert diligent.id not in warned and newcomer.id not in warned
    assert warned[idle.id] == {"minutes": 240, "week": "2026-W47"}
    assert warned[late_joiner.id] == {"minutes": 0, "week": "2026-W47"}
    assert warned[world["east_officer"].id] == {"minutes": 0, "week": "2026-W47"}  # an officer all year
    assert warnings.issue_warnings(clock.now()) == 0


def test_study_warnings_cli(world, runner, frozen_clock):
    result = runner.invoke(args=["study-warnings", "--at", "2026-11-24T06:00"])
    assert result.exit_code == 0 and "warnings issued:" in result.output
