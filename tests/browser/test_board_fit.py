"""[PW] The board at 1280 × 800 (issue 16): its default columns fit without a sideways scroll, a
column chooser adds the others (remembered in localStorage), and with every column shown the unit
column stays in view while the table scrolls; the period presets show the days they cover
(上周 of Monday 11-23 ends on Sunday 11-22, not on its Monday)."""

import pytest

from reports.board import DEFAULT_COLUMNS, board_columns
from tests.browser.conftest import screenshot, sign_in
from tests.factories import TEST_PASSWORD
from tests.reports.campaign import build_campaign

pytestmark = pytest.mark.browser
WIDE = {"width": 1280, "height": 800}
OVERFLOW = """() => {
  const wrap = document.querySelector('.board-wrap');
  return {page: document.documentElement.scrollWidth - window.innerWidth, table: wrap.scrollWidth - wrap.clientWidth};
}"""


@pytest.fixture
def campaign(world, frozen_clock):
    return build_campaign(world, frozen_clock)


@pytest.fixture
def board(campaign, open_at):
    page = open_at(WIDE)
    sign_in(page, campaign["east_supervisor"].username, TEST_PASSWORD)
    page.goto(f"/reports/board?unit={campaign['east'].id}&from=2026-08-24&to=2026-11-22")
    page.wait_for_load_state("networkidle")
    return page


def visible_headers(page):
    return page.locator("table.board thead th:visible").all_inner_texts()


def test_default_columns_fit_1280_and_the_chooser_adds_the_rest(board):
    screenshot(board, "board-1280")
    assert len(visible_headers(board)) == 1 + len(DEFAULT_COLUMNS)
    assert board.evaluate(OVERFLOW) == {"page": 0, "table": 0}, "no sideways scroll at 1280 px"

    board.click(".column-chooser summary")
    assert board.is_checked("input[value=participation]") and not board.is_checked("input[value=assigned]")
    board.check(".column-chooser input[value=assigned]")
    assert "应考人数" in visible_headers(board)
    board.reload()
    board.wait_for_load_state("networkidle")
    assert "应考人数" in visible_headers(board), "the choice is remembered"

    board.click(".column-chooser summary")
    for key, _header, _kind in board_columns():
        board.check(f".column-chooser input[value={key}]")
    assert len(visible_headers(board)) == 1 + len(board_columns())
    wrap = board.locator(".board-wrap")
    first = board.locator("table.board tbody th[scope=row]").first
    before = first.bounding_box()["x"]
    wrap.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert wrap.evaluate("el => el.scrollLeft") > 0, "all columns do not fit: the table scrolls"
    after = first.bounding_box()["x"]
    assert abs(after - before) < 1 and after >= wrap.bounding_box()["x"], "the unit column stays in view"
    screenshot(board, "board-1280-all-columns")

    board.click("[data-columns-reset]")
    assert len(visible_headers(board)) == 1 + len(DEFAULT_COLUMNS)
    assert board.watcher.errors == []


def test_presets_show_the_days_they_cover(board):
    board.click(".presets a:has-text('上周')")
    board.wait_for_load_state("networkidle")
    assert board.input_value("input[name=from]") == "2026-11-16"
    assert board.input_value("input[name=to]") == "2026-11-22"
    assert "2026-11-16" in board.inner_text(".board-period") and "2026-11-22" in board.inner_text(".board-period")
    assert board.locator(".presets a.current").inner_text() == "上周"
    board.click(".presets a:has-text('本周')")
    board.wait_for_load_state("networkidle")
    assert (board.input_value("input[name=from]"), board.input_value("input[name=to]")) == ("2026-11-23", "2026-11-29")
    board.click(".presets a:has-text('近4周')")
    board.wait_for_load_state("networkidle")
    assert (board.input_value("input[name=from]"), board.input_value("input[name=to]")) == ("2026-10-26", "2026-11-22")
    board.click(".period-form button[type=submit]")  # the fields as shown give the same weeks
    board.wait_for_load_state("networkidle")
    assert (board.input_value("input[name=from]"), board.input_value("input[name=to]")) == ("2026-10-26", "2026-11-22")
    assert board.locator(".presets a.current").inner_text() == "近4周"
    assert board.watcher.errors == []


def test_rows_without_a_figure_sort_last_both_ways(board):
    """A unit with no test (—) once sorted by an inconsistent comparison (NaN): wherever it fell."""
    header = board.locator("table.board thead th", has_text="参考率")  # 83.3 % and 100 % over 13 weeks
    for direction in ("ascending", "descending"):
        header.click()
        assert header.get_attribute("aria-sort") == direction
        units = board.locator("table.board tbody th[scope=row]").all_inner_texts()
        assert units[-2:] == ["东区政法委（本级）", "东区司法局"], (direction, units)
        expected = ["东区公安分局", "东区人民法院"] if direction == "ascending" else ["东区人民法院", "东区公安分局"]
        assert units[:2] == expected
