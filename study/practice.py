"""Practice that never counts as a test: 每日一练 (the same five questions all day, drawn from a
seed of the officer and the day), practice by category (N random questions) and the
wrong-answer book (错题本: a question leaves it after two correct answers in a row).

Questions are shown with their options in the original order, so a response is in the
question's own letters and is graded by quiz.grading like a test answer. While the officer has
a test attempt in progress every practice page refuses (closed book): see core.closed_book.
"""

import hashlib
import random
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import NotFound, ValidationFailed
from core.extensions import db
from question_bank.answers import LETTERS
from question_bank.models import Category, Question, QuestionType, QuestionVersion
from quiz.grading import grade_response
from quiz.models import WrongAnswer
from study.makeup import complete_question
from study.practice_models import PracticeAnswer, PracticeMode

DAILY_COUNT = 5
CATEGORY_COUNTS = (5, 10, 20)
CLEARING_STREAK = 2  # correct answers in a row that take a question out of the book


def _seeded(*parts) -> random.Random:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _active_question_ids(category: Category | None = None) -> list[int]:
    query = sa.select(Question.id).where(Question.active).order_by(Question.id)
    if category is not None:
        subtree = sa.select(Category.id).where(Category.path.startswith(category.path))
        query = query.where(Question.category_id.in_(subtree))
    return list(db.session.scalars(query))


def daily_question_ids(user_id: int, day: date) -> list[int]:
    """Today's five: the same all day for the officer, different for each officer and day."""
    pool = _active_question_ids()
    return _seeded("daily", user_id, day.isoformat()).sample(pool, min(DAILY_COUNT, len(pool)))


def category_question_ids(category: Category, seed: int, count: int) -> list[int]:
    """N random questions of a category subtree; the seed (in the page's URL) keeps the set while
    the officer steps through it."""
    pool = _active_question_ids(category)
    return _seeded("category", category.id, seed).sample(pool, min(count, len(pool)))


def answers_today(user_id: int, day: date, mode: PracticeMode) -> dict[int, bool]:
    """question_id → correct, of the officer's latest answer to each question that day."""
    rows = db.session.execute(
        sa.select(PracticeAnswer.question_id, PracticeAnswer.correct)
        .where(PracticeAnswer.user_id == user_id, PracticeAnswer.day == day, PracticeAnswer.mode == mode)
        .order_by(PracticeAnswer.id)
    )
    return {question_id: correct for question_id, correct in rows}


def get_question(question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or not question.active:
        raise NotFound(_l("This question was not found."))
    return question


def parse_response(question: Question, form) -> object:
    """The form's answer in the question's own letters (options are not shuffled in practice)."""
    if question.type == QuestionType.SINGLE:
        letter = form.get("response", "")
        return letter if letter in LETTERS[: len(question.options)] else None
    if question.type == QuestionType.MULTIPLE:
        letters = sorted({v for v in form.getlist("response") if v in LETTERS[: len(question.options)]})
        return letters or None
    if question.type == QuestionType.TRUE_FALSE:
        value = form.get("response")
        return {"true": True, "false": False}.get(value)
    blanks = [text.strip() for text in form.getlist("blank")]
    return blanks if any(blanks) else None


def record_answer(user, question: Question, response, *, mode: PracticeMode, day: date, now: datetime) -> bool:
    """Grade and record one practice answer; returns whether it was right. A wrong answer enters
    (or stays in) the wrong-answer book; practising the book moves the streak."""
    if response is None:
        raise ValidationFailed(_l("Choose or type an answer first."), field="response")
    correct, _score = grade_response(question.type, question.answer, response, 1)
    version_id = _current_version_id(question)
    db.session.add(
        PracticeAnswer(
            user_id=user.id,
            question_id=question.id,
            question_version_id=version_id,
            mode=mode,
            day=day,
            response=response,
            correct=correct,
            answered_at=now,
        )
    )
    entry = db.session.scalar(
        sa.select(WrongAnswer).where(WrongAnswer.user_id == user.id, WrongAnswer.question_id == question.id)
    )
    if correct:
        complete_question(user.id, question.id, now)  # make-up study (补课) lists it
        if entry is not None and entry.cleared_at is None and mode == PracticeMode.WRONG_BOOK:
            entry.correct_streak += 1
            if entry.correct_streak >= CLEARING_STREAK:
                entry.cleared_at = now
    elif entry is None:
        db.session.add(
            WrongAnswer(
                user_id=user.id,
                question_id=question.id,
                wrong_count=1,
                correct_streak=0,
                first_wrong_at=now,
                last_wrong_at=now,
            )
        )
    else:
        entry.wrong_count += 1
        entry.correct_streak = 0
        entry.last_wrong_at = now
        entry.cleared_at = None
    db.session.flush()
    return correct


def _current_version_id(question: Question) -> int:
    return db.session.scalar(
        sa.select(QuestionVersion.id).where(
            QuestionVersion.question_id == question.id, QuestionVersion.number == question.version
        )
    )


def wrong_book(user_id: int) -> sa.Select:
    """The officer's open entries, most recently got wrong first."""
    return (
        sa.select(WrongAnswer)
        .join(Question, Question.id == WrongAnswer.question_id)
        .where(WrongAnswer.user_id == user_id, WrongAnswer.cleared_at.is_(None), Question.active)
        .order_by(WrongAnswer.last_wrong_at.desc(), WrongAnswer.id.desc())
    )


def wrong_entry(user_id: int, entry_id: int) -> WrongAnswer:
    """One entry of the officer's own book (someone else's is not found)."""
    entry = db.session.get(WrongAnswer, entry_id)
    if entry is None or entry.user_id != user_id:
        raise NotFound(_l("This entry of the wrong-answer book was not found."))
    return entry


def next_wrong_entry(user_id: int, after_id: int | None = None) -> WrongAnswer | None:
    """The entry to practise next: the next open one after `after_id` in book order, wrapping."""
    entries = db.session.scalars(wrong_book(user_id)).all()
    if not entries:
        return None
    ids = [e.id for e in entries]
    if after_id in ids:
        rest = entries[ids.index(after_id) + 1 :]
        return rest[0] if rest else (entries[0] if entries[0].id != after_id else None)
    return entries[0]


def book_wrong_answers(exam, wrong: set[tuple[int, int]], now: datetime) -> dict:
    """Event handler (exam_closed_for_everyone): every question an officer got wrong in their
    counted attempt enters their wrong-answer book, or comes back to it (streak reset) if it had
    been cleared. Only now: the book shows answers, which nobody sees while someone can still
    sit the exam."""
    if not wrong:
        return {"wrong_answers": 0}
    user_ids = {user_id for user_id, _ in wrong}
    existing = {
        (row.user_id, row.question_id): row
        for row in db.session.scalars(
            sa.select(WrongAnswer).where(
                WrongAnswer.user_id.in_(user_ids), WrongAnswer.question_id.in_({q for _, q in wrong})
            )
        )
    }
    new_rows = []
    for user_id, question_id in sorted(wrong):
        row = existing.get((user_id, question_id))
        if row is None:
            new_rows.append(
                {
                    "user_id": user_id,
                    "question_id": question_id,
                    "exam_id": exam.id,
                    "wrong_count": 1,
                    "correct_streak": 0,
                    "first_wrong_at": now,
                    "last_wrong_at": now,
                }
            )
            continue
        row.wrong_count += 1
        row.correct_streak = 0
        row.last_wrong_at = now
        row.exam_id = exam.id
        row.cleared_at = None
    if new_rows:
        db.session.execute(sa.insert(WrongAnswer), new_rows)
    return {"wrong_answers": len(wrong)}
