"""The benchmark's table and its sizing of the peak replay to the box it runs on."""

from bench import wrk
from bench.load import Row, format_table, from_wrk, missing, peak_plan


def test_peak_is_the_design_point_scaled_by_the_bare_ceiling():
    quiet = peak_plan(4100, (3, 9), None)
    assert quiet["rate"] == 150
    assert quiet["officers"] == round(150 * 6 / 1.3)
    assert round(quiet["start_window"]) == round(quiet["officers"] / 50)  # the model's 50 starts/s
    loaded = peak_plan(410, (3, 9), None)
    assert loaded["rate"] == 15 and loaded["officers"] < quiet["officers"]
    assert peak_plan(4100, (30, 90), 3000)["officers"] == 3000  # the full model when asked
    assert round(peak_plan(4100, (30, 90), 3000)["start_window"]) == 60


def test_table_has_one_line_per_row_with_ratio_and_errors():
    result = wrk.Result(requests=3000, seconds=10.0, p50_ms=4.0, p95_ms=9.5, p99_ms=20.25, errors=2, sample="302 x")
    rows = [
        from_wrk("ceiling: bare", 16, result, 300.0, "bare"),
        from_wrk("S1 autosave", 16, result, 1000.0, "insert"),
        missing("S6", "", "no report path given"),
        Row("S4 double submit", "32", errors=0, note="100 attempts"),
    ]
    text = format_table(rows, "title")
    lines = text.splitlines()
    assert lines[0] == "title"
    body = [line for line in lines if line.startswith("| ") and "scenario" not in line]
    assert len(body) == 4
    assert "| 300 " in body[1] and "0.300" in body[1] and "20.2" in body[1] and "first error: 302 x" in body[1]
    assert "n/a: no report path given" in body[2]
