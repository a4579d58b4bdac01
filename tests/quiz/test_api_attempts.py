"""Taking a test through the JSON API: start and resume (E4), autosave (E3), the server's clock and
its grace (E5, E6), submit (E2), stale tabs (E10), after submit (E11), other people's things (E12),
shuffled options (E18), session and CSRF expiry (E16, E17), leaving the page."""

import time
from datetime import timedelta

import pytest

from core.extensions import db
from question_bank.models import QuestionType
from quiz.models import AssignmentStatus, Attempt, ExamAssignment, FinishReason, PaperItem
from quiz.papers import attempt_seed, draw_paper
from tests.conftest import reload
from tests.quiz.factories import make_template, publish, small_bank
from tests.quiz.helpers import answer_all, right_answer, save, start, wrong_answer


@pytest.fixture
def exam(world, frozen_clock):
    category, _ = small_bank()
    return publish(make_template(world["east"], category))


def test_start_returns_the_paper_without_answers_and_resuming_gives_the_same_paper(world, exam, login_as):
    """E4: reopening gives the same paper, order and answers; the time left runs from the start."""
    client = login_as(world["east_officer"])
    state = start(client, exam, expect=(201,))
    assert len(state["items"]) == 5 and state["seconds_left"] == 30 * 60
    for item in state["items"]:
        assert not {"answer", "is_correct", "explanation", "score"} & set(item)
    first = state["items"][0]
    assert save(client, state["id"], first["id"], wrong_answer(first)).status_code == 200

    again = start(login_as(world["east_officer"]), exam, expect=(200,))
    assert again["id"] == state["id"]
    assert [(i["id"], i["stem"], i["options"]) for i in again["items"]] == [
        (i["id"], i["stem"], i["options"]) for i in state["items"]
    ]
    assert again["items"][0]["response"] == wrong_answer(first) and again["items"][0]["version"] == 1
    assignment = ExamAssignment.query.filter_by(exam_id=exam.id, user_id=world["east_officer"].id).one()
    assert assignment.status == AssignmentStatus.IN_PROGRESS


def test_time_left_comes_from_the_server_start_not_the_client(world, exam, login_as, frozen_clock):
    """E4/E5: after ten minutes away, twenty remain; a client-sent elapsed time changes nothing."""
    client = login_as(world["east_officer"])
    state = start(client, exam)
    frozen_clock.advance(timedelta(minutes=10))
    response = client.post(f"/api/v1/exams/{exam.id}/attempts", json={"elapsed": 0, "deadline_at": "2099-01-01"})
    assert response.get_json()["seconds_left"] == 20 * 60
    assert response.get_json()["deadline_at"] == state["deadline_at"]


def test_a_saved_answer_is_seen_from_another_session(world, exam, login_as):
    """E3: after a 200 reply, a new session (another device) sees the answer."""
    state = start(login_as(world["east_officer"]), exam)
    phone = login_as(world["east_officer"])
    for item in state["items"]:
        assert save(phone, state["id"], item["id"], right_answer(item["id"])).status_code == 200
    other_device = login_as(world["east_officer"])
    seen = other_device.get(f"/api/v1/attempts/{state['id']}").get_json()
    assert [i["response"] for i in seen["items"]] == [right_answer(i["id"]) for i in state["items"]]


@pytest.mark.parametrize(
    "qtype,bad",
    [
        ("single", "Z"),
        ("single", "AB"),
        ("single", ""),
        ("single", ["A"]),
        ("multiple", "A"),
        ("multiple", ["A", "A"]),
        ("multiple", ["AB"]),
        ("true_false", "true"),
        ("fill", ["只有一个空"]),
        ("fill", "党"),
        ("fill", ["党", "x" * 201]),
    ],
)
def test_a_response_that_does_not_fit_the_question_is_refused(world, exam, login_as, qtype, bad):
    client = login_as(world["east_officer"])
    state = start(client, exam)
    item = next(i for i in state["items"] if i["type"] == qtype)
    response = save(client, state["id"], item["id"], bad)
    assert response.status_code == 400 and response.get_json()["error"] == "invalid"
    assert db.session.get(PaperItem, item["id"]).response is None


def test_shuffled_options_are_graded_by_their_text_and_the_seed_rebuilds_the_paper(world, exam, login_as, app):
    """E18: choosing the displayed option holding the right text scores; the stored seed redraws
    the same paper."""
    client = login_as(world["east_officer"])
    state = start(client, exam)
    for item in state["items"]:
        if item["type"] == "single":
            letter = "ABCD"[next(i for i, text in enumerate(item["options"]) if text.startswith("对党忠诚"))]
            assert save(client, state["id"], item["id"], letter).status_code == 200
        elif item["type"] == "multiple":
            letters = ["ABCD"[i] for i, text in enumerate(item["options"]) if text.startswith(("筑牢", "清除"))]
            assert save(client, state["id"], item["id"], letters).status_code == 200
        else:
            assert save(client, state["id"], item["id"], right_answer(item["id"])).status_code == 200
    result = client.post(f"/api/v1/attempts/{state['id']}/submit").get_json()
    assert result["score"] == 100.0 and result["passed"] is True

    attempt = db.session.get(Attempt, state["id"])
    assert attempt.seed == attempt_seed(exam.id, world["east_officer"].id, 1, app.config["SECRET_KEY"])
    redrawn = draw_paper(exam.blueprint, attempt.seed)
    assert [(d.question_id, list(d.option_order)) for d in redrawn] == [
        (i.question_id, i.option_order) for i in attempt.items
    ]
    assert any(i.option_order != sorted(i.option_order) for i in attempt.items if i.option_order)


def test_submit_shows_score_and_pass_fail_only_and_twice_gives_the_same_result(world, exam, login_as):
    """E2 and the idempotent half of E9."""
    client = login_as(world["east_officer"])
    state = start(client, exam)
    answer_all(client, state, wrong_positions=(1, 2, 3))
    first = client.post(f"/api/v1/attempts/{state['id']}/submit")
    assert first.status_code == 200
    body = first.get_json()
    assert (body["score"], body["max_score"], body["pass_mark"], body["passed"]) == (40.0, 100, 60.0, False)
    assert set(body) == {
        "attempt_id",
        "finished",
        "finished_at",
        "finish_reason",
        "finish_reason_label",
        "score",
        "max_score",
        "pass_mark",
        "passed",
    }
    second = client.post(f"/api/v1/attempts/{state['id']}/submit")
    assert second.status_code == 200 and second.get_json() == body
    assignment = ExamAssignment.query.filter_by(exam_id=exam.id, user_id=world["east_officer"].id).one()
    assert (assignment.status, assignment.score) == (AssignmentStatus.FAILED, 40.0)


def test_a_stale_tab_is_refused_and_overwrites_nothing(world, exam, login_as):
    """E10: tab A saves at version n; tab B, still at n-1, is refused with a friendly message."""
    tab_a, tab_b = login_as(world["east_officer"]), login_as(world["east_officer"])
    state = start(tab_a, exam)
    item = next(i for i in state["items"] if i["type"] == "single")
    assert save(tab_a, state["id"], item["id"], "A", version=0).get_json()["version"] == 1
    assert save(tab_a, state["id"], item["id"], "B", version=1).get_json()["version"] == 2
    refused = save(tab_b, state["id"], item["id"], "C", version=1)
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["error"] == "stale_version" and "另一个" in body["message"]
    assert body["item"]["response"] == "B" and body["item"]["version"] == 2
    stored = db.session.get(PaperItem, item["id"])
    assert stored.version == 2 and stored.response == right_or_original(stored, "B")


def right_or_original(item, displayed):
    from quiz.papers import to_original

    return to_original(item.option_order, displayed)


def test_saves_after_submit_are_refused_and_change_nothing(world, exam, login_as):
    """E11."""
    client = login_as(world["east_officer"])
    state = start(client, exam)
    answer_all(client, state)
    client.post(f"/api/v1/attempts/{state['id']}/submit")
    before = [(i.response, i.version) for i in reload(db.session.get(Attempt, state["id"])).items]
    for item in state["items"]:
        refused = save(client, state["id"], item["id"], wrong_answer(item))
        assert refused.status_code == 409 and refused.get_json()["error"] == "finished"
    assert [(i.response, i.version) for i in reload(db.session.get(Attempt, state["id"])).items] == before


def test_another_officers_attempt_and_foreign_items_are_refused(world, exam, login_as):
    """E12: a question not in my paper, or someone else's attempt: 404 and nothing written."""
    mine_client, theirs_client = login_as(world["east_officer"]), login_as(world["east_officer2"])
    mine, theirs = start(mine_client, exam), start(theirs_client, exam)
    their_item = theirs["items"][0]
    assert save(mine_client, theirs["id"], their_item["id"], wrong_answer(their_item)).status_code == 404
    assert save(mine_client, mine["id"], their_item["id"], wrong_answer(their_item)).status_code == 404
    assert mine_client.get(f"/api/v1/attempts/{theirs['id']}").status_code == 404
    assert mine_client.post(f"/api/v1/attempts/{theirs['id']}/submit").status_code == 404
    assert mine_client.post(f"/api/v1/attempts/{theirs['id']}/leave", json={"seconds": 60}).status_code == 404
    assert db.session.get(PaperItem, their_item["id"]).version == 0
    stranger = login_as(world["west_officer"])
    assert stranger.post(f"/api/v1/exams/{exam.id}/attempts").status_code == 404


def test_saves_within_the_grace_are_kept_and_later_ones_refused_while_earlier_saves_are_graded(
    world, exam, login_as, frozen_clock
):
    """E5 and E6: the deadline is the server's; after deadline + grace a save gets 410 and a late
    submit finishes the attempt at the deadline with the answers saved in time."""
    client = login_as(world["east_officer"])
    state = start(client, exam)
    items = state["items"]
    for item in items[:3]:
        assert save(client, state["id"], item["id"], right_answer(item["id"])).status_code == 200
    frozen_clock.advance(timedelta(minutes=30, seconds=20))  # past the deadline, within the 30 s grace
    assert save(client, state["id"], items[3]["id"], right_answer(items[3]["id"])).status_code == 200
    frozen_clock.advance(timedelta(seconds=40))  # now past the grace too
    late = save(client, state["id"], items[4]["id"], right_answer(items[4]["id"]))
    assert late.status_code == 410 and late.get_json()["error"] == "deadline_passed"
    assert "时间" in late.get_json()["message"]
    result = client.post(f"/api/v1/attempts/{state['id']}/submit").get_json()
    assert result["score"] == 80.0 and result["finish_reason"] == FinishReason.TIMED_OUT.value
    attempt = reload(db.session.get(Attempt, state["id"]))
    assert attempt.finished_at == attempt.deadline_at


def test_the_grace_is_a_setting(world, exam, login_as, frozen_clock):
    from core.settings import set_setting
    from quiz.settings import SETTING_SPECS

    set_setting(next(s for s in SETTING_SPECS if s.key == "QUIZ_SAVE_GRACE_SECONDS"), "0", None)
    db.session.commit()
    client = login_as(world["east_officer"])
    state = start(client, exam)
    frozen_clock.advance(timedelta(minutes=30, seconds=1))
    assert save(client, state["id"], state["items"][0]["id"], right_answer(state["items"][0]["id"])).status_code == 410


def test_no_start_before_opening_after_closing_or_beyond_the_attempts(world, login_as, frozen_clock):
    category, _ = small_bank()
    template = make_template(world["east"], category)
    later = publish(template, opens_in=timedelta(hours=1), period_key="2026-W49")
    client = login_as(world["east_officer"])
    refused = client.post(f"/api/v1/exams/{later.id}/attempts")
    assert refused.status_code == 409 and refused.get_json()["error"] == "exam_not_open"
    now_open = publish(template, period_key="2026-W48")
    state = start(client, now_open)
    client.post(f"/api/v1/attempts/{state['id']}/submit")
    again = client.post(f"/api/v1/exams/{now_open.id}/attempts")
    assert again.status_code == 409 and again.get_json()["error"] == "no_attempts_left"
    frozen_clock.advance(timedelta(days=3))
    client = login_as(world["east_officer"])
    assert client.post(f"/api/v1/exams/{later.id}/attempts").get_json()["error"] == "exam_closed"


def test_an_officers_exception_gives_extra_time_an_extra_attempt_and_a_later_window(
    world, exam, login_as, frozen_clock
):
    assignment = ExamAssignment.query.filter_by(exam_id=exam.id, user_id=world["east_officer"].id).one()
    assignment.extra_minutes, assignment.extra_attempts = 15, 1
    assignment.closes_at = exam.closes_at + timedelta(days=1)
    db.session.commit()
    client = login_as(world["east_officer"])
    first = start(client, exam)
    assert first["seconds_left"] == 45 * 60
    client.post(f"/api/v1/attempts/{first['id']}/submit")
    frozen_clock.set(exam.closes_at + timedelta(hours=1))  # the exam closed, her window did not
    second = start(login_as(world["east_officer"]), exam, expect=(201,))
    assert second["number"] == 2 and second["id"] != first["id"]


def test_an_expired_attempt_is_finished_with_its_saves_when_the_officer_comes_back(world, exam, login_as, frozen_clock):
    client = login_as(world["east_officer"])
    state = start(client, exam)
    answer_all(client, state)
    frozen_clock.advance(timedelta(hours=1))
    refused = client.post(f"/api/v1/exams/{exam.id}/attempts")
    assert refused.status_code == 409 and refused.get_json()["error"] == "no_attempts_left"
    attempt = reload(db.session.get(Attempt, state["id"]))
    assert attempt.score == 100.0 and attempt.finish_reason == FinishReason.TIMED_OUT
    assert attempt.finished_at == attempt.deadline_at


def test_leaving_the_page_is_counted_beyond_the_tolerance(world, exam, login_as):
    client = login_as(world["east_officer"])
    state = start(client, exam)
    assert client.post(f"/api/v1/attempts/{state['id']}/leave", json={"seconds": 2}).get_json() == {"counted": False}
    assert client.post(f"/api/v1/attempts/{state['id']}/leave", json={"seconds": 40}).get_json() == {"counted": True}
    assert client.post(f"/api/v1/attempts/{state['id']}/leave", json={"seconds": "x"}).status_code == 400
    attempt = db.session.get(Attempt, state["id"])
    assert (attempt.leave_count, attempt.leave_seconds) == (1, 40)


def test_an_expired_sign_in_gets_a_json_401_and_the_queued_answer_saves_after_signing_in(world, login_as, frozen_clock):
    """E17: the page keeps what it could not send and resends it after the officer signs in."""
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category, duration_minutes=240))
    client = login_as(world["east_officer"])
    state = start(client, exam)
    item = state["items"][0]
    frozen_clock.advance(timedelta(minutes=121))  # idle longer than the session allows
    expired = save(client, state["id"], item["id"], right_answer(item["id"]), version=0)
    assert expired.status_code == 401
    assert expired.get_json()["error"] == "login_required" and "重新登录" in expired.get_json()["message"]
    assert db.session.get(PaperItem, item["id"]).version == 0
    again = login_as(world["east_officer"])
    assert save(again, state["id"], item["id"], right_answer(item["id"]), version=0).status_code == 200


@pytest.mark.parametrize("app", [{"WTF_CSRF_TIME_LIMIT": 1}], indirect=True)
def test_a_page_open_longer_than_the_csrf_token_lives_refreshes_it_and_saves(world, exam, login_as):
    """E16: the expired token gets the JSON code the page's Yingzhi.api reacts to; with the token
    it then fetches, the same save goes through. Nothing is lost to the 400."""
    client = login_as(world["east_officer"])
    state = start(client, exam)
    client.csrf = False
    old_token = client.get("/api/v1/csrf").get_json()["csrf_token"]
    item = state["items"][0]
    time.sleep(2.1)
    url = f"/api/v1/attempts/{state['id']}/answers/{item['id']}"
    refused = client.put(url, json={"response": right_answer(item["id"])}, headers={"X-CSRFToken": old_token})
    assert refused.status_code == 400 and refused.get_json()["error"] == "csrf_failed"
    fresh = client.get("/api/v1/csrf").get_json()["csrf_token"]
    saved = client.put(url, json={"response": right_answer(item["id"])}, headers={"X-CSRFToken": fresh})
    assert saved.status_code == 200
    submitted = client.post(f"/api/v1/attempts/{state['id']}/submit", headers={"X-CSRFToken": fresh})
    assert submitted.status_code == 200


def test_marking_for_review_keeps_the_answer(world, exam, login_as):
    client = login_as(world["east_officer"])
    state = start(client, exam)
    item = state["items"][0]
    save(client, state["id"], item["id"], wrong_answer(item))
    marked = client.put(f"/api/v1/attempts/{state['id']}/answers/{item['id']}", json={"marked": True})
    assert marked.status_code == 200 and marked.get_json()["marked"] is True
    seen = client.get(f"/api/v1/attempts/{state['id']}").get_json()["items"][0]
    assert seen["marked"] is True and seen["response"] == wrong_answer(item)


def test_my_exams_lists_the_open_exam_with_my_status(world, exam, login_as):
    client = login_as(world["east_officer"])
    listed = client.get("/api/v1/exams").get_json()["exams"]
    assert [(e["id"], e["state"], e["status"]) for e in listed] == [(exam.id, "open", "assigned")]
    state = start(client, exam)
    listed = client.get("/api/v1/exams").get_json()["exams"]
    assert (listed[0]["state"], listed[0]["open_attempt_id"]) == ("in_progress", state["id"])
    assert login_as(world["west_officer"]).get("/api/v1/exams").get_json()["exams"] == []


def test_the_api_is_described_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {
        "/api/v1/exams",
        "/api/v1/exams/{exam_id}/attempts",
        "/api/v1/attempts/{attempt_id}/answers/{item_id}",
        "/api/v1/attempts/{attempt_id}/submit",
        "/api/v1/attempts/{attempt_id}",
        "/api/v1/attempts/{attempt_id}/leave",
    } <= set(paths)


def test_a_new_paper_avoids_the_questions_of_the_officers_recent_papers(world, login_as, frozen_clock):
    """With a bank twice the blueprint, the second week's paper shares no question with the first."""
    category, _ = small_bank(per_type=6)
    template = make_template(world["east"], category)
    client = login_as(world["east_officer"])
    first_exam = publish(template, period_key="2026-W48")
    first = start(client, first_exam)
    client.post(f"/api/v1/attempts/{first['id']}/submit")
    second = start(client, publish(template, period_key="2026-W49"))
    seen = {i.question_id for i in db.session.get(Attempt, first["id"]).items}
    assert not seen & {i.question_id for i in db.session.get(Attempt, second["id"]).items}


def test_editing_a_question_mid_test_changes_neither_the_paper_nor_its_grade(world, login_as, frozen_clock):
    """E14 through the API: the paper shows and grades the version it was drawn with."""
    from question_bank import services as bank
    from question_bank.models import Question

    category, questions = small_bank(per_type=1)
    exam = publish(make_template(world["east"], category, rules=[(QuestionType.SINGLE, 1, 100)]))
    client = login_as(world["east_officer"])
    state = start(client, exam)
    item = state["items"][0]
    letter = right_answer(item["id"])
    question = db.session.get(Question, questions[QuestionType.SINGLE][0].id)
    bank.edit_question(None, question, now=frozen_clock.now, stem="改过的题干", answer="B")
    db.session.commit()
    again = client.get(f"/api/v1/attempts/{state['id']}").get_json()["items"][0]
    assert (again["stem"], again["options"]) == (item["stem"], item["options"])
    save(client, state["id"], item["id"], letter)
    assert client.post(f"/api/v1/attempts/{state['id']}/submit").get_json()["score"] == 100.0
