"""The standing list of everyone not yet 过关: every officer flagged at a test (failed or absent)
whose chain of retakes has not been passed, across all tests, with how long it has been
outstanding, the round they are at and whether their make-up study is done. For a unit subtree
(by the unit each was assigned under), longest outstanding first."""

from dataclasses import dataclass
from datetime import datetime
from time import monotonic

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from accounts.models import Unit, User
from core import clock
from core.extensions import db
from quiz.models import AssignmentStatus, Exam, ExamAssignment
from reports.board import BOARD_CACHE_ENTRIES, results_version


@dataclass
class OutstandingRow:
    assignment_id: int  # of the test (round 0)
    person: User
    unit: Unit
    exam: Exam  # the test (round 0) they have not passed yet
    status: AssignmentStatus  # failed or absent, at that test
    since: datetime  # when their window of it was closed
    days: int
    round: int  # the latest retake round they are in (0: none yet)
    makeup_done: bool  # make-up study of the latest round flagged
    escalated: bool


def board_outstanding(unit: Unit, now: datetime, limit: int) -> tuple[list[OutstandingRow], int]:
    """The first `limit` rows of `unit`'s list and the list's length, for the board. Finding them
    walks every outstanding assignment of the scope (tens of milliseconds of the database on a
    city's board, beside the officers' saves: BENCHMARKS.md S9), so which assignments they are,
    and how many, is kept per server for REPORTS_BOARD_CACHE_SECONDS under results_version(), as
    the board's sums are. The rows themselves are read afresh each time: names, rounds, make-up
    and days are never older than the database's."""
    seconds = current_app.config["REPORTS_BOARD_CACHE_SECONDS"]
    if not seconds:
        return outstanding(unit, now, limit=limit), count_outstanding(unit)
    cache = current_app.extensions.setdefault("yingzhi_board_outstanding", {})
    key = (unit.id, unit.path, limit, results_version())
    kept = cache.get(key)
    if kept is not None and kept[0] > monotonic():
        return outstanding(unit, now, only=kept[1]), kept[2]
    rows = outstanding(unit, now, limit=limit)
    if len(cache) >= BOARD_CACHE_ENTRIES:
        cache.clear()
    cache[key] = (monotonic() + seconds, [row.assignment_id for row in rows], count_outstanding(unit))
    return rows, cache[key][2]


def outstanding(
    unit: Unit, now: datetime, limit: int | None = None, only: list[int] | None = None
) -> list[OutstandingRow]:
    """`unit`'s list, longest outstanding first: all of it, its first `limit` rows, or those of
    the round-0 assignments `only` that are still outstanding."""
    if only is not None and not only:
        return []
    root = aliased(ExamAssignment)
    later, later_exam = aliased(ExamAssignment), aliased(Exam)
    latest_round = (
        sa.select(sa.func.max(later_exam.retake_round))
        .join(later, later.exam_id == later_exam.id)
        .where(later_exam.root_exam_id == root.exam_id, later.user_id == root.user_id)
        .scalar_subquery()
    )
    query = (
        sa.select(root, Exam, Unit, User, latest_round)
        .join(Exam, Exam.id == root.exam_id)
        .join(Unit, Unit.id == root.unit_id)
        .join(User, User.id == root.user_id)
        .where(
            Exam.retake_round == 0,
            root.flagged,  # as ix_exam_assignments_outstanding says it
            root.cleared_at.is_(None),
            Unit.path.startswith(unit.path),
        )
        .order_by(root.closed_at, Unit.path, User.username)
    )
    if limit is not None:
        query = query.limit(limit)
    if only is not None:
        query = query.where(root.id.in_(only))
    rows = db.session.execute(query).all()
    makeup = _latest_makeup_done([r[0] for r in rows])
    today = clock.local(now).date()
    result = []
    for assignment, exam, member_unit, person, round_ in rows:
        since = assignment.closed_at or exam.closes_at
        result.append(
            OutstandingRow(
                assignment_id=assignment.id,
                person=person,
                unit=member_unit,
                exam=exam,
                status=assignment.status,
                since=since,
                days=(today - clock.local(since).date()).days,
                round=round_ or 0,
                makeup_done=makeup.get((exam.id, person.id), False),
                escalated=assignment.escalated,
            )
        )
    return result


def count_outstanding(unit: Unit) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ExamAssignment)
        .join(Exam, Exam.id == ExamAssignment.exam_id)
        .join(Unit, Unit.id == ExamAssignment.unit_id)
        .where(
            Exam.retake_round == 0,
            ExamAssignment.flagged,  # as ix_exam_assignments_outstanding says it
            ExamAssignment.cleared_at.is_(None),
            Unit.path.startswith(unit.path),
        )
    )


def _latest_makeup_done(roots: list[ExamAssignment]) -> dict:
    """{(root exam id, user id): make-up done} of the latest flagged round of each chain."""
    if not roots:
        return {}
    user_ids = {a.user_id for a in roots}
    root_ids = {a.exam_id for a in roots}
    rows = db.session.execute(
        sa.select(
            sa.func.coalesce(Exam.root_exam_id, Exam.id),
            ExamAssignment.user_id,
            Exam.retake_round,
            ExamAssignment.makeup_done_at,
        )
        .join(ExamAssignment, ExamAssignment.exam_id == Exam.id)
        .where(
            sa.or_(Exam.id.in_(root_ids), Exam.root_exam_id.in_(root_ids)),
            ExamAssignment.user_id.in_(user_ids),
            ExamAssignment.flagged.is_(True),
        )
        .order_by(Exam.retake_round)
    ).all()
    done = {}
    for root_id, user_id, _round, makeup_done_at in rows:
        done[(root_id, user_id)] = makeup_done_at is not None  # the last round flagged wins
    return done
