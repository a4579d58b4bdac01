"""Sign-in, sign-out, sessions (X4), forced password change, lock-out (X7)."""

from datetime import timedelta

from accounts.audit import AuditEvent
from accounts.models import LoginSession
from core.extensions import db
from tests.factories import TEST_PASSWORD, UserFactory


def sign_in(client, username, password=TEST_PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


def test_sign_in_then_home_then_sign_out(world, client):
    response = sign_in(client, "off-east")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "我的学习" in client.get("/").get_data(as_text=True)
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the sign-in page


def test_wrong_password_is_refused_with_a_chinese_message_and_audited(world, client):
    response = sign_in(client, "off-east", "not-the-password")
    assert response.status_code == 200
    assert "警号或密码错误" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    db.session.rollback()
    assert db.session.query(AuditEvent).filter_by(action="login.failure").count() == 1


def test_usernames_are_case_insensitive(app, client):
    UserFactory(username="DH-0012")
    assert sign_in(client, "dh-0012").status_code == 302


def test_deactivated_account_cannot_sign_in(world, client, app):
    from accounts import services
    from core import clock

    services.set_user_active(None, world["east_officer"], False, clock.now())
    db.session.commit()
    assert sign_in(client, "off-east").status_code == 200


def test_sign_in_issues_a_new_session_cookie(world, client, app):
    """X4: no fixation. The cookie before sign-in does not become an authenticated one."""
    client.get("/login")
    before = client.get_cookie("yingzhi_session").value
    sign_in(client, "off-east")
    after = client.get_cookie("yingzhi_session").value
    assert before != after
    stale = app.test_client()
    stale.set_cookie("yingzhi_session", before)
    assert stale.get("/").status_code == 302


def test_cookie_replayed_after_sign_out_is_not_signed_in(world, client, app):
    """X4: signing out revokes the login session server-side, so a copied cookie is dead."""
    sign_in(client, "off-east")
    copied = client.get_cookie("yingzhi_session").value
    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie("yingzhi_session", copied)
    assert replay.get("/").status_code == 302


def test_deactivating_a_user_ends_their_live_sessions(world, login_as, app):
    """X4: a live session dies the moment its account is deactivated."""
    officer = login_as(world["east_officer"])
    assert officer.get("/").status_code == 200
    admin = login_as(world["admin"])
    response = admin.post(f"/admin/people/{world['east_officer'].id}/active")
    assert response.status_code == 302
    assert officer.get("/").status_code == 302
    db.session.rollback()
    assert all(s.revoked_at for s in db.session.query(LoginSession).filter_by(user_id=world["east_officer"].id))


def test_idle_timeout_and_absolute_lifetime(world, login_as, app, frozen_clock):
    """X4: idle for longer than the idle limit, or signed in for longer than the lifetime: out."""
    idle = timedelta(minutes=app.config["YINGZHI_SESSION_IDLE_MINUTES"])
    officer = login_as(world["east_officer"])
    frozen_clock.advance(idle - timedelta(minutes=1))
    assert officer.get("/").status_code == 200  # activity refreshes the idle clock
    frozen_clock.advance(idle - timedelta(minutes=1))
    assert officer.get("/").status_code == 200
    frozen_clock.advance(idle + timedelta(minutes=1))
    assert officer.get("/").status_code == 302

    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    busy = login_as(world["east_officer"])
    steps = int(lifetime / (idle / 2)) + 1
    for _ in range(steps):
        frozen_clock.advance(idle / 2)
        status = busy.get("/").status_code
    assert status == 302  # active all along, but past the absolute lifetime


def test_import_created_account_must_change_password_first(world, app, client):
    from accounts import services
    from core import clock

    user, one_time = services.create_user(
        None,
        username="new-1",
        full_name="新人",
        unit=world["east_station"],
        role=world["east_officer"].role,
        now=clock.now(),
    )
    db.session.commit()
    response = sign_in(client, "new-1", one_time)
    assert response.headers["Location"] == "/password"
    assert client.get("/").headers["Location"] == "/password"  # every page leads to the change
    response = client.post(
        "/password", data={"current": one_time, "password": "a new long passphrase", "confirm": "a new long passphrase"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_change_password_signs_out_other_devices(world, login_as, app):
    phone = login_as(world["east_officer"])
    desktop = login_as(world["east_officer"])
    response = desktop.post(
        "/password",
        data={"current": TEST_PASSWORD, "password": "another passphrase 9", "confirm": "another passphrase 9"},
    )
    assert response.status_code == 302
    assert desktop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_repeated_failures_for_one_account_lock_it_even_across_addresses(world, app):
    """X7: the account key counts failures whatever address they come from."""
    statuses = []
    for attempt in range(12):
        client = app.test_client()
        response = client.post(
            "/login",
            data={"username": "off-east", "password": "wrong"},
            environ_base={"REMOTE_ADDR": f"10.0.{attempt}.9"},
        )
        statuses.append(response.status_code)
    assert 429 in statuses
    locked = app.test_client().post(
        "/login", data={"username": "off-east", "password": TEST_PASSWORD}, environ_base={"REMOTE_ADDR": "10.9.9.9"}
    )
    assert locked.status_code == 429
    assert "账号已被暂时锁定" in locked.get_data(as_text=True)


def test_two_hundred_accounts_behind_one_address_can_all_sign_in(app):
    """X7: a station behind one NAT address does not lock itself out."""
    from tests.factories import UnitFactory

    unit = UnitFactory()
    users = [UserFactory(unit=unit) for _ in range(200)]
    for user in users:
        response = app.test_client().post(
            "/login",
            data={"username": user.username, "password": TEST_PASSWORD},
            environ_base={"REMOTE_ADDR": "172.16.0.1"},
        )
        assert response.status_code == 302


def test_open_redirects_are_refused(world, client):
    response = client.post(
        "/login", data={"username": "off-east", "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/"
