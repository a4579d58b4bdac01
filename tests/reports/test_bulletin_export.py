"""The bulletin list exports as its page lists it, for the supervisors of the units (officers read
published bulletins but export nothing)."""

from datetime import date

from core import clock
from core.extensions import db
from reports import bulletins
from tests.support.sheets import as_dicts, page_tables, workbook


def test_bulletin_list_export_matches_the_list(campaign, login_as):
    draft = bulletins.draft_bulletin(None, campaign["east"], date(2026, 11, 16), clock.now())
    published = bulletins.draft_bulletin(None, campaign["east"], date(2026, 11, 9), clock.now())
    bulletins.publish_bulletin(campaign["east_supervisor"], published, clock.now())
    bulletins.draft_bulletin(None, campaign["west"], date(2026, 11, 16), clock.now())
    db.session.commit()
    supervisor = login_as(campaign["east_supervisor"])
    (table,) = page_tables(supervisor.get("/reports/bulletins/"))
    rows = as_dicts(workbook(supervisor.get("/reports/bulletins.xlsx"))["通报"])
    assert [[r["标题"], r["周"], r["状态"]] for r in rows] == [row[:3] for row in table[1:]]
    assert [r["标题"] for r in rows] == [draft.title, published.title]  # the west's draft is not theirs
    assert rows[1]["已发布"] is not None and rows[0]["已发布"] is None and rows[0]["单位"] == campaign["east"].name
    officer = login_as(campaign["s2"])
    assert officer.get("/reports/bulletins/").status_code == 200
    assert officer.get("/reports/bulletins.xlsx").status_code == 403
