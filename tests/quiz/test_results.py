"""Finishing an attempt grades it once against the frozen versions and settles the assignment."""

from core import clock
from core.extensions import db
from question_bank import services as bank
from question_bank.models import Question, QuestionType, QuestionVersion
from quiz.models import AssignmentStatus, ExamAssignment, FinishReason
from quiz.results import finish_attempt
from tests.quiz.factories import make_template, publish, sit_paper, small_bank


def _answer_all_correctly(attempt, except_positions=()):
    for item in attempt.items:
        if item.position in except_positions:
            continue
        version = db.session.get(QuestionVersion, item.question_version_id)
        item.response = version.answer if version.type != QuestionType.FILL else [b[0] for b in version.answer]
    db.session.commit()


def test_finishing_grades_once_and_settles_the_assignment(world, frozen_clock):
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    attempt = sit_paper(exam, world["east_officer"])
    _answer_all_correctly(attempt, except_positions=(1, 2))
    assert finish_attempt(attempt, finished_at=clock.now(), reason=FinishReason.SUBMITTED)
    db.session.commit()
    assert attempt.score == 60.0 and attempt.passed
    assignment = ExamAssignment.query.filter_by(exam_id=exam.id, user_id=world["east_officer"].id).one()
    assert (assignment.status, assignment.score, assignment.counted_attempt_id) == (
        AssignmentStatus.PASSED,
        60.0,
        attempt.id,
    )
    assert [i.correct for i in attempt.items].count(False) == 2

    assert not finish_attempt(attempt, finished_at=clock.now(), reason=FinishReason.CLOSED)
    db.session.commit()
    assert attempt.finish_reason == FinishReason.SUBMITTED and attempt.score == 60.0


def test_an_edit_after_the_paper_was_drawn_changes_neither_its_text_nor_its_grade(world, frozen_clock):
    """E14: the paper points to the version it was drawn with."""
    category, questions = small_bank(per_type=1)
    exam = publish(make_template(world["east"], category, rules=[(QuestionType.SINGLE, 1, 100)]))
    attempt = sit_paper(exam, world["east_officer"])
    attempt.items[0].response = "A"
    db.session.commit()
    question = db.session.get(Question, questions[QuestionType.SINGLE][0].id)
    bank.edit_question(None, question, now=clock.now(), stem="改过的题干", answer="B")
    db.session.commit()
    finish_attempt(attempt, finished_at=clock.now(), reason=FinishReason.SUBMITTED)
    db.session.commit()
    assert attempt.score == 100.0
    assert attempt.items[0].question_version.stem.startswith("单选题0")
