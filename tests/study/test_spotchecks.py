"""Notes spot-checks: a random sample within the supervisor's scope, marking with comments, a
notice for a failed check, and the history."""

import random
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from core import clock
from core.errors import PermissionDenied, ValidationFailed
from core.extensions import db
from notices.models import Notice
from notices.services import render_title
from study import readings, spotchecks
from study.models import SpotCheck, SpotCheckItem, SpotCheckResult
from tests.factories import UserFactory
from tests.study.factories import CheckInFactory

TODAY = date(2026, 11, 23)


def _week_of_checkins(frozen_clock, people):
    for back in range(3, -1, -1):
        frozen_clock.set(clock.local_datetime(TODAY - timedelta(days=back), time(20, 0)))
        for person in people:
            CheckInFactory(user=person, day=TODAY - timedelta(days=back))


def test_a_sample_is_drawn_only_from_the_scope(world, frozen_clock):
    east = [world["east_officer"], world["east_officer2"], UserFactory(unit=world["east_station"])]
    _week_of_checkins(frozen_clock, east + [world["west_officer"]])
    spot_check = spotchecks.draw_spot_check(
        world["east_supervisor"],
        unit=world["east"],
        from_day=TODAY - timedelta(days=3),
        to_day=TODAY,
        percent=50,
        rng=random.Random(1),
        now=clock.now(),
    )
    db.session.commit()
    assert spot_check.population == 12 and len(spot_check.items) == 6
    assert {item.user_id for item in spot_check.items} <= {p.id for p in east}
    sized = spotchecks.draw_spot_check(
        world["east_supervisor"], unit=world["east_station"], from_day=TODAY, to_day=TODAY, size=10, now=clock.now()
    )
    assert sized.population == 2 and len(sized.items) == 2
    with pytest.raises(PermissionDenied):
        spotchecks.draw_spot_check(
            world["east_supervisor"], unit=world["west"], from_day=TODAY, to_day=TODAY, size=1, now=clock.now()
        )
    with pytest.raises(ValidationFailed):
        spotchecks.draw_spot_check(
            world["east_supervisor"],
            unit=world["east"],
            from_day=TODAY,
            to_day=TODAY - timedelta(days=1),
            size=1,
            now=clock.now(),
        )
    db.session.rollback()


def test_supervisor_draws_marks_and_the_officer_is_notified_of_a_failure(world, login_as, frozen_clock):
    _week_of_checkins(frozen_clock, [world["east_officer"]])
    supervisor = login_as(world["east_supervisor"])
    response = supervisor.post(
        "/manage/study/spotchecks",
        data={"unit_id": str(world["east"].id), "from_day": "2026-11-20", "to_day": "2026-11-23", "size": "2"},
    )
    assert response.status_code == 302
    spot_check = db.session.scalar(sa.select(SpotCheck))
    item = spot_check.items[0]
    page = supervisor.get(response.headers["Location"]).get_data(as_text=True)
    assert item.checkin.notes in page
    no_comment = supervisor.post(f"/manage/study/spotchecks/samples/{item.id}", data={"result": "unqualified"})
    assert "请写明不足之处" in supervisor.get(no_comment.headers["Location"]).get_data(as_text=True)
    for _ in range(2):
        supervisor.post(
            f"/manage/study/spotchecks/samples/{item.id}",
            data={"result": "unqualified", "comment": "内容空泛，缺少体会"},
        )
    supervisor.post(f"/manage/study/spotchecks/samples/{spot_check.items[1].id}", data={"result": "qualified"})
    db.session.rollback()
    results = db.session.execute(sa.select(SpotCheckItem.result).order_by(SpotCheckItem.id)).scalars().all()
    assert results == [SpotCheckResult.UNQUALIFIED, SpotCheckResult.QUALIFIED]
    notices = db.session.scalars(sa.select(Notice).where(Notice.user_id == world["east_officer"].id)).all()
    assert len(notices) == 1
    assert render_title(notices[0]).endswith("学习笔记抽查不合格：内容空泛，缺少体会")
    history = supervisor.get("/manage/study/spotchecks").get_data(as_text=True)
    assert "2 / 4" in history
    officer_page = login_as(world["east_officer"]).get("/study/checkin").get_data(as_text=True)
    assert "内容空泛，缺少体会" in officer_page


def test_other_districts_cannot_see_or_mark(world, login_as, frozen_clock):
    _week_of_checkins(frozen_clock, [world["east_officer"]])
    spot_check = spotchecks.draw_spot_check(
        None, unit=world["east"], from_day=TODAY, to_day=TODAY, size=1, now=clock.now()
    )
    db.session.commit()
    west = login_as(world["west_supervisor"])
    assert west.get(f"/manage/study/spotchecks/{spot_check.id}").status_code == 403
    assert (
        west.post(
            f"/manage/study/spotchecks/samples/{spot_check.items[0].id}", data={"result": "qualified"}
        ).status_code
        == 403
    )
    assert spot_check.id and "东区" not in west.get("/manage/study/spotchecks").get_data(as_text=True)


def test_reading_services_refuse_units_outside_scope(world):
    with pytest.raises(PermissionDenied):
        readings.create_reading(
            world["west_supervisor"], title="越权", unit=world["east"], category=None, body="正文", now=clock.now()
        )
