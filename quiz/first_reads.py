"""What a start and a save decide on, each read in one query: alone, or in the sign-in lookup's
own query (accounts.access.signs_in_with), so that the two requests thousands send in the same
minutes take one round trip to the database where they took two (issue 17). The statements are
built once: making one costs about as much as running it."""

import functools

import sqlalchemy as sa
from sqlalchemy.orm import lazyload

from accounts import services
from accounts.models import User
from core.extensions import db
from question_bank.models import QuestionVersion
from quiz import prepared
from quiz.models import Attempt, Exam, ExamAssignment, PaperItem

# --- start --------------------------------------------------------------------------------------


def start_facts(user_id: int, exam_id: int):
    """What a start decides on, in one query: the officer's assignment and its exam, the attempts
    used, the open attempt (if any) and the prepared paper (quiz.prepared) if still usable."""
    return db.session.execute(_start_facts_query(), {"user_id": user_id, "exam_id": exam_id}).first()


def signed_in_start_facts(user_id: int, login_session_id: str, exam_id: int):
    """(user, facts): the sign-in lookup (accounts.services.session_user_query) and start_facts
    in one query, for accounts.access.signs_in_with. (None, None) when the session signs no one in;
    facts None when the exam is not assigned to them."""
    row = db.session.execute(
        _signed_in_start_facts_query(), {"user_id": user_id, "session_id": login_session_id, "exam_id": exam_id}
    ).first()
    if row is None:
        return None, None
    return row.User, row if row.ExamAssignment is not None else None


def _start_facts_columns(user_id):
    used = (
        sa.select(sa.func.coalesce(sa.func.max(Attempt.number), 0))
        .where(Attempt.assignment_id == ExamAssignment.id)
        .scalar_subquery()
    )
    open_id = (
        sa.select(Attempt.id)
        .where(Attempt.assignment_id == ExamAssignment.id, Attempt.finished_at.is_(None))
        .order_by(Attempt.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    paper = prepared.PreparedPaper
    return (
        ExamAssignment,
        Exam,
        used.label("used"),
        open_id.label("open_attempt_id"),
        paper.id,
        paper.seed,
        paper.paper,
        prepared.still_usable(user_id).label("paper_usable"),
    )


def _prepared_paper_of_assignment():
    paper = prepared.PreparedPaper
    return sa.and_(paper.exam_id == ExamAssignment.exam_id, paper.user_id == ExamAssignment.user_id)


# The officer and the exam's unit are not needed to start: not joined in (loaded if ever read).
_START_FACTS_LOADING = (lazyload(ExamAssignment.user), lazyload(Exam.scope_unit))


def _start_facts_parameters():
    return sa.bindparam("user_id", type_=sa.Integer), sa.bindparam("exam_id", type_=sa.Integer)


@functools.cache
def _start_facts_query():
    # Built once: a start is the request thousands send in the same second, and making the
    # statement costs about as much as running it.
    user_id, exam_id = _start_facts_parameters()
    return (
        sa.select(*_start_facts_columns(user_id))
        .join(Exam, Exam.id == ExamAssignment.exam_id)
        .outerjoin(prepared.PreparedPaper, _prepared_paper_of_assignment())
        .where(ExamAssignment.exam_id == exam_id, ExamAssignment.user_id == user_id)
        .options(*_START_FACTS_LOADING)
    )


@functools.cache
def _signed_in_start_facts_query():
    # The sign-in lookup's own statement and conditions; the facts are outer joined, so whether a
    # row comes back (who is signed in) is decided by the sign-in conditions alone.
    user_id, exam_id = _start_facts_parameters()
    return (
        services.session_user_query()
        .add_columns(*_start_facts_columns(user_id))
        .outerjoin(ExamAssignment, sa.and_(ExamAssignment.exam_id == exam_id, ExamAssignment.user_id == User.id))
        .outerjoin(Exam, Exam.id == ExamAssignment.exam_id)
        .outerjoin(prepared.PreparedPaper, _prepared_paper_of_assignment())
        .options(*_START_FACTS_LOADING)
    )


# --- save ---------------------------------------------------------------------------------------


_SAVE_FACTS = (
    PaperItem.option_order,
    PaperItem.version,
    Attempt.user_id,
    Attempt.finished_at,
    Attempt.deadline_at,
    QuestionVersion.type,
    QuestionVersion.options,
    QuestionVersion.answer,
)


def _save_facts_parameters():
    return sa.bindparam("attempt_id", type_=sa.Integer), sa.bindparam("item_id", type_=sa.Integer)


def save_facts(attempt_id: int, item_id: int):
    """What a save decides on: the item's place in its attempt, the attempt's owner, state and
    deadline, and the question's type, options and key (to check the response's shape)."""
    return db.session.execute(_save_facts_query(), {"attempt_id": attempt_id, "item_id": item_id}).first()


@functools.cache
def _save_facts_query():
    attempt_id, item_id = _save_facts_parameters()
    return (
        sa.select(*_SAVE_FACTS)
        .join(Attempt, Attempt.id == PaperItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == PaperItem.question_version_id)
        .where(PaperItem.id == item_id, PaperItem.attempt_id == attempt_id)
    )


def signed_in_save_facts(user_id: int, login_session_id: str, attempt_id: int, item_id: int):
    """(user, row): the sign-in lookup and save_answer's SELECT in one query, as
    signed_in_start_facts. Row None when the item is not in that attempt."""
    row = db.session.execute(
        _signed_in_save_facts_query(),
        {"user_id": user_id, "session_id": login_session_id, "attempt_id": attempt_id, "item_id": item_id},
    ).first()
    if row is None:
        return None, None
    return row.User, row if row.deadline_at is not None and row.type is not None else None


@functools.cache
def _signed_in_save_facts_query():
    attempt_id, item_id = _save_facts_parameters()
    return (
        services.session_user_query()
        .add_columns(*_SAVE_FACTS)
        .outerjoin(PaperItem, sa.and_(PaperItem.id == item_id, PaperItem.attempt_id == attempt_id))
        .outerjoin(Attempt, Attempt.id == PaperItem.attempt_id)
        .outerjoin(QuestionVersion, QuestionVersion.id == PaperItem.question_version_id)
    )
