"""Daily study check-ins (每日学习打卡) and the day's study minutes.

Rules:
- one check-in per officer per local calendar day (UNIQUE(user_id, day) holds it in the database);
- never for a day before the account existed;
- a check-in may be changed until the end of the day it was made; an earlier day may be filled in
  up to STUDY_BACKFILL_DAYS back, and is then marked late; never a future day;
- minutes 1..1440, a method (集中学习, 自学, 线上), readings that apply to the officer, and notes of
  at least STUDY_NOTES_MIN_LENGTH characters (blanks not counted).

A day's study minutes (what the calendar, the overviews, the reports and the warnings use):
    attended = minutes credited for the sessions that day (by their local start day) the officer
               attended (present or late): from their sign-in to the end, once the session is
               closed;
    if the check-in's method is 集中学习, its minutes are taken to include those sessions, so the
    day counts max(reported, attended); otherwise (自学, 线上, or no check-in: reported = 0) the
    day counts reported + attended.
So a session is never counted twice, and attending counts even on a day without a check-in.
"""

from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts.models import Role, Unit, User
from core import clock
from core.errors import Conflict, ValidationFailed
from core.events import emit
from core.extensions import db
from study.models import Attendance, AttendanceStatus, CheckIn, Reading, StudyMethod, StudySession
from study.readings import ancestor_ids
from study.rows import insert_once
from study.settings import setting

MAX_READINGS = 50


def _clean(user: User, minutes, method, reading_ids, notes) -> tuple[int, StudyMethod, list, str]:
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise ValidationFailed(_l("Minutes must be a whole number."), field="minutes") from None
    if not 1 <= minutes <= 1440:
        raise ValidationFailed(_l("Minutes must be between 1 and 1440."), field="minutes")
    try:
        method = StudyMethod(method)
    except ValueError:
        raise ValidationFailed(_l("Choose how you studied."), field="method") from None
    notes = (notes or "").strip()
    shortest = setting("STUDY_NOTES_MIN_LENGTH")
    if len("".join(notes.split())) < shortest:
        raise ValidationFailed(
            _l("Your study notes need at least %(count)d characters.", count=shortest), field="notes"
        )
    if len(notes) > 5000:
        raise ValidationFailed(_l("Your study notes are longer than 5000 characters."), field="notes")
    try:
        ids = sorted({int(i) for i in (reading_ids or [])})
    except (TypeError, ValueError):
        raise ValidationFailed(_l("Choose readings from the list."), field="readings") from None
    if len(ids) > MAX_READINGS:
        raise ValidationFailed(_l("Choose readings from the list."), field="readings")
    if ids:
        known = set(
            db.session.scalars(
                sa.select(Reading.id).where(
                    Reading.id.in_(ids), Reading.active, Reading.unit_id.in_(ancestor_ids(user.unit))
                )
            )
        )
        if known != set(ids):
            raise ValidationFailed(_l("Choose readings from the list."), field="readings")
    return minutes, method, ids, notes


def save_checkin(user: User, *, day: date, minutes, method, reading_ids=(), notes, now) -> CheckIn:
    """Create or change `user`'s check-in for `day` (rules in the module docstring).

    Raises ValidationFailed (bad values, future day, too far back) or Conflict (a check-in made
    on an earlier day can no longer be changed)."""
    today = clock.local(now).date()
    if day > today:
        raise ValidationFailed(_l("You cannot check in for a day that has not come yet."), field="day")
    backfill = setting("STUDY_BACKFILL_DAYS")
    if day < today - timedelta(days=backfill):
        raise ValidationFailed(
            _l("A missed check-in can be filled in only up to %(days)d days back.", days=backfill), field="day"
        )
    if day < clock.local(user.created_at).date():
        raise ValidationFailed(_l("You cannot check in for a day before your account existed."), field="day")
    minutes, method, ids, notes = _clean(user, minutes, method, reading_ids, notes)
    checkin = db.session.scalar(sa.select(CheckIn).filter_by(user_id=user.id, day=day))
    if checkin is None:
        fresh = CheckIn(
            user_id=user.id,
            day=day,
            late=day < today,
            created_at=now,
            updated_at=now,
            minutes=minutes,
            method=method,
            reading_ids=ids,
            notes=notes,
        )
        if insert_once(fresh):
            emit("study_days_changed", pairs=[(user.id, day)], unit_days=[], now=now)
            return fresh
        # A second tab or a double tap created it a moment ago: this save changes that one.
        checkin = db.session.scalar(sa.select(CheckIn).filter_by(user_id=user.id, day=day))
    if clock.local(checkin.created_at).date() != today:
        raise Conflict(_l("A check-in can only be changed on the day it was made."), field="day")
    checkin.minutes, checkin.method, checkin.reading_ids, checkin.notes = minutes, method, ids, notes
    checkin.updated_at = now
    db.session.flush()
    emit("study_days_changed", pairs=[(user.id, day)], unit_days=[], now=now)
    return checkin


def is_editable(checkin: CheckIn | None, now) -> bool:
    return checkin is None or clock.local(checkin.created_at).date() == clock.local(now).date()


def checkins_between(user_ids, from_day: date, to_day: date) -> list[CheckIn]:
    return db.session.scalars(
        sa.select(CheckIn)
        .where(CheckIn.user_id.in_(list(user_ids)), CheckIn.day >= from_day, CheckIn.day <= to_day)
        .order_by(CheckIn.day)
    ).all()


def session_credit(starts_at, ends_at, signed_in_at) -> int:
    """Minutes a session counts for someone present: from their sign-in (or the start, if they
    signed in before it) to the end. A late arrival counts the time they were there."""
    came = max(starts_at, signed_in_at) if signed_in_at is not None else starts_at
    return max(0, int((ends_at - came).total_seconds() // 60))


def attended_minutes(user_ids, from_day: date, to_day: date) -> dict[tuple[int, date], int]:
    """{(user id, local day): minutes credited for the sessions attended (present or late) that
    day}, for `user_ids` (None: everyone). Credit is granted when the session has ended and
    been closed (study.sessions): until then nobody knows who stayed."""
    start, _ = clock.day_bounds(from_day)
    _, end = clock.day_bounds(to_day)
    query = (
        sa.select(Attendance.user_id, Attendance.signed_in_at, StudySession.starts_at, StudySession.ends_at)
        .join(StudySession, Attendance.session_id == StudySession.id)
        .where(
            Attendance.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.LATE]),
            StudySession.closed_at.is_not(None),
            StudySession.starts_at >= start,
            StudySession.starts_at < end,
        )
    )
    if user_ids is not None:
        query = query.where(Attendance.user_id.in_(list(user_ids)))
    rows = db.session.execute(query)
    result: dict[tuple[int, date], int] = defaultdict(int)
    for user_id, signed_in_at, starts_at, ends_at in rows:
        result[(user_id, clock.local(starts_at).date())] += session_credit(starts_at, ends_at, signed_in_at)
    return dict(result)


def combine(checkin: CheckIn | None, attended: int) -> int:
    """A day's study minutes from its check-in and attended session minutes (module docstring)."""
    reported = checkin.minutes if checkin is not None else 0
    if checkin is not None and checkin.method == StudyMethod.CENTRALIZED:
        return max(reported, attended)
    return reported + attended


def daily_minutes(user_ids, from_day: date, to_day: date) -> dict[tuple[int, date], int]:
    """{(user id, day): study minutes} for every day with a check-in or an attended session."""
    user_ids = list(user_ids)
    checkins = {(c.user_id, c.day): c for c in checkins_between(user_ids, from_day, to_day)}
    attended = attended_minutes(user_ids, from_day, to_day)
    return {key: combine(checkins.get(key), attended.get(key, 0)) for key in set(checkins) | set(attended)}


def streak(user: User, today: date) -> int:
    """Days in a row with a check-in, ending today (or yesterday, while today is still open)."""
    days = set(
        db.session.scalars(
            sa.select(CheckIn.day).where(CheckIn.user_id == user.id, CheckIn.day >= today - timedelta(days=400))
        )
    )
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def month_calendar(user: User, year: int, month: int, today: date) -> dict:
    """The month as weeks (Monday first) of cells: day, in month, minutes, check-in, level
    ('met' the target, 'partial', 'missed', 'future'), plus the month's totals."""
    first = date(year, month, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    grid_start = first - timedelta(days=first.weekday())
    grid_end = last + timedelta(days=6 - last.weekday())
    target = setting("STUDY_DAILY_TARGET_MINUTES")
    minutes = daily_minutes([user.id], grid_start, grid_end)
    checkins = {c.day: c for c in checkins_between([user.id], grid_start, grid_end)}
    weeks, day = [], grid_start
    while day <= grid_end:
        week = []
        for _ in range(7):
            total = minutes.get((user.id, day), 0)
            if day > today:
                level = "future"
            elif total >= target:
                level = "met"
            elif total > 0:
                level = "partial"
            else:
                level = "missed"
            week.append(
                {
                    "day": day,
                    "in_month": day.month == month,
                    "minutes": total,
                    "checkin": checkins.get(day),
                    "level": level,
                    "today": day == today,
                }
            )
            day += timedelta(days=1)
        weeks.append(week)
    in_month = [cell for week in weeks for cell in week if cell["in_month"] and cell["day"] <= today]
    return {
        "first": first,
        "weeks": weeks,
        "target": target,
        "days_checked_in": sum(1 for c in in_month if c["checkin"]),
        "days_met": sum(1 for c in in_month if c["level"] == "met"),
        "minutes": sum(c["minutes"] for c in in_month),
    }


def audience(actor: User, unit: Unit) -> sa.Select:
    """Active officers of `unit`'s subtree (the caller has checked the unit is in scope)."""
    return (
        sa.select(User)
        .join(Unit, User.unit_id == Unit.id)
        .where(User.active, User.role == Role.OFFICER, Unit.path.startswith(unit.path))
    )


def overview_rows(people: list[User], from_day: date, to_day: date) -> list[dict]:
    """Per officer over [from_day, to_day]: check-ins made, late ones, study minutes, days at target."""
    ids = [p.id for p in people]
    checkins = defaultdict(list)
    for checkin in checkins_between(ids, from_day, to_day):
        checkins[checkin.user_id].append(checkin)
    minutes = daily_minutes(ids, from_day, to_day)
    target = setting("STUDY_DAILY_TARGET_MINUTES")
    rows = []
    for person in people:
        own = {key[1]: value for key, value in minutes.items() if key[0] == person.id}
        rows.append(
            {
                "person": person,
                "checkins": checkins[person.id],
                "late": sum(1 for c in checkins[person.id] if c.late),
                "minutes": sum(own.values()),
                "days_met": sum(1 for value in own.values() if value >= target),
            }
        )
    return rows


def checkin_rate(actor: User, unit: Unit, first: date, last: date | None = None) -> tuple[int, int]:
    """(officers who checked in at least once between two days, active officers) in `unit`'s subtree."""
    people = audience(actor, unit).with_only_columns(User.id).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(people))
    done = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(CheckIn.user_id))).where(
            CheckIn.day >= first, CheckIn.day <= (last or first), CheckIn.user_id.in_(sa.select(people.c.id))
        )
    )
    return done, total


def record_history(entries, now) -> int:
    """Bulk-record past check-ins (the demo, or moving a paper register in): dicts with user_id,
    day, minutes, method, notes, reading_ids, late and created_at. The same value rules as
    save_checkin apply (minutes 1..1440, a known method, non-empty notes); the edit window does
    not, since these are history. Days already checked in are skipped. Returns rows written."""
    rows = []
    for entry in entries:
        minutes = int(entry["minutes"])
        if not 1 <= minutes <= 1440 or not (entry.get("notes") or "").strip():
            raise ValidationFailed(_l("Minutes must be between 1 and 1440."), field="minutes")
        rows.append(
            {
                "user_id": entry["user_id"],
                "day": entry["day"],
                "minutes": minutes,
                "method": StudyMethod(entry["method"]),
                "notes": entry["notes"].strip(),
                "reading_ids": list(entry.get("reading_ids") or []),
                "late": bool(entry.get("late")),
                "created_at": entry.get("created_at") or now,
                "updated_at": entry.get("created_at") or now,
            }
        )
    if not rows:
        return 0
    days = {(r["user_id"], r["day"]) for r in rows}
    taken = set(
        db.session.execute(
            sa.select(CheckIn.user_id, CheckIn.day).where(
                CheckIn.user_id.in_({u for u, _ in days}),
                CheckIn.day >= min(d for _, d in days),
                CheckIn.day <= max(d for _, d in days),
            )
        ).tuples()
    )
    fresh = [r for r in rows if (r["user_id"], r["day"]) not in taken]
    if fresh:
        db.session.execute(sa.insert(CheckIn), fresh)
        emit("study_days_changed", pairs=[(r["user_id"], r["day"]) for r in fresh], unit_days=[], now=now)
    return len(fresh)
