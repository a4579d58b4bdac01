"""Closing an exam: grade what was left open, mark absentees (缺考), flag failures and absentees
for make-up study (补课) and the wrong-answer book, and open one retake (补考) for exactly them.

An exam is due once its close (and every officer's own extended close) plus the save grace has
passed. Each exam closes in one transaction (a savepoint inside the scheduler's run), so a crash
halfway leaves that exam as it was and the next tick does it again. The first statement claims
the exam with a conditional UPDATE: a second closer (another runner, the supervisor's button)
finds it claimed and changes nothing.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from core.extensions import db
from quiz.models import AssignmentStatus, Attempt, Exam, ExamAssignment, FinishReason, PaperItem
from quiz.results import finish_attempt
from quiz.retakes import clear_chain, create_retake, escalate_root, has_retakes
from quiz.settings import setting

log = logging.getLogger("yingzhi.quiz")

WEAK_CATEGORIES = 3  # a failed officer's make-up study: the categories where most points were lost


def save_grace() -> timedelta:
    """Answers may arrive this long after a deadline, so an exam closes only after it."""
    return timedelta(seconds=setting("QUIZ_SAVE_GRACE_SECONDS"))


def due_exams(now: datetime) -> sa.Select:
    """Open exams whose close, and every officer's extended close, lies a save grace behind."""
    cutoff = now - save_grace()
    extended = sa.exists().where(ExamAssignment.exam_id == Exam.id, ExamAssignment.closes_at > cutoff)
    return (
        sa.select(Exam)
        .where(Exam.closed_at.is_(None), Exam.closes_at <= cutoff, ~extended)
        .order_by(Exam.closes_at, Exam.id)
    )


def close_due_exams(now: datetime) -> dict:
    """Scheduler job (every minute): close every due exam, each in its own savepoint. An exam
    whose close fails is logged, left untouched and retried by the next tick."""
    totals: dict[str, int] = defaultdict(int)
    for exam_id in db.session.scalars(due_exams(now).with_only_columns(Exam.id)).all():
        try:
            with db.session.begin_nested():
                exam = db.session.get(Exam, exam_id)
                counts = close_exam(exam, now)
        except Exception:
            log.exception("closing exam %s failed; the next tick retries it", exam_id)
            db.session.expire_all()
            totals["errors"] += 1
            continue
        for key, value in counts.items():
            totals[key] += value
    return dict(totals)


def close_exam(exam: Exam, now: datetime) -> dict:
    """Close `exam` as of `now` in the caller's transaction (the caller commits). Returns counts;
    an exam already closed returns {} and changes nothing.

    Higher layers act on the close through app.EXAM_CLOSED_HOOKS (the wrong-answer book lives in
    study): each hook gets (exam, {(user_id, question_id) answered wrong}, now), returns counts."""
    claimed = db.session.execute(
        sa.update(Exam)
        .where(Exam.id == exam.id, Exam.closed_at.is_(None))
        .values(closed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        return {}
    counts = {"exams_closed": 1, "attempts_finished": _finish_open_attempts(exam, now)}
    assignments = db.session.scalars(
        sa.select(ExamAssignment)
        .where(ExamAssignment.exam_id == exam.id)
        .order_by(ExamAssignment.user_id)
        .execution_options(populate_existing=True)
    ).all()
    items = _items_by_user(exam)
    passed, flagged, absent = [], [], []
    for assignment in assignments:
        if assignment.score is None:
            assignment.status = AssignmentStatus.ABSENT
            assignment.passed = None
            absent.append(assignment)
        elif assignment.status not in (AssignmentStatus.PASSED, AssignmentStatus.FAILED):
            assignment.status = AssignmentStatus.PASSED if assignment.passed else AssignmentStatus.FAILED
        if assignment.status == AssignmentStatus.PASSED:
            passed.append(assignment.user_id)
        elif has_retakes(exam):
            assignment.flagged = True
            assignment.cleared_at = None
            assignment.escalated = exam.retake_round > 0
            assignment.weak_category_ids = _weak_categories(exam, items.get(assignment.user_id, []))
            flagged.append(assignment.user_id)
        assignment.updated_at = now
    wrong = {(user_id, row.question_id) for user_id, rows in items.items() for row in rows if not row.correct}
    for hook in current_app.config.get("YINGZHI_EXAM_CLOSED_HOOKS", ()):
        for key, value in (hook(exam, wrong, now) or {}).items():
            counts[key] = counts.get(key, 0) + value
    counts["absent"] = len(absent)
    counts["flagged"] = len(flagged)
    if exam.retake_round > 0:
        counts["passed_after_retake"] = clear_chain(exam, passed, now)
        escalate_root(exam, flagged, now)
        counts["escalated"] = len(flagged)
    db.session.flush()
    retake = create_retake(exam, flagged, now)
    counts["retakes"] = 1 if retake is not None else 0
    db.session.flush()
    exam.closed_at = now  # already stored by the claim; set on the instance for its readers
    return counts


def _finish_open_attempts(exam: Exam, now: datetime) -> int:
    """E7: grade every attempt left open with its saved answers, finished at its deadline."""
    open_attempts = db.session.scalars(
        sa.select(Attempt).where(Attempt.exam_id == exam.id, Attempt.finished_at.is_(None)).order_by(Attempt.id)
    ).all()
    finished = 0
    for attempt in open_attempts:
        if finish_attempt(attempt, finished_at=min(attempt.deadline_at, now), reason=FinishReason.CLOSED):
            finished += 1
    return finished


def _items_by_user(exam: Exam) -> dict[int, list]:
    """user_id → (question_id, category_id, points, score, correct) of their counted attempt."""
    rows = db.session.execute(
        sa.select(
            ExamAssignment.user_id,
            PaperItem.question_id,
            PaperItem.category_id,
            PaperItem.points,
            PaperItem.score,
            PaperItem.correct,
        )
        .join(Attempt, Attempt.id == ExamAssignment.counted_attempt_id)
        .join(PaperItem, PaperItem.attempt_id == Attempt.id)
        .where(ExamAssignment.exam_id == exam.id)
    ).all()
    by_user = defaultdict(list)
    for row in rows:
        by_user[row.user_id].append(row)
    return by_user


def _weak_categories(exam: Exam, items) -> list[int]:
    """The categories where the officer lost most points; every category of the blueprint for
    someone who never sat the paper."""
    if not items:
        return list(dict.fromkeys(row["category_id"] for row in exam.blueprint))
    lost = defaultdict(float)
    for item in items:
        lost[item.category_id] += item.points - (item.score or 0)
    ranked = sorted((cid for cid, points in lost.items() if points > 0), key=lambda cid: (-lost[cid], cid))
    return ranked[:WEAK_CATEGORIES]
