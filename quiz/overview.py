"""What supervisors read about exams: which exams they see, per-officer results of an exam with
each retake chain's state, contest leaderboards and the workbench figures. Read only.

A supervisor sees an exam whose scope lies in their subtree (they manage it) and an exam whose
scope covers their unit (a city-wide test: they see their own subtree's part of it).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts.models import Role, Unit, User
from accounts.scope import can_manage_unit
from core import clock
from core.errors import NotFound, PermissionDenied
from core.extensions import db
from quiz.models import AssignmentStatus, Attempt, Exam, ExamAssignment, ExamKind
from quiz.retakes import chain_root_id


def can_manage_exam(user: User, exam: Exam) -> bool:
    return can_manage_unit(user, exam.scope_unit)


def can_view_exam(user: User, exam: Exam) -> bool:
    return can_manage_exam(user, exam) or (user.role == Role.SUPERVISOR and exam.scope_unit.contains(user.unit))


def get_exam_for(user: User, exam_id: int) -> Exam:
    exam = db.session.get(Exam, exam_id)
    if exam is None:
        raise NotFound(_l("This test was not found."))
    if not can_view_exam(user, exam):
        raise PermissionDenied(_l("This test is outside your area of responsibility."))
    return exam


def exams_visible_to(user: User) -> sa.Select:
    query = sa.select(Exam).join(Unit, Unit.id == Exam.scope_unit_id)
    if user.role != Role.ADMIN:
        own = user.unit.path
        query = query.where(
            sa.or_(Unit.path.startswith(own), sa.literal(own).startswith(Unit.path))  # managed, or covering
        )
    return query.order_by(Exam.opens_at.desc(), Exam.id.desc())


def assignments_in_view(user: User, exam: Exam) -> sa.Select:
    """The exam's assignments in the user's subtree, units in tree order."""
    query = (
        sa.select(ExamAssignment)
        .join(Unit, Unit.id == ExamAssignment.unit_id)
        .join(User, User.id == ExamAssignment.user_id)
        .where(ExamAssignment.exam_id == exam.id)
        .order_by(Unit.path, User.username)
    )
    if user.role != Role.ADMIN:
        query = query.where(Unit.path.startswith(user.unit.path))
    return query


def exam_phase(exam: Exam, now: datetime) -> str:
    if exam.closed_at is not None:
        return "closed"
    if now < exam.opens_at:
        return "upcoming"
    return "open" if now < exam.closes_at else "closing"


@dataclass
class OfficerRow:
    assignment: ExamAssignment
    attempt: Attempt | None  # the counted attempt, or the latest
    chain: str  # '', 'retake_open', 'retake_passed', 'escalated'
    chain_round: int


def officer_rows(user: User, exam: Exam) -> list[OfficerRow]:
    assignments = db.session.scalars(assignments_in_view(user, exam)).all()
    if not assignments:
        return []
    user_ids = [a.user_id for a in assignments]
    attempts = {}
    for attempt in db.session.scalars(
        sa.select(Attempt).where(Attempt.exam_id == exam.id, Attempt.user_id.in_(user_ids)).order_by(Attempt.number)
    ):
        attempts[attempt.assignment_id] = attempt  # the latest unless the counted one is set below
    counted_ids = {a.counted_attempt_id for a in assignments if a.counted_attempt_id}
    for attempt in db.session.scalars(sa.select(Attempt).where(Attempt.id.in_(counted_ids))):
        attempts[attempt.assignment_id] = attempt
    later = _later_rounds(exam, user_ids)
    rows = []
    for assignment in assignments:
        chain, round_number = "", 0
        if assignment.flagged:
            latest = later.get(assignment.user_id)
            round_number = latest.exam.retake_round if latest is not None else exam.retake_round + 1
            if assignment.cleared_at is not None:
                chain = "retake_passed"
            elif assignment.escalated or (latest is not None and latest.escalated):
                chain = "escalated"
            else:
                chain = "retake_open"
        rows.append(OfficerRow(assignment, attempts.get(assignment.id), chain, round_number))
    return rows


def _later_rounds(exam: Exam, user_ids) -> dict[int, ExamAssignment]:
    """Each officer's assignment in the latest later round of the exam's chain."""
    root_id = chain_root_id(exam)
    rows = db.session.scalars(
        sa.select(ExamAssignment)
        .join(Exam, Exam.id == ExamAssignment.exam_id)
        .where(
            sa.or_(Exam.id == root_id, Exam.root_exam_id == root_id),
            Exam.retake_round > exam.retake_round,
            ExamAssignment.user_id.in_(user_ids),
        )
        .order_by(Exam.retake_round)
    ).all()
    return {row.user_id: row for row in rows}


def tally(rows: list[OfficerRow]) -> dict:
    counts = {status: 0 for status in AssignmentStatus}
    for row in rows:
        counts[row.assignment.status] += 1
    finished = counts[AssignmentStatus.PASSED] + counts[AssignmentStatus.FAILED]
    assigned = len(rows)
    return {
        "assigned": assigned,
        "finished": finished,
        "passed": counts[AssignmentStatus.PASSED],
        "failed": counts[AssignmentStatus.FAILED],
        "absent": counts[AssignmentStatus.ABSENT],
        "pending": assigned - finished - counts[AssignmentStatus.ABSENT],
        "pass_rate": round(100 * counts[AssignmentStatus.PASSED] / assigned) if assigned else None,
        # While the test is open: the share of those who have handed in (the others may still pass).
        "pass_rate_finished": round(100 * counts[AssignmentStatus.PASSED] / finished) if finished else None,
        "escalated": sum(1 for row in rows if row.chain == "escalated"),
        "retakes_open": sum(1 for row in rows if row.chain in ("retake_open", "escalated")),
    }


def leaderboard(user: User, exam: Exam) -> list[dict]:
    """Contest ranking in the user's part of the exam: score high to low, then time taken short
    to long (of the counted attempt); equal score and time share a rank."""
    rows = db.session.execute(
        sa.select(ExamAssignment, Attempt.started_at, Attempt.finished_at)
        .join(Attempt, Attempt.id == ExamAssignment.counted_attempt_id)
        .where(ExamAssignment.id.in_(assignments_in_view(user, exam).with_only_columns(ExamAssignment.id)))
    ).all()
    entries = [
        {"assignment": a, "score": a.score or 0, "seconds": int((finished - started).total_seconds())}
        for a, started, finished in rows
    ]
    entries.sort(key=lambda e: (-e["score"], e["seconds"], e["assignment"].user.username))
    rank, previous = 0, None
    for position, entry in enumerate(entries, start=1):
        key = (entry["score"], entry["seconds"])
        if key != previous:
            rank, previous = position, key
        entry["rank"] = rank
    return entries


def is_contest(exam: Exam) -> bool:
    return exam.kind == ExamKind.CONTEST


def workbench(user: User, now: datetime | None = None) -> dict:
    """The supervisor home panel: this week's weekly test in their part (how many have handed in,
    and the pass rate among them) and everyone in their subtree not yet 过关, across all tests."""
    now = now or clock.now()
    monday = clock.week_start(clock.local(now).date())
    starts, _ = clock.day_bounds(monday)
    ends, _ = clock.day_bounds(monday + timedelta(days=7))
    exam = db.session.scalars(
        exams_visible_to(user)
        .where(Exam.kind == ExamKind.WEEKLY, Exam.retake_round == 0, Exam.opens_at >= starts, Exam.opens_at < ends)
        .where(Exam.withdrawn_at.is_(None))
        .order_by(None)
        .order_by(Exam.opens_at.desc(), Exam.id.desc())
    ).first()
    current = None
    if exam is not None:
        current = {"exam": exam, **tally(officer_rows(user, exam)), "phase": exam_phase(exam, now)}
    in_view = sa.select(Unit.id)
    if user.role != Role.ADMIN:
        in_view = in_view.where(Unit.path.startswith(user.unit.path))
    outstanding = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ExamAssignment)
        .join(Exam, Exam.id == ExamAssignment.exam_id)
        .where(
            ExamAssignment.flagged,
            ExamAssignment.cleared_at.is_(None),
            Exam.retake_round == 0,
            ExamAssignment.unit_id.in_(in_view),
        )
    )
    return {"current": current, "outstanding": outstanding}
