"""Exam reminders: a new exam is open, and an exam closes within 24 hours and you have not
taken it. A scheduler job; notices carry a dedupe key, so a rerun (or a second scheduler) posts
nothing twice. Returns the number of notices posted."""

from datetime import timedelta

import sqlalchemy as sa

from core.extensions import db
from core.i18n import N_
from notices.services import notify
from quiz.models import AssignmentStatus, Exam, ExamAssignment

NEW_EXAM_NOTICE_WINDOW = timedelta(days=1)  # exams opened longer ago than this get no "new" notice
CLOSING_SOON = timedelta(hours=24)


def _assigned(exam_id: int, statuses) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(ExamAssignment.user_id).where(
                ExamAssignment.exam_id == exam_id, ExamAssignment.status.in_(statuses)
            )
        )
    )


def post_exam_reminders(now) -> dict:
    open_now = sa.select(Exam).where(Exam.opens_at <= now, Exam.closes_at > now, Exam.closed_at.is_(None))
    opened, closing = 0, 0
    for exam in db.session.scalars(open_now.where(Exam.opens_at > now - NEW_EXAM_NOTICE_WINDOW)):
        opened += notify(
            _assigned(exam.id, [AssignmentStatus.ASSIGNED]),
            kind="quiz.exam_open",
            title=N_("New test open: %(title)s"),
            params={"title": exam.title},
            link=f"/exams/{exam.id}/take",
            dedupe_key=f"exam-open:{exam.id}",
            now=now,
        )
    for exam in db.session.scalars(open_now.where(Exam.closes_at <= now + CLOSING_SOON)):
        closing += notify(
            _assigned(exam.id, [AssignmentStatus.ASSIGNED]),
            kind="quiz.exam_closing",
            title=N_("%(title)s closes within 24 hours and you have not taken it yet."),
            params={"title": exam.title},
            link=f"/exams/{exam.id}/take",
            dedupe_key=f"exam-closing:{exam.id}",
            now=now,
        )
    return {"open_notices": opened, "closing_notices": closing}
