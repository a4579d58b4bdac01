"""Questions other features ask about an officer's tests."""

from datetime import datetime

import sqlalchemy as sa

from core.extensions import db
from quiz.models import Attempt, ExamAssignment
from quiz.settings import setting


def attempt_in_progress(user_id: int, now: datetime) -> Attempt | None:
    """The officer's unfinished attempt whose deadline has not passed, if any: while it exists the
    closed-book rule (core.closed_book) keeps every page that shows answers or explanations shut."""
    return db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.finished_at.is_(None), Attempt.deadline_at > now)
        .limit(1)
    ).first()


def retakes_waiting_for_makeup(user_id: int, exams) -> set[int]:
    """Ids of the retakes among `exams` that the officer may start only after the make-up study of
    the round they failed (flagged there, make-up not done), while the setting asks for it."""
    retakes = {exam.retake_of_id: exam.id for exam in exams if exam.retake_of_id is not None}
    if not retakes or not setting("QUIZ_RETAKE_REQUIRES_MAKEUP"):
        return set()
    pending = db.session.scalars(
        sa.select(ExamAssignment.exam_id).where(
            ExamAssignment.user_id == user_id,
            ExamAssignment.exam_id.in_(retakes),
            ExamAssignment.flagged.is_(True),
            ExamAssignment.makeup_done_at.is_(None),
        )
    )
    return {retakes[exam_id] for exam_id in pending}
