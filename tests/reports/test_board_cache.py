"""Each server keeps a board's sums for REPORTS_BOARD_CACHE_SECONDS (issue 8: boards opened again
and again during the evening test need not compete with the officers' saves for the database),
under the version of the data they were summed from: a change shows on the very next board
(issue 13: a stale per-server board once showed 待补考 3 for a minute when the figure was 1)."""

import dataclasses
from datetime import date, timedelta

import reports.board
from core.extensions import db
from quiz.models import ExamAssignment
from reports.board import Figures, build_board, figure_values
from reports.summaries import refresh_exam_units
from tests.support.statements import StatementLog

W47 = date(2026, 11, 16)


def _summary_reads(log):
    return [s for s in log.statements if "report_exam_units" in s or "report_study_weeks" in s]


def _sums(log):
    """The statements that add up figures (not the version check, which counts rows and revisions)."""
    return [s for s in _summary_reads(log) if ".assigned" in s or ".checkin_days" in s]


def _s3_passes_the_retake(campaign):
    """S3's absence at E1 is cleared, and its summary row recomputed, as a graded retake does."""
    absentee = ExamAssignment.query.filter_by(exam_id=campaign["e1"].id, user_id=campaign["s3"].id).one()
    absentee.cleared_at = campaign["e1"].closes_at + timedelta(days=3)
    db.session.flush()
    refresh_exam_units(campaign["e1"].id, [absentee.unit_id])
    db.session.commit()


def test_a_board_is_summed_once_per_data_version_and_copied_to_each_caller(app, campaign, monkeypatch):
    app.config["REPORTS_BOARD_CACHE_SECONDS"] = 60
    now = [1000.0]
    monkeypatch.setattr(reports.board, "monotonic", lambda: now[0])
    east = campaign["east"]
    first = build_board(east, W47, W47)
    with StatementLog(db.engine) as log:
        again = build_board(east, W47, W47)
    assert _sums(log) == [] and len(_summary_reads(log)) == 2, log.statements  # the version, of both tables
    assert figure_values(again.total) == figure_values(first.total)
    assert [row.unit.id for row in again.rows] == [row.unit.id for row in first.rows]
    again.total.assigned += 100  # a caller's copy: what the server keeps is untouched
    assert build_board(east, W47, W47).total.assigned == first.total.assigned

    # A result changes (a retake passed, a late close): its summary row is recomputed, and the
    # very next board shows it, however young the kept sums.
    _s3_passes_the_retake(campaign)
    with StatementLog(db.engine) as log:
        fresh = build_board(east, W47, W47)
    assert _sums(log)
    assert fresh.total.outstanding == first.total.outstanding - 1
    assert fresh.total.passed_after == first.total.passed_after + 1

    # Kept sums also expire with the setting.
    now[0] += 61
    with StatementLog(db.engine) as log:
        build_board(east, W47, W47)
    assert _sums(log)


def test_without_the_setting_every_board_is_summed_afresh(app, campaign):
    app.config["REPORTS_BOARD_CACHE_SECONDS"] = 0
    build_board(campaign["east"], W47, W47)
    with StatementLog(db.engine) as log:
        build_board(campaign["east"], W47, W47)
    assert _summary_reads(log)


def test_a_unit_moved_to_another_district_shows_on_the_very_next_board(app, campaign):
    """The board sums its children's subtrees by unit path: moving a unit rewrites the paths, and
    no kept sums may outlive that (they once did, for REPORTS_BOARD_CACHE_SECONDS)."""
    from accounts.units import move_unit

    app.config["REPORTS_BOARD_CACHE_SECONDS"] = 60
    city, east, west = campaign["city"], campaign["east"], campaign["west"]
    before = {row.unit.id: row.figures.assigned for row in build_board(city, W47, W47).rows if not row.own_staff}
    court_assigned = build_board(campaign["east_court"], W47, W47).total.assigned
    assert court_assigned > 0
    move_unit(None, campaign["east_court"], west)
    db.session.commit()
    after = {row.unit.id: row.figures.assigned for row in build_board(city, W47, W47).rows if not row.own_staff}
    assert after[east.id] == before[east.id] - court_assigned
    assert after[west.id] == before[west.id] + court_assigned


def _finding_the_list(log):
    """The statements that look for everyone not yet 过关 (the count, or the first rows by closing
    time), not those that read the kept rows by id."""
    return [
        s
        for s in log.statements
        if "exam_assignments" in s and "cleared_at IS NULL" in s and "exam_assignments_1.id IN" not in s
    ]


def test_the_boards_list_of_everyone_not_yet_passed_is_found_once_per_version_and_read_afresh(app, campaign, login_as):
    """Which officers the board lists as not yet 过关, and how many, is kept like the sums; the rows
    themselves are read each time, and a passed retake drops its officer on the very next board."""
    app.config["REPORTS_BOARD_CACHE_SECONDS"] = 60
    client = login_as(campaign["east_supervisor"])
    board = ("/reports/board", {"unit": campaign["east"].id, "from": "2026-11-16", "to": "2026-11-22"})
    first = client.get(board[0], query_string=board[1]).get_data(as_text=True)
    assert "张三" in first and "李四" in first
    with StatementLog(db.engine) as log:
        again = client.get(board[0], query_string=board[1]).get_data(as_text=True)
    assert _finding_the_list(log) == [], log.statements
    assert "张三" in again and "李四" in again

    # A name changes (no result does): the kept rows are read afresh.
    campaign["c2"].full_name = "李四改"
    db.session.commit()
    assert "李四改" in client.get(board[0], query_string=board[1]).get_data(as_text=True)

    # 张三 passes (as a graded retake does): the summary row is recomputed, and the next board
    # looks for the list again.
    _s3_passes_the_retake(campaign)
    with StatementLog(db.engine) as log:
        after = client.get(board[0], query_string=board[1]).get_data(as_text=True)
    assert _finding_the_list(log)
    assert "张三" not in after and "李四改" in after


def test_the_kept_sums_figures_hold_only_numbers_so_a_shallow_copy_is_a_callers_own():
    """board_sums hands each caller shallow copies of the kept Figures (reports.board._copied): a
    field holding a list or a dict would be shared between callers and the cache."""
    assert {field.type for field in dataclasses.fields(Figures)} <= {"int", "float", int, float}
