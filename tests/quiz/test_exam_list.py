"""The officer's list of tests: open, in progress, upcoming and done, with attempts counted and a
personal window taking the exam's place."""

from datetime import timedelta

from core import clock
from core.extensions import db
from quiz.exam_list import my_exams
from quiz.models import ExamAssignment
from tests.quiz.factories import make_template, publish, small_bank
from tests.quiz.helpers import start


def test_states_follow_the_window_the_attempts_and_the_deadline(world, login_as, frozen_clock):
    category, _ = small_bank()
    template = make_template(world["east"], category)
    officer = world["east_officer"]
    open_exam = publish(template, period_key="2026-W48")
    later = publish(template, period_key="2026-W49", opens_in=timedelta(days=1))
    client = login_as(officer)
    states = {row.exam.id: row.state for row in my_exams(officer, clock.now())}
    assert states == {open_exam.id: "open", later.id: "upcoming"}
    assert [row.exam.id for row in my_exams(officer, clock.now())] == [open_exam.id, later.id]

    state = start(client, open_exam)
    row = my_exams(officer, clock.now())[0]
    assert (row.state, row.open_attempt_id) == ("in_progress", state["id"])
    assert (row.attempts_used, row.attempts_allowed) == (1, 1)

    frozen_clock.advance(timedelta(minutes=31))  # its time ran out: no longer in progress, no attempt left
    row = next(r for r in my_exams(officer, clock.now()) if r.exam.id == open_exam.id)
    assert (row.state, row.open_attempt_id, row.last_attempt_id) == ("done", None, state["id"])


def test_a_personal_window_replaces_the_exams(world, frozen_clock):
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category), opens_in=timedelta(days=1))
    assignment = ExamAssignment.query.filter_by(exam_id=exam.id, user_id=world["east_officer"].id).one()
    assignment.opens_at = clock.now() - timedelta(hours=1)
    assignment.extra_attempts = 1
    db.session.commit()
    row = my_exams(world["east_officer"], clock.now())[0]
    assert (row.state, row.opens_at, row.attempts_allowed) == ("open", assignment.opens_at, 2)
    assert my_exams(world["east_officer2"], clock.now())[0].state == "upcoming"
