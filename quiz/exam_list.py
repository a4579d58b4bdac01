"""An officer's own tests, as the exam list, the API and the home panel show them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from accounts.models import User
from core.extensions import db
from quiz.attempts import attempts_allowed, window_for
from quiz.models import AssignmentStatus, Attempt, Exam, ExamAssignment
from quiz.status import retakes_waiting_for_makeup

HISTORY_DAYS = 120

STATE_LABELS = {
    "in_progress": _l("In progress"),
    "makeup": _l("Make-up study first"),
    "open": lazy_pgettext("exam state", "Open"),
    "upcoming": _l("Not open yet"),
    "done": _l("Done"),
}


@dataclass
class MyExam:
    exam: Exam
    assignment: ExamAssignment
    opens_at: datetime
    closes_at: datetime
    attempts_used: int
    attempts_allowed: int
    open_attempt_id: int | None
    last_attempt_id: int | None
    state: str  # in_progress | makeup (a retake waiting for make-up study) | open | upcoming | done

    @property
    def can_start(self) -> bool:
        return self.state in ("open", "in_progress")

    @property
    def is_retake(self) -> bool:
        return self.exam.retake_round > 0

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    def json(self) -> dict:
        a = self.assignment
        return {
            "id": self.exam.id,
            "title": self.exam.title,
            "kind": self.exam.kind.value,
            "kind_label": str(self.exam.kind.label),
            "retake_round": self.exam.retake_round,
            "opens_at": self.opens_at.isoformat(),
            "closes_at": self.closes_at.isoformat(),
            "duration_minutes": self.exam.duration_minutes + (a.extra_minutes or 0),
            "total_points": self.exam.total_points,
            "pass_mark": self.exam.pass_mark,
            "state": self.state,
            "state_label": str(self.state_label),
            "status": a.status.value,
            "status_label": str(a.status.label),
            "attempts_used": self.attempts_used,
            "attempts_allowed": self.attempts_allowed,
            "open_attempt_id": self.open_attempt_id,
            "last_attempt_id": self.last_attempt_id,
            "score": a.score,
            "passed": a.passed,
        }


def my_exam(user: User, exam_id: int, now: datetime) -> MyExam | None:
    rows = my_exams(user, now, exam_id=exam_id)
    return rows[0] if rows else None


def my_exams(user: User, now: datetime, *, exam_id: int | None = None) -> list[MyExam]:
    """The officer's tests of the last few months (or the one `exam_id`), open ones first, then
    upcoming, then done."""
    query = (
        sa.select(ExamAssignment, Exam)
        .join(Exam, Exam.id == ExamAssignment.exam_id)
        .where(ExamAssignment.user_id == user.id)
        .order_by(Exam.opens_at.desc())
    )
    if exam_id is not None:
        query = query.where(Exam.id == exam_id)
    else:
        query = query.where(Exam.closes_at > now - timedelta(days=HISTORY_DAYS))
    rows = db.session.execute(query).all()
    stats = {
        r.assignment_id: r
        for r in db.session.execute(
            sa.select(
                Attempt.assignment_id,
                sa.func.count(Attempt.id).label("used"),
                # An unfinished attempt whose time ran out is not "in progress": starting again
                # grades it with its saved answers first (quiz.attempts.start_or_resume).
                sa.func.max(
                    sa.case((sa.and_(Attempt.finished_at.is_(None), Attempt.deadline_at > now), Attempt.id))
                ).label("open_id"),
                sa.func.max(Attempt.id).label("last_id"),
            )
            .where(Attempt.assignment_id.in_([a.id for a, _ in rows]))
            .group_by(Attempt.assignment_id)
        )
    }
    waiting = retakes_waiting_for_makeup(user.id, [exam for _, exam in rows])
    result = []
    for assignment, exam in rows:
        opens_at, closes_at = window_for(exam, assignment)
        stat = stats.get(assignment.id)
        used = stat.used if stat else 0
        allowed = attempts_allowed(exam, assignment)
        open_id = stat.open_id if stat else None
        closed = exam.closed_at is not None or now >= closes_at
        if open_id and not closed:
            state = "in_progress"
        elif closed or assignment.status == AssignmentStatus.ABSENT:
            state = "done"
        elif now < opens_at:
            state = "upcoming"
        elif used < allowed and exam.id in waiting:
            state = "makeup"
        elif used < allowed:
            state = "open"
        else:
            state = "done"
        result.append(
            MyExam(exam, assignment, opens_at, closes_at, used, allowed, open_id, stat.last_id if stat else None, state)
        )
    # What needs doing first: a test under way, then an open retake (its deadline is the one that
    # hurts), then the week's test, then what is yet to open, then history.
    order = {"in_progress": 0, "makeup": 2, "open": 2, "upcoming": 3, "done": 4}
    result.sort(key=lambda row: (order[row.state] - (row.is_retake and row.state in ("open", "makeup")), row.closes_at))
    return result
