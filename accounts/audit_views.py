"""The audit log for administrators (blueprint "audit", /admin/audit): who did what, to which
target, when and from where, filtered by action, person and period, and exported as .xlsx."""

import json
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from accounts import audit
from accounts.access import admin_required
from accounts.audit import AuditEvent
from accounts.forms import EmptyForm
from accounts.models import User
from core import clock, tabular
from core.errors import ValidationFailed
from core.extensions import db
from core.formatting import localtime
from core.inputs import parse_day

bp = Blueprint("audit", __name__, url_prefix="/admin")
EXPORT_LIMIT = 50_000
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(values, name) -> date | None:
    return parse_day(values.get(name, ""))  # a bad date filters nothing, as on the other filter forms


def _filters(values) -> dict:
    return {
        "action": values.get("action", "").strip()[:60],
        "who": values.get("who", "").strip()[:60],
        "from": _day(values, "from"),
        "to": _day(values, "to"),
    }


def _events(filters) -> sa.Select:
    """The events the filters select, newest first."""
    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if filters["action"]:
        query = query.where(AuditEvent.action.startswith(filters["action"]))
    if filters["who"]:
        who = "%" + filters["who"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        people = sa.select(User.id).where(
            sa.or_(User.username.like(who, escape="\\"), User.full_name.like(who, escape="\\"))
        )
        query = query.where(AuditEvent.actor_id.in_(people))
    if filters["from"]:
        query = query.where(AuditEvent.at >= clock.day_bounds(filters["from"])[0])
    if filters["to"]:
        query = query.where(AuditEvent.at < clock.day_bounds(filters["to"])[1])
    return query


@bp.get("/audit", endpoint="log")
@admin_required
def audit_log():
    filters = _filters(request.args)
    page = db.paginate(_events(filters), per_page=50, error_out=False, count=True)
    return render_template("accounts/audit.html", page=page, filters=filters, form=EmptyForm())


@bp.post("/audit.xlsx", endpoint="export")
@admin_required
def audit_export():
    """The filtered log as .xlsx (at most EXPORT_LIMIT rows, newest first). A POST, as the
    export is itself audited (no GET changes anything)."""
    if not EmptyForm().validate_on_submit():
        raise ValidationFailed(_("The export request was incomplete."))
    filters = _filters(request.form)
    events = db.session.scalars(_events(filters).limit(EXPORT_LIMIT)).all()
    headers = [_("Time"), _("Who"), _("Account"), _("Action"), _("Target"), _("Details"), _("Address")]
    rows = [
        [
            localtime(event.at, "%Y-%m-%d %H:%M:%S"),
            event.actor.full_name if event.actor else _("system or anonymous"),
            event.actor.username if event.actor else "",
            event.action,
            f"{event.target_type or ''} {event.target_id or ''}".strip(),
            json.dumps(event.detail, ensure_ascii=False, default=str) if event.detail else "",
            event.ip or "",
        ]
        for event in events
    ]
    shown = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in filters.items() if v}
    audit.record("audit.export", actor=current_user, detail={"filters": shown, "rows": len(rows)})
    db.session.commit()
    stamp = clock.local(clock.now()).strftime("%Y%m%d-%H%M")
    return current_app.response_class(
        tabular.write_xlsx([(_("Audit log"), headers, rows)]),
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": f"attachment; filename=audit-{stamp}.xlsx"},
    )
