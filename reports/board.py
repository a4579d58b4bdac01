"""The progress board (挂图作战): a unit's children side by side over a run of whole weeks, and the
week-by-week trend of the subtree. Every figure is summed from the summary tables in SQL."""

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from time import monotonic

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from accounts.membership import roster_version
from accounts.models import Unit
from core import clock
from core.extensions import db
from reports.models import ExamUnitSummary, StudyUnitWeek
from reports.roster import member_days
from reports.settings import cue, targets
from study.settings import setting

BOARD_CACHE_ENTRIES = 512  # per server; when full it starts over
EXAM_SUMS = ("assigned", "took", "passed_first", "passed_after", "failed", "absent", "outstanding", "scored")
STUDY_SUMS = ("checkin_days", "minutes", "attendance_expected", "attended", "on_leave", "absent", "sessions_held")


def _share(part, whole):
    return part / whole if whole else None


@dataclass
class Figures:
    """One row of the board (a unit's subtree, the unit's own staff, or the total)."""

    tests: int = 0
    assigned: int = 0
    took: int = 0
    passed_first: int = 0
    passed_after: int = 0
    failed: int = 0
    absent: int = 0
    outstanding: int = 0
    scored: int = 0
    percent_sum: float = 0.0
    officer_days: int = 0
    checkin_days: int = 0
    minutes: int = 0
    attendance_expected: int = 0
    attended: int = 0
    on_leave: int = 0
    session_absent: int = 0
    sessions_held: int = 0

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
        """Average score as a percentage of the paper's points (comparable across exams)."""
        return round(self.percent_sum / self.scored, 1) if self.scored else None

    @property
    def checkin_rate(self):
        return _share(self.checkin_days, self.officer_days)

    @property
    def average_minutes(self):
        """Study minutes per officer per day."""
        return round(self.minutes / self.officer_days, 1) if self.officer_days else None

    @property
    def attendance_rate(self):
        return _share(self.attended, self.attendance_expected)


@dataclass
class BoardRow:
    unit: Unit
    figures: Figures
    own_staff: bool = False  # the unit's own officers, not a child subtree
    has_children: bool = False
    cues: dict = field(default_factory=dict)


@dataclass
class Board:
    unit: Unit
    first_week: date
    last_week: date
    rows: list
    total: Figures
    trend: list  # [(week_start, Figures)]
    targets: dict
    target_minutes: int


def _exam_columns(s):
    return [
        sa.func.count(sa.distinct(sa.case((s.assigned > 0, s.exam_id)))),
        *[sa.func.coalesce(sa.func.sum(getattr(s, name)), 0) for name in EXAM_SUMS],
        sa.func.coalesce(sa.func.sum(s.percent_sum), 0),
    ]


def _study_columns(w):
    return [sa.func.coalesce(sa.func.sum(getattr(w, name)), 0) for name in STUDY_SUMS]


def _fill_exam(fig: Figures, values):
    fig.tests = int(values[0])
    for name, value in zip(EXAM_SUMS, values[1:-1], strict=True):
        setattr(fig, name, int(value))
    fig.percent_sum = float(values[-1])


def _fill_study(fig: Figures, values):
    names = [("session_absent" if n == "absent" else n) for n in STUDY_SUMS]
    for name, value in zip(names, values, strict=True):
        setattr(fig, name, int(value))


@dataclass
class BoardSums:
    """What the board sums in SQL: per child unit, the unit's own staff, per week, and the total."""

    by_child: dict
    own: Figures
    trend: dict
    total: Figures


def data_version(first_week: date, last_week: date) -> tuple:
    """What the board's sums depend on: the summary rows of the weeks (each recompute bumps its
    row's revision) and the memberships. Cheap to read; a kept board whose version differs is
    summed again, so no server shows figures older than the database's."""
    s, w = ExamUnitSummary, StudyUnitWeek
    exams = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(s.revision), 0)).where(
            s.week_start.between(first_week, last_week)
        )
    ).one()
    study = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(w.revision), 0)).where(
            w.week_start.between(first_week, last_week)
        )
    ).one()
    return (tuple(exams), tuple(study), roster_version())


def results_version() -> tuple:
    """What the list of everyone not yet 过关 (reports.outstanding) depends on, beyond its rows'
    own details: every change to who is flagged or cleared, or when (a close, a graded retake, a
    withdrawal, a publish), recomputes a summary row of the exam's (each recompute bumps its
    revision; core.events exam_results_changed), and a unit moved in the tree bumps the roster."""
    s = ExamUnitSummary
    exams = db.session.execute(sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(s.revision), 0))).one()
    return (tuple(exams), roster_version())


def board_sums(unit: Unit, first_week: date, last_week: date, today: date, *, cached: bool = True) -> BoardSums:
    """The board's sums, kept per server for REPORTS_BOARD_CACHE_SECONDS under the version of the
    data they were summed from (data_version): on the evening of a test every board query
    competes with the officers' saves for the database (BENCHMARKS.md S9), while most boards are
    opened again and again over data that has not changed. Callers get their own copy; a bulletin
    asks with cached=False."""
    seconds = current_app.config["REPORTS_BOARD_CACHE_SECONDS"]
    if not seconds or not cached:
        return _board_sums(unit, first_week, last_week, today)
    cache = current_app.extensions.setdefault("yingzhi_board_sums", {})
    key = (unit.id, unit.path, first_week, last_week, today, data_version(first_week, last_week))
    now = monotonic()
    kept = cache.get(key)
    if kept is None or kept[0] <= now:
        if len(cache) >= BOARD_CACHE_ENTRIES:
            cache.clear()
        kept = cache[key] = (now + seconds, _board_sums(unit, first_week, last_week, today))
    return _copied(kept[1])


def _copied(sums: BoardSums) -> BoardSums:
    """A caller's own copy of kept sums: Figures hold only numbers, so a shallow copy of each is
    whole (copy.deepcopy took 4 ms of an org-wide board's 40)."""
    return BoardSums(
        by_child={key: copy.copy(figures) for key, figures in sums.by_child.items()},
        own=copy.copy(sums.own),
        trend={key: copy.copy(figures) for key, figures in sums.trend.items()},
        total=copy.copy(sums.total),
    )


def _board_sums(unit: Unit, first_week: date, last_week: date, today: date) -> BoardSums:
    s, w = ExamUnitSummary, StudyUnitWeek
    child, member = aliased(Unit), aliased(Unit)
    exam_weeks = s.week_start.between(first_week, last_week)
    study_weeks = w.week_start.between(first_week, last_week)
    figures = defaultdict(Figures)
    own, total = Figures(), Figures()

    by_child = (
        sa.select(child.id, *_exam_columns(s))
        .join(member, member.path.startswith(child.path))
        .join(s, s.unit_id == member.id)
        .where(child.parent_id == unit.id, exam_weeks)
        .group_by(child.id)
    )
    for row in db.session.execute(by_child):
        _fill_exam(figures[row[0]], row[1:])
    study_by_child = (
        sa.select(child.id, *_study_columns(w))
        .join(member, member.path.startswith(child.path))
        .join(w, w.unit_id == member.id)
        .where(child.parent_id == unit.id, study_weeks)
        .group_by(child.id)
    )
    for row in db.session.execute(study_by_child):
        _fill_study(figures[row[0]], row[1:])
    _fill_exam(own, db.session.execute(sa.select(*_exam_columns(s)).where(s.unit_id == unit.id, exam_weeks)).one())
    _fill_study(own, db.session.execute(sa.select(*_study_columns(w)).where(w.unit_id == unit.id, study_weeks)).one())

    subtree = sa.select(Unit.id).where(Unit.path.startswith(unit.path)).scalar_subquery()
    trend = {}
    exam_trend = (
        sa.select(s.week_start, *_exam_columns(s)).where(s.unit_id.in_(subtree), exam_weeks).group_by(s.week_start)
    )
    for row in db.session.execute(exam_trend):
        _fill_exam(trend.setdefault(row[0], Figures()), row[1:])
    study_trend = (
        sa.select(w.week_start, *_study_columns(w)).where(w.unit_id.in_(subtree), study_weeks).group_by(w.week_start)
    )
    for row in db.session.execute(study_trend):
        _fill_study(trend.setdefault(row[0], Figures()), row[1:])
    # The total adds the weeks up, except the count of tests (an exam spans many units).
    for week_figures in trend.values():
        for name in (
            *EXAM_SUMS,
            "percent_sum",
            "checkin_days",
            "minutes",
            "attendance_expected",
            "attended",
            "on_leave",
            "session_absent",
            "sessions_held",
        ):
            setattr(total, name, getattr(total, name) + getattr(week_figures, name))
    total.tests = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(s.exam_id))).where(s.unit_id.in_(subtree), exam_weeks, s.assigned > 0)
    )
    days = member_days(unit, first_week, last_week, today)
    for child_id, weeks in days.by_child.items():
        figures[child_id].officer_days = sum(weeks.values())
    own.officer_days = sum(days.own.values())
    for monday, count in days.trend.items():
        trend.setdefault(monday, Figures()).officer_days = count
    total.officer_days = sum(days.trend.values())
    return BoardSums(dict(figures), own, trend, total)


def build_board(unit: Unit, first_week: date, last_week: date, *, today: date | None = None, cached=True) -> Board:
    """`unit`'s board for the weeks starting first_week..last_week (Mondays), with officer-days
    counted up to `today` (default: today)."""
    children = db.session.scalars(
        sa.select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.sort_order, Unit.id)
    ).all()
    with_children = set(
        db.session.scalars(sa.select(Unit.parent_id).where(Unit.parent_id.in_([c.id for c in children])).distinct())
    )
    sums = board_sums(unit, first_week, last_week, today or clock.today(), cached=cached)
    figures = {c.id: sums.by_child.get(c.id) or Figures() for c in children}
    own, total, trend = sums.own, sums.total, sums.trend

    goals = targets()
    rows = []
    if own.assigned or own.officer_days or own.attendance_expected or own.sessions_held:
        rows.append(BoardRow(unit=unit, figures=own, own_staff=True))
    rows += [BoardRow(unit=c, figures=figures[c.id], has_children=c.id in with_children) for c in children]
    for row in rows:
        f = row.figures
        row.cues = {
            "participation": cue(f.participation, goals["participation"]),
            "pass_rate_first": cue(f.pass_rate_first, goals["pass_rate"]),
            "pass_rate_after": cue(f.pass_rate_after, goals["pass_rate"]),
            "checkin_rate": cue(f.checkin_rate, goals["checkin_rate"]),
            "attendance_rate": cue(f.attendance_rate, goals["attendance_rate"]),
        }
    weeks = []
    monday = first_week
    while monday <= last_week:
        weeks.append((monday, trend.get(monday, Figures())))
        monday += timedelta(days=7)
    return Board(unit, first_week, last_week, rows, total, weeks, goals, setting("STUDY_DAILY_TARGET_MINUTES"))


# The columns the page shows until a supervisor chooses others (the rest are a tick away in its
# column chooser; the export and the JSON always carry all of them): they fit 1280 px.
DEFAULT_COLUMNS = (
    "participation",
    "pass_rate_first",
    "pass_rate_after",
    "outstanding",
    "absent",
    "checkin_rate",
    "average_minutes",
    "attendance_rate",
)


# The board's columns: (key, header, kind), the rates first (what a phone shows without scrolling);
# shared by the page, the export and the JSON. Headers are translated when shown (board_columns),
# not each time a row's figures are read (figure_values).
BOARD_COLUMNS = (
    ("participation", _l("Participation"), "share"),
    ("pass_rate_first", _l("Pass rate (first time)"), "share"),
    ("pass_rate_after", _l("Pass rate (after retake)"), "share"),
    ("outstanding", _l("Retakes outstanding"), "int"),
    ("absent", _l("Absent from tests"), "int"),
    ("checkin_rate", _l("Check-in rate"), "share"),
    ("average_minutes", _l("Study minutes per day"), "number"),
    ("attendance_rate", _l("Session attendance"), "share"),
    ("session_absent", _l("Session absences"), "int"),
    ("sessions_held", _l("Sessions held"), "int"),
    ("average_score", _l("Average score rate"), "number"),
    ("tests", _l("Tests held"), "int"),
    ("assigned", _l("Assigned"), "int"),
    ("took", _l("Took"), "int"),
    ("passed_first", _l("Passed first time"), "int"),
    ("passed_after", _l("Passed after retake"), "int"),
)


def board_columns():
    """(key, header in the request's language, kind) of every column."""
    return [(key, str(header), kind) for key, header, kind in BOARD_COLUMNS]


def figure_values(figures: Figures) -> dict:
    """The numbers the page, the export and the JSON all show: shares as percentages with one
    decimal, so the three agree to the digit."""
    values = {}
    for key, _header, kind in BOARD_COLUMNS:
        value = getattr(figures, key)
        if kind == "share":
            value = None if value is None else round(value * 100, 1)
        values[key] = value
    return values
