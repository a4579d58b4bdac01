"""The inspection services: who is told, what counts in a period, what stays open."""

from datetime import timedelta

import pytest

from appraisal import inspections
from appraisal.models import InspectionKind
from core import clock
from core.errors import Conflict, PermissionDenied
from core.extensions import db
from notices.models import Notice
from tests.factories import SupervisorFactory


def _record(actor, unit, *, days_ago=0, findings=2):
    day = clock.today() - timedelta(days=days_ago)
    inspection = inspections.record_inspection(
        actor,
        unit,
        day=day,
        kind=InspectionKind.SPECIAL,
        inspectors="督导组",
        checked="学习笔记",
        findings=[(f"问题{n}", day + timedelta(days=7 + n)) for n in range(findings)],
        now=clock.now(),
    )
    db.session.commit()
    return inspection


def test_a_unit_without_supervisors_has_the_nearest_ones_above_told(world, frozen_clock):
    """The station has no supervisor of its own: the east district's is told (not the actor)."""
    admin = world["admin"]
    _record(admin, world["east_station"])
    assert Notice.query.filter_by(user_id=world["east_supervisor"].id, kind="inspection").count() == 1
    assert Notice.query.filter_by(user_id=admin.id).count() == 0
    own = SupervisorFactory(username="sup-court", unit=world["east_court"])
    _record(world["east_supervisor"], world["east_court"])
    assert Notice.query.filter_by(user_id=own.id, kind="inspection").count() == 1


def test_counts_and_open_findings_follow_the_period_and_the_subtree(world, frozen_clock):
    old = _record(None, world["east_station"], days_ago=40)
    _record(None, world["east_court"], findings=1)
    _record(None, world["west_police"])
    today = clock.today()
    assert inspections.count_inspections(world["east"], today - timedelta(days=7), today) == 1
    assert inspections.count_inspections(world["east"], today - timedelta(days=60), today) == 2
    assert inspections.count_inspections(world["city"], today, today) == 2
    inspections.rectify_finding(None, old.findings[0], rectification="已整改", now=clock.now())
    db.session.commit()
    open_east = inspections.open_findings(world["east"])
    assert [f.text for f in open_east] == ["问题1", "问题0"]  # nearest deadline first: 40 days ago + 8, today + 7
    assert inspections.count_open_findings(world["east"]) == 2
    with pytest.raises(Conflict):
        inspections.rectify_finding(None, old.findings[0], rectification="再次", now=clock.now())


def test_officers_and_other_districts_may_not_record(world, frozen_clock):
    with pytest.raises(PermissionDenied):
        _record(world["east_officer"], world["east_station"])
    with pytest.raises(PermissionDenied):
        _record(world["west_supervisor"], world["east_station"])
