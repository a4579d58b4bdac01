"""Every study table exports to .xlsx with its page's figures, in the supervisor's scope only, and
text that looks like a formula stays text (X12): a session's attendance, the sessions, the
check-in overview (with the page's unit and week), warnings, readings with progress, spot-checks."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from core import clock
from core.extensions import db
from study import codes, leave, readings, sessions, spotchecks
from study.models import SpotCheckResult, StudyWarning, WarningKind
from tests.factories import UserFactory
from tests.study.factories import NOTES, CheckInFactory, ReadingFactory, StudySessionFactory
from tests.support.sheets import as_dicts, cells, page_tables, workbook

START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
HOSTILE_NAME = '=HYPERLINK("http://evil.example/","点我")'
HOSTILE_NOTES = "=1+1 " + NOTES
STAT = re.compile(r'<span class="value[^"]*">([^<]*)</span><span class="label">([^<]*)</span>')


@pytest.fixture
def study(world, frozen_clock):
    """A session with one officer of each status, check-ins (one with formula-like notes), a
    spot-check, warnings and a reading, all in the east district; a reading and a warning in the west."""
    hostile = UserFactory(username="evil1", full_name=HOSTILE_NAME, unit=world["east_station"])
    late = UserFactory(username="late1", full_name="迟到的人", unit=world["east_station"])
    absent = UserFactory(username="absent1", full_name="缺席的人", unit=world["east_court"])
    session = StudySessionFactory(unit=world["east"], starts_at=START, ends_at=START + timedelta(hours=2))
    frozen_clock.set(START - timedelta(hours=1))
    request = leave.request_leave(world["east_officer2"], session, "值班备勤", clock.now())
    leave.decide_leave(world["east_supervisor"], request, approve=True, now=clock.now())
    frozen_clock.set(START + timedelta(minutes=1))
    code = codes.current_code(session.secret, session.id, clock.now(), 30)[0]
    sessions.sign_in(world["east_officer"], session, code=code, now=clock.now())
    sessions.mark_present(world["east_supervisor"], session, [hostile.id], clock.now())
    frozen_clock.set(START + timedelta(minutes=40))
    code = codes.current_code(session.secret, session.id, clock.now(), 30)[0]
    sessions.sign_in(late, session, code=code, now=clock.now())
    db.session.commit()
    frozen_clock.set(START + timedelta(hours=3))
    sessions.close_session(session, clock.now())
    db.session.commit()
    CheckInFactory(user=world["east_officer"], minutes=130)
    CheckInFactory(user=hostile, minutes=45, notes=HOSTILE_NOTES)
    CheckInFactory(user=world["west_officer"], minutes=60)
    check = spotchecks.draw_spot_check(
        world["east_supervisor"],
        unit=world["east"],
        from_day=clock.today(),
        to_day=clock.today(),
        size=5,
        now=clock.now(),
    )
    spotchecks.mark_item(world["east_supervisor"], check.items[0], result="qualified", now=clock.now())
    for user, kind, detail in (
        (absent, WarningKind.ABSENCES, {"count": 2, "sessions": ["第一期", "第二期"]}),
        (late, WarningKind.LOW_STUDY, {"minutes": 30, "week": "2026-W47"}),
        (world["west_officer"], WarningKind.LOW_STUDY, {"minutes": 10, "week": "2026-W47"}),
    ):
        db.session.add(StudyWarning(user_id=user.id, kind=kind, period_key="k", detail=detail, created_at=clock.now()))
    reading = ReadingFactory(unit=world["east"], title="政法干警核心价值观")
    readings.mark_read(world["east_officer"], reading, clock.now())
    west_reading = ReadingFactory(unit=world["west"], title="西区自己的篇目")
    db.session.commit()
    return {"session": session, "spotcheck": check, "reading": reading, "west_reading": west_reading, "late": late}


def test_attendance_export_lists_everyone_by_status_as_the_session_page(world, study, login_as):
    supervisor = _supervisor(world, login_as)
    page = supervisor.get(f"/manage/study/sessions/{study['session'].id}")
    figures = {label: int(value) for value, label in STAT.findall(page.get_data(as_text=True))}
    book = workbook(supervisor.get(f"/manage/study/sessions/{study['session'].id}/attendance.xlsx"))
    rows = as_dicts(book["签到情况"])
    by_status = {}
    for row in rows:
        by_status.setdefault(row["状态"], []).append(row["姓名"])
    assert {status: len(names) for status, names in by_status.items()} == figures
    assert figures == {"出席": 2, "迟到": 1, "请假": 1, "缺席": 1}
    assert dict((r[0], r[1]) for r in book["汇总"][1:]) == figures
    page_names = {row[1] for table in page_tables(page) for row in table[1:]}
    assert {row["姓名"] for row in rows} == page_names
    marked = next(row for row in rows if row["姓名"] == HOSTILE_NAME)
    assert marked["主持人代签"] == "是" and marked["签到时间"] == datetime(2026, 11, 23, 10, 1)


def _supervisor(world, login_as):
    return login_as(world["east_supervisor"])


def test_sessions_export_counts_each_status_of_each_session(world, study, login_as):
    supervisor = _supervisor(world, login_as)
    StudySessionFactory(unit=world["east_court"], title="法院专题党课")
    StudySessionFactory(unit=world["west"], title="西区的集中学习")
    rows = as_dicts(workbook(supervisor.get("/manage/study/sessions.xlsx"))["集中学习"])
    page = supervisor.get("/manage/study/sessions").get_data(as_text=True)
    assert sorted(r["标题"] for r in rows) == sorted([study["session"].title, "法院专题党课"])
    assert all(r["标题"] in page for r in rows) and "西区的集中学习" not in page
    first = next(r for r in rows if r["标题"] == study["session"].title)
    assert (first["出席"], first["迟到"], first["请假"], first["缺席"]) == (2, 1, 1, 1)
    assert first["开始时间"] == datetime(2026, 11, 23, 10, 0) and first["范围"] == "东区政法委"


def test_checkin_export_has_the_page_rows_and_figures_for_the_same_unit_and_week(world, study, login_as):
    supervisor = _supervisor(world, login_as)
    args = f"unit={world['east'].id}&day=2026-11-23&period=week&page=1"
    page = supervisor.get(f"/manage/study/checkins?{args}")
    html = page.get_data(as_text=True)
    assert f'href="/manage/study/checkins.xlsx?unit={world["east"].id}&amp;day=2026-11-23&amp;period=week"' in html
    book = workbook(supervisor.get(f"/manage/study/checkins.xlsx?{args}"))
    (table,) = page_tables(page)
    shown = {
        row[0]: (int(row[2].split()[0]) if row[2][0].isdigit() else 0, int(row[3]), int(row[4])) for row in table[1:]
    }
    exported = {
        f"{r['姓名']} {r['警号']}": (r["打卡"], r["学习分钟"], r["达标天数"]) for r in as_dicts(book["学习打卡情况"])
    }
    assert exported == shown and len(exported) == 5  # the district's officers, no one from the west
    figures = {label: value for value, label in STAT.findall(html)}
    summary = dict((r[0], r[1]) for r in book["汇总"])
    assert (
        summary["单位"] == "东区政法委" and summary["开始日期"] == "2026-11-23" and summary["结束日期"] == "2026-11-29"
    )
    assert str(summary["名干警已打卡"]) == figures["名干警已打卡"] and str(summary["未打卡"]) == figures["未打卡"]
    assert f"{summary['打卡率']:.1f}%" == figures["打卡率"]
    notes = as_dicts(book["学习笔记"])
    assert sorted(n["学习笔记"] for n in notes) == sorted([NOTES, HOSTILE_NOTES])
    station = workbook(supervisor.get(f"/manage/study/checkins.xlsx?unit={world['east_station'].id}"))
    assert {r["姓名"] for r in as_dicts(station["学习打卡情况"])} == {
        world["east_officer"].full_name,
        HOSTILE_NAME,
        "迟到的人",
    }


def test_warnings_export_is_the_page_table(world, study, login_as):
    supervisor = _supervisor(world, login_as)
    (table,) = page_tables(supervisor.get("/manage/study/warnings"))
    rows = workbook(supervisor.get("/manage/study/warnings.xlsx"))["学习预警"]
    assert [[r[0], r[1], r[3], r[4], r[5]] for r in rows] == table  # the page without the number column
    assert len(rows) == 3 and rows[1][2] in ("absent1", "late1")


def test_readings_export_shows_each_reading_progress_as_the_pages(world, study, login_as):
    supervisor = _supervisor(world, login_as)
    page = supervisor.get("/manage/study/readings").get_data(as_text=True)
    rows = as_dicts(workbook(supervisor.get("/manage/study/readings.xlsx"))["必学篇目"])
    assert [r["标题"] for r in rows] == ["政法干警核心价值观"]
    (row,) = rows
    assert f"{row['已学']} / {row['应学人数']}" == "1 / 5" and "1 / 5" in page
    assert row["进度"] == 20.0 and row["必学"] == "是"
    detail = workbook(supervisor.get(f"/manage/study/readings/{study['reading'].id}.xlsx"))
    reading_page = supervisor.get(f"/manage/study/readings/{study['reading'].id}")
    by_unit = page_tables(reading_page)[0]
    assert [[r["单位"], f"{r['已学']} / {r['应学人数']}"] for r in as_dicts(detail["按单位"])] == [
        row[:2] for row in by_unit[1:]
    ]
    not_read = {r["姓名"] for r in as_dicts(detail["尚未学习"])}
    assert len(not_read) == 4 and world["east_officer"].full_name not in not_read


def test_spotcheck_exports_match_the_list_and_the_sample(world, study, login_as):
    supervisor = _supervisor(world, login_as)
    (table,) = page_tables(supervisor.get("/manage/study/spotchecks"))
    (row,) = as_dicts(workbook(supervisor.get("/manage/study/spotchecks.xlsx"))["笔记抽查"])
    assert f"{row['抽查条数']} / {row['抽取范围（条）']}" == table[1][3] == "2 / 2"
    assert (row["合格"], row["不合格"], row["待评定"]) == (1, 0, 1)
    items = as_dicts(workbook(supervisor.get(f"/manage/study/spotchecks/{study['spotcheck'].id}.xlsx"))["抽查"])
    assert sorted(i["学习笔记"] for i in items) == sorted([NOTES, HOSTILE_NOTES])
    assert sorted(str(i["结果"]) for i in items) == ["None", str(SpotCheckResult.QUALIFIED.label)]


def test_formula_like_text_stays_text_in_every_study_export(world, study, login_as):
    supervisor = _supervisor(world, login_as)
    urls = [
        f"/manage/study/sessions/{study['session'].id}/attendance.xlsx",
        f"/manage/study/checkins.xlsx?unit={world['east'].id}",
        f"/manage/study/spotchecks/{study['spotcheck'].id}.xlsx",
    ]
    for url in urls:
        every = cells(supervisor.get(url))
        assert all(c.data_type != "f" for c in every), url
        hostile = [c for c in every if isinstance(c.value, str) and c.value.startswith("=")]
        assert hostile and all(c.data_type == "s" and c.quotePrefix for c in hostile), url
        assert {c.value for c in hostile} <= {HOSTILE_NAME, HOSTILE_NOTES}


def test_exports_are_for_the_supervisors_of_the_scope_only(world, study, login_as, client):
    east = [
        f"/manage/study/sessions/{study['session'].id}/attendance.xlsx",
        f"/manage/study/readings/{study['reading'].id}.xlsx",
        f"/manage/study/spotchecks/{study['spotcheck'].id}.xlsx",
        f"/manage/study/checkins.xlsx?unit={world['east'].id}",
    ]
    lists = ["/manage/study/sessions.xlsx", "/manage/study/warnings.xlsx", "/manage/study/readings.xlsx"]
    lists.append("/manage/study/spotchecks.xlsx")
    west = login_as(world["west_supervisor"])
    for url in east:
        assert west.get(url).status_code in (403, 404), url
    assert west.get(f"/manage/study/readings/{study['west_reading'].id}.xlsx").status_code == 200
    officer = login_as(world["east_officer"])
    for url in east + lists:
        assert officer.get(url).status_code == 403, url
        assert client.get(url).status_code == 302 and "/login" in client.get(url).headers["Location"], url
    west_rows = {url: workbook(west.get(url)) for url in lists}
    text = str(west_rows)
    for name in (study["session"].title, "政法干警核心价值观", "迟到的人", HOSTILE_NAME):
        assert name not in text
    assert "西区自己的篇目" in text
