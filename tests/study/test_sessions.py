"""Sessions: the rotating code and its window, late marking, one sign-in each, scope, the QR
token, host marking, and closing with absentees (run twice: same result)."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from accounts import services as account_services
from core import clock
from core.extensions import db
from study import codes, sessions
from study.models import Attendance, AttendanceStatus, StudySession
from tests.factories import UserFactory
from tests.study.factories import StudySessionFactory

START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a multiple of 30 s


def _session(world, **kwargs):
    kwargs.setdefault("unit", world["east_police"])
    return StudySessionFactory(starts_at=START, ends_at=START + timedelta(hours=2), **kwargs)


def _code(session, at):
    return codes.current_code(session.secret, session.id, at, 30)[0]


def _signin(client, session, **body):
    return client.post(f"/api/v1/sessions/{session.id}/signin", json=body)


def statuses(session):
    db.session.rollback()
    return {
        row.user_id: row.status
        for row in db.session.scalars(sa.select(Attendance).where(Attendance.session_id == session.id))
    }


def test_the_code_rotates_and_the_previous_one_is_accepted_only_briefly(world, login_as, frozen_clock):
    session = _session(world)
    first = _code(session, START)
    assert len(first) == 6 and first.isdigit()
    assert _code(session, START + timedelta(seconds=29)) == first
    second = _code(session, START + timedelta(seconds=30))
    assert second != first
    frozen_clock.set(START + timedelta(seconds=35))  # 5 s after the change: the old code still works
    assert _signin(login_as(world["east_officer"]), session, code=first).status_code == 200
    late_typist = UserFactory(unit=world["east_station"])
    frozen_clock.set(START + timedelta(seconds=41))  # 11 s after the change: refused
    response = _signin(login_as(late_typist), session, code=first)
    assert response.status_code == 400
    assert response.get_json()["message"] == "签到码错误或已过期，请输入屏幕上当前显示的签到码。"
    assert _signin(login_as(late_typist), session, code=second).status_code == 200


def test_a_code_outside_the_signin_window_is_refused(world, login_as, frozen_clock):
    session = _session(world)
    frozen_clock.set(START - timedelta(minutes=31))
    client = login_as(world["east_officer"])
    early = _signin(client, session, code=_code(session, clock.now()))
    assert early.status_code == 409 and early.get_json()["message"] == "本次活动签到 09:30 开始。"
    frozen_clock.set(START + timedelta(minutes=61))
    client = login_as(world["east_officer"])
    late = _signin(client, session, code=_code(session, clock.now()))
    assert late.status_code == 409 and late.get_json()["message"] == "本次活动签到已于 11:00 截止。"
    assert statuses(session) == {}


def test_signing_in_after_the_grace_is_late(world, login_as, frozen_clock):
    session = _session(world)
    frozen_clock.set(START + timedelta(minutes=4))
    on_time = _signin(login_as(world["east_officer"]), session, code=_code(session, clock.now()))
    assert on_time.get_json()["status"] == "present"
    frozen_clock.set(START + timedelta(minutes=6))
    late = _signin(login_as(world["east_officer2"]), session, code=_code(session, clock.now()))
    assert late.status_code == 403  # east_court is not under east_police: not expected here
    colleague = UserFactory(unit=world["east_station"])
    late = _signin(login_as(colleague), session, code=_code(session, clock.now()))
    assert late.get_json() | {"signed_in_at": None} == {"status": "late", "status_label": "迟到", "signed_in_at": None}


def test_one_signin_per_officer_and_never_for_someone_else(world, login_as, frozen_clock):
    session = _session(world)
    frozen_clock.set(START)
    client = login_as(world["east_officer"])
    colleague = UserFactory(unit=world["east_station"])
    first = _signin(client, session, code=_code(session, START), user_id=colleague.id)
    assert first.status_code == 200
    again = _signin(client, session, code=_code(session, START))
    assert again.status_code == 409 and again.get_json()["message"] == "您已于 10:00 签到，无需重复签到。"
    # The colleague named in the body is only on the expected list, not signed in.
    assert statuses(session) == {
        world["east_officer"].id: AttendanceStatus.PRESENT,
        colleague.id: AttendanceStatus.PENDING,
    }


def test_a_code_for_another_session_is_refused_by_name(world, login_as, frozen_clock):
    session = _session(world)
    other = _session(world, title="警示教育大会")
    frozen_clock.set(START)
    response = _signin(login_as(world["east_officer"]), session, code=_code(other, START))
    assert response.status_code == 400
    assert response.get_json()["message"] == "这是另一场活动的签到码：警示教育大会。"


def test_officers_outside_the_scope_cannot_sign_in(world, login_as, frozen_clock):
    session = _session(world)
    frozen_clock.set(START)
    response = _signin(login_as(world["west_officer"]), session, code=_code(session, START))
    assert response.status_code == 403 and response.get_json()["message"] == "本次活动不在您单位的参加范围内。"
    supervisor = login_as(world["east_supervisor"])
    assert _signin(supervisor, session, code=_code(session, START)).status_code == 403
    assert statuses(session) == {}


def test_the_qr_token_signs_in_until_it_expires(world, login_as, frozen_clock):
    session = _session(world)
    other = _session(world)
    frozen_clock.set(START)
    token = codes.make_token(session.id)
    client = login_as(world["east_officer"])
    page = client.get(f"/study/sessions/{session.id}?t={token}").get_data(as_text=True)
    assert "立即签到" in page and token in page
    frozen_clock.set(START + timedelta(seconds=codes.QR_TOKEN_SECONDS - 1))
    assert _signin(login_as(world["east_officer"]), session, token=token).status_code == 200
    wrong_session = _signin(login_as(world["east_officer"]), other, token=token)
    assert wrong_session.status_code == 400
    frozen_clock.set(START + timedelta(seconds=codes.QR_TOKEN_SECONDS + 1))
    colleague = login_as(UserFactory(unit=world["east_station"]))
    expired = _signin(colleague, session, token=token)
    assert expired.status_code == 400 and "二维码已过期" in expired.get_json()["message"]
    assert "二维码已过期" in colleague.get(f"/study/sessions/{session.id}?t={token}").get_data(as_text=True)
    assert _signin(colleague, session, token="forged.token.value").status_code == 400


def test_the_page_form_signs_in_without_javascript(world, login_as, frozen_clock):
    session = _session(world)
    frozen_clock.set(START)
    client = login_as(world["east_officer"])
    response = client.post(f"/study/sessions/{session.id}/signin", data={"code": _code(session, START)})
    assert response.status_code == 302
    assert "签到成功：出席" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_host_code_endpoint_and_projector_page_are_for_supervisors_in_scope(world, login_as, frozen_clock):
    session = _session(world)
    supervisor = login_as(world["east_supervisor"])
    frozen_clock.set(START - timedelta(hours=1))
    supervisor = login_as(world["east_supervisor"])
    assert supervisor.get(f"/api/v1/sessions/{session.id}/code").get_json()["open"] is False
    frozen_clock.set(START + timedelta(seconds=7))
    supervisor = login_as(world["east_supervisor"])
    body = supervisor.get(f"/api/v1/sessions/{session.id}/code").get_json()
    assert body["open"] is True and body["code"] == _code(session, START)
    assert body["expires_in"] == 23 and body["step"] == 30
    assert body["qr"].startswith("data:image/svg+xml")
    assert body["counts"] == {"present": 0, "late": 0, "expected": 1}
    page = supervisor.get(f"/manage/study/sessions/{session.id}/projector").get_data(as_text=True)
    assert "data-code-url" in page and session.secret not in page
    assert login_as(world["west_supervisor"]).get(f"/api/v1/sessions/{session.id}/code").status_code == 403
    assert login_as(world["east_officer"]).get(f"/api/v1/sessions/{session.id}/code").status_code == 403


def test_host_marks_people_present_in_bulk(world, login_as, frozen_clock):
    session = _session(world)
    frozen_clock.set(START + timedelta(minutes=20))
    supervisor = login_as(world["east_supervisor"])
    response = supervisor.post(
        f"/manage/study/sessions/{session.id}/present", data={"user_id": [str(world["east_officer"].id)]}
    )
    assert response.status_code == 302
    assert statuses(session)[world["east_officer"].id] == AttendanceStatus.PRESENT
    outsider = supervisor.post(
        f"/manage/study/sessions/{session.id}/present", data={"user_id": [str(world["west_officer"].id)]}
    )
    assert "不在本次活动的应到范围内" in supervisor.get(outsider.headers["Location"]).get_data(as_text=True)
    assert world["west_officer"].id not in statuses(session)
    west = login_as(world["west_supervisor"])
    assert west.post(f"/manage/study/sessions/{session.id}/present", data={"user_id": ["1"]}).status_code == 403


def test_closing_marks_absentees_once_and_a_second_run_changes_nothing(world, login_as, frozen_clock):
    session = _session(world)
    stay_away = UserFactory(unit=world["east_station"])
    frozen_clock.set(START)
    _signin(login_as(world["east_officer"]), session, code=_code(session, START))
    frozen_clock.set(session.ends_at)
    assert sessions.close_due_sessions(clock.now()) == 1
    db.session.commit()
    first = statuses(session)
    assert first == {world["east_officer"].id: AttendanceStatus.PRESENT, stay_away.id: AttendanceStatus.ABSENT}
    frozen_clock.advance(timedelta(minutes=5))
    assert sessions.close_due_sessions(clock.now()) == 0
    db.session.commit()
    assert statuses(session) == first
    assert db.session.get(StudySession, session.id).closed_at == session.ends_at


def test_the_expected_list_is_fixed_at_the_start(world, frozen_clock):
    """People who join, move or leave after the start change neither the list nor the history."""
    session = _session(world)
    gone_before = UserFactory(unit=world["east_station"])
    account_services.set_user_active(None, gone_before, False, clock.now())
    db.session.commit()
    frozen_clock.set(START + timedelta(minutes=1))
    sessions.close_due_sessions(clock.now())  # the scheduler tick after the start takes the list
    db.session.commit()
    assert set(statuses(session)) == {world["east_officer"].id}
    newcomer = UserFactory(unit=world["east_station"])
    account_services.update_user(
        None,
        world["east_officer"],
        full_name=world["east_officer"].full_name,
        unit=world["west_police"],
        role=world["east_officer"].role,
        phone=None,
        now=clock.now(),
    )
    db.session.commit()
    frozen_clock.set(session.ends_at)
    sessions.close_due_sessions(clock.now())
    db.session.commit()
    assert statuses(session) == {world["east_officer"].id: AttendanceStatus.ABSENT}
    assert newcomer.id not in statuses(session)


def test_close_sessions_cli(world, runner, frozen_clock):
    session = _session(world)
    result = runner.invoke(args=["close-sessions", "--at", "2026-11-23T12:00"])
    assert result.exit_code == 0 and "sessions closed: 1" in result.output
    assert statuses(session) == {world["east_officer"].id: AttendanceStatus.ABSENT}
    again = runner.invoke(args=["close-sessions", "--at", "2026-11-23T12:30"])
    assert "sessions closed: 0" in again.output


def test_my_sessions_api_lists_my_status(world, login_as, frozen_clock):
    session = _session(world)
    _session(world, unit=world["west_police"])
    frozen_clock.set(START)
    client = login_as(world["east_officer"])
    _signin(client, session, code=_code(session, START))
    listed = client.get("/api/v1/sessions").get_json()["sessions"]
    assert [(s["id"], s["my_status"], s["signin_open"]) for s in listed] == [(session.id, "present", True)]
    assert "secret" not in str(listed)


def test_supervisor_schedules_a_session_through_the_form(world, login_as, frozen_clock):
    supervisor = login_as(world["east_supervisor"])
    data = {
        "kind": "party_lecture",
        "title": "专题党课：筑牢政治忠诚",
        "speaker": "李书记",
        "place": "大礼堂",
        "unit_id": str(world["east"].id),
        "starts_at": "2026-11-25T14:30",
        "ends_at": "2026-11-25T16:30",
    }
    bad = supervisor.post("/manage/study/sessions/new", data=data | {"ends_at": "2026-11-25T14:00"})
    assert "结束时间必须晚于开始时间" in bad.get_data(as_text=True)
    outside = supervisor.post("/manage/study/sessions/new", data=data | {"unit_id": str(world["west"].id)})
    assert outside.status_code == 200 and db.session.scalar(sa.select(sa.func.count(StudySession.id))) == 0
    response = supervisor.post("/manage/study/sessions/new", data=data)
    assert response.status_code == 302
    created = db.session.scalar(sa.select(StudySession))
    assert created.title == "专题党课：筑牢政治忠诚"
    assert clock.local(created.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-11-25 14:30"
    page = supervisor.get(response.headers["Location"]).get_data(as_text=True)
    assert "签到时间 14:00 至 15:30" in page


def test_attendance_table_shows_names_by_status(world, login_as, frozen_clock):
    session = _session(world)
    frozen_clock.set(START)
    _signin(login_as(world["east_officer"]), session, code=_code(session, START))
    frozen_clock.set(session.ends_at)
    colleague = UserFactory(unit=world["east_station"], full_name="缺席的人")
    sessions.close_due_sessions(clock.now())
    db.session.commit()
    page = login_as(world["east_supervisor"]).get(f"/manage/study/sessions/{session.id}").get_data(as_text=True)
    assert 'id="status-present"' in page and world["east_officer"].full_name in page
    assert colleague.full_name not in page  # joined after the start: not expected


def test_the_code_period_and_late_grace_are_settings(world, login_as, frozen_clock):
    from core.settings import set_setting
    from study.settings import SETTING_SPECS

    specs = {spec.key: spec for spec in SETTING_SPECS}
    set_setting(specs["STUDY_SIGNIN_CODE_SECONDS"], "60", None)
    set_setting(specs["STUDY_LATE_GRACE_MINUTES"], "15", None)
    db.session.commit()
    session = _session(world)
    code = codes.current_code(session.secret, session.id, START, 60)[0]
    frozen_clock.set(START + timedelta(seconds=59))
    response = _signin(login_as(world["east_officer"]), session, code=code)  # 59 s on: a 30-s code would be gone
    assert response.status_code == 200 and response.get_json()["status"] == "present"
    frozen_clock.set(START + timedelta(minutes=10))  # after the default 5-minute grace, within 15
    colleague = UserFactory(unit=world["east_station"])
    later = codes.current_code(session.secret, session.id, clock.now(), 60)[0]
    assert _signin(login_as(colleague), session, code=later).get_json()["status"] == "present"
    admin_page = login_as(world["admin"]).get("/admin/settings").get_data(as_text=True)
    assert "签到码刷新间隔（秒）" in admin_page and 'value="60"' in admin_page


def test_a_session_cannot_be_edited_once_started(world, login_as, frozen_clock):
    session = _session(world)
    frozen_clock.set(START + timedelta(minutes=1))
    supervisor = login_as(world["east_supervisor"])
    response = supervisor.post(
        f"/manage/study/sessions/{session.id}/edit",
        data={
            "kind": "centralized",
            "title": "改名",
            "unit_id": str(world["east_police"].id),
            "starts_at": "2026-11-24T10:00",
            "ends_at": "2026-11-24T12:00",
        },
    )
    assert "学习活动开始后不能再修改" in response.get_data(as_text=True)
    assert db.session.get(StudySession, session.id).title != "改名"
