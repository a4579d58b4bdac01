"""Weekly bulletins over the hand-built campaign: the drafted text, the Monday job, editing,
publishing as notices, who may read them, and escaping."""

from datetime import date

import sqlalchemy as sa

from core.extensions import db
from core.settings import set_setting
from notices.models import Notice
from reports import bulletins
from reports.models import Bulletin, BulletinStatus
from reports.settings import SETTING_SPECS

W47 = date(2026, 11, 16)


def test_draft_names_people_and_units(campaign):
    title, body = bulletins.compose(campaign["east"], W47, names_people=True)
    assert "2026年第47周" in title and "东区政法委" in title
    assert "参考率83.3%" in body.replace(" ", "") or "83.3%" in body
    assert "张三" in body and "王二" in body and "李四" in body  # absent, failed (retake passed), failed
    assert "补考合格" in body and "补考未通过" in body
    assert "东区人民法院" in body  # below target (attendance 0 %)
    assert "西区" not in body  # another district's people stay out
    _title, counts_only = bulletins.compose(campaign["east"], W47, names_people=False)
    assert "张三" not in counts_only and "王二" not in counts_only and "东区城关派出所" in counts_only


def test_the_monday_job_drafts_once(campaign, frozen_clock):
    assert bulletins.draft_weekly_bulletins(frozen_clock.now) == 3  # the city and both districts
    db.session.commit()
    assert bulletins.draft_weekly_bulletins(frozen_clock.now) == 0
    db.session.commit()
    weeks = set(db.session.scalars(sa.select(Bulletin.week_start)))
    assert weeks == {W47}


def test_setting_turns_names_off(campaign, frozen_clock):
    spec = next(s for s in SETTING_SPECS if s.key == "REPORTS_BULLETIN_NAMES_PEOPLE")
    set_setting(spec, False, None)
    db.session.commit()
    bulletins.draft_weekly_bulletins(frozen_clock.now)
    db.session.commit()
    east = db.session.scalar(sa.select(Bulletin).where(Bulletin.unit_id == campaign["east"].id))
    assert not east.names_people and "张三" not in east.body


def test_review_edit_publish_and_read(campaign, login_as, frozen_clock):
    bulletins.draft_weekly_bulletins(frozen_clock.now)
    db.session.commit()
    east = db.session.scalar(sa.select(Bulletin).where(Bulletin.unit_id == campaign["east"].id))
    supervisor = login_as(campaign["east_supervisor"])
    assert "张三" in supervisor.get(f"/reports/bulletins/{east.id}").get_data(as_text=True)
    officer = login_as(campaign["s1"])
    assert officer.get(f"/reports/bulletins/{east.id}").status_code == 403  # a draft is not the officers' yet
    response = supervisor.post(
        f"/reports/bulletins/{east.id}/edit",
        data={"title": "东区第47周通报", "body": "通报正文 <script>alert(1)</script>\n第二行"},
    )
    assert response.status_code == 302
    response = supervisor.post(f"/reports/bulletins/{east.id}/publish")
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(Bulletin, east.id).status == BulletinStatus.PUBLISHED
    notified = set(db.session.scalars(sa.select(Notice.user_id).where(Notice.kind == "bulletin")))
    assert campaign["s1"].id in notified and campaign["c2"].id in notified
    assert campaign["w1"].id not in notified and campaign["west_supervisor"].id not in notified
    html = officer.get(f"/reports/bulletins/{east.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "东区第47周通报" in officer.get("/reports/bulletins/").get_data(as_text=True)
    assert supervisor.post(f"/reports/bulletins/{east.id}/edit", data={"title": "x", "body": "y"}).status_code == 302
    db.session.rollback()
    assert db.session.get(Bulletin, east.id).title == "东区第47周通报"  # published: kept as it was
    west = login_as(campaign["west_supervisor"])
    assert west.get(f"/reports/bulletins/{east.id}").status_code == 403
    assert login_as(campaign["w1"]).get(f"/reports/bulletins/{east.id}").status_code == 403


def test_drafting_from_the_list(campaign, login_as):
    supervisor = login_as(campaign["east_supervisor"])
    response = supervisor.post("/reports/bulletins/", data={"unit": campaign["east_police"].id, "week": "2026-11-18"})
    assert response.status_code == 302
    db.session.rollback()
    bulletin = db.session.scalar(sa.select(Bulletin).where(Bulletin.unit_id == campaign["east_police"].id))
    assert bulletin.week_start == W47 and "张三" in bulletin.body
    refused = supervisor.post("/reports/bulletins/", data={"unit": campaign["west"].id, "week": "2026-11-18"})
    assert refused.status_code in (302, 403)
    assert db.session.scalar(sa.select(Bulletin).where(Bulletin.unit_id == campaign["west"].id)) is None


def test_the_monday_job_runs_by_the_clock_once(app, campaign, frozen_clock):
    """Issue 5: `run-due-jobs --at` Monday 07:30 drafts last week's bulletins; running again
    drafts nothing more."""
    cli = app.test_cli_runner()
    first = cli.invoke(args=["run-due-jobs", "--at", "2026-11-23T07:30:10"])
    assert "weekly_bulletins [2026-11-23T07:30+0800]: items 3" in first.output, first.output
    again = cli.invoke(args=["run-due-jobs", "--at", "2026-11-23T07:31:10"])
    assert "weekly_bulletins" not in again.output
    db.session.rollback()
    assert set(db.session.scalars(sa.select(Bulletin.week_start))) == {W47}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Bulletin)) == 3
