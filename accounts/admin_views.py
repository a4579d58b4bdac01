"""Administrator pages: deployment settings and the audit log."""

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from accounts.access import admin_required
from accounts.audit import AuditEvent
from accounts.forms import EmptyForm
from core.errors import DomainError
from core.extensions import db
from core.settings import get_setting, set_setting

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _specs():
    return current_app.config["YINGZHI_SETTING_SPECS"]


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def settings():
    form = EmptyForm()
    errors = {}
    if form.validate_on_submit():
        for spec in _specs():
            if spec.kind is not bool and spec.key not in request.form:
                continue  # not on the submitted form: left as it is (a browser omits only unticked boxes)
            raw = request.form.get(spec.key, "off")
            try:
                set_setting(spec, raw, current_user.id)
            except DomainError as error:
                errors[spec.key] = str(error.message)
        if errors:
            db.session.rollback()
        else:
            db.session.commit()
            flash(_("Settings saved."), "success")
            return redirect(url_for("admin.settings"))
    values = {spec.key: request.form.get(spec.key, get_setting(spec.key)) for spec in _specs()}
    return render_template("accounts/settings.html", form=form, specs=_specs(), values=values, errors=errors)


@bp.get("/audit")
@admin_required
def audit_log():
    action = request.args.get("action", "").strip()
    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    page = db.paginate(query, per_page=50, error_out=False, count=True)
    return render_template("accounts/audit.html", page=page, action=action)
