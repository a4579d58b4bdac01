"""The appraisal sheet's figures are the board's (one computation) and equal a recomputation from
the raw rows, for an officer who moved units, one who passed a retake and one new this month."""

from datetime import date, datetime, time, timedelta

import pytest

from accounts import services as accounts
from accounts.models import Role
from appraisal.figures import officer_figures
from appraisal.sheet import build_sheet, person_rows
from core import clock
from core.extensions import db
from core.settings import set_setting
from quiz.closing import close_due_exams
from quiz.models import Exam
from reports.board import build_board
from study import readings, sessions, spotchecks
from study.models import SpotCheckResult
from tests.campaign.recompute import person_figures
from tests.factories import UserFactory
from tests.quiz.closing_helpers import answer
from tests.quiz.factories import make_template, publish, sit_paper, small_bank
from tests.quiz.helpers import answer_all, start
from tests.study.factories import CheckInFactory, ReadingFactory, StudySessionFactory

W46, W47, W48 = date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)
TODAY = date(2026, 11, 26)  # Thursday of week 48
GRACE = timedelta(seconds=30)
COMPARED = (
    "assigned", "took", "passed_first", "passed_after", "absent", "outstanding", "scored", "member_days",
    "checkin_days", "minutes", "attendance_expected", "attended", "on_leave", "session_absent",
    "readings_required", "readings_done", "spot_checked", "spot_qualified", "spot_unqualified",
)  # fmt: skip


def at(day: date, hour: int = 9) -> datetime:
    return clock.local_datetime(day, time(hour, 0))


def _setting(key, value):
    from quiz.settings import SETTING_SPECS

    set_setting(next(s for s in SETTING_SPECS if s.key == key), value, None)
    db.session.commit()


def _week_test(world, frozen_clock, day, category, results):
    """A test of the east district opened at 09:00 on `day`; results: {user: 'pass'|'fail'}
    (anyone else assigned is absent). Closed after two days. Returns the exam."""
    frozen_clock.set(at(day))
    exam = publish(make_template(world["east"], category, title=f"周测{day}", retake_days=3))
    for user, result in results.items():
        attempt = sit_paper(exam, user)
        answer(attempt, wrong_positions=(1, 2, 3) if result == "fail" else ())
    frozen_clock.set(exam.closes_at + GRACE)
    close_due_exams(clock.now())
    db.session.commit()
    return exam


@pytest.fixture
def campaign(world, frozen_clock, login_as):
    """Weeks 46–48 of the east district: A (east_officer) studies at the station and moves to the
    court on Monday of week 48; B (east_officer2, court) fails week 46's test and passes its
    retake, then misses week 47's; C joins the station on 18 November."""
    _setting("QUIZ_RETAKE_REQUIRES_MAKEUP", "0")
    a, b = world["east_officer"], world["east_officer2"]
    category, _ = small_bank()
    reading = ReadingFactory(unit=world["east"], title="政法干警应知应会读本（第一章）", category=category)
    for day in (W46, W46 + timedelta(days=1)):
        frozen_clock.set(at(day, 20))
        CheckInFactory(user=a, day=day, minutes=120)
    exam = _week_test(world, frozen_clock, W46 + timedelta(days=1), category, {a: "pass", b: "fail"})
    retake = Exam.query.filter_by(retake_of_id=exam.id).one()
    frozen_clock.advance(timedelta(hours=1))
    client = login_as(b)
    state = start(client, retake)
    answer_all(client, state)
    assert client.post(f"/api/v1/attempts/{state['id']}/submit").get_json()["passed"] is True

    _week_test(world, frozen_clock, W47 + timedelta(days=1), category, {a: "pass"})  # b absent; c not yet
    frozen_clock.set(at(date(2026, 11, 18), 8))  # C joins the day after week 47's test was set
    c = UserFactory(username="new-c", full_name="新警丙", unit=world["east_station"], created_at=clock.now())
    frozen_clock.set(at(date(2026, 11, 19), 13))
    session = StudySessionFactory(unit=world["east_station"])  # 14:00–16:00
    frozen_clock.set(at(date(2026, 11, 19), 14) + timedelta(minutes=5))
    sessions.mark_present(None, session, [a.id], clock.now())
    frozen_clock.set(session.ends_at + timedelta(minutes=1))
    sessions.close_session(session, clock.now())  # c absent without leave
    for day in (date(2026, 11, 19), date(2026, 11, 20)):
        frozen_clock.set(at(day, 21))
        CheckInFactory(user=c, day=day, minutes=60)
        readings.mark_read(c, reading, clock.now())
    db.session.commit()
    frozen_clock.set(at(W47 + timedelta(days=6), 10))
    check = spotchecks.draw_spot_check(None, unit=world["east_station"], from_day=W46, to_day=W47 + timedelta(days=6),
                                       size=10, now=clock.now())  # fmt: skip
    for item in check.items:
        result = SpotCheckResult.QUALIFIED if item.user_id == a.id else SpotCheckResult.UNQUALIFIED
        spotchecks.mark_item(None, item, result=result, comment="笔记过于简单", now=clock.now())
    db.session.commit()

    frozen_clock.set(at(W48, 8))
    accounts.update_user(None, a, full_name=a.full_name, unit=world["east_court"], role=Role.OFFICER, phone=None,
                         now=clock.now())  # fmt: skip
    db.session.commit()
    for day in (W48, W48 + timedelta(days=1)):
        frozen_clock.set(at(day, 20))
        CheckInFactory(user=a, day=day, minutes=90)
    frozen_clock.set(at(TODAY, 10))
    return {"a": a, "b": b, "c": c}


def _counts(figures) -> dict:
    return {name: getattr(figures, name) for name in COMPARED}


def _raw(values) -> dict:
    return {name: int(values.get(name, 0)) for name in COMPARED}


def test_officer_and_unit_figures_equal_a_recomputation_from_raw_rows(world, campaign):
    east, station, court = world["east"], world["east_station"], world["east_court"]
    mine = officer_figures(east, W46, W48, TODAY)
    raw = person_figures(east.id, W46, W48, TODAY)
    a, b, c = campaign["a"], campaign["b"], campaign["c"]
    # The one who moved has a row in each unit; the others one each.
    for key in ((station.id, a.id), (court.id, a.id), (court.id, b.id), (station.id, c.id)):
        assert _counts(mine[key]) == _raw(raw[key]), key
    assert mine[(station.id, a.id)].checkin_days == 2 and mine[(court.id, a.id)].checkin_days == 2
    assert mine[(station.id, a.id)].assigned == 2 and mine[(court.id, a.id)].assigned == 0
    assert (mine[(court.id, b.id)].passed_first, mine[(court.id, b.id)].passed_after) == (0, 1)
    assert mine[(court.id, b.id)].outstanding == 1 and mine[(court.id, b.id)].absent == 1
    assert mine[(station.id, c.id)].assigned == 0  # joined after the week-47 test was set
    assert mine[(station.id, c.id)].member_days == 9 and mine[(station.id, c.id)].session_absent == 1
    assert mine[(station.id, c.id)].spot_unqualified == 2 and mine[(station.id, c.id)].readings_done == 1

    sheet = build_sheet(east, W46, W48, today=TODAY)
    units = {row.unit.id: row for row in sheet.units}
    for unit in (station, court):
        want = {name: sum(int(v.get(name, 0)) for (u, _p), v in raw.items() if u == unit.id) for name in COMPARED}
        assert _counts(units[unit.id].figures) == want, unit.name
    # The same numbers as the board's (the summaries): the court is a child of the east district.
    board = build_board(east, W46, W48, today=TODAY, cached=False)
    court_row = next(r for r in board.rows if r.unit.id == court.id).figures
    for name in ("assigned", "took", "passed_first", "passed_after", "absent", "outstanding", "checkin_days",
                 "minutes", "attended", "on_leave"):  # fmt: skip
        assert getattr(units[court.id].figures, name) == getattr(court_row, name), name
    assert units[court.id].figures.member_days == court_row.officer_days
    station_board = build_board(world["east_police"], W46, W48, today=TODAY, cached=False)
    station_row = next(r for r in station_board.rows if r.unit.id == station.id).figures
    assert units[station.id].figures.session_absent == station_row.session_absent == 1
    assert units[station.id].figures.member_days == station_row.officer_days


def test_the_personal_record_rows_are_the_sheets(world, campaign):
    sheet = build_sheet(world["city"], W46, W48, today=TODAY)
    a = campaign["a"]
    rows = person_rows(a, W46, W48, today=TODAY)
    assert [r.unit.id for r in rows] == [world["east_station"].id, world["east_court"].id] or [
        r.unit.id for r in rows
    ] == [world["east_court"].id, world["east_station"].id]
    on_sheet = {r.unit.id: r for r in sheet.officers if r.person.id == a.id}
    for row in rows:
        assert _counts(row.figures) == _counts(on_sheet[row.unit.id].figures)
        assert row.score == on_sheet[row.unit.id].score and row.marks == on_sheet[row.unit.id].marks


def test_lagging_marks_name_the_rule_met(world, campaign):
    sheet = build_sheet(world["east"], W46, W48, today=TODAY)
    b_row = next(r for r in sheet.officers if r.person.id == campaign["b"].id)
    assert any("1次测试尚未补课过关（规则：1次及以上）" in mark for mark in b_row.marks), b_row.marks
    c_row = next(r for r in sheet.officers if r.person.id == campaign["c"].id)
    assert any("每日学习目标" in mark for mark in c_row.marks), c_row.marks
    a_station = next(
        r for r in sheet.officers if r.person.id == campaign["a"].id and r.unit.id == world["east_station"].id
    )
    assert a_station.score is not None and a_station.score > 0
