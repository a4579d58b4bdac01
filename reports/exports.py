"""The report tables as spreadsheet sheets (core.exporting): the board with its weekly trend, an
exam report, a personal record and the bulletin list, with the numbers the pages show."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from core.exporting import Column, Sheet, percent
from reports.board import Board, board_columns, figure_values
from reports.exam_report import retake_status
from reports.labels import result_label
from reports.record import Record


def board_rows(board: Board) -> list[tuple[str, dict]]:
    """(label, values) per row of the board's table, the total last."""
    rows = []
    for row in board.rows:
        label = _("%(unit)s (own staff)", unit=row.unit.name) if row.own_staff else row.unit.name
        rows.append((label, figure_values(row.figures)))
    rows.append((_("Total of all units"), figure_values(board.total)))
    return rows


def _figure(key):
    return lambda row: row[1][key]


TREND = ("participation", "pass_rate_first", "pass_rate_after", "average_minutes")


def board_sheets(board: Board) -> list[Sheet]:
    figures = {key: Column(header, _figure(key)) for key, header, _kind in board_columns()}
    trend = [(monday.isoformat(), figure_values(values)) for monday, values in board.trend]
    return [
        Sheet(_l("Progress board"), [Column(_l("Unit"), lambda row: row[0]), *figures.values()], board_rows(board)),
        Sheet(_l("Weekly trend"), [Column(_l("Week"), lambda row: row[0]), *[figures[k] for k in TREND]], trend),
    ]


UNIT_RESULT_COLUMNS = (
    Column(_l("Unit"), lambda u: u.unit.name),
    Column(_l("Assigned"), lambda u: u.assigned),
    Column(_l("Took"), lambda u: u.took),
    Column(_l("Participation"), lambda u: percent(u.participation)),
    Column(_l("Passed first time"), lambda u: u.passed_first),
    Column(_l("Pass rate (first time)"), lambda u: percent(u.pass_rate_first)),
    Column(_l("Passed after retake"), lambda u: u.passed_after),
    Column(_l("Failed the test"), lambda u: u.failed),
    Column(_l("Absent from the test"), lambda u: u.absent),
    Column(_l("Retakes outstanding"), lambda u: u.outstanding),
    Column(_l("Average score rate"), lambda u: u.average_score),
)
FAILED_OR_ABSENT_COLUMNS = (
    Column(_l("Name"), lambda a: a.user.full_name),
    Column(_l("Number"), lambda a: a.user.username),
    Column(_l("Unit"), lambda a: a.unit.name),
    Column(_l("Result"), lambda a: result_label(a.status)),
    Column(_l("Score"), lambda a: a.score),
    Column(_l("Retake"), retake_status),
)
QUESTION_COLUMNS = (
    Column(_l("Question"), lambda q: q.stem),
    Column(_l("People answered"), lambda q: q.answered),
    Column(_l("Facility"), lambda q: percent(q.facility)),
    Column(_l("Discrimination"), lambda q: q.discrimination),
    Column(_l("Most chosen wrong answer"), lambda q: q.wrong_answer),
    Column(_l("Chosen by"), lambda q: q.wrong_count),
)


def exam_sheets(units, people, questions, distribution) -> list[Sheet]:
    return [
        Sheet(_l("By unit"), UNIT_RESULT_COLUMNS, units),
        Sheet(_l("Failed or absent"), FAILED_OR_ABSENT_COLUMNS, people),
        Sheet(_l("Question analysis"), QUESTION_COLUMNS, questions),
        Sheet(
            _l("Score distribution"),
            [Column(_l("Score"), lambda d: d[0]), Column(pgettext("count", "People"), lambda d: d[1])],
            distribution,
        ),
    ]


def _retakes(line) -> str:
    parts = (f"{e.title} {result_label(a.status)} {'' if a.score is None else a.score}" for e, a in line.retakes)
    return "；".join(parts)


RECORD_TEST_COLUMNS = (
    Column(_l("Test"), lambda line: line.exam.title),
    Column(_l("Week"), lambda line: line.exam.period_key),
    Column(_l("Result"), lambda line: result_label(line.assignment.status)),
    Column(_l("Score"), lambda line: line.assignment.score),
    Column(_l("Retakes"), _retakes),
)
RECORD_WEEK_COLUMNS = (
    Column(_l("Week"), lambda week: week[0].isoformat()),
    Column(_l("Check-ins"), lambda week: week[1]),
    Column(_l("Study minutes"), lambda week: week[2]),
)


def record_sheets(record: Record) -> list[Sheet]:
    return [
        Sheet(_l("Tests"), RECORD_TEST_COLUMNS, record.tests),
        Sheet(_l("Study by week"), RECORD_WEEK_COLUMNS, record.weeks),
    ]


BULLETIN_COLUMNS = (
    Column(_l("Title"), lambda b: b.title),
    Column(_l("Unit"), lambda b: b.unit.name),
    Column(_l("Week"), lambda b: b.week_start.isoformat()),
    Column(_l("Status"), lambda b: _("Published") if b.status.value == "published" else _("Draft")),
    Column(_l("Published"), lambda b: b.published_at),
)


def bulletins_sheet(bulletins) -> Sheet:
    return Sheet(_l("Bulletins"), BULLETIN_COLUMNS, bulletins)


def outstanding_sheets(rows) -> list[Sheet]:
    """The standing list of everyone not yet 过关, as the page shows it."""
    from reports.labels import outstanding_state

    return [
        Sheet(
            _l("Not yet passed"),
            [
                Column(_l("Name"), lambda row: row.person.full_name),
                Column(_l("Badge number"), lambda row: row.person.username),
                Column(_l("Unit"), lambda row: row.unit.name),
                Column(_l("Test"), lambda row: row.exam.title),
                Column(_l("Result"), lambda row: result_label(row.status)),
                Column(_l("Outstanding since"), lambda row: row.since),
                Column(_l("Days outstanding"), lambda row: row.days),
                Column(_l("Now"), outstanding_state),
            ],
            rows,
        )
    ]
