"""A start and a save read what they decide on in the sign-in lookup's own query
(accounts.access.signs_in_with, issue 17): one round trip where there were two. They must sign in
exactly whom every other request's lookup signs in, and start and save exactly as before."""

import pytest
import sqlalchemy as sa

from accounts import services
from core import clock
from core.extensions import db
from quiz.models import Attempt
from quiz.prepared import prepare_papers
from tests.quiz.factories import make_template, publish, small_bank
from tests.quiz.helpers import right_answer, start
from tests.support.statements import StatementLog


@pytest.fixture
def exam(world, frozen_clock):
    category, _ = small_bank(per_type=8)
    exam = publish(make_template(world["east"], category))
    prepare_papers(clock.now())
    db.session.commit()
    return exam


def attempts_of(user):
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Attempt).where(Attempt.user_id == user.id))


def test_a_start_reads_the_officer_and_its_facts_in_one_query(world, exam, login_as):
    client = login_as(world["east_officer"])
    with StatementLog(db.engine) as log:
        state = start(client, exam, expect=(201,))
    reads = [s for s in log.statements if s.startswith("SELECT")]
    # Two requests: the test client's CSRF token (tests/conftest.py), then the start.
    signing_in = [s for s in reads if "login_sessions" in s]
    assert len(signing_in) == 2, reads
    assert "exam_assignments" not in signing_in[0]
    assert "exam_assignments" in signing_in[1] and "prepared_papers" in signing_in[1]
    assert not [s for s in reads if "FROM exam_assignments" in s], reads  # not read again
    assert len(state["items"]) > 0


def test_a_resume_and_a_second_start_use_the_facts_read_at_sign_in(world, exam, login_as):
    client = login_as(world["east_officer"])
    first = start(client, exam, expect=(201,))
    with StatementLog(db.engine) as log:
        again = start(client, exam, expect=(200,))
    assert again["id"] == first["id"]
    assert len([s for s in log.statements if "login_sessions" in s and "exam_assignments" in s]) == 1
    assert attempts_of(world["east_officer"]) == 1


def _revoke(user):
    services.revoke_sessions(user, clock.now())


def _deactivate(user):
    user.active = False


@pytest.mark.parametrize("sign_out", [_revoke, _deactivate], ids=["session revoked", "officer deactivated"])
def test_a_start_signs_in_no_one_the_plain_lookup_refuses(world, exam, login_as, sign_out):
    """Same cookie, same verdict as any other request (my tests list): 401, and nothing started."""
    officer = world["east_officer"]
    client = login_as(officer)
    assert client.get("/api/v1/exams").status_code == 200
    sign_out(db.session.merge(officer))
    db.session.commit()
    assert client.get("/api/v1/exams").status_code == 401
    response = client.post(f"/api/v1/exams/{exam.id}/attempts")
    assert response.status_code == 401, response.get_data(as_text=True)
    assert attempts_of(officer) == 0


def test_another_officers_exam_is_not_theirs_to_start(world, exam, login_as):
    """West is not assigned the east exam: signed in, but 404, as before."""
    client = login_as(world["west_officer"])
    response = client.post(f"/api/v1/exams/{exam.id}/attempts")
    assert response.status_code == 404, response.get_data(as_text=True)
    assert client.get("/api/v1/exams").status_code == 200  # still signed in
    assert attempts_of(world["west_officer"]) == 0


def test_an_officer_who_must_change_their_password_starts_nothing(world, exam, login_as):
    officer = world["east_officer"]
    client = login_as(officer)
    db.session.merge(officer).must_change_password = True
    db.session.commit()
    response = client.post(f"/api/v1/exams/{exam.id}/attempts")
    assert response.status_code == 403
    assert response.get_json()["error"] == "password_change_required"
    assert attempts_of(officer) == 0


def save(client, attempt_id, item_id, response):
    return client.put(f"/api/v1/attempts/{attempt_id}/answers/{item_id}", json={"response": response})


def test_a_save_reads_its_item_with_the_sign_in_lookup(world, exam, login_as):
    client = login_as(world["east_officer"])
    state = start(client, exam, expect=(201,))
    item = state["items"][0]
    answer = right_answer(item["id"])
    with StatementLog(db.engine) as log:
        saved = save(client, state["id"], item["id"], answer)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert saved.get_json()["version"] == 1
    reads = [s for s in log.statements if s.startswith("SELECT")]
    signing_in = [s for s in reads if "login_sessions" in s]
    assert len(signing_in) == 2 and "paper_items" in signing_in[1], reads
    assert not [s for s in reads if "FROM paper_items" in s], reads  # not read again
    assert client.get(f"/api/v1/attempts/{state['id']}").get_json()["items"][0]["response"] == answer


def test_a_save_into_another_officers_paper_or_with_a_dead_session_saves_nothing(world, exam, login_as):
    owner, other = world["east_officer"], world["east_officer2"]
    owners = login_as(owner)
    state = start(owners, exam, expect=(201,))
    item = state["items"][0]
    answer = right_answer(item["id"])
    others = login_as(other)
    assert save(others, state["id"], item["id"], answer).status_code == 404
    assert save(others, state["id"], item["id"] + 10_000, answer).status_code == 404
    services.revoke_sessions(db.session.merge(owner), clock.now())
    db.session.commit()
    assert save(owners, state["id"], item["id"], answer).status_code == 401
    db.session.rollback()
    row = db.session.execute(
        sa.text("SELECT response, version FROM paper_items WHERE id = :id"), {"id": item["id"]}
    ).one()
    assert row.response is None and row.version == 0
