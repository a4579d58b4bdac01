"""Papers drawn when an exam is published, so that a start only copies one (issue 17).

The moment that breaks exam systems is everyone pressing start in the same second. Drawing a
paper (the blueprint's pools, the officer's recent questions, the shuffles) is the costly part of
a start; it does not depend on when the officer starts, so the scheduler's `prepare_papers` job
draws every assigned officer's first paper soon after the exam is published, with the seed,
recent-question avoidance and shuffling a start would use (quiz.papers). A start then checks the
window, inserts the attempt, copies the prepared rows with one INSERT … SELECT and sends the
prepared JSON. Whatever is not prepared (an officer added later, a second attempt, a paper whose
recent questions changed since) is drawn at the start as before.
"""

import functools
import json
from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from core.extensions import db
from core.i18n import select_locale
from question_bank.models import QuestionType, QuestionVersion
from quiz.models import Attempt, Exam, ExamAssignment, ExamKind, PaperItem
from quiz.papers import RECENT_PAPERS, DrawnItem, attempt_seed, draw_paper
from quiz.prepared_models import PreparedItem, PreparedPaper

FIRST_ATTEMPT = 1


def shown_question(qtype: QuestionType, stem: str, options, answer, option_order, points: int) -> dict:
    """A question as the officer's page shows it, before any answer: no key, no explanation.
    The one place both a start from a prepared paper and quiz.attempts.item_json build it."""
    options = options or []
    return {
        "type": qtype.value,
        "stem": stem,
        "options": [options[index] for index in option_order] if options else [],
        "blanks": len(answer) if qtype == QuestionType.FILL else 0,
        "points": points,
    }


# --- drawing ahead ----------------------------------------------------------------------------------


def prepare_papers(now: datetime, limit: int | None = None) -> dict:
    """Scheduler job (every minute): draw the first paper of up to `limit` officers (the
    QUIZ_PREPARE_BATCH setting) who are assigned to an exam not yet closed, have not started it
    and have nothing prepared; the oldest exams first. A run is short, so the write lock it holds
    on SQLite never keeps the autosaves waiting long; a large exam is prepared over a few runs."""
    limit = limit or int(current_app.config["QUIZ_PREPARE_BATCH"])
    discarded = _discard_stale(now, limit)
    started = sa.select(Attempt.id).where(Attempt.assignment_id == ExamAssignment.id).exists()
    prepared = (
        sa.select(PreparedPaper.id)
        .where(PreparedPaper.exam_id == ExamAssignment.exam_id, PreparedPaper.user_id == ExamAssignment.user_id)
        .exists()
    )
    rows = db.session.execute(
        sa.select(ExamAssignment.exam_id, ExamAssignment.user_id)
        .join(Exam, Exam.id == ExamAssignment.exam_id)
        .where(Exam.closed_at.is_(None), Exam.withdrawn_at.is_(None), Exam.closes_at > now)
        .where(ExamAssignment.closed_at.is_(None), ~started, ~prepared)
        .order_by(ExamAssignment.exam_id, ExamAssignment.user_id)
        .limit(limit)
    ).all()
    by_exam = defaultdict(list)
    for exam_id, user_id in rows:
        by_exam[exam_id].append(user_id)
    for exam_id, user_ids in by_exam.items():
        _prepare(db.session.get(Exam, exam_id), user_ids, now)
    return {"prepared": len(rows), "redrawn": discarded} if discarded else {"prepared": len(rows)}


def prepare_all(now: datetime, batch: int = 500) -> int:
    """Prepare every paper now, committing a batch at a time (the prepare-papers command and
    the benchmarks); returns how many were drawn."""
    drawn = 0
    while True:
        count = prepare_papers(now, batch)["prepared"]
        db.session.commit()
        if not count:
            return drawn
        drawn += count


def _discard_stale(now: datetime, limit: int) -> int:
    """Drop the unstarted prepared papers of open exams whose officer has begun another attempt
    since (their recent questions changed): the next runs draw them again."""
    latest = (
        sa.select(Attempt.id)
        .where(Attempt.user_id == PreparedPaper.user_id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    started = (
        sa.select(Attempt.id)
        .where(Attempt.exam_id == PreparedPaper.exam_id, Attempt.user_id == PreparedPaper.user_id)
        .exists()
    )
    stale = db.session.scalars(
        sa.select(PreparedPaper.id)
        .join(Exam, Exam.id == PreparedPaper.exam_id)
        .where(Exam.closed_at.is_(None), Exam.withdrawn_at.is_(None), Exam.closes_at > now)
        .where(PreparedPaper.after_attempt_id != sa.func.coalesce(latest, 0), ~started)
        .limit(limit)
    ).all()
    if stale:
        db.session.execute(sa.delete(PreparedItem).where(PreparedItem.paper_id.in_(stale)))
        db.session.execute(sa.delete(PreparedPaper).where(PreparedPaper.id.in_(stale)))
    return len(stale)


def _prepare(exam: Exam, user_ids: list[int], now: datetime) -> None:
    salt = current_app.config["SECRET_KEY"]
    recent, latest = recent_questions_of(user_ids)
    papers = {
        user_id: draw_paper(
            exam.blueprint,
            attempt_seed(exam.id, user_id, FIRST_ATTEMPT, salt),
            recent.get(user_id, frozenset()),
            shuffle_questions=bool(exam.settings.get("shuffle_questions", True)),
            shuffle_options=bool(exam.settings.get("shuffle_options", True)),
        )
        for user_id in user_ids
    }
    versions = _versions({item.version_id for drawn in papers.values() for item in drawn})
    inserted = db.session.execute(
        sa.insert(PreparedPaper).returning(PreparedPaper.id, PreparedPaper.user_id, sort_by_parameter_order=True),
        [
            {
                "exam_id": exam.id,
                "user_id": user_id,
                "seed": attempt_seed(exam.id, user_id, FIRST_ATTEMPT, salt),
                "after_attempt_id": latest.get(user_id, 0),
                "paper": json.dumps([_shown(item, versions) for item in drawn], ensure_ascii=False),
                "created_at": now,
            }
            for user_id, drawn in papers.items()
        ],
    ).all()
    db.session.execute(
        sa.insert(PreparedItem),
        [
            {
                "paper_id": paper_id,
                "position": item.position,
                "question_id": item.question_id,
                "question_version_id": item.version_id,
                "category_id": item.category_id,
                "points": item.points,
                "option_order": list(item.option_order),
            }
            for paper_id, user_id in inserted
            for item in papers[user_id]
        ],
    )


def _versions(version_ids) -> dict:
    version = QuestionVersion
    rows = db.session.execute(
        sa.select(version.id, version.type, version.stem, version.options, version.answer).where(
            version.id.in_(version_ids)
        )
    )
    return {row.id: row for row in rows}


def _shown(item: DrawnItem, versions) -> dict:
    version = versions[item.version_id]
    shown = shown_question(
        QuestionType(version.type), version.stem, version.options, version.answer, item.option_order, item.points
    )
    return {"position": item.position, **shown}


def recent_questions_of(user_ids: list[int]) -> tuple[dict[int, frozenset], dict[int, int]]:
    """For each officer: the questions of their latest papers (what quiz.attempts'
    recent_question_ids gives one officer) and their latest attempt's id; two queries for all."""
    ranked = (
        sa.select(
            Attempt.id,
            Attempt.user_id,
            sa.func.row_number()
            .over(partition_by=Attempt.user_id, order_by=(Attempt.started_at.desc(), Attempt.id.desc()))
            .label("rank"),
        )
        .where(Attempt.user_id.in_(user_ids))
        .subquery()
    )
    rows = db.session.execute(
        sa.select(ranked.c.id, ranked.c.user_id, ranked.c.rank).where(ranked.c.rank <= RECENT_PAPERS)
    ).all()
    owner = {attempt_id: user_id for attempt_id, user_id, _rank in rows}
    latest = {user_id: attempt_id for attempt_id, user_id, rank in rows if rank == 1}
    questions = defaultdict(set)
    if owner:
        pairs = db.session.execute(
            sa.select(PaperItem.attempt_id, PaperItem.question_id).where(PaperItem.attempt_id.in_(owner))
        )
        for attempt_id, question_id in pairs:
            questions[owner[attempt_id]].add(question_id)
    return {user_id: frozenset(ids) for user_id, ids in questions.items()}, latest


# --- at the start -----------------------------------------------------------------------------------


def still_usable(user_id):
    """SQL: true when the officer's prepared paper (a PreparedPaper row in the query) exists and
    is still the paper a start would draw now: no attempt of theirs began since it was drawn."""
    latest = (
        sa.select(Attempt.id)
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return sa.and_(PreparedPaper.id.is_not(None), PreparedPaper.after_attempt_id == sa.func.coalesce(latest, 0))


def copy_into(attempt_id: int, paper) -> list[dict]:
    """Copy a prepared paper's rows into the attempt's paper items (one INSERT … SELECT) and
    return the items as the page shows them, with their new ids."""
    rows = db.session.execute(_copy_statement(), {"attempt_id": attempt_id, "paper_id": paper.id})
    return shown_items(paper, dict(rows.all()))


def shown_items(paper, ids: dict[int, int]) -> list[dict]:
    """A prepared paper's items as the page shows them, `ids` giving each position's paper item."""
    items = json.loads(paper.paper)
    labels = labels_in(select_locale())
    for item in items:
        item.update(id=ids[item["position"]], type_label=labels[item["type"]], response=None, version=0, marked=False)
    return items


COPIED_COLUMNS = (
    "attempt_id",
    "position",
    "question_id",
    "question_version_id",
    "category_id",
    "points",
    "option_order",
    "version",
    "marked",
)


def copy_source(attempt_id):
    """SELECT of the prepared paper `:paper_id`'s rows as the paper items (COPIED_COLUMNS) of
    `attempt_id`: a bind parameter, or a column of what the SELECT is joined to."""
    return sa.select(
        attempt_id,
        PreparedItem.position,
        PreparedItem.question_id,
        PreparedItem.question_version_id,
        PreparedItem.category_id,
        PreparedItem.points,
        PreparedItem.option_order,
        sa.literal(0),
        sa.false(),
    ).where(PreparedItem.paper_id == sa.bindparam("paper_id", type_=sa.Integer))


@functools.cache
def _copy_statement():
    source = copy_source(sa.bindparam("attempt_id", type_=sa.Integer))
    table = PaperItem.__table__  # a Core statement: with parameters, an ORM one is a bulk insert
    return sa.insert(table).from_select(COPIED_COLUMNS, source).returning(table.c.position, table.c.id)


@functools.cache
def labels_in(locale: str) -> dict[str, str]:
    """The question types' and exam kinds' labels in `locale` (the current request's): translated
    once per process, not once per start."""
    return {member.value: str(member.label) for member in (*QuestionType, *ExamKind)}


# --- afterwards ---------------------------------------------------------------------------------------


def discard_finished(now: datetime) -> int:
    """Housekeeping: remove the prepared papers of exams closed or withdrawn (never started)."""
    done = sa.select(Exam.id).where(sa.or_(Exam.closed_at.is_not(None), Exam.withdrawn_at.is_not(None)))
    papers = sa.select(PreparedPaper.id).where(PreparedPaper.exam_id.in_(done))
    db.session.execute(sa.delete(PreparedItem).where(PreparedItem.paper_id.in_(papers)))
    return db.session.execute(sa.delete(PreparedPaper).where(PreparedPaper.exam_id.in_(done))).rowcount
