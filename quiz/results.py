"""Finishing an attempt: grade every saved answer against its frozen question version, then set
the assignment's counted result. Shared by submit (quiz.attempts) and the close job
(quiz.closing), and safe when both race: only the caller whose conditional UPDATE claims the
attempt grades it."""

from datetime import datetime

import sqlalchemy as sa

from core.events import emit
from core.extensions import db
from question_bank.models import QuestionType
from quiz.grading import counted_score, grade_response
from quiz.models import AssignmentStatus, Attempt, Exam, ExamAssignment, FinishReason, PaperItem
from quiz.retakes import resettle_chain


def finish_attempt(attempt: Attempt, *, finished_at: datetime, reason: FinishReason, announce: bool = True) -> bool:
    """Grade and finish `attempt` once. Returns False (changing nothing) if it was already
    finished, by another request or the close job. `announce` False: the caller (the close job)
    tells the reports itself, once for all the officers it closes."""
    claimed = db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.finished_at.is_(None))
        .values(finished_at=finished_at, finish_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.refresh(attempt)
        return False
    db.session.refresh(attempt)
    exam = db.session.get(Exam, attempt.exam_id)
    partial = bool(exam.settings.get("partial_credit"))
    total = 0.0
    items = db.session.scalars(sa.select(PaperItem).where(PaperItem.attempt_id == attempt.id)).all()
    for item in items:
        version = item.question_version
        item.correct, item.score = grade_response(
            QuestionType(version.type), version.answer, item.response, item.points, partial
        )
        total += item.score
    attempt.score = round(total, 2)
    attempt.passed = attempt.score >= exam.pass_mark
    db.session.flush()
    assignment = db.session.get(ExamAssignment, attempt.assignment_id)
    settle_assignment(assignment, exam, now=finished_at)
    if exam.retake_round > 0:
        # Passing a retake clears the flag at once, everywhere: the whole chain, not at its close.
        db.session.flush()
        resettle_chain(exam, assignment.user_id, finished_at)
    if announce:
        emit("exam_results_changed", exam_id=exam.id, unit_ids=[assignment.unit_id])
    return True


def settle_assignment(assignment: ExamAssignment, exam: Exam, *, now: datetime) -> None:
    """Set the assignment's score and status from its finished attempts (highest, first or last
    counts, as the exam says)."""
    attempts = db.session.execute(
        sa.select(Attempt.id, Attempt.score, Attempt.finished_at)
        .where(Attempt.assignment_id == assignment.id, Attempt.finished_at.is_not(None))
        .order_by(Attempt.number)
    ).all()
    if not attempts:
        return
    policy = exam.settings.get("attempt_policy", "highest")
    score = counted_score([row.score for row in attempts], policy)
    counted = next(row for row in (attempts if policy != "last" else reversed(attempts)) if row.score == score)
    assignment.score = score
    assignment.passed = score >= exam.pass_mark
    assignment.status = AssignmentStatus.PASSED if assignment.passed else AssignmentStatus.FAILED
    assignment.counted_attempt_id = counted.id
    assignment.finished_at = counted.finished_at
    assignment.updated_at = now
