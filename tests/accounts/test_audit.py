"""X9: audited events carry actor, unit, UTC time, action and target; log lines escape newlines."""

import json
import logging

from accounts.audit import AuditEvent
from core.extensions import db
from tests.factories import TEST_PASSWORD


def events(action):
    db.session.rollback()
    return db.session.query(AuditEvent).filter(AuditEvent.action == action).all()


def test_sign_in_success_and_failure_are_audited(world, client):
    client.post("/login", data={"username": "off-east", "password": "wrong"})
    client.post("/login", data={"username": "off-east", "password": TEST_PASSWORD})
    (failure,) = events("login.failure")
    (success,) = events("login.success")
    assert failure.detail == {"username": "off-east"} and failure.ip == "127.0.0.1"
    assert success.actor_id == world["east_officer"].id
    assert success.actor_unit_id == world["east_station"].id
    assert success.at.tzinfo is not None and success.at.utcoffset().total_seconds() == 0


def test_authorisation_failures_are_audited_even_though_the_request_rolls_back(world, login_as):
    officer = login_as(world["east_officer"])
    assert officer.get("/admin/people/").status_code == 403
    (denied,) = events("access.denied")
    assert denied.actor_id == world["east_officer"].id
    assert denied.detail["path"] == "/admin/people/"


def test_role_and_unit_changes_are_audited(world, login_as):
    admin = login_as(world["admin"])
    person = world["east_officer"]
    response = admin.post(
        f"/admin/people/{person.id}/edit",
        data={
            "full_name": person.full_name,
            "unit_id": world["east_court"].id,
            "role": "supervisor",
            "phone": "",
        },
    )
    assert response.status_code == 302
    (role,) = events("user.role")
    (unit,) = events("user.unit")
    assert role.detail == {"from": "officer", "to": "supervisor"} and role.target_id == str(person.id)
    assert unit.detail == {"from": world["east_station"].id, "to": world["east_court"].id}
    assert role.actor_id == world["admin"].id


def test_log_lines_are_json_with_newlines_escaped(world, client, caplog):
    caplog.set_level(logging.INFO, logger="yingzhi.audit")
    client.post("/login", data={"username": "evil\nFAKE admin logged in", "password": "x"})
    lines = [r.getMessage() for r in caplog.records if r.name == "yingzhi.audit"]
    assert lines and all("\n" not in line for line in lines)
    assert json.loads(lines[-1])["detail"]["username"] == "evil\nFAKE admin logged in"
