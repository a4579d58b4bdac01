"""The appraisal's figures per officer and unit they belonged to, over a run of whole weeks.

The tests and study figures are the board's own, derived once in reports.summaries
(exam_unit_values and study_week_values with by_person=True): a test counts in the unit the
officer was assigned from (their unit at publish), in the week it opened; a day of study in the
unit they belonged to that day. So an officer who moved has one row per unit, and the rows of a
unit add up to the board's figures for its own staff. Beside them: the officer-days they
belonged (the daily target's denominator), required readings done and spot-check ratings.
"""

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, time, timedelta

import sqlalchemy as sa

from accounts.models import Unit, UnitMembership
from core import clock
from core.extensions import db
from quiz.models import Exam, ExamAssignment
from reports.summaries import exam_unit_values, study_week_values
from study.models import CheckIn, Reading, ReadingProgress, SpotCheckItem, SpotCheckResult
from study.settings import setting

WEEKS_AT_ONCE = 4  # study is read a few weeks at a time (a city's check-ins of a year are many)


def _share(part, whole):
    return part / whole if whole else None


@dataclass
class Figures:
    """One appraisal row's counts (an officer in a unit, a unit's officers, or a total)."""

    assigned: int = 0
    took: int = 0
    passed_first: int = 0
    passed_after: int = 0
    failed: int = 0
    absent: int = 0
    outstanding: int = 0
    scored: int = 0
    percent_sum: float = 0.0
    member_days: int = 0
    checkin_days: int = 0
    minutes: int = 0
    target_minutes: int = 0
    attendance_expected: int = 0
    attended: int = 0
    on_leave: int = 0
    session_absent: int = 0
    readings_required: int = 0
    readings_done: int = 0
    spot_checked: int = 0
    spot_qualified: int = 0
    spot_unqualified: int = 0

    def add(self, other: "Figures") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def passed_after_retake(self):
        """Passed only through a retake (补考过关)."""
        return self.passed_after - self.passed_first

    @property
    def participation(self):
        return _share(self.took, self.assigned)

    @property
    def pass_rate_first(self):
        return _share(self.passed_first, self.assigned)

    @property
    def pass_rate_after(self):
        return _share(self.passed_after, self.assigned)

    @property
    def average_score(self):
        return round(self.percent_sum / self.scored, 1) if self.scored else None

    @property
    def study_rate(self):
        """Minutes studied against the daily target over the days belonged, at most 1."""
        share = _share(self.minutes, self.target_minutes)
        return None if share is None else min(share, 1.0)

    @property
    def checkin_rate(self):
        return _share(self.checkin_days, self.member_days)

    @property
    def attendance_rate(self):
        return _share(self.attended, self.attendance_expected)

    @property
    def readings_rate(self):
        return _share(self.readings_done, self.readings_required)

    @property
    def spot_check_rate(self):
        return _share(self.spot_qualified, self.spot_checked)


EXAM_NAMES = ("assigned", "took", "passed_first", "passed_after", "failed", "absent", "outstanding", "scored")
STUDY_NAMES = (("checkin_days", "checkin_days"), ("minutes", "minutes"), ("attendance_expected", "attendance_expected"),
               ("attended", "attended"), ("on_leave", "on_leave"), ("absent", "session_absent"))  # fmt: skip


def period_exams(unit_ids, first_week: date, last_week: date) -> list[Exam]:
    """The round-0 tests that opened in the weeks (local) with officers assigned from `unit_ids`."""
    start = clock.local_datetime(first_week, time(0))
    end = clock.local_datetime(last_week + timedelta(days=7), time(0))
    assigned_here = sa.select(ExamAssignment.exam_id).where(ExamAssignment.unit_id.in_(list(unit_ids)))
    return db.session.scalars(
        sa.select(Exam)
        .where(Exam.retake_round == 0, Exam.opens_at >= start, Exam.opens_at < end, Exam.id.in_(assigned_here))
        .order_by(Exam.opens_at)
    ).all()


def officer_figures(
    unit: Unit, first_week: date, last_week: date, today: date, *, user_ids=None
) -> dict[tuple[int, int], Figures]:
    """{(unit_id, user_id): Figures} of everyone who belonged to `unit`'s subtree in the weeks
    first_week..last_week (Mondays), or had a test there, with days counted up to `today`.
    `user_ids` keeps only those people (the personal record)."""
    units = dict(db.session.execute(sa.select(Unit.id, Unit.path).where(Unit.path.startswith(unit.path))).all())
    rows: dict = defaultdict(Figures)
    for exam in period_exams(units, first_week, last_week):
        for key, values in exam_unit_values(exam, units, by_person=True, user_ids=user_ids).items():
            figures = rows[key]
            for name in EXAM_NAMES:
                setattr(figures, name, getattr(figures, name) + values[name])
            figures.percent_sum += values["percent_sum"]

    mondays = [first_week + timedelta(weeks=i) for i in range((last_week - first_week).days // 7 + 1)]
    for start in range(0, len(mondays), WEEKS_AT_ONCE):
        batch = mondays[start : start + WEEKS_AT_ONCE]
        for (unit_id, _monday, user_id), values in study_week_values(
            batch, units, by_person=True, user_ids=user_ids
        ).items():
            figures = rows[(unit_id, user_id)]
            for source, name in STUDY_NAMES:
                setattr(figures, name, getattr(figures, name) + values[source])

    last_day = min(last_week + timedelta(days=6), today)
    spans = _member_days(units, first_week, last_day, user_ids, rows)
    _readings(units, rows, last_day)
    _spot_checks(spans, rows, first_week, last_week + timedelta(days=6))
    return dict(rows)


def _member_days(units, first: date, last: date, user_ids, rows) -> dict:
    """Fill each row's officer-days in [first, last]; returns {user_id: [(first, end, unit)]}."""
    spans = defaultdict(list)
    if last < first:
        return spans
    query = sa.select(
        UnitMembership.user_id, UnitMembership.unit_id, UnitMembership.first_day, UnitMembership.end_day
    ).where(
        UnitMembership.unit_id.in_(list(units)),
        UnitMembership.first_day <= last,
        sa.or_(UnitMembership.end_day.is_(None), UnitMembership.end_day > first),
    )
    if user_ids is not None:
        query = query.where(UnitMembership.user_id.in_(list(user_ids)))
    for user_id, unit_id, first_day, end_day in db.session.execute(query):
        spans[user_id].append((first_day, end_day, unit_id))
        stop = min(end_day, last + timedelta(days=1)) if end_day else last + timedelta(days=1)
        days = (stop - max(first_day, first)).days
        if days > 0:
            rows[(unit_id, user_id)].member_days += days
    target = int(setting("STUDY_DAILY_TARGET_MINUTES"))
    for figures in rows.values():
        figures.target_minutes = figures.member_days * target
    return spans


def _readings(units: dict, rows, last_day: date) -> None:
    """Each row's required readings (active ones set for its unit or above) and how many of them
    the officer had read by the end of the period."""
    if not rows:
        return
    required = defaultdict(set)  # unit id -> ids of readings that apply there
    readings = db.session.execute(
        sa.select(Reading.id, Reading.unit_id).where(Reading.active, Reading.required.is_(True))
    ).all()
    for unit_id, path in units.items():
        above = {int(part) for part in path.strip("/").split("/") if part}
        required[unit_id] = {reading_id for reading_id, set_by in readings if set_by in above}
    end = clock.local_datetime(last_day + timedelta(days=1), time(0))
    read = defaultdict(set)
    for user_id, reading_id in db.session.execute(
        sa.select(ReadingProgress.user_id, ReadingProgress.reading_id).where(
            ReadingProgress.user_id.in_({user_id for _unit, user_id in rows}), ReadingProgress.read_at < end
        )
    ):
        read[user_id].add(reading_id)
    for (unit_id, user_id), figures in rows.items():
        figures.readings_required = len(required[unit_id])
        figures.readings_done = len(required[unit_id] & read[user_id])


def _spot_checks(spans: dict, rows, first: date, last: date) -> None:
    """Each row's notes rated at spot-checks: the check-ins of the period, by the unit that day."""
    if not spans:
        return
    for user_id, day, result in db.session.execute(
        sa.select(SpotCheckItem.user_id, CheckIn.day, SpotCheckItem.result)
        .join(CheckIn, CheckIn.id == SpotCheckItem.checkin_id)
        .where(
            SpotCheckItem.user_id.in_(list(spans)), SpotCheckItem.result.is_not(None), CheckIn.day.between(first, last)
        )
    ):
        unit_id = next((u for f, e, u in spans[user_id] if f <= day and (e is None or day < e)), None)
        if unit_id is None:
            continue
        figures = rows[(unit_id, user_id)]
        figures.spot_checked += 1
        if result == SpotCheckResult.QUALIFIED:
            figures.spot_qualified += 1
        else:
            figures.spot_unqualified += 1
