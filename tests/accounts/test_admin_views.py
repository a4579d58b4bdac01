"""Unit and people pages: supervisors act inside their subtree only; admins everywhere."""

from accounts.models import Role, Unit, User
from core.extensions import db
from tests.conftest import reload


def test_supervisor_sees_only_their_subtree(world, login_as):
    body = login_as(world["east_supervisor"]).get("/admin/units/").get_data(as_text=True)
    assert "东区城关派出所" in body and "西区公安分局" not in body
    people = login_as(world["east_supervisor"]).get("/admin/people/").get_data(as_text=True)
    assert "off-east" in people and "off-west" not in people


def test_supervisor_adds_a_person_in_their_district_and_gets_a_one_time_password(world, login_as):
    client = login_as(world["east_supervisor"])
    response = client.post(
        "/admin/people/new",
        data={
            "username": "330001",
            "full_name": "新同事",
            "unit_id": world["east_station"].id,
            "role": "officer",
            "phone": "13900000000",
        },
    )
    assert response.status_code == 200 and "一次性密码" in response.get_data(as_text=True)
    assert db.session.query(User).filter_by(username="330001").one().must_change_password


def test_supervisor_cannot_add_a_person_in_another_district_or_grant_admin(world, login_as):
    client = login_as(world["east_supervisor"])
    outside = client.post(
        "/admin/people/new",
        data={"username": "330002", "full_name": "越界", "unit_id": world["west_police"].id, "role": "officer"},
    )
    assert outside.status_code == 200
    assert db.session.query(User).filter_by(username="330002").count() == 0
    admin = client.post(
        "/admin/people/new",
        data={"username": "330003", "full_name": "提权", "unit_id": world["east_station"].id, "role": "admin"},
    )
    assert admin.status_code == 200
    assert db.session.query(User).filter_by(username="330003").count() == 0


def test_supervisor_cannot_edit_or_reset_someone_in_another_district(world, login_as):
    client = login_as(world["east_supervisor"])
    west = world["west_officer"]
    assert client.get(f"/admin/people/{west.id}/edit").status_code == 403
    assert client.post(f"/admin/people/{west.id}/reset-password").status_code == 403
    assert client.post(f"/admin/people/{west.id}/active").status_code == 403
    assert reload(west).active


def test_reset_password_gives_a_new_one_time_password(world, login_as):
    client = login_as(world["east_supervisor"])
    response = client.post(f"/admin/people/{world['east_officer'].id}/reset-password")
    assert response.status_code == 200
    assert reload(world["east_officer"]).must_change_password


def test_search_by_name_number_and_unit(world, login_as):
    client = login_as(world["admin"])
    assert "off-west" in client.get("/admin/people/?q=off-w").get_data(as_text=True)
    body = client.get(f"/admin/people/?unit={world['west'].id}").get_data(as_text=True)
    assert "off-west" in body and "off-east" not in body


def test_units_add_rename_move_and_deactivate(world, login_as):
    client = login_as(world["admin"])
    response = client.post(
        "/admin/units/new",
        data={"name": "新派出所", "kind": "department", "parent_id": world["east_police"].id, "sort_order": 0},
    )
    assert response.status_code == 302
    unit = db.session.query(Unit).filter_by(name="新派出所").one()
    assert unit.path == f"{world['east_police'].path}{unit.id}/"
    client.post(f"/admin/units/{unit.id}/edit", data={"name": "新城派出所", "kind": "department", "sort_order": 1})
    client.post(f"/admin/units/{unit.id}/move", data={"move-parent_id": world["west_police"].id})
    moved = reload(unit)
    assert moved.name == "新城派出所" and moved.path.startswith(world["west_police"].path)
    client.post(f"/admin/units/{unit.id}/active")
    assert reload(unit).active is False


def test_moving_a_unit_moves_its_subtree(world, login_as):
    client = login_as(world["admin"])
    client.post(f"/admin/units/{world['east_police'].id}/move", data={"move-parent_id": world["west"].id})
    station = reload(world["east_station"])
    assert station.path.startswith(reload(world["west"]).path)
    assert station.depth == 3


def test_a_unit_cannot_move_under_its_own_subtree(world, login_as):
    client = login_as(world["admin"])
    client.post(f"/admin/units/{world['east'].id}/move", data={"move-parent_id": world["east_station"].id})
    assert reload(world["east"]).parent_id == world["city"].id


def test_a_unit_with_active_people_cannot_be_deactivated(world, login_as):
    client = login_as(world["admin"])
    client.post(f"/admin/units/{world['east_station'].id}/active")
    assert reload(world["east_station"]).active is True


def test_supervisor_cannot_move_their_own_unit_or_touch_a_sibling(world, login_as):
    client = login_as(world["east_supervisor"])
    assert (
        client.post(f"/admin/units/{world['west_police'].id}/edit", data={"name": "x", "kind": "police"}).status_code
        == 403
    )
    client.post(f"/admin/units/{world['east'].id}/move", data={"move-parent_id": world["east_police"].id})
    assert reload(world["east"]).parent_id == world["city"].id


def test_cli_create_user(runner, world):
    result = runner.invoke(
        args=["create-user", "--username", "cli-1", "--name", "命令行", "--unit", "东区城关派出所", "--role", "officer"]
    )
    assert result.exit_code == 0 and "one-time password" in result.output
    user = db.session.query(User).filter_by(username="cli-1").one()
    assert user.role == Role.OFFICER and user.must_change_password
