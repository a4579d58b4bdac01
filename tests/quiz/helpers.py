"""Helpers for tests of taking a test: start through the API, and the right answer of an item in
the letters the officer sees (read from the database, as the page never receives it)."""

from core.extensions import db
from question_bank.models import QuestionType
from quiz.attempts import displayed_response
from quiz.models import PaperItem


def start(client, exam, expect=(200, 201)):
    response = client.post(f"/api/v1/exams/{exam.id}/attempts")
    assert response.status_code in expect, response.get_data(as_text=True)
    return response.get_json()


def right_answer(item_id):
    """The correct response of a paper item, in displayed letters (first alternative per blank)."""
    db.session.rollback()
    item = db.session.get(PaperItem, item_id)
    version = item.question_version
    qtype = QuestionType(version.type)
    if qtype == QuestionType.FILL:
        return [alternatives[0] for alternatives in version.answer]
    return displayed_response(qtype, item.option_order, version.answer)


def wrong_answer(item):
    """A wrong response for an item as the API shows it."""
    if item["type"] == "single":
        right = right_answer(item["id"])
        return next(letter for letter in "ABCD" if letter != right)
    if item["type"] == "multiple":
        return ["A", "B", "C", "D"]
    if item["type"] == "true_false":
        return not right_answer(item["id"])
    return ["错"] * item["blanks"]


def save(client, attempt_id, item_id, response, **extra):
    return client.put(f"/api/v1/attempts/{attempt_id}/answers/{item_id}", json={"response": response, **extra})


def answer_all(client, state, *, wrong_positions=()):
    for item in state["items"]:
        response = wrong_answer(item) if item["position"] in wrong_positions else right_answer(item["id"])
        reply = save(client, state["id"], item["id"], response)
        assert reply.status_code == 200, reply.get_data(as_text=True)
