"""The retake loop: one retake for exactly the flagged officers; a passed retake clears the flag
on the whole chain; a failed one flags again, escalates and opens the next; the close racing a
final submit gives one grade and one retake (S5)."""

import threading
import time
from datetime import timedelta

from core import clock
from core.extensions import db
from notices.models import Notice
from quiz.closing import close_due_exams, close_exam
from quiz.models import AssignmentStatus, Attempt, Exam, ExamAssignment, FinishReason
from quiz.results import finish_attempt
from tests.quiz.closing_helpers import answer, assignment_of
from tests.quiz.factories import make_template, publish, sit_paper, small_bank

SAVE_GRACE_SECONDS = 30  # the default save grace (config.py)

GRACE = timedelta(seconds=SAVE_GRACE_SECONDS)


def _first_exam(world):
    category, _ = small_bank()
    return publish(make_template(world["east"], category, retake_days=2), open_for=timedelta(hours=2))


def _close(frozen_clock, exam):
    frozen_clock.set(exam.closes_at + GRACE)
    counts = close_due_exams(clock.now())
    db.session.commit()
    return counts


def _retake_of(exam) -> Exam:
    return Exam.query.filter_by(retake_of_id=exam.id).one()


def test_the_retake_is_for_exactly_the_flagged_officers_with_fresh_papers_and_a_notice(world, frozen_clock):
    exam = _first_exam(world)
    passer = sit_paper(exam, world["east_officer"])
    answer(passer)
    _close(frozen_clock, exam)  # east_officer passed, east_officer2 absent
    retake = _retake_of(exam)
    assert [a.user_id for a in ExamAssignment.query.filter_by(exam_id=retake.id)] == [world["east_officer2"].id]
    assert retake.blueprint == exam.blueprint and retake.retake_round == 1 and retake.root_exam_id == exam.id
    assert retake.opens_at == clock.now() and retake.closes_at == clock.now() + timedelta(days=2)
    assert retake.title == "第一周应知应会周测（补考）"
    notice = Notice.query.filter_by(user_id=world["east_officer2"].id, kind="retake_assigned").one()
    assert notice.params["title"] == retake.title
    assert Notice.query.filter_by(user_id=world["east_officer"].id, kind="retake_assigned").count() == 0
    # A fresh paper: the retake's attempt has its own seed.
    assert sit_paper(retake, world["east_officer2"]).seed != passer.seed


def test_passing_the_retake_clears_the_flag_on_the_chain(world, frozen_clock):
    exam = _first_exam(world)
    failed = sit_paper(exam, world["east_officer"])
    answer(failed, wrong_positions=(1, 2, 3))
    _close(frozen_clock, exam)
    retake = _retake_of(exam)
    frozen_clock.advance(timedelta(hours=1))
    passed = sit_paper(retake, world["east_officer"])
    answer(passed)
    counts = _close(frozen_clock, retake)
    assert counts["passed_after_retake"] == 1
    root = assignment_of(exam, world["east_officer"])
    # Cleared as of the moment the passing paper was finished (here by the close, at its deadline).
    assert root.status == AssignmentStatus.FAILED and root.flagged
    assert root.cleared_at == db.session.get(Attempt, passed.id).finished_at == passed.deadline_at
    assert assignment_of(retake, world["east_officer"]).status == AssignmentStatus.PASSED
    # east_officer2 was absent twice: flagged again, escalated, the next retake opened.
    assert assignment_of(exam, world["east_officer2"]).escalated
    second = _retake_of(retake)
    assert second.retake_round == 2 and second.root_exam_id == exam.id
    assert [a.user_id for a in ExamAssignment.query.filter_by(exam_id=second.id)] == [world["east_officer2"].id]


def test_failing_a_retake_flags_again_escalates_and_opens_the_next(world, frozen_clock):
    exam = _first_exam(world)
    _close(frozen_clock, exam)
    retake = _retake_of(exam)
    frozen_clock.advance(timedelta(minutes=10))
    answer(sit_paper(retake, world["east_officer"]), wrong_positions=(1, 2, 3, 4))
    answer(sit_paper(retake, world["east_officer2"]))
    counts = _close(frozen_clock, retake)
    assert counts == {
        "officers_closed": 2,
        "exams_closed": 1,
        "attempts_finished": 2,
        "wrong_answers": 4,
        "absent": 0,
        "flagged": 1,
        "makeups": 1,
        "passed_after_retake": 1,
        "escalated": 1,
        "retake_added": 1,
    }
    again = assignment_of(retake, world["east_officer"])
    assert again.status == AssignmentStatus.FAILED and again.flagged and again.escalated
    assert assignment_of(exam, world["east_officer"]).escalated
    assert not assignment_of(exam, world["east_officer2"]).escalated
    second = _retake_of(retake)
    assert second.title == "第一周应知应会周测（第2次补考）"
    assert [a.user_id for a in ExamAssignment.query.filter_by(exam_id=second.id)] == [world["east_officer"].id]


def test_the_close_racing_a_final_submit_gives_one_grade_and_one_retake(app, world, frozen_clock):
    """S5: the officer's submit claims the attempt and holds it while the close job starts; the
    close waits for it, grades nothing twice and opens one retake for the officer who failed."""
    exam = _first_exam(world)
    attempt = sit_paper(exam, world["east_officer"])
    answer(attempt, wrong_positions=(1, 2, 3))
    exam_id, attempt_id = exam.id, attempt.id
    frozen_clock.set(attempt.deadline_at)
    at_close = exam.closes_at + GRACE
    claimed, errors, results = threading.Event(), [], {}

    def submit():
        try:
            with app.app_context():
                mine = db.session.get(Attempt, attempt_id)
                results["submit"] = finish_attempt(mine, finished_at=mine.deadline_at, reason=FinishReason.SUBMITTED)
                claimed.set()
                time.sleep(0.5)  # the close job starts while this transaction holds the attempt
                db.session.commit()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
            claimed.set()

    def close():
        try:
            claimed.wait(10)
            with app.app_context():
                results["close"] = close_exam(db.session.get(Exam, exam_id), at_close)
                db.session.commit()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=submit), threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    db.session.rollback()
    assert results["submit"] is True and results["close"]["attempts_finished"] == 0
    finished = db.session.get(Attempt, attempt_id)
    assert finished.finish_reason == FinishReason.SUBMITTED and finished.score == 40.0
    assert assignment_of(exam, world["east_officer"]).status == AssignmentStatus.FAILED
    retakes = Exam.query.filter_by(retake_of_id=exam_id).all()
    assert len(retakes) == 1
    assert sorted(a.user_id for a in ExamAssignment.query.filter_by(exam_id=retakes[0].id)) == sorted(
        [world["east_officer"].id, world["east_officer2"].id]
    )


def test_two_closers_racing_make_one_retake(app, world, frozen_clock):
    exam = _first_exam(world)
    exam_id, at_close = exam.id, exam.closes_at + GRACE
    start, errors, results = threading.Barrier(2), [], []

    def close():
        try:
            with app.app_context():
                start.wait(10)
                results.append(close_exam(db.session.get(Exam, exam_id), at_close))
                db.session.commit()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=close) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert sorted(bool(r) for r in results) == [False, True]
    db.session.rollback()
    assert Exam.query.filter_by(retake_of_id=exam_id).count() == 1
