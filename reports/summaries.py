"""Keeping the summary tables (reports.models) up to date.

refresh_exam_summaries(exam_id): the close job calls it when an exam or one of its retakes closes.
refresh_summaries(now): the scheduled job; folds in whatever changed since its last run (exam
results, check-ins, attendance, the passing of days) and does nothing when nothing changed.
Every refresh recomputes whole rows from the source tables, so running it twice changes nothing.
"""

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from accounts.models import Role, User
from core import clock
from core.extensions import db
from quiz.models import AssignmentStatus, Exam, ExamAssignment
from reports.models import ExamUnitSummary, ReportState, StudyUnitWeek
from study.models import Attendance, AttendanceStatus, CheckIn, StudySession

# Rows committed a little after the last run may carry an earlier updated_at; look back this far.
OVERLAP = timedelta(minutes=10)
TOOK = (AssignmentStatus.IN_PROGRESS, AssignmentStatus.SUBMITTED, AssignmentStatus.PASSED, AssignmentStatus.FAILED)


def _count_if(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def exam_week_start(exam: Exam) -> date:
    return clock.week_start(clock.local(exam.opens_at).date())


def refresh_exam_summaries(exam_id: int) -> int:
    """Recompute the rows of the round-0 exam behind `exam_id` (itself or a retake of it).
    Returns the number of unit rows written. The caller commits."""
    exam = db.session.get(Exam, exam_id)
    if exam is None:
        return 0
    if exam.retake_round:
        exam = db.session.get(Exam, exam.root_exam_id) if exam.root_exam_id else None
        if exam is None:
            return 0
    db.session.execute(sa.delete(ExamUnitSummary).where(ExamUnitSummary.exam_id == exam.id))
    a = ExamAssignment
    total = exam.total_points or 1
    rows = db.session.execute(
        sa.select(
            a.unit_id,
            sa.func.count(),
            _count_if(a.status.in_(TOOK)),
            _count_if(a.passed.is_(True)),
            _count_if(sa.or_(a.passed.is_(True), a.cleared_at.is_not(None))),
            _count_if(a.status == AssignmentStatus.FAILED),
            _count_if(a.status == AssignmentStatus.ABSENT),
            _count_if(sa.and_(a.flagged.is_(True), a.cleared_at.is_(None))),
            sa.func.count(a.score),
            sa.func.coalesce(sa.func.sum(a.score), 0),
        )
        .where(a.exam_id == exam.id)
        .group_by(a.unit_id)
    ).all()
    week = exam_week_start(exam)
    values = [
        {
            "exam_id": exam.id,
            "unit_id": r[0],
            "week_start": week,
            "assigned": r[1],
            "took": r[2],
            "passed_first": r[3],
            "passed_after": r[4],
            "failed": r[5],
            "absent": r[6],
            "outstanding": r[7],
            "scored": r[8],
            "score_sum": float(r[9]),
            "percent_sum": float(r[9]) * 100 / total,
        }
        for r in rows
    ]
    if values:
        db.session.execute(sa.insert(ExamUnitSummary), values)
    return len(values)


def _days_passed(monday: date, today: date) -> int:
    return max(0, min(7, (today - monday).days + 1))


def refresh_study_week(monday: date, today: date) -> int:
    """Recompute every unit's study row for the week starting `monday`. The caller commits."""
    sunday = monday + timedelta(days=6)
    db.session.execute(sa.delete(StudyUnitWeek).where(StudyUnitWeek.week_start == monday))
    rows: dict[int, dict] = {}

    def row(unit_id):
        return rows.setdefault(
            unit_id,
            {
                "unit_id": unit_id,
                "week_start": monday,
                "officer_days": 0,
                "checkin_days": 0,
                "minutes": 0,
                "attendance_expected": 0,
                "attended": 0,
                "on_leave": 0,
                "absent": 0,
            },
        )

    days = _days_passed(monday, today)
    officers = sa.select(User.unit_id, sa.func.count()).where(User.role == Role.OFFICER, User.active.is_(True))
    for unit_id, count in db.session.execute(officers.group_by(User.unit_id)):
        row(unit_id)["officer_days"] = count * days
    checkins = (
        sa.select(User.unit_id, sa.func.count(), sa.func.coalesce(sa.func.sum(CheckIn.minutes), 0))
        .join(User, User.id == CheckIn.user_id)
        .where(CheckIn.day.between(monday, sunday), User.role == Role.OFFICER)
        .group_by(User.unit_id)
    )
    for unit_id, count, minutes in db.session.execute(checkins):
        row(unit_id).update(checkin_days=count, minutes=int(minutes))
    start = clock.local_datetime(monday, datetime.min.time())
    end = start + timedelta(days=7)
    status = Attendance.status
    attendance = (
        sa.select(
            User.unit_id,
            _count_if(status != AttendanceStatus.PENDING),
            _count_if(status.in_((AttendanceStatus.PRESENT, AttendanceStatus.LATE))),
            _count_if(status == AttendanceStatus.LEAVE),
            _count_if(status == AttendanceStatus.ABSENT),
        )
        .join(StudySession, StudySession.id == Attendance.session_id)
        .join(User, User.id == Attendance.user_id)
        .where(StudySession.starts_at >= start, StudySession.starts_at < end)
        .group_by(User.unit_id)
    )
    for unit_id, expected, attended, on_leave, absent in db.session.execute(attendance):
        row(unit_id).update(attendance_expected=expected, attended=attended, on_leave=on_leave, absent=absent)
    values = [r for r in rows.values() if any(v for k, v in r.items() if k not in ("unit_id", "week_start"))]
    if values:
        db.session.execute(sa.insert(StudyUnitWeek), values)
    return len(values)


def _state(name) -> ReportState | None:
    return db.session.get(ReportState, name)


def _set_state(name, value):
    state = _state(name)
    if state is None:
        db.session.add(ReportState(name=name, value=value))
    else:
        state.value = value


def rebuild_all(now: datetime) -> int:
    """Recompute every summary row from scratch (first run, or after a repair). The caller commits."""
    count = 0
    for exam_id in db.session.scalars(sa.select(Exam.id).where(Exam.retake_round == 0)):
        count += refresh_exam_summaries(exam_id)
    today = clock.local(now).date()
    first_day = db.session.scalar(sa.select(sa.func.min(CheckIn.day)))
    first_session = db.session.scalar(sa.select(sa.func.min(StudySession.starts_at)))
    firsts = [d for d in (first_day, first_session and clock.local(first_session).date()) if d]
    db.session.execute(sa.delete(StudyUnitWeek))
    monday = clock.week_start(min(firsts)) if firsts else clock.week_start(today)
    while monday <= today:
        count += refresh_study_week(monday, today)
        monday += timedelta(days=7)
    _set_state("changes_seen", now)
    _set_state("day_counted", clock.local_datetime(today, datetime.min.time()))
    return count


def refresh_summaries(now: datetime) -> int:
    """Fold into the summaries what changed since the last run; returns how many exams and weeks
    were recomputed (0 when nothing changed). Flushes; the caller (the job runner) commits, so a
    run is one transaction under the job's lock."""
    seen = _state("changes_seen")
    if seen is None:
        rebuild_all(now)
        return 1
    since = seen.value - OVERLAP
    today = clock.local(now).date()

    # No DISTINCT in SQL: it tempts the planner to walk another index instead of the updated_at range.
    changed = sa.select(ExamAssignment.exam_id).where(ExamAssignment.updated_at > since)
    closed = sa.select(Exam.id).where(Exam.closed_at > since)
    exam_ids = set(db.session.scalars(changed)) | set(db.session.scalars(closed))
    roots = set()
    if exam_ids:
        for exam_id, round_, root in db.session.execute(
            sa.select(Exam.id, Exam.retake_round, Exam.root_exam_id).where(Exam.id.in_(exam_ids))
        ):
            roots.add(root if round_ and root else exam_id)
    for exam_id in roots:
        refresh_exam_summaries(exam_id)

    weeks = {clock.week_start(d) for d in db.session.scalars(sa.select(CheckIn.day).where(CheckIn.updated_at > since))}
    starts = db.session.scalars(
        sa.select(StudySession.starts_at)
        .join(Attendance, Attendance.session_id == StudySession.id)
        .where(Attendance.updated_at > since)
    )
    weeks |= {clock.week_start(clock.local(s).date()) for s in starts}
    counted = _state("day_counted")
    counted_day = clock.local(counted.value).date() if counted else None
    people_changed = db.session.scalar(sa.select(sa.func.count()).where(User.updated_at > since))
    if counted_day != today or people_changed:
        # Officer-days grow each day and follow the roster: this week (and the last, if a new
        # week began since the last count) are recomputed.
        weeks.add(clock.week_start(today))
        if counted_day is not None and clock.week_start(counted_day) != clock.week_start(today):
            weeks.add(clock.week_start(counted_day))
    for monday in sorted(weeks):
        refresh_study_week(monday, today)
    _set_state("changes_seen", now)
    _set_state("day_counted", clock.local_datetime(today, datetime.min.time()))
    db.session.flush()
    return len(roots) + len(weeks)
