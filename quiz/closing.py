"""Closing an exam, officer by officer: grade what was left open, mark absentees (缺考), flag
failures and absentees for make-up study (补课), and put them in the retake (补考).

Each officer's window closes on its own: at the exam's close, or at the end of their own window
when a supervisor extended it, in both cases after the save grace. One extension never holds the
others: they are graded, flagged and in the retake on time, and the extended officer joins the
retake when their own window ends. The exam is closed for everyone (`Exam.closed_at`, when keys
and reviews may be shown) once every officer is closed, its closing time has passed, and the exam
it retakes is closed for everyone too (a retake draws from the same questions).

Each exam is closed in its own savepoint inside the scheduler's run, so a crash halfway leaves it
as it was and the next tick does it again. Officers are claimed with a conditional UPDATE, so a
second closer (another runner, the supervisor's button) finds them claimed and changes nothing.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts import audit
from core.errors import Conflict
from core.events import emit
from core.extensions import db
from quiz.models import AssignmentStatus, Attempt, Exam, ExamAssignment, FinishReason, PaperItem
from quiz.results import finish_attempt
from quiz.retakes import add_to_retake, escalate, has_retakes, resettle_chain, stretch_seats
from quiz.settings import setting

log = logging.getLogger("yingzhi.quiz")

WEAK_CATEGORIES = 3  # a failed officer's make-up study: the categories where most points were lost


def save_grace() -> timedelta:
    """Answers may arrive this long after a deadline, so an officer is closed only after it."""
    return timedelta(seconds=setting("QUIZ_SAVE_GRACE_SECONDS"))


def own_close():
    """An assignment's close: the officer's own window's end, else the exam's."""
    return sa.func.coalesce(ExamAssignment.closes_at, Exam.closes_at)


def _unclosed(exam_id) -> sa.ColumnElement:
    return sa.and_(ExamAssignment.exam_id == exam_id, ExamAssignment.closed_at.is_(None))


def due_exams(now: datetime) -> sa.Select:
    """Exams not yet closed for everyone with an officer due to close, or with nobody left open
    and their closing time past. Rounds in order, so an exam closes before its retake."""
    cutoff = now - save_grace()
    someone_due = sa.exists().where(_unclosed(Exam.id), own_close() <= cutoff)
    nobody_open = ~sa.exists().where(_unclosed(Exam.id))
    return (
        sa.select(Exam)
        .where(Exam.closed_at.is_(None), sa.or_(someone_due, sa.and_(nobody_open, Exam.closes_at <= cutoff)))
        .order_by(Exam.retake_round, Exam.closes_at, Exam.id)
    )


def close_due_exams(now: datetime) -> dict:
    """Scheduler job (every minute): close every officer whose window is over, then every exam
    with nobody left, each exam in its own savepoint. An exam whose close fails is logged, left
    untouched and retried by the next tick."""
    totals: dict[str, int] = defaultdict(int)
    cutoff = now - save_grace()
    for exam_id in db.session.scalars(due_exams(now).with_only_columns(Exam.id)).all():
        try:
            with db.session.begin_nested():
                exam = db.session.get(Exam, exam_id)
                due = sa.select(ExamAssignment.id).join(Exam, Exam.id == ExamAssignment.exam_id)
                due = due.where(_unclosed(exam.id), own_close() <= cutoff)
                counts = close_assignments(exam, list(db.session.scalars(due)), now)
                for key, value in close_for_everyone(exam, now, by_hand=False).items():
                    counts[key] = counts.get(key, 0) + value
                _audit_close(None, exam, counts)
        except Exception:
            log.exception("closing exam %s failed; the next tick retries it", exam_id)
            db.session.expire_all()
            totals["errors"] += 1
            continue
        for key, value in counts.items():
            totals[key] += value
    return dict(totals)


def close_exam(exam: Exam, now: datetime, *, actor=None) -> dict:
    """A supervisor (`actor`) closes the exam now: every officer whose window has opened is closed
    (an extension ends too); an officer whose own window has not opened yet keeps it, since nobody
    is marked absent for a window they could not take. Audited as the actor's close. The caller
    commits; {} if nothing was open."""
    if exam.closed_at is not None:
        return {}
    # Opened this very instant (or published late, this instant): nobody has had a moment of it,
    # and closing would mark everyone absent. Withdrawing it is the way to take it back.
    if now <= max(exam.opens_at, exam.published_at):
        raise Conflict(_l("This test has not opened yet, so it cannot be closed."), code="exam_not_open")
    opened = sa.func.coalesce(ExamAssignment.opens_at, exam.opens_at) < now
    ids = list(db.session.scalars(sa.select(ExamAssignment.id).where(_unclosed(exam.id), opened)))
    counts = close_assignments(exam, ids, now)
    for key, value in close_for_everyone(exam, now, by_hand=True).items():
        counts[key] = counts.get(key, 0) + value
    _audit_close(actor, exam, counts)
    return counts


def _audit_close(actor, exam: Exam, counts: dict) -> None:
    """Audit a close that changed something: by a supervisor, or (actor None) by the scheduler
    when officers' windows or the exam itself closed on time. The detail names the exam and counts
    the officers closed; a second closer that found everything claimed records nothing."""
    if counts:
        detail = {"title": exam.title, "officers_closed": 0, **counts}
        audit.record("quiz.exam_closed", actor=actor, target=exam, detail=detail)


def close_assignments(exam: Exam, assignment_ids: list[int], now: datetime) -> dict:
    """Close these officers' windows of `exam` as of `now` in the caller's transaction: finish
    their open attempts with what was saved, mark who never sat it absent, flag who failed or was
    absent (with the weak categories of their make-up study), put them in the retake, clear or
    escalate the chain of a retake. Officers another closer claimed first are skipped."""
    claimed = _claim(assignment_ids, now)
    if not claimed:
        return {}
    counts = {"officers_closed": len(claimed), "attempts_finished": _finish_open_attempts(exam, claimed, now)}
    assignments = db.session.scalars(
        sa.select(ExamAssignment)
        .where(ExamAssignment.id.in_(claimed))
        .order_by(ExamAssignment.user_id)
        .execution_options(populate_existing=True)
    ).all()
    items = _items_by_user(exam, claimed)
    flagged, absent, passed = [], [], []
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
            flagged.append(assignment)
        assignment.updated_at = now
    db.session.flush()
    if exam.retake_round > 0:
        for user_id in passed:
            resettle_chain(exam, user_id, now)
        escalate(exam, [a.user_id for a in flagged], now)
        counts["passed_after_retake"] = len(passed)
        counts["escalated"] = len(flagged)
    counts["absent"] = len(absent)
    counts["flagged"] = len(flagged)
    counts["retake_added"] = add_to_retake(exam, [a.user_id for a in flagged], now)
    wrong = {
        user_id: sorted({row.question_id for row in rows if not row.correct})
        for user_id, rows in items.items()
        if any(not row.correct for row in rows)
    }
    for key, value in emit("assignments_closed", exam=exam, assignments=assignments, wrong=wrong, now=now).items():
        counts[key] = counts.get(key, 0) + value
    emit("exam_results_changed", exam_id=exam.id, unit_ids=sorted({a.unit_id for a in assignments}))
    return counts


def close_for_everyone(exam: Exam, now: datetime, *, by_hand: bool) -> dict:
    """Mark `exam` closed for everyone once nobody is left open, its closing time (plus the save
    grace) has passed or a supervisor closed it, and the exam it retakes is closed for everyone.
    Then the wrong answers of every paper enter the wrong-answer book (an event: study)."""
    if exam.closed_at is not None or db.session.scalar(sa.select(sa.exists().where(_unclosed(exam.id)))):
        return {}
    if not by_hand and exam.closes_at > now - save_grace():
        return {}
    if exam.retake_of_id is not None:
        parent_closed = db.session.scalar(sa.select(Exam.closed_at).where(Exam.id == exam.retake_of_id))
        if parent_closed is None:
            return {}
    claimed = db.session.execute(
        sa.update(Exam)
        .where(Exam.id == exam.id, Exam.closed_at.is_(None))
        .values(closed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        return {}
    exam.closed_at = now
    wrong = {
        (user_id, row.question_id) for user_id, rows in _items_by_user(exam).items() for row in rows if not row.correct
    }
    counts = {"exams_closed": 1}
    for key, value in emit("exam_closed_for_everyone", exam=exam, wrong=wrong, now=now).items():
        counts[key] = counts.get(key, 0) + value
    retake = db.session.scalar(sa.select(Exam).where(Exam.retake_of_id == exam.id, Exam.closed_at.is_(None)))
    if retake is not None:
        # Make-up study needs this exam's key, which opens only now: when it opens late (the
        # scheduler was down), everyone still in the retake gets its full days from now.
        stretched = stretch_seats(retake, now)
        if stretched:
            counts["retake_windows_stretched"] = stretched
        # The retake may have been waiting only for this exam.
        for key, value in close_for_everyone(retake, now, by_hand=False).items():
            counts[key] = counts.get(key, 0) + value
    return counts


def _claim(assignment_ids: list[int], now: datetime) -> list[int]:
    if not assignment_ids:
        return []
    claimed = []
    for start in range(0, len(assignment_ids), 500):
        chunk = assignment_ids[start : start + 500]
        rows = db.session.execute(
            sa.update(ExamAssignment)
            .where(ExamAssignment.id.in_(chunk), ExamAssignment.closed_at.is_(None))
            .values(closed_at=now, updated_at=now)
            .returning(ExamAssignment.id)
            .execution_options(synchronize_session=False)
        )
        claimed += [row[0] for row in rows]
    return sorted(claimed)


def _finish_open_attempts(exam: Exam, assignment_ids: list[int], now: datetime) -> int:
    """E7: grade every attempt these officers left open with its saved answers, finished at its
    deadline."""
    open_attempts = db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.assignment_id.in_(assignment_ids), Attempt.finished_at.is_(None))
        .order_by(Attempt.id)
    ).all()
    finished = 0
    for attempt in open_attempts:
        if finish_attempt(
            attempt, finished_at=min(attempt.deadline_at, now), reason=FinishReason.CLOSED, announce=False
        ):
            finished += 1
    return finished


def _items_by_user(exam: Exam, assignment_ids: list[int] | None = None) -> dict[int, list]:
    """user_id → (question_id, category_id, points, score, correct) of their counted attempt."""
    query = (
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
    )
    if assignment_ids is not None:
        query = query.where(ExamAssignment.id.in_(assignment_ids))
    by_user = defaultdict(list)
    for row in db.session.execute(query):
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
