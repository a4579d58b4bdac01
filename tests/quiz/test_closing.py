"""Closing an exam: open attempts graded as saved (E7), absentees marked (E8), failures flagged
with make-up study and wrong answers booked, one retake, idempotent, atomic per exam (S6)."""

from datetime import timedelta

import pytest

from core import clock
from core.extensions import db
from quiz import closing
from quiz.closing import close_due_exams, close_exam
from quiz.models import AssignmentStatus, Attempt, Exam, ExamKind, FinishReason, WrongAnswer
from tests.quiz.closing_helpers import answer, assignment_of
from tests.quiz.factories import make_template, publish, sit_paper, small_bank

SAVE_GRACE_SECONDS = 30  # the default save grace (config.py)


@pytest.fixture
def exam(world, frozen_clock):
    category, _ = small_bank()
    return publish(make_template(world["east"], category), open_for=timedelta(hours=2))


def _after_close(frozen_clock, exam):
    frozen_clock.set(exam.closes_at + timedelta(seconds=SAVE_GRACE_SECONDS))


def test_an_attempt_never_submitted_is_graded_with_its_saved_answers_at_its_deadline(world, frozen_clock, exam):
    """E7."""
    attempt = sit_paper(exam, world["east_officer"])
    answer(attempt, wrong_positions=(1,), skip_positions=(2,))  # 3 of 5 right: 60 points, a pass
    deadline = attempt.deadline_at
    _after_close(frozen_clock, exam)
    counts = close_due_exams(clock.now())
    db.session.commit()
    assert counts["exams_closed"] == 1 and counts["attempts_finished"] == 1
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.finished_at == deadline and attempt.finish_reason == FinishReason.CLOSED
    assert attempt.score == 60.0 and attempt.passed
    assignment = assignment_of(exam, world["east_officer"])
    assert assignment.status == AssignmentStatus.PASSED and not assignment.flagged


def test_an_officer_who_never_started_is_absent_not_zero(world, frozen_clock, exam):
    """E8: 缺考 is its own status with no score; a paper with nothing right is a failed 0."""
    zero = sit_paper(exam, world["east_officer2"])
    answer(zero, wrong_positions=(1, 2, 3, 4, 5))
    _after_close(frozen_clock, exam)
    counts = close_due_exams(clock.now())
    db.session.commit()
    absent = assignment_of(exam, world["east_officer"])
    failed = assignment_of(exam, world["east_officer2"])
    assert (absent.status, absent.score, absent.passed) == (AssignmentStatus.ABSENT, None, None)
    assert (failed.status, failed.score, failed.passed) == (AssignmentStatus.FAILED, 0.0, False)
    assert counts["absent"] == 1 and counts["flagged"] == 2
    # Make-up study: every category of the blueprint for the absentee, the lost ones for the failer.
    assert absent.flagged and absent.weak_category_ids == [exam.blueprint[0]["category_id"]]
    assert failed.flagged and failed.weak_category_ids == [exam.blueprint[0]["category_id"]]


def test_wrong_questions_enter_the_book_and_a_cleared_one_comes_back(world, frozen_clock, exam):
    attempt = sit_paper(exam, world["east_officer"])
    answer(attempt, wrong_positions=(1, 2))
    wrong_ids = {item.question_id for item in attempt.items if item.position in (1, 2)}
    cleared = WrongAnswer(
        user_id=world["east_officer"].id,
        question_id=sorted(wrong_ids)[0],
        wrong_count=1,
        correct_streak=2,
        first_wrong_at=clock.now() - timedelta(days=30),
        last_wrong_at=clock.now() - timedelta(days=30),
        cleared_at=clock.now() - timedelta(days=20),
    )
    db.session.add(cleared)
    db.session.commit()
    _after_close(frozen_clock, exam)
    close_due_exams(clock.now())
    db.session.commit()
    book = WrongAnswer.query.filter_by(user_id=world["east_officer"].id).all()
    assert {row.question_id for row in book} == wrong_ids
    reopened = next(row for row in book if row.question_id == cleared.question_id)
    assert reopened.cleared_at is None and reopened.correct_streak == 0 and reopened.wrong_count == 2


def test_no_officer_is_due_before_the_grace_and_an_extended_one_only_after_their_own_close(world, frozen_clock, exam):
    """S9: the others close at the exam's close; the exam closes for everyone after the extension."""
    frozen_clock.set(exam.closes_at + timedelta(seconds=SAVE_GRACE_SECONDS - 1))
    assert close_due_exams(clock.now()) == {}
    extended = assignment_of(exam, world["east_officer"])
    extended.closes_at = exam.closes_at + timedelta(hours=1)
    extended.exception_reason = "值班"
    db.session.commit()
    _after_close(frozen_clock, exam)
    counts = close_due_exams(clock.now())
    db.session.commit()
    assert counts["officers_closed"] == 1 and "exams_closed" not in counts
    assert assignment_of(exam, world["east_officer2"]).status == AssignmentStatus.ABSENT
    assert assignment_of(exam, world["east_officer"]).closed_at is None
    frozen_clock.set(extended.closes_at + timedelta(seconds=SAVE_GRACE_SECONDS - 1))
    assert close_due_exams(clock.now()) == {}
    frozen_clock.set(extended.closes_at + timedelta(seconds=SAVE_GRACE_SECONDS))
    counts = close_due_exams(clock.now())
    assert counts["officers_closed"] == 1 and counts["exams_closed"] == 1


def test_closing_twice_changes_nothing_and_makes_one_retake(world, frozen_clock, exam):
    _after_close(frozen_clock, exam)
    first = close_exam(exam, clock.now())
    db.session.commit()
    frozen_clock.advance(timedelta(minutes=5))
    assert close_exam(db.session.get(Exam, exam.id), clock.now()) == {}
    assert close_due_exams(clock.now()) == {}
    db.session.commit()
    assert first["retake_added"] == 2 and first["exams_closed"] == 1
    assert Exam.query.filter_by(retake_of_id=exam.id).count() == 1
    assert db.session.get(Exam, exam.id).closed_at == exam.closes_at + timedelta(seconds=30)


def test_a_crash_halfway_leaves_the_exam_untouched_and_the_next_tick_completes_it(
    world, frozen_clock, exam, monkeypatch
):
    """S6: the injected failure comes after grading and flagging, before the retake."""
    attempt = sit_paper(exam, world["east_officer"])
    answer(attempt, wrong_positions=(1, 2, 3))
    _after_close(frozen_clock, exam)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(closing, "add_to_retake", explode)
    assert close_due_exams(clock.now()) == {"errors": 1}
    db.session.commit()
    db.session.rollback()
    assert db.session.get(Attempt, attempt.id).finished_at is None
    assert db.session.get(Exam, exam.id).closed_at is None
    assert not assignment_of(exam, world["east_officer"]).flagged

    monkeypatch.undo()
    frozen_clock.advance(timedelta(minutes=1))
    counts = close_due_exams(clock.now())
    db.session.commit()
    assert counts["exams_closed"] == 1 and counts["retake_added"] == 2
    assert db.session.get(Attempt, attempt.id).finished_at == attempt.deadline_at


@pytest.mark.parametrize("kind", [ExamKind.CONTEST, ExamKind.MOCK])
def test_contests_and_mock_tests_flag_no_one_and_have_no_retake(world, frozen_clock, kind):
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category, kind=kind), open_for=timedelta(hours=1))
    _after_close(frozen_clock, exam)
    counts = close_due_exams(clock.now())
    db.session.commit()
    assert counts["absent"] == 2 and counts["flagged"] == 0 and counts["retake_added"] == 0
    assert Exam.query.filter_by(retake_of_id=exam.id).count() == 0
    assert assignment_of(exam, world["east_officer"]).status == AssignmentStatus.ABSENT
    assert not assignment_of(exam, world["east_officer"]).flagged
