"""The appraisal score and lagging marks of a small world, checked against a computation by hand.

Two officers of the east station over weeks 46–47 (9–22 November 2026), seen on 26 November:

- P (east_officer): week 46's test passed first time; week 47's failed, then its retake passed.
  Check-ins of 120, 60 and 90 minutes (9, 10, 11 Nov); present at session 1 from its start
  (14:00–16:00, 120 minutes of credit), absent without leave from session 2. Read one of the two
  required readings. Spot-check of 9–11 Nov: the notes of 9 Nov not qualified, 10 and 11 qualified.
- Q: failed week 46's test and never took its retake; absent from week 47's. Check-ins of 120
  minutes on 12, 13, 16 and 17 Nov; on approved leave from session 1, present at session 2 from
  its start (120 minutes). Read both required readings. No notes spot-checked (their check-ins
  are after the spot-check's days).

The score, as appraisal.sheet.score defines it and the settings' help ("0 leaves the figure out
of the score") and README ("the admins' weights over its rates", "0: left out") say: the weighted
average of the row's rates, times 100, to one decimal; a rate whose denominator is 0 (nothing to
measure) is left out with its weight, as is a rate whose weight is 0. The study rate is minutes
against the daily target (120) times the days the officer belonged, at most 1. A unit's row is the
sum of its officers' counts, its rates taken from the sums.

Every expected number below is written out from the raw facts above, not computed by the app.
"""

from datetime import date, datetime, time, timedelta

import pytest

from appraisal.settings import SETTING_SPECS as APPRAISAL_SPECS
from appraisal.sheet import build_sheet
from core import clock
from core.extensions import db
from core.settings import set_setting
from quiz.closing import close_due_exams
from quiz.models import Exam
from quiz.settings import SETTING_SPECS as QUIZ_SPECS
from study import leave, readings, sessions, spotchecks
from study.models import SpotCheckResult
from tests.factories import UserFactory
from tests.quiz.closing_helpers import answer
from tests.quiz.factories import make_template, publish, sit_paper, small_bank
from tests.quiz.helpers import answer_all, start
from tests.study.factories import CheckInFactory, ReadingFactory, StudySessionFactory

W46, W47 = date(2026, 11, 9), date(2026, 11, 16)
TODAY = date(2026, 11, 26)
GRACE = timedelta(seconds=30)
NOV = {d: date(2026, 11, d) for d in range(1, 31)}


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return clock.local_datetime(day, time(hour, minute))


def _set(specs, key, value):
    set_setting(next(s for s in specs if s.key == key), value, None)
    db.session.commit()


def _check_in(frozen_clock, user, day, minutes):
    frozen_clock.set(at(day, 20))
    CheckInFactory(user=user, day=day, minutes=minutes)


def _session(frozen_clock, unit, day):
    """A session of `unit` on `day`, 14:00–16:00."""
    frozen_clock.set(at(day, 13))
    return StudySessionFactory(unit=unit)


@pytest.fixture
def small_world(world, frozen_clock, login_as):
    _set(QUIZ_SPECS, "QUIZ_RETAKE_REQUIRES_MAKEUP", "0")
    station = world["east_station"]
    p = world["east_officer"]
    q = UserFactory(username="off-east3", full_name="干警乙", unit=station)
    category, _ = small_bank()
    frozen_clock.set(at(NOV[2]))
    r1 = ReadingFactory(unit=world["east"], title="必学一", category=category)
    r2 = ReadingFactory(unit=world["east"], title="必学二", category=category)
    ReadingFactory(unit=world["east"], title="选学", category=category, required=False)  # not required
    ReadingFactory(unit=world["west"], title="西区必学", category=category)  # not the station's

    _check_in(frozen_clock, p, NOV[9], 120)
    # Week 46's test, opened Tue 10 Nov 09:00 for two days: P passes, Q fails.
    frozen_clock.set(at(NOV[10]))
    test46 = publish(make_template(world["east"], category, title="周测46", retake_days=3))
    answer(sit_paper(test46, p))
    answer(sit_paper(test46, q), wrong_positions=(1, 2, 3))
    _check_in(frozen_clock, p, NOV[10], 60)
    _check_in(frozen_clock, p, NOV[11], 90)
    frozen_clock.set(test46.closes_at + GRACE)  # Thu 12 Nov 09:00:30; Q never takes the retake
    close_due_exams(clock.now())
    db.session.commit()

    frozen_clock.set(at(NOV[12], 10))
    check = spotchecks.draw_spot_check(None, unit=station, from_day=NOV[9], to_day=NOV[11], size=10, now=clock.now())
    assert {item.checkin.day for item in check.items} == {NOV[9], NOV[10], NOV[11]}  # all P's
    for item in check.items:
        result = SpotCheckResult.UNQUALIFIED if item.checkin.day == NOV[9] else SpotCheckResult.QUALIFIED
        spotchecks.mark_item(None, item, result=result, comment="笔记过于简单", now=clock.now())
    db.session.commit()
    for day in (NOV[12], NOV[13], NOV[16], NOV[17]):
        _check_in(frozen_clock, q, day, 120)
    frozen_clock.set(at(NOV[13], 21))
    readings.mark_read(p, r1, clock.now())
    readings.mark_read(q, r1, clock.now())
    readings.mark_read(q, r2, clock.now())
    db.session.commit()

    # Week 47's test, opened Tue 17 Nov 09:00: P fails, Q absent.
    frozen_clock.set(at(NOV[17]))
    test47 = publish(make_template(world["east"], category, title="周测47", retake_days=3))
    answer(sit_paper(test47, p), wrong_positions=(1, 2, 3))

    # Session 1, Wed 18 Nov: Q on approved leave, P present from the start.
    first = _session(frozen_clock, station, NOV[18])
    request = leave.request_leave(q, first, "值班备勤", clock.now())
    leave.decide_leave(world["east_supervisor"], request, approve=True, now=clock.now())
    frozen_clock.set(first.starts_at)
    sessions.mark_present(None, first, [p.id], clock.now())
    frozen_clock.set(first.ends_at + timedelta(minutes=1))
    sessions.close_session(first, clock.now())
    db.session.commit()

    frozen_clock.set(test47.closes_at + GRACE)  # Thu 19 Nov 09:00:30
    close_due_exams(clock.now())
    db.session.commit()
    retake = Exam.query.filter_by(retake_of_id=test47.id).one()
    frozen_clock.set(at(NOV[19], 10))
    client = login_as(p)
    state = start(client, retake)
    answer_all(client, state)
    assert client.post(f"/api/v1/attempts/{state['id']}/submit").get_json()["passed"] is True

    # Session 2, Fri 20 Nov: Q present from the start, P absent without leave.
    second = _session(frozen_clock, station, NOV[20])
    frozen_clock.set(second.starts_at)
    sessions.mark_present(None, second, [q.id], clock.now())
    frozen_clock.set(second.ends_at + timedelta(minutes=1))
    sessions.close_session(second, clock.now())
    db.session.commit()
    frozen_clock.set(at(TODAY, 10))
    return {"station": station, "p": p, "q": q}


def _sheet(small_world):
    sheet = build_sheet(small_world["station"], W46, W47, today=TODAY)
    rows = {row.person.id: row for row in sheet.officers}
    assert set(rows) == {small_world["p"].id, small_world["q"].id}
    [unit] = sheet.units
    assert unit.figures == sheet.total.figures and unit.score == sheet.total.score
    return rows[small_world["p"].id], rows[small_world["q"].id], unit


# The raw facts of each row, counted from the story above.
TARGET = 120 * 14  # the daily target times the 14 days of weeks 46–47 (both belonged all along)
P_FACTS = {
    "assigned": 2, "took": 2, "passed_first": 1, "passed_after": 2, "outstanding": 0,
    "member_days": 14, "checkin_days": 3, "minutes": 120 + 60 + 90 + 120,  # check-ins + session 1
    "attendance_expected": 2, "attended": 1, "on_leave": 0, "session_absent": 1,
    "readings_required": 2, "readings_done": 1, "spot_checked": 3, "spot_qualified": 2, "spot_unqualified": 1,
}  # fmt: skip
Q_FACTS = {
    "assigned": 2, "took": 1, "passed_first": 0, "passed_after": 0, "outstanding": 2,
    "member_days": 14, "checkin_days": 4, "minutes": 4 * 120 + 120,  # check-ins + session 2
    "attendance_expected": 2, "attended": 1, "on_leave": 1, "session_absent": 0,
    "readings_required": 2, "readings_done": 2, "spot_checked": 0, "spot_qualified": 0, "spot_unqualified": 0,
}  # fmt: skip


def _facts(row) -> dict:
    return {name: getattr(row.figures, name) for name in P_FACTS}


def test_score_equals_a_computation_by_hand(small_world):
    p, q, unit = _sheet(small_world)
    assert _facts(p) == P_FACTS
    assert _facts(q) == Q_FACTS
    assert _facts(unit) == {name: P_FACTS[name] + Q_FACTS[name] for name in P_FACTS}
    assert p.figures.target_minutes == q.figures.target_minutes == TARGET

    # P, default weights 30/10/10/25/15/5/5 (sum 100), every rate measurable:
    #   pass after retake 2/2 = 1       * 30 = 30
    #   pass first time   1/2 = 0.5     * 10 =  5
    #   participation     2/2 = 1       * 10 = 10
    #   study       390/1680 = 0.232143 * 25 =  5.803571
    #   attendance        1/2 = 0.5     * 15 =  7.5
    #   readings          1/2 = 0.5     *  5 =  2.5
    #   spot-checks       2/3 = 0.666667*  5 =  3.333333
    #   sum 64.136905 / 100 * 100 -> 64.1
    assert p.score == 64.1
    # Q: no note spot-checked, so that rate and its weight 5 leave the average (weights sum 95):
    #   pass after 0/2 * 30 = 0; first 0/2 * 10 = 0; participation 1/2 * 10 = 5;
    #   study 600/1680 = 0.357143 * 25 = 8.928571; attendance 1/2 (leave counts as expected,
    #   not attended) * 15 = 7.5; readings 2/2 * 5 = 5
    #   sum 26.428571 / 95 * 100 = 27.819549 -> 27.8
    assert q.score == 27.8
    # The station: the sums of both rows.
    #   pass after 2/4 = 0.5 * 30 = 15; first 1/4 = 0.25 * 10 = 2.5; participation 3/4 * 10 = 7.5;
    #   study 990/3360 = 0.294643 * 25 = 7.366071; attendance 2/4 * 15 = 7.5;
    #   readings 3/4 * 5 = 3.75; spot-checks 2/3 * 5 = 3.333333
    #   sum 46.949405 / 100 * 100 -> 46.9
    assert unit.score == 46.9


def test_a_weight_of_0_leaves_its_rate_out(small_world):
    _set(APPRAISAL_SPECS, "APPRAISAL_WEIGHT_STUDY", "0")
    p, q, unit = _sheet(small_world)
    # Weights 30/10/10/-/15/5/5, sum 75 (Q: 70, no spot-check).
    #   P: 30 + 5 + 10 + 7.5 + 2.5 + 3.333333 = 58.333333 / 75 * 100 = 77.777778 -> 77.8
    assert p.score == 77.8
    #   Q: 0 + 0 + 5 + 7.5 + 5 = 17.5 / 70 * 100 = 25.0
    assert q.score == 25.0
    #   station: 15 + 2.5 + 7.5 + 7.5 + 3.75 + 3.333333 = 39.583333 / 75 * 100 = 52.777778 -> 52.8
    assert unit.score == 52.8


def test_the_score_rounds_half_up(small_world):
    """A committee checking the score by hand rounds 四舍五入: x.x5 goes up."""
    for key, value in (("APPRAISAL_WEIGHT_PASS", "5"), ("APPRAISAL_WEIGHT_FIRST_PASS", "3")):
        _set(APPRAISAL_SPECS, key, value)
    for key in ("PARTICIPATION", "STUDY", "ATTENDANCE", "READINGS", "SPOT_CHECKS"):
        _set(APPRAISAL_SPECS, f"APPRAISAL_WEIGHT_{key}", "0")
    p, q, unit = _sheet(small_world)
    # P: (1 * 5 + 0.5 * 3) / 8 = 6.5 / 8 = 0.8125 -> 81.25 -> 81.3 (not the even 81.2)
    assert p.score == 81.3
    # Q: (0 * 5 + 0 * 3) / 8 = 0
    assert q.score == 0.0
    # station: (0.5 * 5 + 0.25 * 3) / 8 = 3.25 / 8 = 0.40625 -> 40.625 -> 40.6
    assert unit.score == 40.6


def test_lagging_marks_by_hand(small_world):
    p, q, unit = _sheet(small_world)
    # Default rules: pass line 60 (marked), 1 test not yet passed, study below 50% of the target,
    # 3 absences without leave; units: pass rate after retake below 90%, 10% of officers lagging.
    # P: 64.1 >= 60; 0 outstanding; studied 390/1680 = 23.2% < 50%; 1 absence < 3.
    assert p.marks == ["学习滞后：学习时长仅达每日学习目标的23.2%（规则：低于50%）"]
    # Q: 27.8 < 60; 2 outstanding >= 1; 600/1680 = 35.7% < 50%; 0 absences.
    assert q.marks == [
        "不合格：得分27.8低于合格线60",
        "学习滞后：2次测试尚未补课过关（规则：1次及以上）",
        "学习滞后：学习时长仅达每日学习目标的35.7%（规则：低于50%）",
    ]
    # Station: 46.9 < 60; pass rate after retake 2/4 = 50.0% < 90%; 2 of 2 officers lagging = 100% >= 10%.
    assert unit.marks == [
        "不合格：得分46.9低于合格线60",
        "学习滞后：补考后合格率50.0%（规则：低于90%）",
        "学习滞后：2名干警中2名滞后（规则：占比达10%）",
    ]

    # Tighter rules: 1 absence is enough; study below 20%; pass line 65.
    _set(APPRAISAL_SPECS, "APPRAISAL_LAG_SESSION_ABSENCES", "1")
    _set(APPRAISAL_SPECS, "APPRAISAL_LAG_STUDY_PERCENT", "20")
    _set(APPRAISAL_SPECS, "APPRAISAL_PASS_LINE", "65")
    p, q, unit = _sheet(small_world)
    # P: 64.1 < 65; 23.2% >= 20% (no study mark); 1 absence >= 1.
    assert p.marks == ["不合格：得分64.1低于合格线65", "学习滞后：无故缺席集中学习1次（规则：1次及以上）"]
    # Q: 35.7% >= 20% (no study mark); still below the line and 2 outstanding.
    assert q.marks == ["不合格：得分27.8低于合格线65", "学习滞后：2次测试尚未补课过关（规则：1次及以上）"]

    # Rules off (0 / False): no marks at all.
    for key in ("APPRAISAL_LAG_OUTSTANDING", "APPRAISAL_LAG_STUDY_PERCENT", "APPRAISAL_LAG_SESSION_ABSENCES",
                "APPRAISAL_LAG_UNIT_PASS_RATE", "APPRAISAL_LAG_UNIT_LAGGING_SHARE"):  # fmt: skip
        _set(APPRAISAL_SPECS, key, "0")
    _set(APPRAISAL_SPECS, "APPRAISAL_LAG_BELOW_PASS_LINE", "0")
    p, q, unit = _sheet(small_world)
    assert p.marks == q.marks == unit.marks == []
