"""The demo step for tests: eight closed weeks with passes, failures, absentees and retakes, and
this week's test open for the demo officer, all consistent with what the close job expects."""

import sqlalchemy as sa

from accounts.models import User
from core import clock
from core.extensions import db
from quiz.closing import close_due_exams
from quiz.models import AssignmentStatus, Exam, ExamAssignment
from quiz.schedule import publish_due_exams


def test_seed_demo_builds_eight_closed_weeks_and_this_weeks_open_test(app, runner, login_as, frozen_clock):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "tests: 8 closed weekly tests" in result.output
    db.session.rollback()
    weeks = db.session.scalars(sa.select(Exam).where(Exam.retake_round == 0).order_by(Exam.opens_at)).all()
    assert len(weeks) == 9 and all(e.closed_at is not None for e in weeks[:8]) and weeks[8].closed_at is None
    statuses = dict(
        db.session.execute(
            sa.select(ExamAssignment.status, sa.func.count())
            .where(ExamAssignment.exam_id.in_([e.id for e in weeks[:8]]))
            .group_by(ExamAssignment.status)
        ).all()
    )
    total = sum(statuses.values())
    assert statuses[AssignmentStatus.PASSED] > 0.85 * total
    assert 0 < statuses[AssignmentStatus.FAILED] < 0.12 * total and 0 < statuses[AssignmentStatus.ABSENT] < 0.06 * total
    assert db.session.scalar(sa.select(sa.func.count()).where(Exam.retake_round > 0)) >= 8
    # Nothing left behind for the scheduler: no week of the recurring template is missing, and
    # every exam still open is open on purpose.
    assert publish_due_exams(clock.now())["published"] == 0
    assert close_due_exams(clock.now()) == {}
    db.session.rollback()

    officer = db.session.scalar(sa.select(User).where(User.username == "officer"))
    current = weeks[8]
    mine = db.session.scalar(
        sa.select(ExamAssignment).where(ExamAssignment.exam_id == current.id, ExamAssignment.user_id == officer.id)
    )
    assert mine.status == AssignmentStatus.ASSIGNED and current.opens_at <= clock.now() < current.closes_at
    supervisor = login_as(db.session.scalar(sa.select(User).where(User.username == "supervisor")), "yingzhi2026")
    page = supervisor.get(f"/manage/quiz/exams/{weeks[7].id}").get_data(as_text=True)
    assert "缺考" in page and "不合格" in page
    assert login_as(officer, "yingzhi2026").get("/practice/daily").status_code == 200
    # The reports step: the board shows last week's figures and a bulletin draft waits, at once.
    assert "reports: " in result.output and "3 bulletin drafts for last week" in result.output
    board = supervisor.get("/reports/board").get_data(as_text=True)
    assert "参考率" in board and "东湖区公安分局" in board and "%" in board
