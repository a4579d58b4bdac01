"""Races: two submits at once (E9) and replayed starts at once (E13), on SQLite and PostgreSQL."""

import threading
import time

from flask import current_app

from core.extensions import db
from question_bank.models import QuestionType
from quiz.models import Attempt, PaperItem
from tests.quiz.factories import make_template, publish, small_bank
from tests.quiz.helpers import answer_all, right_answer, start


def _at_once(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    app = current_app._get_current_object()

    def run(index, call):
        with app.app_context():  # the test client ends the test session's snapshot afterwards
            barrier.wait()
            results[index] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_submits_at_once_give_one_finished_attempt_and_one_grade(world, login_as, frozen_clock):
    """E9."""
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    client = login_as(world["east_officer"])
    state = start(client, exam)
    answer_all(client, state, wrong_positions=(1,))
    tabs = [login_as(world["east_officer"]) for _ in range(2)]
    url = f"/api/v1/attempts/{state['id']}/submit"
    replies = _at_once([lambda c=c: c.post(url) for c in tabs])
    assert [r.status_code for r in replies] == [200, 200]
    assert replies[0].get_json() == replies[1].get_json()
    assert replies[0].get_json()["score"] == 80.0
    db.session.rollback()
    attempt = db.session.get(Attempt, state["id"])
    assert attempt.finished_at is not None and attempt.score == 80.0


def test_replayed_starts_at_once_cannot_exceed_the_attempts_allowed(world, login_as, frozen_clock):
    """E13: four starts at once make one attempt; the others resume it."""
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    tabs = [login_as(world["east_officer"]) for _ in range(4)]
    url = f"/api/v1/exams/{exam.id}/attempts"  # read here: the threads must not touch the test's session
    replies = _at_once([lambda c=c: c.post(url) for c in tabs])
    assert sorted(r.status_code for r in replies) == [200, 200, 200, 201]
    assert len({r.get_json()["id"] for r in replies}) == 1
    db.session.rollback()
    assert db.session.query(Attempt).count() == 1
    assert db.session.query(PaperItem).count() == 5


def test_saves_racing_a_submit_are_either_graded_or_refused(world, login_as, frozen_clock):
    """Every save acknowledged with a 200 is in the grade; every later one gets 409."""
    category, _ = small_bank(per_type=12)
    exam = publish(make_template(world["east"], category, rules=[(QuestionType.SINGLE, 12, 10)]))
    client = login_as(world["east_officer"])
    state = start(client, exam)
    answers = [(item["id"], right_answer(item["id"])) for item in state["items"]]
    saver, submitter = login_as(world["east_officer"]), login_as(world["east_officer"])
    save_url = f"/api/v1/attempts/{state['id']}/answers/"
    submit_url = f"/api/v1/attempts/{state['id']}/submit"

    def save_all():
        return [
            (item_id, saver.put(save_url + str(item_id), json={"response": letter}).status_code)
            for item_id, letter in answers
        ]

    def submit_midway():
        time.sleep(0.05)
        return submitter.post(submit_url).get_json()

    saved, result = _at_once([save_all, submit_midway])
    assert {status for _, status in saved} <= {200, 409}
    acked = {item_id for item_id, status in saved if status == 200}
    db.session.rollback()
    items = {item.id: item for item in db.session.query(PaperItem).filter_by(attempt_id=state["id"])}
    assert {item_id for item_id, item in items.items() if item.correct} == acked
    assert result["score"] == 10.0 * len(acked)
