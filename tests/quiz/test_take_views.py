"""The officer's test pages, and E1: no answer key, grade or explanation in anything an officer
receives while the exam is open (pages, data-* attributes, inline JSON, API replies); after it
closes for everyone they appear."""

import json
from datetime import timedelta

from core import clock
from core.extensions import db
from quiz.closing import close_due_exams
from quiz.models import ExamAssignment
from tests.quiz.factories import make_template, publish, small_bank
from tests.quiz.helpers import right_answer, save, start, wrong_answer

EXPLANATION_WORDS = "整治顽瘴痼疾"  # only in the questions' explanations
FILL_ANSWER = "中国共产党"  # an accepted fill-in answer, in no stem or option
KEY_FIELDS = {"answer", "is_correct", "correct", "explanation", "correct_answer", "answers"}


def _json_keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _json_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _json_keys(inner)


def _assert_no_key(body: str, where: str):
    assert EXPLANATION_WORDS not in body, where
    assert FILL_ANSWER not in body, where
    assert "is_correct" not in body, where
    try:
        data = json.loads(body)
    except ValueError:
        return
    assert not KEY_FIELDS & set(_json_keys(data)), where


def test_no_answer_key_reaches_the_officer_before_the_exam_closes_for_everyone(world, login_as, frozen_clock):
    """E1."""
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    officer = world["east_officer"]
    # A colleague's later personal window keeps the exam open for everyone past its own close.
    colleague = ExamAssignment.query.filter_by(exam_id=exam.id, user_id=world["east_officer2"].id).one()
    colleague.closes_at = exam.closes_at + timedelta(days=1)
    db.session.commit()
    client = login_as(officer)
    bodies = {}

    def fetch(method, url, **kwargs):
        response = client.open(url, method=method, **kwargs)
        assert response.status_code < 400, (url, response.status_code)
        bodies[f"{method} {url} #{len(bodies)}"] = response.get_data(as_text=True)
        return response

    fetch("GET", "/")
    fetch("GET", "/exams")
    fetch("GET", f"/exams/{exam.id}/take")
    fetch("GET", "/api/v1/exams")
    state = fetch("POST", f"/api/v1/exams/{exam.id}/attempts").get_json()
    fetch("GET", f"/exams/{exam.id}/take")
    for item in state["items"]:
        url = f"/api/v1/attempts/{state['id']}/answers/{item['id']}"
        fetch("PUT", url, json={"response": wrong_answer(item)})
        fetch("PUT", url, json={"response": right_answer(item["id"]), "version": 1})
        fetch("GET", f"/api/v1/attempts/{state['id']}")
    stale = client.put(
        f"/api/v1/attempts/{state['id']}/answers/{state['items'][0]['id']}", json={"response": None, "version": 0}
    )
    assert stale.status_code == 409
    bodies["stale save"] = stale.get_data(as_text=True)
    fetch("POST", f"/api/v1/attempts/{state['id']}/submit")
    fetch("POST", f"/api/v1/attempts/{state['id']}/submit")
    fetch("GET", f"/api/v1/attempts/{state['id']}")
    fetch("GET", f"/attempts/{state['id']}")
    fetch("GET", "/exams")
    fetch("GET", f"/exams/{exam.id}/take")
    fetch("GET", "/api/v1/exams")
    fetch("GET", "/")
    frozen_clock.set(exam.closes_at + timedelta(minutes=1))  # the exam's close, not the colleague's
    client = login_as(officer)
    fetch("GET", f"/api/v1/attempts/{state['id']}")
    fetch("GET", f"/attempts/{state['id']}")
    for where, body in bodies.items():
        _assert_no_key(body, where)

    close_due_exams(clock.now())  # the close job at the exam's close: the colleague's window is still open
    db.session.commit()
    for url in (f"/api/v1/attempts/{state['id']}", f"/attempts/{state['id']}", "/practice/wrong"):
        _assert_no_key(client.get(url).get_data(as_text=True), f"{url} after the exam's own close")

    frozen_clock.set(colleague.closes_at + timedelta(minutes=1))
    close_due_exams(clock.now())  # the close job after the last window: closed for everyone
    db.session.commit()
    client = login_as(officer)
    after = client.get(f"/api/v1/attempts/{state['id']}").get_json()
    assert after["review"] is True
    for item in after["items"]:
        assert item["answer"] == (
            right_answer(item["id"]) if item["type"] != "fill" else [["党", "中国共产党"], ["人民"]]
        )
        assert item["is_correct"] is True and EXPLANATION_WORDS in item["explanation"]
    page = client.get(f"/attempts/{state['id']}").get_data(as_text=True)
    assert EXPLANATION_WORDS in page and FILL_ANSWER in page


def test_the_take_page_carries_no_question_and_uses_the_script(world, login_as, frozen_clock):
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    client = login_as(world["east_officer"])
    page = client.get(f"/exams/{exam.id}/take").get_data(as_text=True)
    assert "开始答题" in page and "quiz-take.js" in page and "<script>" not in page
    assert "单选题" not in page  # no stem in the HTML: the paper comes from the API
    state = start(client, exam)
    page = client.get(f"/exams/{exam.id}/take").get_data(as_text=True)
    assert 'data-resume="1"' in page
    assert client.get(f"/attempts/{state['id']}").status_code == 200


def test_result_page_right_after_submit_shows_score_and_pass_fail_only(world, login_as, frozen_clock):
    """E2."""
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    client = login_as(world["east_officer"])
    state = start(client, exam)
    for item in state["items"]:
        save(client, state["id"], item["id"], right_answer(item["id"]))
    client.post(f"/api/v1/attempts/{state['id']}/submit")
    page = client.get(f"/attempts/{state['id']}").get_data(as_text=True)
    assert "100" in page and "合格" in page
    assert "答案与解析" not in page and "单选题" not in page and "<dt>正确答案</dt>" not in page
    assert EXPLANATION_WORDS not in page and "全部结束后公布" in page


def test_the_take_page_of_an_exam_not_mine_is_not_found(world, login_as, frozen_clock):
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    assert login_as(world["west_officer"]).get(f"/exams/{exam.id}/take").status_code == 404


def test_my_exams_page_and_home_panel_show_the_open_exam(world, login_as, frozen_clock):
    category, _ = small_bank()
    exam = publish(make_template(world["east"], category))
    client = login_as(world["east_officer"])
    listing = client.get("/exams").get_data(as_text=True)
    assert exam.title in listing and f"/exams/{exam.id}/take" in listing
    home = client.get("/").get_data(as_text=True)
    assert "本周测试" in home and f"/exams/{exam.id}/take" in home
