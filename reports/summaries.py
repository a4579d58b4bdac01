"""The summary tables (reports.models) behind the board, the exports, the JSON and the bulletins:
the one place the figures of tests and study are defined, and kept current.

A summary row is recomputed, whole, in the same transaction as the change it reflects: quiz and
study announce their changes (core.events: exam_results_changed, study_days_changed,
people_changed) and the handlers here recompute the rows concerned. Concurrent recomputes of one
row are ordered by a row lock (PostgreSQL; SQLite serialises writers anyway), so the last one
sees every committed change. refresh_summaries (the 5-minute job) and rebuild_all repair
anything missed; both recompute from the source tables, so running them again changes nothing.

Figures of one round-0 exam for the officers assigned from one unit (their unit at publish):
  assigned; took (handed in: a finished attempt); passed_first; passed_after (passed, or passed
  a retake: the chain cleared); failed; absent (缺考); outstanding (flagged, not cleared);
  scored, score_sum, percent_sum (for the average).
Figures of one unit's study in one local ISO week, for the people who belonged to it on each day
(accounts.membership): checkin_days; minutes (each day as study.checkins counts it: check-in
and session credit); attendance at sessions that started that week (expected once settled,
attended = present or late, on_leave, absent); sessions_held (the unit's own, closed). Officer-
days (the check-in rate's denominator) come from the memberships directly (reports.roster).
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from accounts.models import UnitMembership, User
from core import clock
from core.extensions import db
from quiz.models import AssignmentStatus, Exam, ExamAssignment
from reports.models import ExamUnitSummary, ReportState, StudyUnitWeek
from study.checkins import attended_minutes, combine
from study.models import Attendance, AttendanceStatus, CheckIn, StudySession

# Rows committed a little after the last run may carry an earlier updated_at; look back this far.
OVERLAP = timedelta(minutes=10)
TOOK = (AssignmentStatus.SUBMITTED, AssignmentStatus.PASSED, AssignmentStatus.FAILED)
EXAM_FIGURES = ("assigned", "took", "passed_first", "passed_after", "failed", "absent", "outstanding", "scored")
CHUNK = 500  # rows per statement when many are written at once
WEEKS_AT_ONCE = 4  # a rebuild reads a city's check-ins a few weeks at a time
STUDY_FIGURES = ("checkin_days", "minutes", "attendance_expected", "attended", "on_leave", "absent", "sessions_held")


def _count_if(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def exam_week_start(exam: Exam) -> date:
    return clock.week_start(clock.local(exam.opens_at).date())


def root_of(exam_id: int) -> Exam | None:
    exam = db.session.get(Exam, exam_id)
    if exam is not None and exam.retake_round:
        return db.session.get(Exam, exam.root_exam_id) if exam.root_exam_id else None
    return exam


# ---- the figures ---------------------------------------------------------------------------------


def exam_unit_values(exam: Exam, unit_ids=None, *, by_person: bool = False, user_ids=None) -> dict:
    """{unit_id: figures} of `exam`'s assignments (any round), by the unit at publish. With
    `by_person`, {(unit_id, user_id): figures}: the appraisal's per-officer rows (appraisal.figures),
    which add up to the unit's; `user_ids` keeps only those people."""
    a = ExamAssignment
    key_columns = (a.unit_id, a.user_id) if by_person else (a.unit_id,)
    width = len(key_columns)
    query = (
        sa.select(
            *key_columns,
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
        .group_by(*key_columns)
    )
    if unit_ids is not None:
        query = query.where(a.unit_id.in_(list(unit_ids)))
    if user_ids is not None:
        query = query.where(a.user_id.in_(list(user_ids)))
    total = exam.total_points or 1
    values = {}
    for row in db.session.execute(query):
        figures = dict(zip(EXAM_FIGURES, (int(v) for v in row[width : width + 8]), strict=True))
        figures["score_sum"] = float(row[width + 8])
        figures["percent_sum"] = float(row[width + 8]) * 100 / total
        values[tuple(row[:width]) if by_person else row[0]] = figures
    return values


def study_week_values(mondays, unit_ids=None, *, by_person: bool = False, user_ids=None) -> dict[tuple, dict]:
    """{(unit_id, monday): figures} of the weeks starting `mondays`, for `unit_ids` (None: all).
    With `by_person`, {(unit_id, monday, user_id): figures}: the appraisal's per-officer rows,
    which add up to the unit's (sessions_held, a unit's own figure, stays 0 in them); `user_ids`
    keeps only those people."""
    mondays = sorted(set(mondays))
    if not mondays:
        return {}
    first, last = mondays[0], mondays[-1] + timedelta(days=6)
    weeks = set(mondays)
    units = None if unit_ids is None else set(unit_ids)
    rows: dict = defaultdict(lambda: dict.fromkeys(STUDY_FIGURES, 0))

    membership_query = (
        sa.select(UnitMembership.user_id, UnitMembership.unit_id, UnitMembership.first_day, UnitMembership.end_day)
        .where(
            UnitMembership.first_day <= last, sa.or_(UnitMembership.end_day.is_(None), UnitMembership.end_day > first)
        )
        .order_by(UnitMembership.user_id, UnitMembership.first_day)
    )
    if units is not None:
        membership_query = membership_query.where(UnitMembership.unit_id.in_(units))
    if user_ids is not None:
        membership_query = membership_query.where(UnitMembership.user_id.in_(list(user_ids)))
    memberships = db.session.execute(membership_query).all()
    spans = defaultdict(list)  # user_id -> [(first_day, end_day, unit_id)]
    for user_id, unit_id, first_day, end_day in memberships:
        spans[user_id].append((first_day, end_day, unit_id))

    def unit_on(user_id, day):
        for first_day, end_day, unit_id in spans.get(user_id, ()):
            if first_day <= day and (end_day is None or day < end_day):
                return unit_id
        return None

    def week_of(day):
        monday = clock.week_start(day)
        return monday if monday in weeks else None

    def key(unit_id, monday, user_id):
        return (unit_id, monday, user_id) if by_person else (unit_id, monday)

    people = list(spans) if units is not None or user_ids is not None else None
    checkin_query = sa.select(CheckIn.user_id, CheckIn.day, CheckIn.minutes, CheckIn.method).where(
        CheckIn.day.between(first, last)
    )
    if people is not None:
        checkin_query = checkin_query.where(CheckIn.user_id.in_(people))
    checkins = {(c.user_id, c.day): c for c in db.session.execute(checkin_query)}
    credits = attended_minutes(people, first, last)
    for user_id, day in set(checkins) | set(credits):
        unit_id, monday = unit_on(user_id, day), week_of(day)
        if unit_id is None or monday is None:
            continue
        row = rows[key(unit_id, monday, user_id)]
        if (user_id, day) in checkins:
            row["checkin_days"] += 1
        row["minutes"] += combine(checkins.get((user_id, day)), credits.get((user_id, day), 0))

    start, end = clock.local_datetime(first, datetime.min.time()), clock.local_datetime(last, datetime.min.time())
    attendance = (
        sa.select(Attendance.user_id, Attendance.status, StudySession.starts_at)
        .join(StudySession, StudySession.id == Attendance.session_id)
        .where(
            StudySession.starts_at >= start,
            StudySession.starts_at < end + timedelta(days=1),
            Attendance.status != AttendanceStatus.PENDING,
        )
    )
    if people is not None:
        attendance = attendance.where(Attendance.user_id.in_(people))
    for user_id, status, starts_at in db.session.execute(attendance):
        day = clock.local(starts_at).date()
        unit_id, monday = unit_on(user_id, day), week_of(day)
        if unit_id is None or monday is None:
            continue
        row = rows[key(unit_id, monday, user_id)]
        row["attendance_expected"] += 1
        if status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
            row["attended"] += 1
        elif status == AttendanceStatus.LEAVE:
            row["on_leave"] += 1
        elif status == AttendanceStatus.ABSENT:
            row["absent"] += 1

    held = sa.select(StudySession.unit_id, StudySession.starts_at).where(
        StudySession.closed_at.is_not(None),
        StudySession.starts_at >= start,
        StudySession.starts_at < end + timedelta(days=1),
    )
    if units is not None:
        held = held.where(StudySession.unit_id.in_(units))
    for unit_id, starts_at in db.session.execute(held):
        monday = week_of(clock.local(starts_at).date())
        if monday is not None and not by_person:
            rows[(unit_id, monday)]["sessions_held"] += 1
    return {key: value for key, value in rows.items() if units is None or key[0] in units}


# ---- keeping the rows --------------------------------------------------------------------------


def _insert(model):
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def _store(model, keys: list[tuple], key_names: tuple, values: dict, extra: dict) -> int:
    """Write `values` ({key: figures}) into the rows of `keys` (missing figures: zeros), creating
    rows as needed, each under a row lock taken in key order. Returns the rows written."""
    keys = sorted(set(keys))
    columns = [getattr(model, name) for name in key_names]
    figures = [c.name for c in model.__table__.columns if c.name not in (*key_names, "revision", "week_start")]
    postgres = db.session.get_bind().dialect.name == "postgresql"
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        db.session.execute(
            _insert(model)
            .values([{**dict(zip(key_names, key, strict=True)), **extra.get(key, {})} for key in chunk])
            .on_conflict_do_nothing()
        )
        locked = sa.select(*columns).where(sa.tuple_(*columns).in_(chunk)).order_by(*columns)
        db.session.execute(locked.with_for_update() if postgres else locked).all()
        table = model.__table__  # Core, not ORM: an executemany with our own WHERE
        db.session.execute(
            sa.update(table)
            .where(*[table.c[name] == sa.bindparam(f"key_{name}") for name in key_names])
            .values(**{name: sa.bindparam(f"new_{name}") for name in figures}, revision=table.c.revision + 1),
            [
                {
                    **{f"key_{name}": value for name, value in zip(key_names, key, strict=True)},
                    **{f"new_{name}": values.get(key, {}).get(name, 0) for name in figures},
                }
                for key in chunk
            ],
        )
    return len(keys)


def refresh_exam_units(exam_id: int, unit_ids=None) -> int:
    """Recompute the rows of the round-0 exam behind `exam_id` (itself or a retake of it) for
    `unit_ids` (None: every unit it has). The caller commits."""
    root = root_of(exam_id)
    if root is None:
        return 0
    if unit_ids is None:
        unit_ids = set(db.session.scalars(sa.select(ExamAssignment.unit_id).where(ExamAssignment.exam_id == root.id)))
        unit_ids |= set(
            db.session.scalars(sa.select(ExamUnitSummary.unit_id).where(ExamUnitSummary.exam_id == root.id))
        )
    values = {(root.id, unit_id): v for unit_id, v in exam_unit_values(root, unit_ids).items()}
    week = exam_week_start(root)
    keys = [(root.id, unit_id) for unit_id in unit_ids]
    return _store(ExamUnitSummary, keys, ("exam_id", "unit_id"), values, {key: {"week_start": week} for key in keys})


def refresh_exam_summaries(exam_id: int) -> int:
    return refresh_exam_units(exam_id)


def refresh_study_units(unit_weeks) -> int:
    """Recompute the study rows of these (unit_id, monday) pairs. The caller commits."""
    unit_weeks = sorted(set(unit_weeks))
    if not unit_weeks:
        return 0
    values = study_week_values({monday for _, monday in unit_weeks}, {unit_id for unit_id, _ in unit_weeks})
    return _store(StudyUnitWeek, unit_weeks, ("unit_id", "week_start"), values, {})


def refresh_study_weeks(mondays) -> int:
    """Recompute every unit's study rows of the weeks starting `mondays`. The caller commits."""
    mondays = sorted(set(mondays))
    written = 0
    for start in range(0, len(mondays), WEEKS_AT_ONCE):
        batch = mondays[start : start + WEEKS_AT_ONCE]
        values = study_week_values(batch)
        existing = db.session.execute(
            sa.select(StudyUnitWeek.unit_id, StudyUnitWeek.week_start).where(StudyUnitWeek.week_start.in_(batch))
        ).tuples()
        written += _store(StudyUnitWeek, list(set(values) | set(existing)), ("unit_id", "week_start"), values, {})
    return written


# ---- event handlers (core.events) ----------------------------------------------------------------


def on_exam_results_changed(exam_id, unit_ids) -> dict:
    return {"summary_rows": refresh_exam_units(exam_id, set(unit_ids))}


def on_study_days_changed(pairs, unit_days, now) -> dict:
    """The study rows of the unit each person belonged to on each day, and of the units named."""
    pairs = list(pairs)
    wanted = {(unit_id, clock.week_start(day)) for unit_id, day in unit_days}
    if pairs:
        spans = defaultdict(list)
        for user_id, unit_id, first_day, end_day in db.session.execute(
            sa.select(
                UnitMembership.user_id, UnitMembership.unit_id, UnitMembership.first_day, UnitMembership.end_day
            ).where(
                UnitMembership.user_id.in_({user_id for user_id, _ in pairs}),
                UnitMembership.first_day <= max(day for _, day in pairs),
            )
        ):
            spans[user_id].append((unit_id, first_day, end_day))
        for user_id, day in pairs:
            for unit_id, first_day, end_day in spans[user_id]:
                if first_day <= day and (end_day is None or day < end_day):
                    wanted.add((unit_id, clock.week_start(day)))
    return {"summary_rows": refresh_study_units(wanted)}


def on_people_changed(users, now) -> dict:
    """A move, a new officer or a departure changes who counts from today: this week's rows of
    every unit these people belonged to this week, each recomputed once."""
    monday = clock.week_start(clock.local(now).date())
    units = db.session.scalars(
        sa.select(UnitMembership.unit_id)
        .where(
            UnitMembership.user_id.in_([user.id for user in users]),
            sa.or_(UnitMembership.end_day.is_(None), UnitMembership.end_day >= monday),
        )
        .distinct()
    ).all()
    return {"summary_rows": refresh_study_units({(unit_id, monday) for unit_id in units})}


# ---- repair: the scheduled job and a rebuild ---------------------------------------------------


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
    db.session.execute(sa.delete(ExamUnitSummary))
    db.session.execute(sa.delete(StudyUnitWeek))
    count = 0
    for exam_id in db.session.scalars(sa.select(Exam.id).where(Exam.retake_round == 0)):
        count += refresh_exam_units(exam_id)
    today = clock.local(now).date()
    first_day = db.session.scalar(sa.select(sa.func.min(CheckIn.day)))
    first_session = db.session.scalar(sa.select(sa.func.min(StudySession.starts_at)))
    firsts = [d for d in (first_day, first_session and clock.local(first_session).date()) if d]
    monday = clock.week_start(min(firsts)) if firsts else clock.week_start(today)
    mondays = []
    while monday <= today:
        mondays.append(monday)
        monday += timedelta(days=7)
    count += refresh_study_weeks(mondays)
    _set_state("changes_seen", now)
    return count


def refresh_summaries(now: datetime) -> int:
    """Scheduled repair: recompute the rows of whatever changed since the last run (the changes
    themselves recompute their rows at once; this catches anything written around them). Returns
    how many exams and weeks were recomputed (0 when nothing changed). Flushes; the job runner
    commits."""
    seen = _state("changes_seen")
    if seen is None:
        rebuild_all(now)
        return 1
    since = seen.value - OVERLAP
    # No DISTINCT in SQL: it tempts the planner to walk another index instead of the updated_at range.
    changed = sa.select(ExamAssignment.exam_id).where(ExamAssignment.updated_at > since)
    closed = sa.select(Exam.id).where(Exam.closed_at > since)
    roots = set()
    exam_ids = set(db.session.scalars(changed)) | set(db.session.scalars(closed))
    if exam_ids:
        for exam_id, round_, root in db.session.execute(
            sa.select(Exam.id, Exam.retake_round, Exam.root_exam_id).where(Exam.id.in_(exam_ids))
        ):
            roots.add(root if round_ and root else exam_id)
    for exam_id in sorted(roots):
        refresh_exam_units(exam_id)

    days = set(db.session.scalars(sa.select(CheckIn.day).where(CheckIn.updated_at > since)))
    starts = db.session.scalars(
        sa.select(StudySession.starts_at)
        .join(Attendance, Attendance.session_id == StudySession.id)
        .where(Attendance.updated_at > since)
    )
    days |= {clock.local(s).date() for s in starts}
    moved = db.session.scalar(sa.select(sa.func.count()).where(User.updated_at > since))
    if moved:
        days.add(clock.local(now).date())
    weeks = sorted({clock.week_start(d) for d in days})
    refresh_study_weeks(weeks)
    _set_state("changes_seen", now)
    db.session.flush()
    return len(roots) + len(weeks)
