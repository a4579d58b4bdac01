"""Leave (请假) from a session: asked by the officer before it starts, decided by a supervisor.

An approved leave turns the officer's row into "on leave" (at once if the list is already fixed,
otherwise when the session closes), so an approved absence is never counted as 缺席.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.models import Role, Unit, User
from accounts.scope import ensure_unit_in_scope
from core.errors import Conflict, NotFound, ValidationFailed
from core.extensions import db
from notices.services import notify
from study.models import N_, AttendanceStatus, LeaveRequest, LeaveStatus, StudySession
from study.sessions import SIGNED_IN, attendance_of, ensure_attends


def request_leave(user: User, session: StudySession, reason: str, now) -> LeaveRequest:
    """Ask for leave. Only an officer the session is for, only before it starts, with a reason;
    a request already pending or approved cannot be asked again (a rejected one can, before the
    start). Raises PermissionDenied, Conflict, ValidationFailed."""
    row = ensure_attends(user, session)
    if now >= session.starts_at:
        raise Conflict(_l("Leave must be asked before the session starts."), code="too_late")
    if row is not None and row.status in SIGNED_IN:
        raise Conflict(_l("You have already signed in to this session."))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationFailed(_l("Give a reason for your leave."), field="reason")
    if len(reason) > 500:
        raise ValidationFailed(_l("The reason is longer than 500 characters."), field="reason")
    leave = db.session.scalar(sa.select(LeaveRequest).filter_by(session_id=session.id, user_id=user.id))
    if leave is not None and leave.status != LeaveStatus.REJECTED:
        raise Conflict(_l("You have already asked for leave from this session."), code="already_asked")
    if leave is None:
        leave = LeaveRequest(session_id=session.id, user_id=user.id)
        db.session.add(leave)
    leave.reason, leave.status, leave.created_at = reason, LeaveStatus.PENDING, now
    leave.decided_by_id = leave.decided_at = leave.decision_note = None
    db.session.flush()
    return leave


def decide_leave(actor, leave: LeaveRequest, *, approve: bool, note=None, now) -> LeaveRequest:
    """Approve or reject a pending request of a session in the actor's scope; the officer gets a
    notice. Raises PermissionDenied, Conflict (already decided)."""
    session = leave.session
    ensure_unit_in_scope(actor, session.unit)
    if leave.status != LeaveStatus.PENDING:
        raise Conflict(_l("This request has already been decided."))
    leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.REJECTED
    leave.decided_by_id = actor.id if actor is not None else None
    leave.decided_at, leave.decision_note = now, (note or "").strip()[:300] or None
    if approve:
        row = attendance_of(session, leave.user)
        if row is not None and row.status in (AttendanceStatus.PENDING, AttendanceStatus.ABSENT):
            row.status, row.updated_at = AttendanceStatus.LEAVE, now
    audit.record(
        "study.leave_approved" if approve else "study.leave_rejected",
        actor=actor,
        target=leave,
        detail={"session": session.id, "officer": leave.user_id, "note": leave.decision_note},
    )
    title = N_("Your leave from %(title)s was approved.") if approve else N_("Your leave from %(title)s was rejected.")
    notify(
        [leave.user_id],
        kind="study.leave",
        title=title,
        params={"title": session.title},
        link=f"/study/sessions/{session.id}",
        dedupe_key=f"study-leave:{leave.id}:{leave.created_at.timestamp():.0f}",
        now=now,
    )
    db.session.flush()
    return leave


def leave_requests_for(actor, status: LeaveStatus | None = LeaveStatus.PENDING) -> sa.Select:
    """Leave requests of sessions in the actor's scope, newest first."""
    query = (
        sa.select(LeaveRequest)
        .join(StudySession, LeaveRequest.session_id == StudySession.id)
        .join(Unit, StudySession.unit_id == Unit.id)
        .order_by(StudySession.starts_at, LeaveRequest.created_at)
    )
    if status is not None:
        query = query.where(LeaveRequest.status == status)
    if actor.role != Role.ADMIN:
        query = query.where(Unit.path.startswith(actor.unit.path))
    return query


def get_leave(leave_id: int) -> LeaveRequest:
    leave = db.session.get(LeaveRequest, leave_id)
    if leave is None:
        raise NotFound(_l("This leave request was not found."))
    return leave
