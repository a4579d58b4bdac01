"""The people list exports with its page's filters and columns, in the supervisor's scope (X12:
a name that looks like a formula stays text)."""

from accounts import services
from core import clock
from core.extensions import db
from tests.factories import UserFactory
from tests.support.sheets import as_dicts, cells, page_tables, workbook

HOSTILE = "@SUM(1+1)*cmd|' /C calc'!A0"


def test_people_export_is_the_filtered_list(world, login_as):
    UserFactory(username="x-east", full_name=HOSTILE, unit=world["east_station"])
    gone = UserFactory(username="gone1", full_name="已调离的人", unit=world["east_court"])
    services.set_user_active(None, gone, False, clock.now())
    db.session.commit()
    supervisor = login_as(world["east_supervisor"])
    for args in ("", f"?unit={world['east_station'].id}", "?role=officer&include_inactive=y", "?q=x-east"):
        page = supervisor.get(f"/admin/people/{args}")
        (table,) = page_tables(page)
        book = workbook(supervisor.get(f"/admin/people/export.xlsx{args}"))
        (rows,) = book.values()
        assert rows == table, args  # the same people, the same columns, in the same order
    everyone = as_dicts(workbook(supervisor.get("/admin/people/export.xlsx?include_inactive=y"))["人员管理"])
    assert {"已调离的人", HOSTILE} <= {r["姓名"] for r in everyone}
    assert world["west_officer"].full_name not in {r["姓名"] for r in everyone}
    assert next(r for r in everyone if r["姓名"] == "已调离的人")["状态"] == "已停用"
    hostile = [c for c in cells(supervisor.get("/admin/people/export.xlsx")) if c.value == HOSTILE]
    assert hostile and all(c.data_type == "s" and c.quotePrefix for c in hostile)


def test_people_export_is_for_supervisors_of_the_unit(world, login_as, client):
    assert login_as(world["east_officer"]).get("/admin/people/export.xlsx").status_code == 403
    west = login_as(world["west_supervisor"])
    assert west.get(f"/admin/people/export.xlsx?unit={world['east'].id}").status_code == 403
    assert client.get("/admin/people/export.xlsx").status_code == 302
