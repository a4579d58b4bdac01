"""The reports as .xlsx, through core.tabular (string cells are never formulas), with the numbers
the pages show."""

from flask_babel import gettext as _

from core import tabular
from reports.board import Board, board_columns, figure_values
from reports.exam_report import retake_status
from reports.labels import result_label
from reports.record import Record

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def board_rows(board: Board) -> list[tuple[str, dict]]:
    """(label, values) per row of the board's table, the total last."""
    rows = []
    for row in board.rows:
        label = _("%(unit)s (own staff)", unit=row.unit.name) if row.own_staff else row.unit.name
        rows.append((label, figure_values(row.figures)))
    rows.append((_("Total of all units"), figure_values(board.total)))
    return rows


def board_xlsx(board: Board) -> bytes:
    columns = board_columns()
    headers = [_("Unit"), *[c[1] for c in columns]]
    table = [[label, *[values[c[0]] for c in columns]] for label, values in board_rows(board)]
    trend_headers = [
        _("Week"),
        _("Participation"),
        _("Pass rate (first time)"),
        _("Pass rate (after retake)"),
        _("Study minutes per day"),
    ]
    trend = []
    for monday, figures in board.trend:
        values = figure_values(figures)
        trend.append(
            [
                monday.isoformat(),
                values["participation"],
                values["pass_rate_first"],
                values["pass_rate_after"],
                values["average_minutes"],
            ]
        )
    return tabular.write_xlsx([(_("Progress board"), headers, table), (_("Weekly trend"), trend_headers, trend)])


def _share(value):
    return None if value is None else round(value * 100, 1)


def exam_xlsx(exam, units, people, questions, distribution) -> bytes:
    unit_headers = [
        _("Unit"),
        _("Assigned"),
        _("Took"),
        _("Participation"),
        _("Passed first time"),
        _("Pass rate (first time)"),
        _("Passed after retake"),
        _("Failed the test"),
        _("Absent from the test"),
        _("Retakes outstanding"),
        _("Average score rate"),
    ]
    unit_rows = [
        [
            u.unit.name,
            u.assigned,
            u.took,
            _share(u.participation),
            u.passed_first,
            _share(u.pass_rate_first),
            u.passed_after,
            u.failed,
            u.absent,
            u.outstanding,
            u.average_score,
        ]
        for u in units
    ]
    people_headers = [_("Name"), _("Number"), _("Unit"), _("Result"), _("Score"), _("Retake")]
    people_rows = [
        [a.user.full_name, a.user.username, a.unit.name, result_label(a.status), a.score, retake_status(a)]
        for a in people
    ]
    question_headers = [
        _("Question"),
        _("People answered"),
        _("Facility"),
        _("Discrimination"),
        _("Most chosen wrong answer"),
        _("Chosen by"),
    ]
    question_rows = [
        [q.stem, q.answered, _share(q.facility), q.discrimination, q.wrong_answer, q.wrong_count] for q in questions
    ]
    return tabular.write_xlsx(
        [
            (_("By unit"), unit_headers, unit_rows),
            (_("Failed or absent"), people_headers, people_rows),
            (_("Question analysis"), question_headers, question_rows),
            (_("Score distribution"), [_("Score"), _("People")], [list(d) for d in distribution]),
        ]
    )


def record_xlsx(record: Record) -> bytes:
    headers = [_("Test"), _("Week"), _("Result"), _("Score"), _("Retakes")]
    rows = []
    for line in record.tests:
        retakes = "；".join(
            f"{e.title} {result_label(a.status)} {'' if a.score is None else a.score}" for e, a in line.retakes
        )
        rows.append(
            [
                line.exam.title,
                line.exam.period_key,
                result_label(line.assignment.status),
                line.assignment.score,
                retakes,
            ]
        )
    weeks = [[monday.isoformat(), days, minutes] for monday, days, minutes in record.weeks]
    return tabular.write_xlsx(
        [
            (_("Tests"), headers, rows),
            (_("Study by week"), [_("Week"), _("Check-ins"), _("Study minutes")], weeks),
        ]
    )
