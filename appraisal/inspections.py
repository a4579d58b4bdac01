"""Inspections (督查): a supervisor records an inspection of a unit in their subtree with its
findings; the unit's supervisors are told and record each rectification. The board and the
bulletin count the inspections of a period and list the findings still open. Callers commit."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.models import Role, Unit, User
from accounts.scope import can_manage_unit, ensure_unit_in_scope
from appraisal.models import FindingStatus, Inspection, InspectionFinding, InspectionKind
from core import clock
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.extensions import db
from notices import services as notices

MAX_FINDINGS = 20


def _ensure_manager(actor: User | None, unit: Unit) -> None:
    if actor is not None and actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDenied(_l("Only supervisors and administrators record inspections."))
    ensure_unit_in_scope(actor, unit)


def can_see(user: User, inspection: Inspection) -> bool:
    """Supervisors of the inspected unit's subtree or above, and admins."""
    return can_manage_unit(user, inspection.unit)


def unit_supervisors(unit: Unit, *, exclude: int | None = None) -> list[int]:
    """Ids of the active supervisors of `unit`, or of the nearest unit above it that has any."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    rows = db.session.execute(
        sa.select(User.id, User.unit_id).where(
            User.unit_id.in_(ids), User.role == Role.SUPERVISOR, User.active.is_(True)
        )
    ).all()
    for unit_id in reversed(ids):
        found = [user_id for user_id, at in rows if at == unit_id and user_id != exclude]
        if found:
            return found
    return []


def record_inspection(
    actor: User | None,
    unit: Unit,
    *,
    day: date,
    kind: InspectionKind,
    inspectors: str,
    checked: str,
    findings: list[tuple[str, date]],
    now: datetime,
    link: str | None = None,
) -> Inspection:
    """Record an inspection of `unit` held on `day` with its findings [(text, deadline)], and tell
    the unit's supervisors. Raises PermissionDenied outside the actor's subtree; ValidationFailed
    for a day in the future, a deadline before the inspection, or too many findings."""
    _ensure_manager(actor, unit)
    if day > clock.local(now).date():
        raise ValidationFailed(_l("The inspection cannot be dated in the future."), field="day")
    if len(findings) > MAX_FINDINGS:
        raise ValidationFailed(_l("At most %(n)d findings per inspection.", n=MAX_FINDINGS), field="findings")
    for _text, deadline in findings:
        if deadline is None:
            raise ValidationFailed(_l("Give each finding a rectification deadline."), field="findings")
        if deadline < day:
            raise ValidationFailed(_l("A rectification deadline cannot be before the inspection."), field="findings")
    inspection = Inspection(
        unit_id=unit.id,
        day=day,
        kind=kind,
        inspectors=inspectors.strip(),
        checked=checked.strip(),
        recorded_by_id=actor.id if actor else None,
        created_at=now,
    )
    inspection.findings = [InspectionFinding(text=text.strip(), deadline=deadline) for text, deadline in findings]
    db.session.add(inspection)
    db.session.flush()
    audit.record(
        "inspection.record", actor=actor, target=inspection, detail={"unit": unit.id, "findings": len(findings)}
    )
    notices.notify(
        unit_supervisors(unit, exclude=actor.id if actor else None),
        kind="inspection",
        title=_l("Inspection of %(unit)s on %(day)s: %(n)s findings to rectify"),
        params={"unit": unit.name, "day": day.isoformat(), "n": len(findings)},
        link=link,
        dedupe_key=f"inspection-{inspection.id}",
        now=now,
    )
    return inspection


def rectify_finding(actor: User | None, finding: InspectionFinding, *, rectification: str, now: datetime,
                    link: str | None = None) -> InspectionFinding:  # fmt: skip
    """Record how an open finding was rectified and close it; tells whoever recorded the
    inspection. Raises PermissionDenied outside the actor's subtree, Conflict if already closed."""
    inspection = finding.inspection
    _ensure_manager(actor, inspection.unit)
    if finding.status is not FindingStatus.OPEN:
        raise Conflict(_l("This finding has already been rectified."))
    finding.status = FindingStatus.RECTIFIED
    finding.rectification = rectification.strip()
    finding.rectified_at = now
    finding.rectified_by_id = actor.id if actor else None
    db.session.flush()
    audit.record("inspection.rectify", actor=actor, target=finding, detail={"inspection": inspection.id})
    if inspection.recorded_by_id and (actor is None or inspection.recorded_by_id != actor.id):
        notices.notify(
            [inspection.recorded_by_id],
            kind="inspection",
            title=_l("A finding of the inspection of %(unit)s was rectified"),
            params={"unit": inspection.unit.name},
            link=link,
            now=now,
        )
    return finding


def inspections_in(unit: Unit, first_day: date, last_day: date) -> sa.Select:
    """SELECT of the inspections of `unit`'s subtree held first_day..last_day, latest first."""
    return (
        sa.select(Inspection)
        .join(Unit, Unit.id == Inspection.unit_id)
        .where(Unit.path.startswith(unit.path), Inspection.day.between(first_day, last_day))
        .order_by(Inspection.day.desc(), Inspection.id.desc())
    )


def count_inspections(unit: Unit, first_day: date, last_day: date) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(inspections_in(unit, first_day, last_day).subquery())
    )


def open_findings(unit: Unit, limit: int | None = None) -> list[InspectionFinding]:
    """The findings of `unit`'s subtree not yet rectified, nearest deadline first."""
    query = (
        sa.select(InspectionFinding)
        .join(Inspection, Inspection.id == InspectionFinding.inspection_id)
        .join(Unit, Unit.id == Inspection.unit_id)
        .where(Unit.path.startswith(unit.path), InspectionFinding.status == FindingStatus.OPEN)
        .order_by(InspectionFinding.deadline, InspectionFinding.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return db.session.scalars(query).all()


def count_open_findings(unit: Unit) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(InspectionFinding)
        .join(Inspection, Inspection.id == InspectionFinding.inspection_id)
        .join(Unit, Unit.id == Inspection.unit_id)
        .where(Unit.path.startswith(unit.path), InspectionFinding.status == FindingStatus.OPEN)
    )
