"""Daily check-ins: one a day, same-day edits, late back-fill, notes length, and the day's
study minutes including attended sessions (through the JSON API and the page)."""

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from core import clock
from core.extensions import db
from study import checkins, sessions
from study.models import CheckIn, StudyMethod
from tests.study.factories import NOTES, CheckInFactory, ReadingFactory, StudySessionFactory

TODAY = date(2026, 11, 23)


def payload(**changes):
    return {"minutes": 90, "method": "self", "readings": [], "notes": NOTES, **changes}


def test_one_checkin_per_day_a_second_put_changes_the_same_row(world, login_as, frozen_clock):
    client = login_as(world["east_officer"])
    first = client.put(f"/api/v1/checkins/{TODAY}", json=payload())
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["checkin"]["minutes"] == 90 and first.get_json()["checkin"]["late"] is False
    second = client.put(f"/api/v1/checkins/{TODAY}", json=payload(minutes=150, method="online"))
    assert second.status_code == 200
    rows = db.session.scalars(sa.select(CheckIn).filter_by(user_id=world["east_officer"].id)).all()
    assert [(r.day, r.minutes, r.method) for r in rows] == [(TODAY, 150, StudyMethod.ONLINE)]


def test_the_database_refuses_a_second_checkin_for_the_same_day(world, frozen_clock):
    CheckInFactory(user=world["east_officer"])
    now = clock.now()
    db.session.add(
        CheckIn(
            user_id=world["east_officer"].id,
            day=TODAY,
            minutes=10,
            method=StudyMethod.SELF,
            reading_ids=[],
            notes="x",
            late=False,
            created_at=now,
            updated_at=now,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_checkin_cannot_be_changed_the_next_day(world, login_as, frozen_clock):
    client = login_as(world["east_officer"])
    assert client.put(f"/api/v1/checkins/{TODAY}", json=payload()).status_code == 200
    frozen_clock.advance(timedelta(days=1))
    client = login_as(world["east_officer"])  # the sign-in itself has expired overnight
    response = client.put(f"/api/v1/checkins/{TODAY}", json=payload(minutes=300))
    assert response.status_code == 409
    assert response.get_json() == {"error": "conflict", "message": "打卡只能在当天修改。"}
    assert db.session.scalar(sa.select(CheckIn.minutes)) == 90


def test_backfill_within_the_allowed_days_is_marked_late_and_beyond_is_refused(world, login_as, frozen_clock):
    client = login_as(world["east_officer"])
    ok = client.put(f"/api/v1/checkins/{TODAY - timedelta(days=3)}", json=payload())
    assert ok.status_code == 200 and ok.get_json()["checkin"]["late"] is True
    too_old = client.put(f"/api/v1/checkins/{TODAY - timedelta(days=4)}", json=payload())
    assert too_old.status_code == 400
    assert "3 天" in too_old.get_json()["message"]
    future = client.put(f"/api/v1/checkins/{TODAY + timedelta(days=1)}", json=payload())
    assert future.status_code == 400
    # The back-filled check-in may still be corrected on the day it was made.
    again = client.put(f"/api/v1/checkins/{TODAY - timedelta(days=3)}", json=payload(minutes=60))
    assert again.status_code == 200 and again.get_json()["checkin"]["late"] is True
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1


@pytest.mark.parametrize(
    "changes, field_message",
    [
        ({"notes": "学习了。"}, "至少需要 20 个字"),
        ({"notes": "  " + "字 " * 19}, "至少需要 20 个字"),
        ({"minutes": 0}, "1 到 1440"),
        ({"minutes": 1441}, "1 到 1440"),
        ({"minutes": "abc"}, "整数"),
        ({"method": "sleep"}, "学习方式"),
        ({"readings": [999999]}, "篇目"),
    ],
)
def test_bad_checkins_are_refused_with_a_chinese_message_and_nothing_saved(
    world, login_as, frozen_clock, changes, field_message
):
    response = login_as(world["east_officer"]).put(f"/api/v1/checkins/{TODAY}", json=payload(**changes))
    assert response.status_code == 400
    assert field_message in response.get_json()["message"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0


def test_notes_minimum_is_a_setting(app, world, login_as, frozen_clock):
    from core.settings import set_setting
    from study.settings import SETTING_SPECS

    spec = next(s for s in SETTING_SPECS if s.key == "STUDY_NOTES_MIN_LENGTH")
    set_setting(spec, "4", None)
    db.session.commit()
    response = login_as(world["east_officer"]).put(f"/api/v1/checkins/{TODAY}", json=payload(notes="学习笔记"))
    assert response.status_code == 200


def test_readings_must_apply_to_the_officer(world, login_as, frozen_clock):
    own = ReadingFactory(unit=world["east_police"])
    other = ReadingFactory(unit=world["east_court"])
    client = login_as(world["east_officer"])
    assert client.put(f"/api/v1/checkins/{TODAY}", json=payload(readings=[other.id])).status_code == 400
    response = client.put(f"/api/v1/checkins/{TODAY}", json=payload(readings=[own.id]))
    assert response.status_code == 200 and response.get_json()["checkin"]["readings"] == [own.id]


def test_bad_json_and_impossible_days(world, login_as, frozen_clock):
    client = login_as(world["east_officer"])
    assert client.put(f"/api/v1/checkins/{TODAY}", data="minutes=5").status_code == 400
    assert client.put("/api/v1/checkins/2026-02-30", json=payload()).status_code == 404
    assert client.get("/api/v1/checkins?from=yesterday").status_code == 400
    assert client.get("/api/v1/checkins?from=2026-01-01&to=2025-01-01").status_code == 400


def _attend(officer, unit, minutes=120, starts_in=timedelta(hours=1)):
    session = StudySessionFactory(
        unit=unit, starts_at=clock.now() + starts_in, ends_at=clock.now() + starts_in + timedelta(minutes=minutes)
    )
    sessions.mark_present(None, session, [officer.id], session.starts_at)
    sessions.close_session(session, session.ends_at)  # credit is granted when the session ends
    db.session.commit()
    return session


def test_attending_a_session_counts_its_minutes_toward_the_day(world, login_as, frozen_clock):
    officer = world["east_officer"]
    _attend(officer, world["east_police"], minutes=120)
    client = login_as(officer)
    # No check-in yet: the session alone counts.
    assert client.get(f"/api/v1/checkins?from={TODAY}&to={TODAY}").get_json()["study_minutes"] == {str(TODAY): 120}
    # Self-study is added to the session...
    client.put(f"/api/v1/checkins/{TODAY}", json=payload(minutes=30, method="self"))
    assert client.get(f"/api/v1/checkins?from={TODAY}&to={TODAY}").get_json()["study_minutes"] == {str(TODAY): 150}
    # ...but a check-in that reports 集中学习 already includes it: never counted twice.
    client.put(f"/api/v1/checkins/{TODAY}", json=payload(minutes=150, method="centralized"))
    body = client.get(f"/api/v1/checkins?from={TODAY}&to={TODAY}").get_json()
    assert body["study_minutes"] == {str(TODAY): 150}
    assert body["checkins"][0]["study_minutes"] == 150
    client.put(f"/api/v1/checkins/{TODAY}", json=payload(minutes=60, method="centralized"))
    assert client.get(f"/api/v1/checkins?from={TODAY}&to={TODAY}").get_json()["study_minutes"] == {str(TODAY): 120}


def test_absent_or_leave_does_not_count(world, frozen_clock):
    officer = world["east_officer"]
    session = StudySessionFactory(unit=world["east_police"])
    sessions.close_due_sessions(session.ends_at)
    db.session.commit()
    assert checkins.daily_minutes([officer.id], TODAY, TODAY) == {}


def test_streak_counts_days_in_a_row_and_today_may_still_come(world, frozen_clock):
    officer = world["east_officer"]
    for back in (3, 2, 1):
        frozen_clock.set(clock.local_datetime(TODAY - timedelta(days=back), time(20, 0)))
        CheckInFactory(user=officer, day=TODAY - timedelta(days=back))
    frozen_clock.set(clock.local_datetime(TODAY, time(9, 0)))
    assert checkins.streak(officer, TODAY) == 3
    CheckInFactory(user=officer)
    assert checkins.streak(officer, TODAY) == 4
    assert checkins.streak(officer, TODAY + timedelta(days=2)) == 0


def test_the_checkin_page_shows_status_calendar_and_streak(world, login_as, frozen_clock):
    officer = world["east_officer"]
    frozen_clock.set(clock.local_datetime(TODAY - timedelta(days=1), time(20, 0)))
    CheckInFactory(user=officer, day=TODAY - timedelta(days=1), minutes=130)
    frozen_clock.set(clock.local_datetime(TODAY, time(9, 0)))
    client = login_as(officer)
    page = client.get("/study/checkin").get_data(as_text=True)
    assert "今日尚未打卡" not in page and "未打卡" in page
    assert "连续 1 天" in page
    assert 'class="day met' in page and ">130<" in page
    response = client.post(
        "/study/checkin",
        data={"day": TODAY.isoformat(), "minutes": "45", "method": "online", "notes": NOTES},
    )
    assert response.status_code == 302
    page = client.get("/study/checkin").get_data(as_text=True)
    assert "已打卡" in page and "连续 2 天" in page and 'class="day partial' in page


def test_home_page_shows_todays_status_and_streak(world, login_as, frozen_clock):
    client = login_as(world["east_officer"])
    assert "今日学习" in client.get("/").get_data(as_text=True)
    CheckInFactory(user=world["east_officer"], minutes=125)
    page = client.get("/").get_data(as_text=True)
    assert ">125<" in page
