"""Helpers shared by the closing and retake tests: answering a paper right or wrong."""

from core.extensions import db
from question_bank.models import QuestionType
from quiz.models import ExamAssignment, PaperItem


def correct_response(item: PaperItem):
    version = item.question_version
    return version.answer if version.type != QuestionType.FILL else [alternatives[0] for alternatives in version.answer]


def answer(attempt, *, wrong_positions=(), skip_positions=()):
    """Save a response on every item: right, wrong (positions in `wrong_positions`) or none."""
    for item in attempt.items:
        if item.position in skip_positions:
            continue
        if item.position in wrong_positions:
            item.response = _wrong_response(item)
        else:
            item.response = correct_response(item)
        item.version += 1
    db.session.commit()


def _wrong_response(item):
    qtype = item.question_version.type
    if qtype == QuestionType.SINGLE:
        return "B" if item.question_version.answer != "B" else "A"
    if qtype == QuestionType.MULTIPLE:
        return ["B"]
    if qtype == QuestionType.TRUE_FALSE:
        return not item.question_version.answer
    return ["错", "错"]


def assignment_of(exam, user) -> ExamAssignment:
    db.session.rollback()
    return ExamAssignment.query.filter_by(exam_id=exam.id, user_id=user.id).one()
