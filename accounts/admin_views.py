"""Administrator pages: deployment settings (changes audited; the log itself is audit_views)."""

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

from accounts import audit
from accounts.access import admin_required
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
        changes = {}
        for spec in _specs():
            if spec.kind is not bool and spec.key not in request.form:
                continue  # not on the submitted form: left as it is (a browser omits only unticked boxes)
            raw = request.form.get(spec.key, "off")
            before = get_setting(spec.key)
            try:
                after = set_setting(spec, raw, current_user.id)
            except DomainError as error:
                errors[spec.key] = str(error.message)
            else:
                if after != before:
                    changes[spec.key] = {"from": before, "to": after}
        if changes and not errors:
            audit.record("settings.change", actor=current_user, target_type="settings", detail=changes)
        if errors:
            db.session.rollback()
        else:
            db.session.commit()
            flash(_("Settings saved."), "success")
            return redirect(url_for("admin.settings"))
    values = {spec.key: request.form.get(spec.key, get_setting(spec.key)) for spec in _specs()}
    return render_template("accounts/settings.html", form=form, specs=_specs(), values=values, errors=errors)
