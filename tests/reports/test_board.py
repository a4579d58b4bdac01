"""The board's figures against the hand-built campaign (tests/reports/conftest.py)."""

from datetime import date

import pytest

from reports.board import build_board, figure_values

W46, W47 = date(2026, 11, 9), date(2026, 11, 16)


def _rows(board):
    return {row.unit.name: figure_values(row.figures) for row in board.rows}


def test_east_board_last_week(campaign):
    board = build_board(campaign["east"], W47, W47)
    rows = _rows(board)
    # The district's own row first (it held the week's session itself); a child with no one still shows.
    assert list(rows) == ["东区政法委", "东区公安分局", "东区人民法院", "东区司法局"]
    assert rows["东区政法委"]["sessions_held"] == 1 and rows["东区政法委"]["assigned"] == 0
    police = rows["东区公安分局"]  # S1, S2, S3 (M's tests stay with the court)
    assert police["tests"] == 1
    assert (police["assigned"], police["took"], police["participation"]) == (3, 2, 66.7)
    assert (police["passed_first"], police["pass_rate_first"]) == (1, 33.3)
    assert (police["passed_after"], police["pass_rate_after"]) == (2, 66.7)
    assert (police["outstanding"], police["absent"], police["average_score"]) == (1, 1, 65.0)
    # study: S1, S2, S3 were the station's 3 officers x 7 days (M joined it after the week): S1's
    # 5 check-ins, 300 minutes and 120 at the session; S2 120 at the session (late: credit from
    # sign-in, none recorded here, so from the start)
    assert (police["checkin_rate"], police["average_minutes"]) == (23.8, 25.7)
    assert (police["attendance_rate"], police["session_absent"]) == (66.7, 1)
    court = rows["东区人民法院"]  # C1, C2 and M (assigned from the court)
    assert (court["assigned"], court["took"], court["participation"]) == (3, 3, 100.0)
    assert (court["passed_first"], court["passed_after"], court["pass_rate_after"]) == (2, 2, 66.7)
    assert (court["outstanding"], court["absent"], court["average_score"]) == (1, 0, 66.7)
    # C1, C2 and M (still in the court that week) x 7 days: C1 7 x 30, M 2 x 120 + 120 at the session
    assert (court["checkin_rate"], court["average_minutes"]) == (42.9, 27.1)
    assert (court["attendance_rate"], court["session_absent"]) == (33.3, 1)
    empty = rows["东区司法局"]
    assert empty["assigned"] == 0 and empty["participation"] is None and empty["checkin_rate"] is None
    total = figure_values(board.total)
    assert (total["tests"], total["assigned"], total["took"], total["participation"]) == (1, 6, 5, 83.3)
    assert (total["passed_first"], total["pass_rate_first"], total["passed_after"]) == (3, 50.0, 4)
    assert (total["outstanding"], total["absent"], total["average_score"]) == (2, 1, 66.0)
    assert (total["checkin_rate"], total["average_minutes"]) == (33.3, 26.4)
    assert (total["attendance_rate"], total["session_absent"]) == (50.0, 2)


def test_two_weeks_and_the_trend(campaign):
    board = build_board(campaign["east"], W46, W47)
    total = figure_values(board.total)
    assert (total["tests"], total["assigned"], total["passed_first"], total["outstanding"]) == (2, 12, 8, 3)
    weeks = {monday: figure_values(f) for monday, f in board.trend}
    assert weeks[W46]["pass_rate_first"] == pytest.approx(83.3)
    assert weeks[W46]["checkin_rate"] == 2.4  # S1 on 11-15: 1 check-in over 6 officers x 7 days
    assert weeks[W47]["pass_rate_after"] == 66.7


def test_city_board(campaign):
    rows = _rows(build_board(campaign["city"], W47, W47))
    assert rows["西区政法委"]["assigned"] == 1 and rows["西区政法委"]["absent"] == 1
    assert rows["西区政法委"]["outstanding"] == 1
    assert rows["东区政法委"]["assigned"] == 6


def test_trend_ticks_name_the_ends_or_a_single_week_once():
    from reports.charts import _chart

    weeks = _chart("参考率", [50.0, 60.0], ["11-09", "11-16"], 100, "%")
    assert [(anchor, label) for _x, anchor, label in weeks["ticks"]] == [("start", "11-09"), ("end", "11-16")]
    week = _chart("参考率", [50.0], ["11-16"], 100, "%")
    assert [(x, label) for x, _anchor, label in week["ticks"]] == [(week["dots"][0][0], "11-16")]
