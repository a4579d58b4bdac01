"""People import pages: upload, dry-run report, confirm (all rows, or only the valid ones)."""

from flask import Blueprint, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user

from accounts import importer
from accounts.access import supervisor_required
from accounts.forms import ImportConfirmForm, ImportUploadForm
from core import clock, tabular, uploads
from core.errors import DomainError
from core.extensions import db
from core.settings import get_setting

bp = Blueprint("people_import", __name__, url_prefix="/admin/people/import")
PURPOSE = "people-import"
TEMPLATE_HEADERS = ["警号", "姓名", "单位", "角色", "手机"]
TEMPLATE_EXAMPLES = [
    ["310001", "张三", "东湖区公安分局/城关派出所", "干警", "13800000000"],
    ["310002", "李四", "东湖区人民法院", "单位管理员", ""],
]


@bp.route("/", methods=["GET", "POST"])
@supervisor_required
def upload():
    form = ImportUploadForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            report = importer.parse_people(data, current_user)
        except DomainError as error:
            db.session.rollback()
            form.file.errors.append(str(error.message))
        else:
            pending = uploads.keep_upload(current_user.id, PURPOSE, form.file.data.filename or "", data, clock.now())
            db.session.commit()
            confirm = ImportConfirmForm(token=pending.id)
            return render_template(
                "accounts/import_report.html", report=report, confirm=confirm, filename=pending.filename
            )
    return render_template("accounts/import_upload.html", form=form, max_rows=get_setting("PEOPLE_IMPORT_MAX_ROWS"))


@bp.post("/confirm")
@supervisor_required
def confirm():
    form = ImportConfirmForm()
    if not form.validate_on_submit() or form.mode.data not in ("all", "valid"):
        return render_template("errors/generic.html", status=400, message=_("The import request was incomplete.")), 400
    now = clock.now()
    pending = uploads.take_upload(form.token.data, current_user.id, PURPOSE, now)
    try:
        report, created = importer.import_people(
            pending.data, current_user, valid_only=form.mode.data == "valid", now=now
        )
    except DomainError as error:
        db.session.rollback()
        report = importer.parse_people(pending.data, current_user)
        return render_template(
            "accounts/import_report.html", report=report, confirm=form, filename=pending.filename, error=error.message
        ), 400
    db.session.delete(pending)
    db.session.commit()
    return render_template("accounts/import_done.html", report=report, created=created)


@bp.get("/template.xlsx")
@supervisor_required
def template():
    body = tabular.write_xlsx([("人员", TEMPLATE_HEADERS, TEMPLATE_EXAMPLES)])
    return current_app.response_class(
        body,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=people-template.xlsx"},
    )
