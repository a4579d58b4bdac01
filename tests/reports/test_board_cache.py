"""Each server keeps a board's sums for REPORTS_BOARD_CACHE_SECONDS (issue 8: boards opened again
and again during the evening test need not compete with the officers' saves for the database)."""

from datetime import date

import sqlalchemy as sa

import reports.board
from core.extensions import db
from reports.board import build_board, figure_values
from reports.models import ExamUnitSummary
from tests.support.statements import StatementLog

W47 = date(2026, 11, 16)


def _summary_reads(log):
    return [s for s in log.statements if "report_exam_units" in s or "report_study_weeks" in s]


def test_a_board_is_summed_once_per_period_and_copied_to_each_caller(app, campaign, monkeypatch):
    app.config["REPORTS_BOARD_CACHE_SECONDS"] = 60
    now = [1000.0]
    monkeypatch.setattr(reports.board, "monotonic", lambda: now[0])
    east = campaign["east"]
    first = build_board(east, W47, W47)
    with StatementLog(db.engine) as log:
        again = build_board(east, W47, W47)
    assert _summary_reads(log) == [], log.statements
    assert figure_values(again.total) == figure_values(first.total)
    assert [row.unit.id for row in again.rows] == [row.unit.id for row in first.rows]
    again.total.assigned += 100  # a caller's copy: what the server keeps is untouched
    assert build_board(east, W47, W47).total.assigned == first.total.assigned

    # New summaries (the refresh job) show once the kept sums are older than the setting.
    db.session.execute(
        sa.update(ExamUnitSummary)
        .where(ExamUnitSummary.week_start == W47)
        .values(assigned=ExamUnitSummary.assigned + 1)
    )
    db.session.commit()
    assert build_board(east, W47, W47).total.assigned == first.total.assigned
    now[0] += 61
    with StatementLog(db.engine) as log:
        fresh = build_board(east, W47, W47)
    assert _summary_reads(log)
    assert fresh.total.assigned > first.total.assigned


def test_without_the_setting_every_board_is_summed_afresh(app, campaign):
    app.config["REPORTS_BOARD_CACHE_SECONDS"] = 0
    build_board(campaign["east"], W47, W47)
    with StatementLog(db.engine) as log:
        build_board(campaign["east"], W47, W47)
    assert _summary_reads(log)
