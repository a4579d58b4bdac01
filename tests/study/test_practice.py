"""Practice through the pages: 每日一练 (the same five all day), practice by category with
immediate feedback, the wrong-answer book (two right in a row clear a question), pocket cards,
and the closed-book rule while a test is in progress (E20)."""

from datetime import timedelta

import pytest

from core import clock
from core.extensions import db
from question_bank.models import Question, QuestionType
from quiz.models import Attempt, ExamAssignment, FinishReason, WrongAnswer
from quiz.results import finish_attempt
from study import practice
from study.practice_models import PracticeAnswer, PracticeMode
from tests.quiz.factories import make_template, publish, sit_paper, small_bank


@pytest.fixture
def bank(world):
    return small_bank(per_type=3)


def _daily_ids(officer):
    return practice.daily_question_ids(officer.id, clock.today())


def test_daily_practice_is_the_same_five_all_day_and_new_the_next(world, frozen_clock, bank, login_as):
    officer = world["east_officer"]
    first = _daily_ids(officer)
    assert len(first) == 5 and len(set(first)) == 5
    frozen_clock.advance(timedelta(hours=10))
    assert _daily_ids(officer) == first
    assert practice.daily_question_ids(world["east_officer2"].id, clock.today()) != first
    frozen_clock.advance(timedelta(days=1))
    assert _daily_ids(officer) != first
    page = login_as(officer).get("/practice/daily")
    assert page.status_code == 200 and "每日一练" in page.get_data(as_text=True)


def test_an_answer_gets_immediate_feedback_and_never_counts_as_a_test(world, frozen_clock, bank, login_as):
    category, questions = bank
    officer = world["east_officer"]
    client = login_as(officer)
    question, number = db.session.get(Question, _daily_ids(officer)[0]), 1
    body = client.get(f"/practice/daily/question?n={number}").get_data(as_text=True)
    assert question.stem in body and "解析" not in body  # nothing shown before answering
    data = _right_answer_form(question)
    reply = client.post(f"/practice/daily/question?n={number}", data=data)
    text = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "答对了" in text
    assert question.explanation in text
    answers = PracticeAnswer.query.filter_by(user_id=officer.id).all()
    assert [(a.question_id, a.mode, a.correct) for a in answers] == [(question.id, PracticeMode.DAILY, True)]
    assert Attempt.query.count() == 0 and ExamAssignment.query.count() == 0


def _right_answer_form(question):
    if question.type == QuestionType.SINGLE:
        return {"response": question.answer}
    if question.type == QuestionType.MULTIPLE:
        return {"response": list(question.answer)}
    if question.type == QuestionType.TRUE_FALSE:
        return {"response": "true" if question.answer else "false"}
    return {"blank": [alternatives[0] for alternatives in question.answer]}


def _wrong_answer_form(question):
    if question.type == QuestionType.SINGLE:
        return {"response": "B"}
    if question.type == QuestionType.MULTIPLE:
        return {"response": ["B", "D"]}
    if question.type == QuestionType.TRUE_FALSE:
        return {"response": "false"}
    return {"blank": ["不对", "不对"]}


def test_practice_by_category_draws_n_questions_and_a_wrong_answer_enters_the_book(world, frozen_clock, bank, login_as):
    category, questions = bank
    officer = world["east_officer"]
    client = login_as(officer)
    assert category.name in client.get("/practice/category").get_data(as_text=True)
    start = client.get(f"/practice/category?category={category.id}&count=5")
    assert start.status_code == 302
    url = start.headers["Location"]
    page = client.get(url)
    assert page.status_code == 200 and "1 / 5" in page.get_data(as_text=True)
    seed = int(url.split("seed=")[1].split("&")[0])
    first_id = practice.category_question_ids(category, seed, 5)[0]
    question = next(q for qs in questions.values() for q in qs if q.id == first_id)
    reply = client.post(url, data=_wrong_answer_form(question))
    assert reply.status_code == 200 and question.explanation in reply.get_data(as_text=True)
    entry = WrongAnswer.query.filter_by(user_id=officer.id).one()
    assert entry.question_id == question.id and entry.cleared_at is None


def test_a_question_leaves_the_book_after_two_right_answers_in_a_row(world, frozen_clock, bank, login_as):
    _category, questions = bank
    officer = world["east_officer"]
    question = questions[QuestionType.TRUE_FALSE][0]
    entry = WrongAnswer(
        user_id=officer.id,
        question_id=question.id,
        first_wrong_at=clock.now(),
        last_wrong_at=clock.now(),
    )
    db.session.add(entry)
    db.session.commit()
    client = login_as(officer)
    listing = client.get("/practice/wrong").get_data(as_text=True)
    assert question.stem[:20] in listing
    url = f"/practice/wrong/{entry.id}"
    client.post(url, data=_right_answer_form(question))
    client.post(url, data=_wrong_answer_form(question))  # the streak starts again
    client.post(url, data=_right_answer_form(question))
    db.session.rollback()
    entry = db.session.get(WrongAnswer, entry.id)
    assert entry.correct_streak == 1 and entry.cleared_at is None and entry.wrong_count == 2
    last = client.post(url, data=_right_answer_form(question))
    assert question.explanation in last.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(WrongAnswer, entry.id).cleared_at == clock.now()
    assert question.stem[:20] not in client.get("/practice/wrong").get_data(as_text=True)


def test_a_colleagues_book_entry_is_not_found(world, frozen_clock, bank, login_as):
    _category, questions = bank
    entry = WrongAnswer(
        user_id=world["east_officer2"].id,
        question_id=questions[QuestionType.SINGLE][0].id,
        first_wrong_at=clock.now(),
        last_wrong_at=clock.now(),
    )
    db.session.add(entry)
    db.session.commit()
    client = login_as(world["east_officer"])
    assert client.get(f"/practice/wrong/{entry.id}").status_code == 404
    assert client.post(f"/practice/wrong/{entry.id}", data={"response": "A"}).status_code == 404


def test_the_officers_pocket_card_shows_every_question_with_its_answer(world, frozen_clock, bank, login_as):
    category, questions = bank
    client = login_as(world["east_officer"])
    assert category.name in client.get("/practice/cards").get_data(as_text=True)
    card = client.get(f"/practice/cards?category={category.id}").get_data(as_text=True)
    assert questions[QuestionType.FILL][0].stem in card and "中国共产党" in card


CLOSED_BOOK_PAGES = [
    "/practice/",
    "/practice/daily",
    "/practice/daily/question?n=1",
    "/practice/category",
    "/practice/wrong",
    "/practice/wrong/next",
    "/practice/cards",
]


def test_practice_the_book_and_pocket_cards_refuse_during_a_test(world, frozen_clock, bank, login_as):
    """E20: while an attempt is in progress every page and answer post refuses in Chinese; after
    the attempt is finished they open again."""
    category, questions = bank
    officer = world["east_officer"]
    exam = publish(make_template(world["east"], category))
    attempt = sit_paper(exam, officer)
    entry = WrongAnswer(
        user_id=officer.id,
        question_id=questions[QuestionType.SINGLE][0].id,
        first_wrong_at=clock.now(),
        last_wrong_at=clock.now(),
    )
    db.session.add(entry)
    db.session.commit()
    client = login_as(officer)
    pages = [*CLOSED_BOOK_PAGES, f"/practice/cards?category={category.id}", f"/practice/wrong/{entry.id}"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "考试" in response.get_data(as_text=True), url
    assert client.post(f"/practice/wrong/{entry.id}", data={"response": "A"}).status_code == 403
    assert client.post("/practice/daily/question?n=1", data={"response": "A"}).status_code == 403
    assert PracticeAnswer.query.count() == 0
    # A colleague without a test in progress practises as usual.
    assert login_as(world["east_officer2"]).get("/practice/daily").status_code == 200

    finish_attempt(attempt, finished_at=clock.now(), reason=FinishReason.SUBMITTED)
    db.session.commit()
    for url in pages:
        assert client.get(url).status_code in (200, 302), url


def test_an_attempt_past_its_deadline_no_longer_keeps_practice_shut(world, frozen_clock, bank, login_as):
    category, _ = bank
    exam = publish(make_template(world["east"], category))
    sit_paper(exam, world["east_officer"])
    frozen_clock.advance(timedelta(minutes=exam.duration_minutes, seconds=1))
    assert login_as(world["east_officer"]).get("/practice/daily").status_code == 200
