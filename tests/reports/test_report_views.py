"""The report pages over HTTP: the board page, its .xlsx and the JSON carry the same numbers;
scope (X1), officers' own records only (X2), inert exports (X12), escaped names."""

import io
from datetime import UTC, datetime
from html.parser import HTMLParser

import openpyxl
import pytest

from core.extensions import db
from reports.board import board_columns
from reports.summaries import refresh_summaries

WEEK = {"from": "2026-11-16", "to": "2026-11-22"}


class BoardTable(HTMLParser):
    """{row label: [data-value of each figure cell]} of the board's table body."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._label, self._in_th, self._in_body = {}, None, "", False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self._row, self._label = [], ""
        elif self._in_body and tag == "th":
            self._in_th = True
        elif self._in_body and tag == "td" and self._row is not None:
            self._row.append(attrs.get("data-value"))

    def handle_endtag(self, tag):
        if tag == "th":
            self._in_th = False
        elif tag == "tr" and self._row is not None:
            self.rows[self._label.strip()] = self._row
            self._row = None
        elif tag == "tbody":
            self._in_body = False

    def handle_data(self, data):
        if self._in_th:
            self._label += data


def _number(text):
    return None if text in (None, "") else float(text)


def test_page_export_and_json_agree(campaign, login_as):
    client = login_as(campaign["east_supervisor"])
    page = client.get("/reports/board", query_string={"unit": campaign["east"].id, **WEEK})
    assert page.status_code == 200
    parser = BoardTable()
    parser.feed(page.get_data(as_text=True))
    data = client.get("/api/v1/reports/summary", query_string={"unit": campaign["east"].id, **WEEK}).get_json()
    keys = [key for key, _header, _kind in board_columns()]
    book = openpyxl.load_workbook(
        io.BytesIO(client.get("/reports/board.xlsx", query_string={"unit": campaign["east"].id, **WEEK}).data)
    )
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    assert sheet[0][0] == "单位" and sheet[0][1] == "参考率"
    exported = {row[0]: list(row[1:]) for row in sheet[1:]}
    # The district's own row: it held the week's session itself (sessions held is a unit's own figure).
    assert list(exported) == ["东区政法委（本级）", "东区公安分局", "东区人民法院", "东区司法局", "合计"]
    for row in data["rows"]:
        name = row["unit"]["name"] + ("（本级）" if row["own_staff"] else "")
        from_json = [row[k] for k in keys]
        assert [_number(v) for v in parser.rows[name]] == [None if v is None else float(v) for v in from_json]
        assert exported[name] == from_json
    assert exported["合计"] == [data["total"][k] for k in keys]
    assert data["total"]["participation"] == 83.3 and data["total"]["pass_rate_after"] == 66.7


def test_drill_down_and_trail(campaign, login_as):
    client = login_as(campaign["east_supervisor"])
    html = client.get("/reports/board", query_string={"unit": campaign["east"].id, **WEEK}).get_data(as_text=True)
    assert f"unit={campaign['east_police'].id}" in html  # the police row links one level down
    html = client.get("/reports/board", query_string={"unit": campaign["east_police"].id, **WEEK}).get_data(
        as_text=True
    )
    assert "东区城关派出所" in html and "东区政法委" in html  # the trail back up


@pytest.mark.parametrize("path", ["/reports/board", "/reports/board.xlsx", "/api/v1/reports/summary"])
def test_supervisor_cannot_read_a_unit_outside_the_subtree(campaign, login_as, path):
    client = login_as(campaign["west_supervisor"])
    for unit in ("east", "east_station", "city"):
        response = client.get(path, query_string={"unit": campaign[unit].id})
        assert response.status_code == 403, (path, unit)
    assert client.get(path, query_string={"unit": campaign["west"].id}).status_code == 200


def test_west_supervisor_sees_only_west_rows_of_a_city_test(campaign, login_as):
    client = login_as(campaign["west_supervisor"])
    html = client.get(f"/reports/exams/{campaign['e1'].id}").get_data(as_text=True)
    assert "西区公安分局" in html and "东区人民法院" not in html and "王二" not in html
    assert client.get(f"/reports/exams/{campaign['e2'].id}").status_code == 403
    assert client.get(f"/reports/exams/{campaign['e2'].id}.xlsx").status_code == 403


def test_exam_report_page_and_export(campaign, login_as):
    client = login_as(campaign["east_supervisor"])
    html = client.get(f"/reports/exams/{campaign['e1'].id}").get_data(as_text=True)
    assert "张三" in html and "缺考" in html and "补考" in html
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/exams/{campaign['e1'].id}.xlsx").data))
    by_unit = list(book.worksheets[0].iter_rows(values_only=True))
    assert by_unit[1][:4] == ("东区城关派出所", 3, 2, 66.7)
    people = list(book.worksheets[1].iter_rows(values_only=True))
    assert [row[0] for row in people[1:]] == ["张三", "王二", "李四"]


def test_officers_see_only_their_own_record(campaign, login_as):
    client = login_as(campaign["s2"])
    html = client.get("/reports/me").get_data(as_text=True)
    assert "王二" in html and "第47周周测" in html and "第46周周测" in html
    assert client.get("/reports/me.xlsx").status_code == 200
    for path in (
        f"/reports/people/{campaign['s3'].id}",
        f"/reports/people/{campaign['s2'].id}",
        "/reports/board",
        f"/reports/exams/{campaign['e1'].id}",
        "/api/v1/reports/summary",
    ):
        assert client.get(path).status_code == 403, path


def test_supervisor_reads_records_in_scope_only(campaign, login_as):
    client = login_as(campaign["east_supervisor"])
    html = client.get(f"/reports/people/{campaign['s2'].id}").get_data(as_text=True)
    assert "王二" in html and "第47周周测" in html
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/people/{campaign['s2'].id}.xlsx").data))
    tests = list(book.worksheets[0].iter_rows(values_only=True))
    assert tests[1][0] == "第47周周测" and tests[1][2] == "不合格" and "合格" in tests[1][4]
    assert client.get(f"/reports/people/{campaign['w1'].id}").status_code == 403
    assert client.get(f"/reports/people/{campaign['w1'].id}.xlsx").status_code == 403


def test_exports_are_inert_and_pages_escaped(campaign, login_as, frozen_clock):
    court = campaign["east_court"]
    court.name = '=HYPERLINK("http://x","<b>x</b>")'
    db.session.commit()
    client = login_as(campaign["east_supervisor"])
    html = client.get("/reports/board", query_string={"unit": campaign["east"].id, **WEEK}).get_data(as_text=True)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    for path in ("/reports/board.xlsx", f"/reports/exams/{campaign['e1'].id}.xlsx"):
        book = openpyxl.load_workbook(
            io.BytesIO(client.get(path, query_string={"unit": campaign["east"].id, **WEEK}).data)
        )
        cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
        named = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
        assert named and all(c.data_type != "f" for c in cells)


def test_refresh_is_idempotent_and_follows_changes(campaign, frozen_clock):
    from datetime import timedelta

    from reports.board import build_board, figure_values
    from study.models import CheckIn

    frozen_clock.advance(timedelta(hours=1))
    refresh_summaries(frozen_clock.now)  # looks back a little before the fixture's run (late commits)
    db.session.commit()
    frozen_clock.advance(timedelta(hours=1))
    assert refresh_summaries(frozen_clock.now) == 0  # nothing changed since
    db.session.commit()
    checkin = db.session.query(CheckIn).filter_by(user_id=campaign["c1"].id).order_by(CheckIn.day).first()
    checkin.minutes, checkin.updated_at = 100, frozen_clock.now
    db.session.commit()
    assert refresh_summaries(frozen_clock.now) == 1
    db.session.commit()
    from datetime import date

    board = build_board(campaign["east"], date(2026, 11, 16), date(2026, 11, 16))
    court = next(r for r in board.rows if r.unit.id == campaign["east_court"].id)
    # C1 (6 x 30 + 100), C2, and M (in the court that week: 2 x 120 + 120 at the session), 3 x 7 days
    assert figure_values(court.figures)["average_minutes"] == 30.5
    frozen_clock.advance(timedelta(hours=1))
    refresh_summaries(frozen_clock.now)
    db.session.commit()
    frozen_clock.advance(timedelta(hours=1))
    assert refresh_summaries(frozen_clock.now) == 0
    db.session.commit()
    # A new day: this week's officer-days grow with no job run (they come from the memberships).
    this_week = date(2026, 11, 23)
    before = build_board(campaign["east"], this_week, this_week).total.officer_days
    frozen_clock.advance(timedelta(days=1))
    assert refresh_summaries(frozen_clock.now) == 0
    db.session.commit()
    after = build_board(campaign["east"], this_week, this_week).total.officer_days
    assert (before, after) == (6, 12)  # 6 officers, Monday; Monday and Tuesday


def test_workbench_panel(campaign, login_as, frozen_clock):
    from reports import bulletins

    bulletins.draft_weekly_bulletins(frozen_clock.now)
    db.session.commit()
    html = login_as(campaign["east_supervisor"]).get("/").get_data(as_text=True)
    assert "83.3%" in html and "1份通报草稿待审核" in html


def test_workbench_last_week_shows_its_days(campaign, login_as, frozen_clock):
    """The 上周 card names its week, Monday to Sunday in the deployment zone: at 04:00 on Monday
    11-30 in Shanghai (still Sunday 11-29 in UTC) last week is 11-23 to 11-29."""
    home = login_as(campaign["east_supervisor"]).get("/").get_data(as_text=True)
    assert '<p class="muted period">2026-11-16至2026-11-22</p>' in home
    frozen_clock.set(datetime(2026, 11, 29, 20, 0, tzinfo=UTC))
    home = login_as(campaign["east_supervisor"]).get("/").get_data(as_text=True)  # a new day's sign-in
    assert '<p class="muted period">2026-11-23至2026-11-29</p>' in home


def test_a_retake_closing_refreshes_its_root_exam(campaign):
    from quiz.models import ExamAssignment
    from reports.models import ExamUnitSummary

    a = db.session.query(ExamAssignment).filter_by(exam_id=campaign["e1"].id, user_id=campaign["c2"].id).one()
    a.cleared_at = campaign["r1"].closes_at
    db.session.commit()
    from reports.summaries import refresh_exam_summaries

    assert refresh_exam_summaries(campaign["r1"].id) == 3  # E1's rows: station, court, west police
    db.session.commit()
    court = db.session.get(ExamUnitSummary, (campaign["e1"].id, campaign["east_court"].id))
    assert (court.passed_after, court.outstanding) == (3, 0)


def test_summary_json_refuses_bad_periods(campaign, login_as):
    client = login_as(campaign["east_supervisor"])
    response = client.get("/api/v1/reports/summary", query_string={"from": "2026-13-01"})
    assert response.status_code == 400 and response.get_json()["error"] == "invalid"
    response = client.get("/api/v1/reports/summary", query_string={"from": "2026-11-20", "to": "2026-11-01"})
    assert response.status_code == 400
    response = client.get("/api/v1/reports/summary", query_string={"unit": "999999"})
    assert response.status_code == 404
    data = client.get("/api/v1/reports/summary").get_json()  # default: the supervisor's unit, last week
    assert data["unit"]["id"] == campaign["east"].id and data["from"] == "2026-11-16"
