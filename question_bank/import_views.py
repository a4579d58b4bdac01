"""Question import pages: upload; the check page, where the admin sees how each column is read
(and the first rows), changes any column's field, maps values and saves the whole as a profile,
or, for a Word or text bank, corrects or drops items as they were read; confirm (all rows, or only
the valid ones); and the blank template to download."""

import base64
import json

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from core import clock, uploads
from core.errors import DomainError
from core.extensions import db
from core.settings import get_setting
from question_bank import exporter, import_documents, import_profiles, importer, services
from question_bank.access import bank_manager_required
from question_bank.categories import CategoryTree
from question_bank.forms import ImportCheckForm, ImportConfirmForm, ImportUploadForm
from question_bank.import_columns import FIELD_CHOICES
from question_bank.import_mapping import Mapping, check_columns, parse_value_lines, value_lines
from question_bank.models import Category, ImportProfile

bp = Blueprint("bank_import", __name__, url_prefix="/bank/import")
PURPOSE = "bank-import"
VALUE_FIELDS = (("type", "type_map"), ("answer", "answer_map"), ("difficulty", "difficulty_map"))


def encode_mapping(mapping: Mapping) -> str:
    return base64.urlsafe_b64encode(json.dumps(mapping.to_json(), ensure_ascii=False).encode()).decode()


def decode_mapping(text: str) -> Mapping:
    try:
        return Mapping.from_json(json.loads(base64.urlsafe_b64decode((text or "").encode() or b"e30=")))
    except (ValueError, TypeError, AttributeError):
        return Mapping()


def _options(category_id, create_categories):
    category = db.session.get(Category, category_id) if category_id else None
    return {"default_category": category, "create_categories": bool(create_categories)}


def _profile_choices():
    return [SelectChoice(0, _("(none: known column names only)"))] + [
        SelectChoice(p.id, p.name) for p in import_profiles.list_profiles()
    ]


def _check_page(
    report, pending, category_id, create_categories, mapping, status=200, error=None, check=None, saved=None
):
    """The check page: the mapping step (or the document's items), the report, the buttons."""
    fields = {
        "token": pending.id,
        "category_id": str(category_id or ""),
        "create_categories": "1" if create_categories else "",
        "mapping": encode_mapping(mapping),
    }
    confirm = ImportConfirmForm(formdata=None, **fields)
    if check is None:
        check = ImportCheckForm(formdata=None, **fields)
        for name, form_field in VALUE_FIELDS:
            getattr(check, form_field).data = value_lines(mapping.values.get(name))
    check.profile_id.choices = _profile_choices()
    return render_template(
        "question_bank/import_report.html",
        report=report,
        confirm=confirm,
        check=check,
        filename=pending.filename,
        error=error,
        field_choices=FIELD_CHOICES,
        samples=_samples(report),
        saved=saved,
    ), status


def _samples(report) -> list:
    """Per column: the first rows' values, as the mapping table shows them."""
    return [
        [row[i] for row in report.preview if i < len(row) and row[i] not in (None, "")]
        for i in range(len(report.headers))
    ]


@bp.route("/", methods=["GET", "POST"])
@bank_manager_required
def upload():
    form = ImportUploadForm()
    form.category_id.choices = [SelectChoice(0, _("(from the file's 分类 column)"))] + CategoryTree().choices()
    form.profile_id.choices = _profile_choices()
    if form.validate_on_submit():
        data = form.file.data.read()
        now = clock.now()
        services.ensure_categories_exist(now)
        profile = db.session.get(ImportProfile, form.profile_id.data) if form.profile_id.data else None
        mapping = import_profiles.profile_mapping(profile)
        options = _options(form.category_id.data, form.create_categories.data)
        try:
            report = importer.parse_questions(data, mapping=mapping, **options)
        except DomainError as error:
            db.session.rollback()
            form.file.errors.append(str(error.message))
        else:
            pending = uploads.keep_upload(current_user.id, PURPOSE, form.file.data.filename or "", data, now)
            db.session.commit()
            return _check_page(report, pending, form.category_id.data, form.create_categories.data, mapping)
    return render_template(
        "question_bank/import_upload.html",
        form=form,
        max_rows=get_setting("BANK_IMPORT_MAX_ROWS"),
        max_mb=get_setting("BANK_IMPORT_MAX_MB"),
    )


@bp.post("/check")
@bank_manager_required
def check():
    """Check the file again with the mapping (or the corrected items) on the page; save the
    mapping as a profile when a name is given, or start from a chosen profile."""
    form = ImportCheckForm()
    form.profile_id.choices = _profile_choices()
    if not form.validate_on_submit():
        return render_template("errors/generic.html", status=400, message=_("The import request was incomplete.")), 400
    now = clock.now()
    pending = uploads.take_upload(form.token.data, current_user.id, PURPOSE, now)
    category_id = _int(form.category_id.data)
    options = _options(category_id, form.create_categories.data)
    mapping, error, create, saved = decode_mapping(form.mapping.data), None, form.create_categories.data, None
    try:
        if request.form.get("action") == "profile" and form.profile_id.data:
            mapping = import_profiles.profile_mapping(db.session.get(ImportProfile, form.profile_id.data))
            form = None  # the page shows the profile's value maps, not the ones posted
        elif request.form.get("action") == "items":
            pending.data = _corrected_document(pending.data)
            pending.filename = (pending.filename or "bank").rsplit(".", 1)[0] + ".txt"
        else:
            mapping = _mapping_from_form(form, pending.data, mapping)
            if form.profile_name.data:
                saved = import_profiles.save_profile(current_user, form.profile_name.data, mapping, now).name
    except DomainError as failure:
        error = failure.message
    report = importer.parse_questions(pending.data, mapping=mapping, **options)
    db.session.commit()
    return _check_page(report, pending, category_id, create, mapping, 200, error, form, saved)


def _mapping_from_form(form, data, previous: Mapping) -> Mapping:
    """The page's column choices (col-<n> for the n-th header) and value maps."""
    source = importer.read_source(data, previous)
    headers = source.layout.headers if source.layout else []
    columns = {}
    for index, (header, _field) in enumerate(headers):
        chosen = request.form.get(f"col-{index}")
        if header and chosen is not None:
            columns[header] = chosen
    values = {name: parse_value_lines(name, getattr(form, form_field).data) for name, form_field in VALUE_FIELDS}
    mapping = Mapping(columns=columns, values={k: v for k, v in values.items() if v})
    check_columns(mapping.columns)
    return mapping


def _corrected_document(data: bytes) -> bytes:
    """The document again, each item as corrected on the page, dropped ones left out."""
    source = importer.read_source(data)
    items = []
    for index, row in enumerate(source.rows):
        if request.form.get(f"drop-{index}"):
            continue
        text = request.form.get(f"item-{index}", row.text)
        items.append((row.values.get("type") or "", text[:20000]))
    return import_documents.rebuild(items).encode()


@bp.post("/confirm")
@bank_manager_required
def confirm():
    form = ImportConfirmForm()
    mode = request.form.get("mode")
    if not form.validate_on_submit() or mode not in ("all", "valid"):
        return render_template("errors/generic.html", status=400, message=_("The import request was incomplete.")), 400
    now = clock.now()
    pending = uploads.take_upload(form.token.data, current_user.id, PURPOSE, now)
    category_id = _int(form.category_id.data)
    options = {**_options(category_id, form.create_categories.data), "mapping": decode_mapping(form.mapping.data)}
    try:
        report, created = importer.import_questions(
            pending.data, current_user, valid_only=mode == "valid", now=now, **options
        )
    except DomainError as error:
        db.session.rollback()
        report = importer.parse_questions(pending.data, **options)
        return _check_page(
            report, pending, category_id, form.create_categories.data, options["mapping"], 400, error.message
        )
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
