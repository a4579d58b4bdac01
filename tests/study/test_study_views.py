"""Pages and documents around the study API: the supervisor's check-in overview, home panels,
officer pages in Chinese, the OpenAPI description, and the officer-only rules of the API."""

from datetime import date, time, timedelta

from core import clock
from tests.factories import UserFactory
from tests.study.factories import CheckInFactory, ReadingFactory, StudySessionFactory

TODAY = date(2026, 11, 23)


def test_checkin_overview_for_a_day_and_a_week_in_scope(world, login_as, frozen_clock):
    missing = UserFactory(unit=world["east_station"], full_name="没打卡的人")
    frozen_clock.set(clock.local_datetime(TODAY - timedelta(days=1), time(20, 0)))
    CheckInFactory(user=world["east_officer2"], day=TODAY - timedelta(days=1), minutes=100)
    frozen_clock.set(clock.local_datetime(TODAY, time(9, 0)))
    CheckInFactory(user=world["east_officer"], minutes=130)
    supervisor = login_as(world["east_supervisor"])
    day = supervisor.get("/manage/study/checkins").get_data(as_text=True)
    assert "没打卡的人" in day and world["west_officer"].full_name not in day
    assert "33.3%" in day  # 1 of 3 east officers today
    week = supervisor.get("/manage/study/checkins?day=2026-11-20&period=week").get_data(as_text=True)
    assert "2026-11-16 – 2026-11-22" in week and "33.3%" in week
    assert 'data-label="学习分钟">100<' in week
    station = supervisor.get(f"/manage/study/checkins?unit={world['east_station'].id}").get_data(as_text=True)
    assert world["east_officer2"].full_name not in station and missing.full_name in station
    west_unit = supervisor.get(f"/manage/study/checkins?unit={world['west'].id}")
    assert west_unit.status_code == 403


def test_home_panels(world, login_as, frozen_clock):
    StudySessionFactory(unit=world["east"], title="夜校：新时代政法干警职业道德")
    CheckInFactory(user=world["east_officer"])
    manager = login_as(world["east_supervisor"]).get("/").get_data(as_text=True)
    assert "今日已打卡：1 / 2 名干警" in manager and "夜校：新时代政法干警职业道德" in manager
    officer = login_as(world["east_officer"]).get("/").get_data(as_text=True)
    assert "今日集中学习" in officer and "夜校：新时代政法干警职业道德" in officer


def test_officer_pages_are_chinese(world, login_as, frozen_clock):
    ReadingFactory(unit=world["east"], title="政法干警核心价值观")
    StudySessionFactory(unit=world["east"], title="英模事迹报告会")
    client = login_as(world["east_officer"])
    assert "必学篇目已学 0 / 1 篇" in client.get("/study/readings").get_data(as_text=True)
    sessions_page = client.get("/study/sessions").get_data(as_text=True)
    assert "英模事迹报告会" in sessions_page and "即将开始" in sessions_page
    assert "学习日历" in client.get("/study/checkin").get_data(as_text=True)


def test_openapi_describes_the_study_api(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get"} == set(paths["/api/v1/checkins"]) and {"put"} == set(paths["/api/v1/checkins/{day}"])
    assert "post" in paths["/api/v1/sessions/{session_id}/signin"]
    assert "post" in paths["/api/v1/sessions/{session_id}/leave"]
    assert "get" in paths["/api/v1/sessions"]


def test_api_writes_need_csrf_and_an_officer(world, login_as, frozen_clock):
    client = login_as(world["east_officer"])
    client.csrf = False
    response = client.put(f"/api/v1/checkins/{TODAY}", json={"minutes": 60})
    assert response.status_code == 400 and response.get_json()["error"] == "csrf_failed"
    supervisor = login_as(world["east_supervisor"])
    assert supervisor.put(f"/api/v1/checkins/{TODAY}", json={}).status_code == 403
    assert world["east_officer"].id and client.get("/api/v1/checkins").status_code == 200
    assert login_as(world["east_officer"]).application.test_client().get("/api/v1/checkins").status_code == 401
