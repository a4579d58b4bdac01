"""The text of a week's bulletin (通报), drafted from the week's figures in the structure of
reports.bulletin_text: the overall figures open it; 一、the units side by side (a table) and those
below target; 二、who was absent from or failed a test (tables, with where each retake stands) and
how the retakes went; 三、who missed a study session without leave; 四、the inspections (督查) of the
week and the findings still open; 五、what units are asked to do."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import pgettext

from accounts.models import Unit, User
from appraisal import inspections
from core import clock
from core.extensions import db
from quiz.models import AssignmentStatus, Exam, ExamAssignment
from reports.board import board_columns, build_board, figure_values
from reports.bulletin_text import section_line, subsection_line, table_lines
from reports.exam_report import retake_status
from reports.summaries import refresh_exam_units, refresh_study_weeks
from study.models import Attendance, AttendanceStatus, StudySession

MAX_NAMES = 300  # people named in one table; beyond that the bulletin gives counts
UNIT_COLUMNS = ("participation", "pass_rate_first", "pass_rate_after", "outstanding")  # fit 4号 on A4
TARGETED = (
    ("participation", "participation"),
    ("pass_rate_first", "pass_rate"),
    ("pass_rate_after", "pass_rate"),
    ("checkin_rate", "checkin_rate"),
    ("attendance_rate", "attendance_rate"),
)


def _pct(value):
    return "—" if value is None else f"{value}%"


def compose(unit: Unit, monday, names_people: bool) -> tuple[str, str]:
    """(title, text) of `unit`'s bulletin for the week starting `monday`. The figures are summed
    afresh from summaries refreshed in this very transaction, never from what a server keeps for
    its boards: a bulletin names people before their unit."""
    sunday = monday + timedelta(days=6)
    refresh_week(monday)
    board = build_board(unit, monday, monday, today=min(clock.today(), sunday), cached=False)
    iso = monday.isocalendar()
    week = _("week %(week)d of %(year)d", week=iso.week, year=iso.year)
    title = _("%(unit)s: study and test bulletin for %(week)s", unit=unit.name, week=week)
    lines = _overall(board, monday, sunday)
    lines += ["", section_line(1, _("The units")), *_units_table(board), *_below_target(board)]
    lines += ["", section_line(2, _("Absent from or failed the tests"))]
    lines += _test_people(unit, monday, names_people)
    lines += ["", section_line(3, _("Absent from study sessions without leave"))]
    lines += _session_absences(unit, monday, names_people)
    lines += ["", section_line(4, _("Inspections held and findings open"))]
    lines += _inspections(unit, monday, sunday)
    lines += ["", section_line(5, _("What units are asked to do"))]
    lines += [
        _("Units are asked to see that the people named retake their tests and make up their study on time."),
        _("This is hereby made known."),
    ]
    return title, "\n".join(lines)


def _overall(board, monday, sunday) -> list[str]:
    t = figure_values(board.total)
    return [
        _(
            "From %(first)s to %(last)s, %(tests)s tests were held: %(assigned)s assigned, %(took)s took part "
            "(participation %(participation)s); %(passed)s passed the first time (pass rate %(rate)s), "
            "%(after)s including retakes; %(outstanding)s retakes are still outstanding.",
            first=monday.isoformat(),
            last=sunday.isoformat(),
            tests=t["tests"],
            assigned=t["assigned"],
            took=t["took"],
            participation=_pct(t["participation"]),
            passed=t["passed_first"],
            rate=_pct(t["pass_rate_first"]),
            after=_pct(t["pass_rate_after"]),
            outstanding=t["outstanding"],
        ),
        _(
            "Study check-in rate %(checkins)s, %(minutes)s minutes per officer per day (target %(target)s); "
            "session attendance %(attendance)s, %(absent)s absences without leave.",
            checkins=_pct(t["checkin_rate"]),
            minutes="—" if t["average_minutes"] is None else t["average_minutes"],
            target=board.target_minutes,
            attendance=_pct(t["attendance_rate"]),
            absent=t["session_absent"],
        ),
    ]


def _units_table(board) -> list[str]:
    """Each row of the board with its test figures (the board's headers and numbers)."""
    labels = {key: header for key, header, _kind in board_columns()}
    kinds = {key: kind for key, _header, kind in board_columns()}
    rows = []
    for row in board.rows:
        values = figure_values(row.figures)
        name = _("%(unit)s (own staff)", unit=row.unit.name) if row.own_staff else row.unit.name
        cells = [_pct(values[k]) if kinds[k] == "share" else values[k] for k in UNIT_COLUMNS]
        rows.append([name, *cells])
    if not rows:
        return [_("None.")]
    return table_lines([_("Unit"), *(labels[k] for k in UNIT_COLUMNS)], rows)


def _below_target(board) -> list[str]:
    below = []
    for row in board.rows:
        missed = missed_targets(row.figures, board.targets)
        if missed:
            below.append(_("%(unit)s: %(figures)s", unit=row.unit.name, figures=_("; ").join(missed)))
    return below or [_("Every unit reached its targets.")]


def missed_targets(figures, goals: dict) -> list[str]:
    """'participation 80.0% (target 95%)', … for each figure of a unit below its target; a
    figure the unit has no data for (no test, no session) is not missed."""
    labels = {key: header for key, header, _kind in board_columns()}
    values = figure_values(figures)
    missed = []
    for key, goal in TARGETED:
        value = getattr(figures, key)
        if value is not None and value < goals[goal]:
            missed.append(
                _(
                    "%(figure)s %(value)s (target %(target)s)",
                    figure=labels[key],
                    value=_pct(values[key]),
                    target=_pct(round(goals[goal] * 100)),
                )
            )
    return missed


def _test_people(unit: Unit, monday, names_people: bool) -> list[str]:
    """（一）absent, （二）failed: a table of names each (or counts per test and unit), then
    （三）how the retakes of all of them stand."""
    start = _week_start_utc(monday)
    a = ExamAssignment
    rows = db.session.execute(
        sa.select(a, Exam.title, Unit.name)
        .join(Exam, Exam.id == a.exam_id)
        .join(Unit, Unit.id == a.unit_id)
        .where(Exam.retake_round == 0, Exam.opens_at >= start, Exam.opens_at < start + timedelta(days=7))
        .where(a.unit_id.in_(_subtree(unit)), a.status.in_((AssignmentStatus.ABSENT, AssignmentStatus.FAILED)))
        .order_by(Exam.opens_at, Unit.path, a.user_id)
    ).all()
    lines = []
    for number, (status, heading) in enumerate(
        ((AssignmentStatus.ABSENT, _("Absent from a test")), (AssignmentStatus.FAILED, _("Failed a test"))), start=1
    ):
        group = [row for row in rows if row[0].status == status]
        lines.append(subsection_line(number, heading))
        header = [pgettext("table row", "No."), _("Unit"), _("Name"), _("Test")]
        header += [_("Score")] if status == AssignmentStatus.FAILED else []
        lines += _people_table(
            group,
            names_people,
            [*header, _("Where the retake stands")],
            lambda row, s=status: [
                row[2],
                row[0].user.full_name,
                row[1],
                *([_score(row[0].score)] if s == AssignmentStatus.FAILED else []),
                retake_status(row[0]) or _("no retake yet"),
            ],
            lambda row: (row[1], row[2]),
            [_("Test"), _("Unit"), pgettext("count", "People")],
        )
    lines.append(subsection_line(3, _("How the retakes went")))
    # Still to pass = not cleared, whether or not a retake was failed again: the board's and the
    # opening paragraph's 待补考 (reports.summaries), so the bulletin never gives two figures for it.
    cleared = sum(1 for row in rows if row[0].cleared_at)
    failed_again = sum(1 for row in rows if not row[0].cleared_at and row[0].escalated)
    lines.append(
        _(
            "%(total)d people have a retake to pass: %(passed)d have passed it and %(outstanding)d have still "
            "to pass it, %(failed)d of whom failed a retake again.",
            total=len(rows),
            passed=cleared,
            outstanding=len(rows) - cleared,
            failed=failed_again,
        )
    )
    return lines


def _session_absences(unit: Unit, monday, names_people: bool) -> list[str]:
    start = _week_start_utc(monday)
    rows = db.session.execute(
        sa.select(User, StudySession.title, Unit.name)
        .join(Attendance, Attendance.user_id == User.id)
        .join(StudySession, StudySession.id == Attendance.session_id)
        .join(Unit, Unit.id == User.unit_id)
        .where(StudySession.starts_at >= start, StudySession.starts_at < start + timedelta(days=7))
        .where(Attendance.status == AttendanceStatus.ABSENT, User.unit_id.in_(_subtree(unit)))
        .order_by(StudySession.starts_at, Unit.path, User.id)
    ).all()
    return _people_table(
        rows,
        names_people,
        [pgettext("table row", "No."), _("Unit"), _("Name"), _("Study session")],
        lambda row: [row[2], row[0].full_name, row[1]],
        lambda row: (row[1], row[2]),
        [_("Study session"), _("Unit"), pgettext("count", "People")],
    )


def _inspections(unit: Unit, monday, sunday) -> list[str]:
    """The inspections held in the week in `unit`'s subtree, and every finding still open there."""
    held = db.session.scalars(inspections.inspections_in(unit, monday, sunday)).unique().all()
    lines = [_("%(count)d inspections were held this week.", count=len(held))]
    if held:
        lines += table_lines(
            [pgettext("table row", "No."), _("Date"), _("Unit"), _("Kind"), _("Inspectors"), _("Findings")],
            [
                [n, i.day.isoformat(), i.unit.name, i.kind.label, i.inspectors, len(i.findings)]
                for n, i in enumerate(held, start=1)
            ],
        )
    findings = inspections.open_findings(unit)
    lines.append(_("Findings still to rectify: %(count)d.", count=len(findings)))
    if findings:
        lines += table_lines(
            [pgettext("table row", "No."), _("Unit"), _("Finding"), _("Rectify by")],
            [
                [n, f.inspection.unit.name, " ".join(f.text.split()), f.deadline.isoformat()]
                for n, f in enumerate(findings[:MAX_NAMES], start=1)
            ],
        )
    return lines


def _people_table(rows, names_people, header, cells, count_key, count_header) -> list[str]:
    """A numbered table of people, or (names turned off, or too many) how many per key."""
    if not rows:
        return [_("None.")]
    if names_people and len(rows) <= MAX_NAMES:
        return table_lines(header, [[str(n), *cells(row)] for n, row in enumerate(rows, start=1)])
    counts = {}
    for row in rows:
        counts[count_key(row)] = counts.get(count_key(row), 0) + 1
    return table_lines(count_header, [[*key, n] for key, n in counts.items()])


def _score(score) -> str:
    return "—" if score is None else f"{score:g}"


def _subtree(unit: Unit):
    return sa.select(Unit.id).where(Unit.path.startswith(unit.path))


def refresh_week(monday) -> None:
    """Recompute the summaries of the week starting `monday`: its round-0 exams and every unit's
    study (in the caller's transaction)."""
    start = _week_start_utc(monday)
    for exam_id in db.session.scalars(
        sa.select(Exam.id).where(
            Exam.retake_round == 0, Exam.opens_at >= start, Exam.opens_at < start + timedelta(days=7)
        )
    ):
        refresh_exam_units(exam_id)
    refresh_study_weeks([monday])


def _week_start_utc(monday):
    return clock.local_datetime(monday, datetime.min.time())
