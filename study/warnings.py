"""Warnings (预警) for officers who fall behind, issued by a daily scheduler job.

- absent from STUDY_WARNING_ABSENCES_IN_A_ROW closed sessions in a row (their latest ones);
- last complete week's study minutes (study.checkins.daily_minutes) below
  STUDY_WARNING_WEEK_PERCENT % of the daily target times the days they were an officer that week
  (memberships: nobody is warned for days before their account).
Each warning is a StudyWarning row, unique per (officer, kind, period), plus a notice with a
dedupe key: running the job again posts nothing new.
"""

from collections import defaultdict
from datetime import timedelta

import sqlalchemy as sa

from accounts.membership import memberships_overlapping
from accounts.models import Role, Unit, User
from core import clock
from core.extensions import db
from notices.services import notify
from study.checkins import daily_minutes
from study.models import N_, Attendance, AttendanceStatus, StudySession, StudyWarning, WarningKind
from study.settings import setting

LOOK_BACK = timedelta(days=120)
TITLES = {
    WarningKind.ABSENCES: N_("Study warning: you were absent from %(count)s sessions in a row."),
    WarningKind.LOW_STUDY: N_("Study warning: you studied %(minutes)s minutes in week %(week)s, below the target."),
}


def _absence_candidates(now) -> list[tuple[int, str, dict]]:
    in_a_row = setting("STUDY_WARNING_ABSENCES_IN_A_ROW")
    rows = db.session.execute(
        sa.select(Attendance.user_id, Attendance.status, StudySession.id, StudySession.title)
        .join(StudySession, Attendance.session_id == StudySession.id)
        .join(User, Attendance.user_id == User.id)
        .where(StudySession.closed_at.is_not(None), StudySession.starts_at >= now - LOOK_BACK, User.active)
        .order_by(Attendance.user_id, StudySession.starts_at.desc(), StudySession.id.desc())
    )
    latest = defaultdict(list)
    for user_id, status, session_id, title in rows:
        if len(latest[user_id]) < in_a_row:
            latest[user_id].append((status, session_id, title))
    found = []
    for user_id, sessions in latest.items():
        if len(sessions) == in_a_row and all(status == AttendanceStatus.ABSENT for status, _, _ in sessions):
            detail = {"count": in_a_row, "sessions": [title for _, _, title in sessions]}
            found.append((user_id, f"session-{sessions[0][1]}", detail))
    return found


def _low_study_candidates(now) -> list[tuple[int, str, dict]]:
    today = clock.local(now).date()
    monday = clock.week_start(today) - timedelta(days=7)
    sunday = monday + timedelta(days=6)
    week = clock.week_key(monday)
    daily_floor = setting("STUDY_DAILY_TARGET_MINUTES") * setting("STUDY_WARNING_WEEK_PERCENT") / 100
    active = sa.select(User.id).where(User.active, User.role == Role.OFFICER)
    # The days each officer counted as one that week: nobody is held to days before their account.
    days = defaultdict(int)
    for membership in memberships_overlapping(db.session.scalars(active).all(), monday, sunday):
        first = max(membership.first_day, monday)
        end = min(membership.end_day or sunday + timedelta(days=1), sunday + timedelta(days=1))
        days[membership.user_id] += max(0, (end - first).days)
    officers = sorted(user_id for user_id, count in days.items() if count)
    totals = defaultdict(int)
    for (user_id, _day), minutes in daily_minutes(officers, monday, sunday).items():
        totals[user_id] += minutes
    return [
        (user_id, week, {"minutes": totals[user_id], "week": week})
        for user_id in officers
        if totals[user_id] < daily_floor * min(days[user_id], 7)
    ]


def issue_warnings(now) -> int:
    """Scheduler job (daily): record and notify every new warning. Returns how many were new."""
    issued = 0
    for kind, candidates in (
        (WarningKind.ABSENCES, _absence_candidates(now)),
        (WarningKind.LOW_STUDY, _low_study_candidates(now)),
    ):
        if not candidates:
            continue
        existing = set(
            db.session.execute(
                sa.select(StudyWarning.user_id, StudyWarning.period_key).where(StudyWarning.kind == kind)
            ).tuples()
        )
        for user_id, key, detail in candidates:
            if (user_id, key) in existing:
                continue
            db.session.add(StudyWarning(user_id=user_id, kind=kind, period_key=key, detail=detail, created_at=now))
            notify(
                [user_id],
                kind="study.warning",
                title=TITLES[kind],
                params={k: v for k, v in detail.items() if k in ("count", "minutes", "week")},
                link="/study/checkin",
                dedupe_key=f"study-warning:{kind.value}:{key}",
                now=now,
            )
            issued += 1
    db.session.flush()
    return issued


def warnings_for(actor) -> sa.Select:
    """Warnings of the people in the actor's scope, newest first."""
    query = (
        sa.select(StudyWarning)
        .join(User, StudyWarning.user_id == User.id)
        .join(Unit, User.unit_id == Unit.id)
        .order_by(StudyWarning.created_at.desc(), StudyWarning.id.desc())
    )
    if actor.role != Role.ADMIN:
        query = query.where(Unit.path.startswith(actor.unit.path))
    return query
