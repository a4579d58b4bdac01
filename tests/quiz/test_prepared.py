"""Papers drawn at publishing (issue 17): the paper a start hands out from a prepared paper is the
paper a start would have drawn, question for question and option for option; the start sends it
without reading it back and without the key; the job prepares in batches and skips what it must;
whatever is not prepared, or no longer valid, is drawn at the start as before."""

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import current_app

from core import clock
from core.extensions import db
from quiz.attempts import recent_question_ids
from quiz.models import Attempt, ExamAssignment, PaperItem
from quiz.papers import attempt_seed, draw_paper
from quiz.prepared import discard_finished, prepare_papers
from quiz.prepared_models import PreparedItem, PreparedPaper
from scheduler.runner import run_job
from tests.factories import UserFactory
from tests.quiz.factories import make_template, publish, sit_paper, small_bank
from tests.quiz.helpers import start
from tests.support.statements import StatementLog

SHOWN = {"id", "position", "type", "type_label", "stem", "options", "blanks", "points", "response", "version", "marked"}


@pytest.fixture
def bank(world, frozen_clock):
    category, _ = small_bank(per_type=8)
    return category


def expected_paper(exam, user):
    """What a start would draw for `user` now, as quiz.attempts does it without a prepared paper."""
    return [
        (item.position, item.question_id, item.version_id, item.category_id, item.points, list(item.option_order))
        for item in draw_paper(
            exam.blueprint,
            attempt_seed(exam.id, user.id, 1, current_app.config["SECRET_KEY"]),
            recent_question_ids(user.id),
            shuffle_questions=bool(exam.settings.get("shuffle_questions", True)),
            shuffle_options=bool(exam.settings.get("shuffle_options", True)),
        )
    ]


def paper_of(attempt_id):
    items = db.session.scalars(sa.select(PaperItem).where(PaperItem.attempt_id == attempt_id).order_by("position"))
    return [
        (i.position, i.question_id, i.question_version_id, i.category_id, i.points, list(i.option_order)) for i in items
    ]


def prepared_count(exam_id=None):
    query = sa.select(sa.func.count()).select_from(PreparedPaper)
    if exam_id is not None:
        query = query.where(PreparedPaper.exam_id == exam_id)
    return db.session.scalar(query)


def test_a_prepared_start_hands_out_the_paper_a_start_would_draw_and_the_same_json(world, bank, login_as):
    """Officers with earlier papers (recent questions to avoid) and without: the prepared paper is
    the drawn one, and the start's reply equals the attempt read back from the database."""
    officer, other = world["east_officer"], world["east_officer2"]
    earlier = publish(make_template(world["east"], bank, title="上周周测"))
    sit_paper(earlier, officer).finished_at = clock.now()  # officer has recent questions; other has none
    db.session.commit()
    exam = publish(make_template(world["east"], bank))
    expected = {user.id: expected_paper(exam, user) for user in (officer, other)}

    prepare_papers(clock.now())
    db.session.commit()
    assert prepared_count(exam.id) == 2  # the two east officers (the earlier exam's other one too)

    for user in (officer, other):
        client = login_as(user)
        with StatementLog(db.engine) as log:
            state = start(client, exam, expect=(201,))
        assert paper_of(state["id"]) == expected[user.id]
        assert all(set(item) == SHOWN for item in state["items"])
        again = client.get(f"/api/v1/attempts/{state['id']}").get_json()
        assert "items" in again, again
        for moving in ("server_now", "seconds_left"):
            state.pop(moving), again.pop(moving)
        assert state == again
        # The paper is copied inside the database and sent from the prepared JSON: nothing drawn
        # (no question pools), no paper item or question read back.
        reads = [s for s in log.statements if s.startswith("SELECT")]
        assert not [s for s in reads if "FROM paper_items" in s or "FROM question_versions" in s], reads
        assert not [s for s in log.statements if "blueprint" in s]
    assert prepared_count(exam.id) == 2  # kept until the exam is over (housekeeping)


def test_the_prepared_json_holds_no_answer_or_explanation(world, bank):
    exam = publish(make_template(world["east"], bank))
    prepare_papers(clock.now())
    db.session.commit()
    papers = db.session.scalars(sa.select(PreparedPaper).where(PreparedPaper.exam_id == exam.id)).all()
    assert papers
    for paper in papers:
        for item in json.loads(paper.paper):
            assert set(item) == {"position", "type", "stem", "options", "blanks", "points"}


def test_a_paper_prepared_before_another_start_is_drawn_afresh(world, bank, login_as):
    """The officer sat another test after the paper was prepared: the questions to avoid changed,
    so the start draws now (the prepared paper would repeat what they just saw)."""
    officer = world["east_officer"]
    exam = publish(make_template(world["east"], bank))
    prepare_papers(clock.now())
    db.session.commit()
    stale = db.session.scalar(
        sa.select(PreparedPaper).where(PreparedPaper.exam_id == exam.id, PreparedPaper.user_id == officer.id)
    )
    other_exam = publish(make_template(world["east"], bank, title="专项测试"))
    start(login_as(officer), other_exam, expect=(201,))
    expected = expected_paper(exam, officer)
    prepared_rows = [
        (i.position, i.question_id, i.question_version_id, i.category_id, i.points, list(i.option_order))
        for i in db.session.scalars(
            sa.select(PreparedItem).where(PreparedItem.paper_id == stale.id).order_by(PreparedItem.position)
        )
    ]
    assert prepared_rows != expected  # the bank is big enough that avoiding the new questions shows
    state = start(login_as(officer), exam, expect=(201,))
    assert paper_of(state["id"]) == expected


def test_officers_added_after_publishing_and_second_attempts_draw_at_the_start(world, bank, login_as, frozen_clock):
    officer = world["east_officer"]
    exam = publish(make_template(world["east"], bank, attempts_allowed=2))
    prepare_papers(clock.now())
    db.session.commit()
    first = start(login_as(officer), exam, expect=(201,))
    login_as(officer).post(f"/api/v1/attempts/{first['id']}/submit")
    expected = expected_paper_number(exam, officer, 2)
    second = start(login_as(officer), exam, expect=(201,))
    assert second["id"] != first["id"] and paper_of(second["id"]) == expected


def expected_paper_number(exam, user, number):
    return [
        (item.position, item.question_id, item.version_id, item.category_id, item.points, list(item.option_order))
        for item in draw_paper(
            exam.blueprint,
            attempt_seed(exam.id, user.id, number, current_app.config["SECRET_KEY"]),
            recent_question_ids(user.id),
        )
    ]


def test_the_job_prepares_in_batches_and_skips_started_closed_and_withdrawn(world, bank, login_as, frozen_clock):
    for n in range(5):
        UserFactory(username=f"extra{n}", unit=world["east_station"])
    exam = publish(make_template(world["east"], bank))
    assigned = db.session.scalar(
        sa.select(sa.func.count()).select_from(ExamAssignment).where(ExamAssignment.exam_id == exam.id)
    )
    start(login_as(world["east_officer"]), exam, expect=(201,))  # started before any preparing
    assert prepare_papers(clock.now(), limit=3) == {"prepared": 3}
    db.session.commit()
    assert prepare_papers(clock.now(), limit=3) == {"prepared": assigned - 1 - 3}
    db.session.commit()
    assert prepare_papers(clock.now(), limit=3) == {"prepared": 0}
    assert prepared_count(exam.id) == assigned - 1

    # The scheduler runs it every minute, as the publish job's neighbour.
    frozen_clock.advance(timedelta(minutes=1))
    late = UserFactory(username="late-joiner", unit=world["east_station"], created_at=clock.now())
    db.session.commit()  # joins the open test on arrival (quiz.publishing.join_arrivals)
    assert db.session.scalar(sa.select(ExamAssignment.id).filter_by(exam_id=exam.id, user_id=late.id)) is not None
    assert run_job("prepare_papers", clock.now(), trigger="test").counts == {"prepared": 1}

    # Closed: nothing more is prepared, and housekeeping removes what is left.
    exam.closed_at = clock.now()
    db.session.commit()
    assert discard_finished(clock.now()) == assigned
    db.session.commit()
    assert prepared_count() == 0 and db.session.scalar(sa.select(sa.func.count()).select_from(PreparedItem)) == 0


def test_two_starts_at_once_from_a_prepared_paper_make_one_attempt(world, bank, login_as):
    officer = world["east_officer"]
    exam = publish(make_template(world["east"], bank))
    prepare_papers(clock.now())
    db.session.commit()
    phone, laptop = login_as(officer), login_as(officer)
    first = start(phone, exam, expect=(201,))
    second = start(laptop, exam, expect=(200,))
    assert first["id"] == second["id"]
    attempts = db.session.scalars(sa.select(Attempt).where(Attempt.exam_id == exam.id)).all()
    assert len(attempts) == 1 and len(paper_of(first["id"])) == 5


def test_the_job_draws_a_stale_paper_again_and_the_command_prepares_everything(app, world, bank, login_as):
    officer = world["east_officer"]
    exam = publish(make_template(world["east"], bank))
    result = app.test_cli_runner().invoke(args=["prepare-papers", "--batch", "1"])
    assert result.exit_code == 0 and "papers prepared: 2" in result.output, result.output
    other_exam = publish(make_template(world["east"], bank, title="专项测试"))
    start(login_as(officer), other_exam, expect=(201,))
    # The other officer's paper of the second exam and the officer's stale one of the first.
    assert prepare_papers(clock.now()) == {"prepared": 2, "redrawn": 1}
    db.session.commit()
    expected = expected_paper(exam, officer)
    with StatementLog(db.engine) as log:
        state = start(login_as(officer), exam, expect=(201,))
    assert paper_of(state["id"]) == expected
    assert not [s for s in log.statements if s.startswith("SELECT") and "FROM question_versions" in s]


def _one_statement_start(exam, officer, number=1):
    """quiz.attempts' PostgreSQL start from a prepared paper, run as the start runs it."""
    from quiz import attempts

    assignment = db.session.scalar(
        sa.select(ExamAssignment).where(ExamAssignment.exam_id == exam.id, ExamAssignment.user_id == officer.id)
    )
    paper = db.session.scalar(
        sa.select(PreparedPaper).where(PreparedPaper.exam_id == exam.id, PreparedPaper.user_id == officer.id)
    )
    now = clock.now()
    values = {
        "exam_id": exam.id,
        "assignment_id": assignment.id,
        "user_id": officer.id,
        "number": number,
        "seed": paper.seed,
        "started_at": now,
        "deadline_at": now + timedelta(minutes=30),
        "max_score": exam.total_points,
    }
    given = {f"{attempts.NEW}{name}": value for name, value in values.items()}
    rows = db.session.execute(attempts._start_with_prepared_paper(), {**given, "paper_id": paper.id}).all()
    return rows, assignment


def test_on_postgresql_a_start_refused_in_its_one_statement_copies_and_marks_nothing(
    world, bank, is_postgres, frozen_clock
):
    """The attempt's INSERT, the paper's copy and the assignment's mark are one statement there: a
    closed exam or a number already taken refuses the INSERT, and then nothing else is written."""
    if not is_postgres:
        pytest.skip("the one-statement start is PostgreSQL's (SQLite has no data-modifying CTEs)")
    officer = world["east_officer"]
    exam = publish(make_template(world["east"], bank))
    prepare_papers(clock.now())
    db.session.commit()

    rows, assignment = _one_statement_start(exam, officer)
    db.session.commit()
    assert len(rows) == 5 and len({row.attempt_id for row in rows}) == 1
    attempt = db.session.get(Attempt, rows[0].attempt_id)
    db.session.refresh(assignment)
    assert assignment.status.value == "in_progress" and assignment.updated_at == attempt.started_at
    assert sorted(row.item_id for row in rows) == [item_id for item_id, *_ in _items(attempt.id)]

    def written():
        items = db.session.scalar(sa.select(sa.func.count()).select_from(PaperItem))
        attempts = db.session.scalar(sa.select(sa.func.count()).select_from(Attempt))
        return items, attempts, db.session.get(ExamAssignment, assignment.id).updated_at

    before = written()
    frozen_clock.advance(timedelta(minutes=1))  # a mark now would show as a later updated_at
    taken, _ = _one_statement_start(exam, officer, number=1)  # the same number again
    db.session.commit()
    assert taken == [] and written() == before

    exam.closed_at = clock.now()
    db.session.commit()
    closed, _ = _one_statement_start(exam, officer, number=2)
    db.session.commit()
    assert closed == [] and written() == before


def _items(attempt_id):
    return db.session.execute(
        sa.select(PaperItem.id).where(PaperItem.attempt_id == attempt_id).order_by(PaperItem.id)
    ).all()
