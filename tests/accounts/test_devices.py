"""记住这台手机 (issue 17): a remembered phone signs its holder in again without a password check,
until it is revoked, expires, or its holder signs out, changes the password, has it reset or is
deactivated; the holder and the supervisors and admins of their scope list and revoke them."""

import hashlib
from datetime import timedelta

import pytest

from accounts import devices, passwords
from accounts.audit import AuditEvent
from accounts.models import LoginSession, RememberedDevice
from core import clock
from core.extensions import db
from tests.factories import TEST_PASSWORD

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.6099.144 Mobile Safari/537.36"
)
IPHONE_WECHAT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 MicroMessenger/8.0.44(0x18002c2f) NetType/WIFI Language/zh_CN"
)
COOKIE = "yingzhi_device"


def remembered(app, user, password=TEST_PASSWORD, user_agent=ANDROID_CHROME):
    """A client signed in as `user` with the box ticked; returns (client, sign-in response)."""
    client = app.test_client()
    response = client.post(
        "/login",
        data={"username": user.username, "password": password, "remember": "y"},
        headers={"User-Agent": user_agent},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client, response


def phone_with(app, cookie_value):
    """A new client carrying only a device cookie, as a phone whose session has gone."""
    client = app.test_client()
    client.set_cookie(COOKIE, cookie_value)
    return client


def device_cookie_header(response):
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))


def phone_cookie(response):
    """The device cookie's value ("id.token") a response handed out."""
    return device_cookie_header(response).split(";")[0].split("=", 1)[1]


def device_rows(user):
    db.session.rollback()
    return db.session.query(RememberedDevice).filter_by(user_id=user.id).order_by(RememberedDevice.id).all()


def events(action):
    db.session.rollback()
    return db.session.query(AuditEvent).filter_by(action=action).order_by(AuditEvent.id).all()


def signed_in(client):
    return client.get("/").status_code == 200


@pytest.fixture
def password_checks(monkeypatch):
    """How many password hashes were checked (real and dummy checks both go through here)."""
    calls = []
    original = passwords.check_password_hash

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(passwords, "check_password_hash", counting)
    return calls


# ---- signing in again ----------------------------------------------------------------------------


def test_a_remembered_phone_is_signed_in_again_without_a_password_check(world, app, password_checks):
    _client, response = remembered(app, world["east_officer"])
    header = device_cookie_header(response)
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header
    cookie_value = phone_cookie(response)
    assert len(password_checks) == 1  # the sign-in itself

    phone = phone_with(app, cookie_value)
    page = phone.get("/")
    assert page.status_code == 200 and "我的学习" in page.get_data(as_text=True)
    assert len(password_checks) == 1  # no password hash was checked for the device
    assert signed_in(phone) and phone.get_cookie("yingzhi_session") is not None

    (device,) = device_rows(world["east_officer"])
    sessions = db.session.query(LoginSession).filter_by(user_id=world["east_officer"].id).all()
    assert len(sessions) == 2 and all(s.device_id == device.id for s in sessions)
    (event,) = events("login.device")
    assert event.actor_id == world["east_officer"].id and event.detail == {"device": device.id}


def test_only_the_hash_of_the_token_is_stored(world, app):
    _client, response = remembered(app, world["east_officer"])
    device_id, token = phone_cookie(response).split(".", 1)
    (device,) = device_rows(world["east_officer"])
    assert int(device_id) == device.id
    assert token not in device.token_hash and device.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert device.expires_at - device.created_at == timedelta(days=90)


def test_without_the_box_nothing_is_remembered(world, app):
    client = app.test_client()
    response = client.post("/login", data={"username": "off-east", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert not any(h.startswith(COOKIE) for h in response.headers.getlist("Set-Cookie"))
    assert device_rows(world["east_officer"]) == []


@pytest.mark.parametrize("app", [{"SESSION_COOKIE_SECURE": True}], indirect=True)
def test_the_device_cookie_is_secure_where_the_session_cookie_is(world, app):
    _client, response = remembered(app, world["east_officer"])
    assert "Secure" in device_cookie_header(response)


def test_a_phone_whose_session_went_idle_is_signed_in_again(world, app, frozen_clock):
    phone, _response = remembered(app, world["east_officer"])
    frozen_clock.advance(timedelta(minutes=app.config["YINGZHI_SESSION_IDLE_MINUTES"] + 1))
    assert signed_in(phone)
    assert db.session.query(LoginSession).filter_by(user_id=world["east_officer"].id).count() == 2


def test_last_used_is_written_at_most_once_a_minute(world, app, frozen_clock):
    _client, response = remembered(app, world["east_officer"])
    cookie_value = phone_cookie(response)
    frozen_clock.advance(timedelta(seconds=30))
    assert signed_in(phone_with(app, cookie_value))
    (device,) = device_rows(world["east_officer"])
    assert device.last_used_at == device.created_at
    frozen_clock.advance(timedelta(seconds=45))
    assert signed_in(phone_with(app, cookie_value))
    (device,) = device_rows(world["east_officer"])
    assert device.last_used_at == frozen_clock.now


@pytest.mark.parametrize(
    "spoil",
    [
        lambda value, other: value[:-3] + ("aaa" if not value.endswith("aaa") else "bbb"),  # tampered token
        lambda value, other: value.split(".")[0] + "." + other.split(".")[1],  # another person's token
        lambda value, other: other.split(".")[0] + "." + value.split(".")[1],  # another person's device
        lambda value, other: "garbage",
        lambda value, other: "99999999999999999999." + value.split(".")[1],
        lambda value, other: value.split(".")[0] + ".",
    ],
    ids=["tampered", "other-token", "other-device", "garbage", "huge-id", "no-token"],
)
def test_a_cookie_that_proves_nothing_signs_no_one_in_and_is_removed(world, app, password_checks, spoil):
    _a, mine = remembered(app, world["east_officer"])
    _b, theirs = remembered(app, world["east_officer2"])
    phone = phone_with(app, spoil(phone_cookie(mine), phone_cookie(theirs)))
    response = phone.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert phone.get_cookie(COOKIE) is None
    assert len(password_checks) == 2  # the two sign-ins only


def test_a_revoked_device_signs_no_one_in(world, app):
    _client, response = remembered(app, world["east_officer"])
    (device,) = device_rows(world["east_officer"])
    devices.revoke_device(None, device, clock.now())
    db.session.commit()
    phone = phone_with(app, phone_cookie(response))
    assert not signed_in(phone) and phone.get_cookie(COOKIE) is None


def test_an_expired_device_signs_no_one_in(world, app, frozen_clock):
    _client, response = remembered(app, world["east_officer"])
    frozen_clock.advance(timedelta(days=89))
    assert signed_in(phone_with(app, phone_cookie(response)))
    frozen_clock.advance(timedelta(days=1, minutes=1))
    assert not signed_in(phone_with(app, phone_cookie(response)))


def test_the_lifetime_is_a_setting(world, app, login_as):
    from tests.accounts.test_audit_log import settings_form

    admin = login_as(world["admin"])
    assert admin.post("/admin/settings", data=settings_form(app, REMEMBER_DEVICE_DAYS="7")).status_code == 302
    remembered(app, world["east_officer"])
    (device,) = device_rows(world["east_officer"])
    assert device.expires_at - device.created_at == timedelta(days=7)
    assert "保持登录 7 天" in app.test_client().get("/login").get_data(as_text=True)


# ---- what revokes --------------------------------------------------------------------------------


def test_signing_out_forgets_the_phone(world, app):
    phone, response = remembered(app, world["east_officer"])
    cookie_value = phone_cookie(response)
    assert phone.post("/logout").status_code == 302
    assert phone.get_cookie(COOKIE) is None
    (device,) = device_rows(world["east_officer"])
    assert device.revoked_at is not None and device.revoked_by_id == world["east_officer"].id
    assert not signed_in(phone_with(app, cookie_value))
    assert [e.detail for e in events("device.revoke")] == [{"device": device.id}]


def test_changing_the_password_revokes_every_device_and_remembers_the_phone_in_hand_anew(world, app):
    other, other_response = remembered(app, world["east_officer"], user_agent=IPHONE_WECHAT)
    phone, response = remembered(app, world["east_officer"])
    old_cookie = phone_cookie(response)
    changed = phone.post(
        "/password",
        data={"current": TEST_PASSWORD, "password": "a new passphrase 17", "confirm": "a new passphrase 17"},
    )
    assert changed.status_code == 302
    assert not signed_in(other)  # the other phone's session ended with its device
    assert not signed_in(phone_with(app, phone_cookie(other_response)))
    assert not signed_in(phone_with(app, old_cookie))
    assert signed_in(phone)  # the phone in hand stays signed in…
    new_cookie = phone_cookie(changed)
    assert new_cookie != old_cookie and signed_in(phone_with(app, new_cookie))  # …and remembered anew
    rows = device_rows(world["east_officer"])
    assert [row.revoked_at is None for row in rows] == [False, False, True]
    (event,) = events("device.revoke_all")
    assert event.detail == {"reason": "password_changed", "devices": [rows[0].id, rows[1].id]}


def test_a_first_sign_in_with_a_one_time_password_keeps_the_phone_remembered(world, app):
    from accounts import services

    one_time = services.reset_password(None, world["east_officer"], clock.now())
    db.session.commit()
    phone, response = remembered(app, world["east_officer"], password=one_time)
    assert response.headers["Location"] == "/password"
    changed = phone.post(
        "/password", data={"current": one_time, "password": "my own passphrase 1", "confirm": "my own passphrase 1"}
    )
    assert changed.status_code == 302
    assert signed_in(phone_with(app, phone_cookie(changed)))


def test_an_admin_resetting_the_password_revokes_every_device(world, app, login_as):
    phone, response = remembered(app, world["east_officer"])
    admin = login_as(world["admin"])
    assert admin.post(f"/admin/people/{world['east_officer'].id}/reset-password").status_code == 200
    assert not signed_in(phone)
    assert not signed_in(phone_with(app, phone_cookie(response)))
    (event,) = events("device.revoke_all")
    assert event.actor_id == world["admin"].id and event.detail["reason"] == "password_reset"


def test_deactivating_a_person_revokes_every_device_and_ends_its_sessions(world, app, login_as):
    _client, response = remembered(app, world["east_officer"])
    phone = phone_with(app, phone_cookie(response))
    assert signed_in(phone)  # a session opened by the device
    admin = login_as(world["admin"])
    assert admin.post(f"/admin/people/{world['east_officer'].id}/active").status_code == 302
    assert not signed_in(phone)
    assert not signed_in(phone_with(app, phone_cookie(response)))
    assert all(row.revoked_at for row in device_rows(world["east_officer"]))


# ---- my devices ------------------------------------------------------------------------------------


def test_my_devices_lists_them_and_revokes_one_with_its_sessions(world, app):
    other, _other_response = remembered(app, world["east_officer"], user_agent=IPHONE_WECHAT)
    phone, _response = remembered(app, world["east_officer"])
    assert "/devices" in phone.get("/password").get_data(as_text=True)
    page = phone.get("/devices").get_data(as_text=True)
    assert "我的设备" in page and "Android 手机 · Chrome" in page and "iPhone · 微信" in page and "本机" in page
    iphone = device_rows(world["east_officer"])[0]
    response = phone.post(f"/devices/{iphone.id}/revoke")
    assert response.status_code == 302
    assert device_rows(world["east_officer"])[0].revoked_at is not None
    assert not signed_in(other) and signed_in(phone)
    assert phone.get_cookie(COOKIE) is not None  # another device was revoked: this phone stays remembered
    assert "iPhone · 微信" not in phone.get("/devices").get_data(as_text=True)
    (event,) = events("device.revoke")
    assert event.actor_id == world["east_officer"].id and event.detail == {"device": iphone.id}


def test_revoking_this_phone_keeps_the_session_but_forgets_the_phone(world, app):
    phone, _response = remembered(app, world["east_officer"])
    (device,) = device_rows(world["east_officer"])
    assert phone.post(f"/devices/{device.id}/revoke").status_code == 302
    assert signed_in(phone) and phone.get_cookie(COOKIE) is None


def test_revoke_all_of_my_devices(world, app):
    other, _ = remembered(app, world["east_officer"], user_agent=IPHONE_WECHAT)
    phone, _ = remembered(app, world["east_officer"])
    response = phone.post("/devices/revoke-all", follow_redirects=True)
    assert "已撤销 2 台设备" in response.get_data(as_text=True)
    assert all(row.revoked_at for row in device_rows(world["east_officer"]))
    assert signed_in(phone) and not signed_in(other)
    assert phone.get_cookie(COOKIE) is None


def test_an_officer_cannot_revoke_anothers_device(world, app, login_as):
    remembered(app, world["east_officer2"])
    (device,) = device_rows(world["east_officer2"])
    officer = login_as(world["east_officer"])
    assert officer.post(f"/devices/{device.id}/revoke").status_code == 404
    assert officer.post("/devices/revoke-all").status_code == 302  # their own, none
    assert device_rows(world["east_officer2"])[0].revoked_at is None


def test_revoking_needs_the_csrf_token(world, app):
    phone, _ = remembered(app, world["east_officer"])
    (device,) = device_rows(world["east_officer"])
    phone.csrf = False
    assert phone.post(f"/devices/{device.id}/revoke").status_code == 400
    assert phone.post("/devices/revoke-all").status_code == 400
    assert device_rows(world["east_officer"])[0].revoked_at is None


# ---- a person's devices, for supervisors and admins -------------------------------------------------


def test_a_supervisor_sees_and_revokes_the_devices_of_a_person_in_scope(world, app, login_as):
    phone, _ = remembered(app, world["east_officer"])
    (device,) = device_rows(world["east_officer"])
    supervisor = login_as(world["east_supervisor"])
    page = supervisor.get(f"/admin/people/{world['east_officer'].id}/edit").get_data(as_text=True)
    assert "记住的手机" in page and "Android 手机 · Chrome" in page
    response = supervisor.post(f"/admin/people/{world['east_officer'].id}/devices/{device.id}/revoke")
    assert response.status_code == 302
    assert device_rows(world["east_officer"])[0].revoked_by_id == world["east_supervisor"].id
    assert not signed_in(phone)
    (event,) = events("device.revoke")
    assert event.actor_id == world["east_supervisor"].id and event.target_id == str(world["east_officer"].id)


def test_an_admin_revokes_all_of_a_persons_devices(world, app, login_as):
    remembered(app, world["east_officer"])
    remembered(app, world["east_officer"], user_agent=IPHONE_WECHAT)
    admin = login_as(world["admin"])
    response = admin.post(f"/admin/people/{world['east_officer'].id}/devices/revoke-all")
    assert response.status_code == 302
    assert all(row.revoked_by_id == world["admin"].id for row in device_rows(world["east_officer"]))
    (event,) = events("device.revoke_all")
    assert event.actor_id == world["admin"].id and event.detail["reason"] == "revoke_all"


def test_a_supervisor_out_of_scope_sees_and_revokes_nothing(world, app, login_as):
    remembered(app, world["east_officer"])
    (device,) = device_rows(world["east_officer"])
    west = login_as(world["west_supervisor"])
    person = world["east_officer"].id
    assert west.get(f"/admin/people/{person}/edit").status_code == 403
    assert west.post(f"/admin/people/{person}/devices/{device.id}/revoke").status_code == 403
    assert west.post(f"/admin/people/{person}/devices/revoke-all").status_code == 403
    assert device_rows(world["east_officer"])[0].revoked_at is None


def test_a_device_is_revoked_only_through_its_own_person(world, app, login_as):
    """The east supervisor may act on both east officers, but a device under the wrong person is 404."""
    remembered(app, world["east_officer2"])
    (device,) = device_rows(world["east_officer2"])
    supervisor = login_as(world["east_supervisor"])
    url = f"/admin/people/{world['east_officer'].id}/devices/{device.id}/revoke"
    assert supervisor.post(url).status_code == 404
    assert device_rows(world["east_officer2"])[0].revoked_at is None


def test_officers_are_refused_the_people_device_routes(world, app, login_as):
    remembered(app, world["east_officer"])
    (device,) = device_rows(world["east_officer"])
    officer = login_as(world["east_officer"])
    person = world["east_officer"].id
    assert officer.post(f"/admin/people/{person}/devices/{device.id}/revoke").status_code == 403
    assert device_rows(world["east_officer"])[0].revoked_at is None


# ---- housekeeping and labels -----------------------------------------------------------------------


def test_housekeeping_forgets_devices_a_month_after_they_ended(world, app, frozen_clock):
    phone, _ = remembered(app, world["east_officer"])
    remembered(app, world["east_officer2"])
    (device,) = device_rows(world["east_officer"])
    devices.revoke_device(None, device, clock.now())
    db.session.commit()
    assert devices.prune_remembered_devices(clock.now() + timedelta(days=29)) == 0
    assert devices.prune_remembered_devices(clock.now() + timedelta(days=31)) == 1
    db.session.commit()
    assert device_rows(world["east_officer"]) == [] and len(device_rows(world["east_officer2"])) == 1
    assert db.session.query(LoginSession).filter_by(user_id=world["east_officer"].id).one().device_id is None


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (ANDROID_CHROME, "Android 手机 · Chrome"),
        (IPHONE_WECHAT, "iPhone · 微信"),
        (
            "Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00) AppleWebKit/537.36 HuaweiBrowser/14.0",
            "鸿蒙手机 · 华为浏览器",
        ),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36 Edg/120.0", "Windows 电脑 · Edge"),
        (
            "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
            "Android 平板 · Chrome",
        ),
        ("python-httpx/0.27", "未知设备"),
        (None, "未知设备"),
    ],
)
def test_a_device_is_named_from_its_user_agent(app, user_agent, label):
    from accounts.user_agents import describe_user_agent

    assert describe_user_agent(user_agent) == label
