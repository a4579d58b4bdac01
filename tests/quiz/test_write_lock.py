"""Issue 8: the autosave, start and submit read without SQLite's write lock and take it only for
their writes (core.db.reads_before_writes); what changed in between is checked under the lock."""

import threading
from datetime import timedelta

import pytest
from flask import current_app

import quiz.attempts
from core import clock
from core.extensions import db
from quiz.closing import close_exam
from quiz.models import Attempt, Exam
from tests.quiz.factories import make_template, publish, small_bank
from tests.quiz.helpers import right_answer, save, start
from tests.support.statements import StatementLog


@pytest.fixture
def sqlite_only():
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's single write lock")


def test_an_autosave_holds_the_sqlite_write_lock_only_for_its_update(world, login_as, frozen_clock, sqlite_only):
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    client = login_as(world["east_officer"])
    state = start(client, exam)
    item = state["items"][0]
    answer = right_answer(item["id"])
    db.session.rollback()
    with StatementLog(db.engine) as log:
        response = save(client, state["id"], item["id"], answer)
    assert response.status_code == 200, response.get_data(as_text=True)
    locked = log.under_write_lock()
    assert len(locked) == 1, log.statements
    assert len(locked[0]) == 1 and locked[0][0].startswith("UPDATE paper_items"), locked
    # The sign-in lookup and the item's checks ran before, as a reader.
    before = log.statements[: log.statements.index("BEGIN IMMEDIATE")]
    assert before[0] == "BEGIN" and sum(s.startswith("SELECT") for s in before) >= 2, before


def test_a_start_writes_under_the_lock_and_reads_its_paper_after(world, login_as, frozen_clock, sqlite_only):
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    client = login_as(world["east_officer"])
    db.session.rollback()
    with StatementLog(db.engine) as log:
        state = start(client, exam, expect=(201,))
    locked = log.under_write_lock()
    assert len(locked) == 1, log.statements
    inserts = [s for s in locked[0] if s.startswith("INSERT INTO attempts")]
    assert any(s.startswith("INSERT INTO paper_items") for s in locked[0])
    # Under the lock nothing is read on its own: the attempt's insert re-checks the close itself,
    # and the paper is read afterwards.
    assert len(inserts) == 1 and "exams.closed_at IS NULL" in inserts[0], locked[0]
    assert not [s for s in locked[0] if s.startswith("SELECT")], locked[0]
    db.session.rollback()
    stored = db.session.get(Attempt, state["id"]).items
    assert [item["id"] for item in state["items"]] == [item.id for item in stored] and stored


def test_a_start_is_refused_when_the_exam_closes_between_its_checks_and_its_insert(
    world, login_as, frozen_clock, monkeypatch
):
    """The close job commits after the start read the exam as open, before it inserts."""
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    exam_id = exam.id
    frozen_clock.advance(timedelta(minutes=1))  # a test cannot be closed in the instant it is published
    client = login_as(world["east_officer"])
    app = current_app._get_current_object()
    original = quiz.attempts.take_write_lock

    def close_in_between(session):
        def close():
            with app.app_context():
                close_exam(db.session.get(Exam, exam_id), clock.now())
                db.session.commit()

        closer = threading.Thread(target=close)
        closer.start()
        closer.join(30)
        original(session)

    monkeypatch.setattr(quiz.attempts, "take_write_lock", close_in_between)
    response = client.post(f"/api/v1/exams/{exam_id}/attempts")
    assert response.status_code == 409, response.get_data(as_text=True)
    assert response.get_json()["error"] == "exam_closed"
    db.session.rollback()
    assert db.session.query(Attempt).filter_by(exam_id=exam_id).count() == 0
    assert db.session.get(Exam, exam_id).closed_at is not None
