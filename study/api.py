"""JSON API of the officer's study actions (blueprint "study_api"), plus the host's rotating code.

Session-cookie auth, X-CSRFToken on writes, errors as {"error": code, "message": Chinese text}.
"""

from datetime import date, timedelta

import segno
import sqlalchemy as sa
from flask import Blueprint, jsonify, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.access import role_required, signed_in, supervisor_required
from accounts.models import Role
from accounts.scope import ensure_unit_in_scope
from core import clock
from core.errors import NotFound, ValidationFailed
from core.extensions import db
from core.inputs import json_body, parse_day
from core.openapi import DATE, operation
from study import api_schemas as schemas
from study import checkins, codes, leave, sessions
from study.models import AttendanceStatus, CheckIn, LeaveRequest, StudySession
from study.settings import setting

bp = Blueprint("study_api", __name__, url_prefix="/api/v1")
officer_only = role_required(Role.OFFICER)
MAX_RANGE = 366


def _day(value, name) -> date:
    day = parse_day(value)
    if day is None:
        raise ValidationFailed(_l("%(name)s must be a date like 2026-11-23.", name=name), field=name)
    return day


def checkin_json(checkin: CheckIn, study_minutes: int, now) -> dict:
    return {
        "day": checkin.day.isoformat(),
        "minutes": checkin.minutes,
        "method": checkin.method.value,
        "readings": checkin.reading_ids,
        "notes": checkin.notes,
        "late": checkin.late,
        "editable": checkins.is_editable(checkin, now),
        "study_minutes": study_minutes,
    }


@bp.get("/checkins")
@operation(
    "My check-ins and daily study minutes between two days (default: the last 30)",
    query={"from": DATE, "to": DATE},
    responses={200: ("Check-ins and minutes per day", schemas.CHECKINS)},
)
@signed_in
def list_checkins():
    today = clock.today()
    to_day = _day(request.args["to"], "to") if request.args.get("to") else today
    from_day = _day(request.args["from"], "from") if request.args.get("from") else to_day - timedelta(days=29)
    if from_day > to_day or (to_day - from_day).days >= MAX_RANGE:
        raise ValidationFailed(_l("Choose a period of at most a year, from before to."), field="from")
    now = clock.now()
    minutes = checkins.daily_minutes([current_user.id], from_day, to_day)
    return jsonify(
        {
            "from": from_day.isoformat(),
            "to": to_day.isoformat(),
            "target": setting("STUDY_DAILY_TARGET_MINUTES"),
            "checkins": [
                checkin_json(c, minutes.get((current_user.id, c.day), 0), now)
                for c in checkins.checkins_between([current_user.id], from_day, to_day)
            ],
            "study_minutes": {day.isoformat(): total for (_uid, day), total in sorted(minutes.items())},
        }
    )


@bp.put("/checkins/<day>")
@operation(
    "Check in (or change today's check-in) for a day, YYYY-MM-DD",
    path={"day": DATE},
    body=schemas.CHECKIN,
    responses={200: ("The check-in", schemas.CHECKIN_SAVED)},
    description="null minutes or method: not filled in; the 400 says which field to fill.",
)
@officer_only
def put_checkin(day):
    day = parse_day(day)
    if day is None:
        raise NotFound(_l("There is no such day."))
    data, now = json_body(), clock.now()
    checkin = checkins.save_checkin(
        current_user,
        day=day,
        minutes=data.get("minutes"),
        method=data.get("method"),
        reading_ids=data.get("readings") or [],
        notes=data.get("notes"),
        now=now,
    )
    db.session.commit()
    total = checkins.daily_minutes([current_user.id], day, day).get((current_user.id, day), 0)
    return jsonify({"checkin": checkin_json(checkin, total, now)})


def session_json(session: StudySession, row, leave_request, now) -> dict:
    status = row.status if row is not None else None
    return {
        "id": session.id,
        "kind": session.kind.value,
        "kind_label": str(session.kind.label),
        "title": session.title,
        "speaker": session.speaker,
        "place": session.place,
        "unit": session.unit.name,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "signin_open": sessions.signin_open(session, now),
        "my_status": status.value if status else None,
        "my_status_label": str(status.label) if status else None,
        "my_leave": leave_request.status.value if leave_request is not None else None,
        "my_leave_label": str(leave_request.status.label) if leave_request is not None else None,
    }


@bp.get("/sessions")
@operation(
    "My study sessions (last 90 days and upcoming) with my status and leave",
    responses={200: ("Sessions", schemas.SESSIONS)},
)
@signed_in
def list_sessions():
    now = clock.now()
    mine = db.session.scalars(
        sessions.sessions_for(current_user)
        .where(StudySession.ends_at >= now - timedelta(days=90))
        .order_by(StudySession.starts_at.desc())
    ).all()
    ids = [s.id for s in mine]
    rows = {
        r.session_id: r
        for r in db.session.scalars(
            sa.select(sessions.Attendance).where(
                sessions.Attendance.user_id == current_user.id, sessions.Attendance.session_id.in_(ids)
            )
        )
    }
    leaves = {
        lr.session_id: lr
        for lr in db.session.scalars(
            sa.select(LeaveRequest).where(LeaveRequest.user_id == current_user.id, LeaveRequest.session_id.in_(ids))
        )
    }
    return jsonify({"sessions": [session_json(s, rows.get(s.id), leaves.get(s.id), now) for s in mine]})


def _session_for_officer(session_id) -> StudySession:
    session = sessions.get_session(session_id)
    sessions.ensure_attends(current_user, session)
    return session


@bp.post("/sessions/<int:session_id>/signin")
@operation(
    "Sign in to a session with the code on the screen, or the token of its QR code",
    body=schemas.SIGNIN,
    responses={200: ("Signed in", schemas.SIGNED_IN)},
)
@officer_only
def signin(session_id):
    session = _session_for_officer(session_id)
    data = json_body()
    if not data.get("code") and not data.get("token"):
        raise ValidationFailed(_l("Enter the six-digit code shown on the screen."), field="code")
    row = sessions.sign_in(
        current_user, session, code=str(data.get("code") or ""), token=data.get("token") or None, now=clock.now()
    )
    db.session.commit()
    return jsonify(
        {
            "status": row.status.value,
            "status_label": str(row.status.label),
            "signed_in_at": row.signed_in_at.isoformat(),
        }
    )


@bp.post("/sessions/<int:session_id>/leave")
@operation(
    "Ask for leave from a session, before it starts",
    body=schemas.LEAVE,
    responses={201: ("Asked", schemas.LEAVE_ASKED)},
)
@officer_only
def ask_leave(session_id):
    session = _session_for_officer(session_id)
    data = json_body()
    leave_request = leave.request_leave(current_user, session, data["reason"], clock.now())
    db.session.commit()
    return jsonify({"leave": {"status": leave_request.status.value, "reason": leave_request.reason}}), 201


@bp.get("/sessions/<int:session_id>/code")
@operation(
    "Host only: the current sign-in code, seconds until it changes, and the QR image",
    responses={200: ("The code, or open: false", schemas.HOST_CODE)},
)
@supervisor_required
def host_code(session_id):
    session, now = sessions.get_session(session_id), clock.now()
    ensure_unit_in_scope(current_user, session.unit)
    table = sessions.attendance_table(session)
    counts = {
        "present": len(table[AttendanceStatus.PRESENT]),
        "late": len(table[AttendanceStatus.LATE]),
        "expected": sum(len(rows) for rows in table.values())
        + (0 if session.roster_taken_at else len(sessions.people_in_scope_without_row(session))),
    }
    if not sessions.signin_open(session, now):
        return jsonify({"open": False, "code": None, "counts": counts})
    code, seconds_left = sessions.current_code(session, now)
    url = url_for("study.session_detail", session_id=session.id, t=codes.make_token(session.id), _external=True)
    qr = segno.make(url, error="m").svg_data_uri(scale=6, border=2, dark="#0f2d57")
    return jsonify(
        {
            "open": True,
            "code": code,
            "expires_in": seconds_left,
            "step": setting("STUDY_SIGNIN_CODE_SECONDS"),
            "qr": qr,
            "counts": counts,
        }
    )
