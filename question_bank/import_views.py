"""Question import pages: upload, dry-run report, confirm (all rows, or only the valid ones);
and the blank template to download."""

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from core import clock, uploads
from core.errors import DomainError
from core.extensions import db
from core.settings import get_setting
from question_bank import exporter, importer, services
from question_bank.access import bank_manager_required
from question_bank.categories import CategoryTree
from question_bank.forms import ImportConfirmForm, ImportUploadForm
from question_bank.models import Category

bp = Blueprint("bank_import", __name__, url_prefix="/bank/import")
PURPOSE = "bank-import"


def _options(category_id, create_categories):
    category = db.session.get(Category, category_id) if category_id else None
    return {"default_category": category, "create_categories": bool(create_categories)}


def _report_page(report, confirm, filename, status=200, error=None):
    return render_template(
        "question_bank/import_report.html", report=report, confirm=confirm, filename=filename, error=error
    ), status


@bp.route("/", methods=["GET", "POST"])
@bank_manager_required
def upload():
    form = ImportUploadForm()
    form.category_id.choices = [(0, _("(from the file's 分类 column)"))] + CategoryTree().choices()
    if form.validate_on_submit():
        data = form.file.data.read()
        now = clock.now()
        services.ensure_categories_exist(now)
        options = _options(form.category_id.data, form.create_categories.data)
        try:
            report = importer.parse_questions(data, **options)
        except DomainError as error:
            db.session.rollback()
            form.file.errors.append(str(error.message))
        else:
            pending = uploads.keep_upload(current_user.id, PURPOSE, form.file.data.filename or "", data, now)
            db.session.commit()
            confirm = ImportConfirmForm(
                token=pending.id,
                category_id=str(form.category_id.data or ""),
                create_categories="1" if form.create_categories.data else "",
            )
            return _report_page(report, confirm, pending.filename)
    return render_template(
        "question_bank/import_upload.html",
        form=form,
        max_rows=get_setting("BANK_IMPORT_MAX_ROWS"),
        max_mb=get_setting("BANK_IMPORT_MAX_MB"),
    )


@bp.post("/confirm")
@bank_manager_required
def confirm():
    form = ImportConfirmForm()
    mode = request.form.get("mode")
    if not form.validate_on_submit() or mode not in ("all", "valid"):
        return render_template("errors/generic.html", status=400, message=_("The import request was incomplete.")), 400
    now = clock.now()
    pending = uploads.take_upload(form.token.data, current_user.id, PURPOSE, now)
    options = _options(_int(form.category_id.data), form.create_categories.data)
    try:
        report, created = importer.import_questions(
            pending.data, current_user, valid_only=mode == "valid", now=now, **options
        )
    except DomainError as error:
        db.session.rollback()
        report = importer.parse_questions(
            pending.data, **_options(_int(form.category_id.data), form.create_categories.data)
        )
        return _report_page(report, form, pending.filename, 400, error.message)
    db.session.delete(pending)
    db.session.commit()
    return render_template("question_bank/import_done.html", report=report, created=created)


def _int(value):
    try:
        return int(value or 0)
    except ValueError:
        return 0


@bp.get("/template.xlsx")
@bank_manager_required
def template():
    return current_app.response_class(
        exporter.template_workbook(),
        mimetype=exporter.XLSX_MIMETYPE,
        headers={"Content-Disposition": "attachment; filename=question-import-template.xlsx"},
    )
