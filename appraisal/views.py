"""Appraisal pages (blueprint "appraisal"): the appraisal sheet of a unit subtree and period with
its .xlsx, and the inspections (督查) with their findings. Supervisors see their subtree."""

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.access import supervisor_required
from accounts.forms import unit_choices
from accounts.models import Unit
from accounts.scope import units_visible_to
from appraisal import exports, inspections
from appraisal.forms import InspectionForm, RectifyForm
from appraisal.models import Inspection, InspectionFinding, InspectionKind
from appraisal.sheet import build_sheet, row_values, sheet_columns, year_so_far
from core import clock
from core.errors import DomainError, NotFound, PermissionDenied
from core.exporting import xlsx_download
from core.extensions import db
from core.inputs import id_arg
from reports import periods
from reports.views import board_unit

bp = Blueprint("appraisal", __name__, url_prefix="/appraisal")


def _period():
    """(first Monday, last Monday) from ?from=&to= as on the board; default: the year so far."""
    today = clock.today()
    if not request.args.get("from") and not request.args.get("to"):
        return year_so_far(today)
    return periods.period_from(request.args, today)


@bp.get("/sheet")
@supervisor_required
def sheet():
    unit = board_unit(id_arg("unit"))
    first, last = _period()
    result = build_sheet(unit, first, last)
    return render_template(
        "appraisal/sheet.html",
        sheet=result,
        columns=sheet_columns(),
        row_values=row_values,
        presets=[("year", *year_so_far(clock.today())), *periods.presets(clock.today())],
        inspections_held=inspections.count_inspections(unit, first, last + timedelta(days=6)),
    )


@bp.get("/sheet.xlsx")
@supervisor_required
def sheet_export():
    unit = board_unit(id_arg("unit"))
    first, last = _period()
    return xlsx_download("appraisal", exports.appraisal_sheets(build_sheet(unit, first, last)))


@bp.get("/inspections")
@supervisor_required
def inspection_list():
    unit = board_unit(id_arg("unit"))
    first, last = _period()
    items = db.session.scalars(inspections.inspections_in(unit, first, last + timedelta(days=6))).unique().all()
    return render_template(
        "appraisal/inspections.html",
        unit=unit,
        first=first,
        last=last,
        last_day=last + timedelta(days=6),
        presets=[("year", *year_so_far(clock.today())), *periods.presets(clock.today())],
        inspections=items,
        open_findings=inspections.open_findings(unit),
        today=clock.today(),
    )


@bp.get("/inspections.xlsx")
@supervisor_required
def inspection_export():
    unit = board_unit(id_arg("unit"))
    first, last = _period()
    items = db.session.scalars(inspections.inspections_in(unit, first, last + timedelta(days=6))).unique().all()
    return xlsx_download("inspections", exports.inspection_sheets(items, inspections.open_findings(unit)))


def _inspection_form():
    form = InspectionForm()
    form.unit.choices = unit_choices(list(db.session.scalars(units_visible_to(current_user).where(Unit.active))))
    if not form.is_submitted():
        form.day.data = clock.today()
        form.unit.data = id_arg("unit") or current_user.unit_id
        form.kind.data = InspectionKind.SPECIAL.value
    return form


@bp.route("/inspections/new", methods=["GET", "POST"])
@supervisor_required
def new_inspection():
    form = _inspection_form()
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit.data)
        if unit is None:
            raise NotFound(_("This unit was not found."))
        try:
            inspection = inspections.record_inspection(
                current_user, unit, day=form.day.data, kind=InspectionKind(form.kind.data),
                inspectors=form.inspectors.data, checked=form.checked.data, findings=form.finding_rows(),
                now=clock.now(), link=url_for("appraisal.inspection_list", unit=unit.id),
            )  # fmt: skip
        except DomainError as error:
            db.session.rollback()
            if error.status == 403:
                raise
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Inspection recorded; the unit's supervisors have been told."), "success")
            return redirect(url_for("appraisal.inspection", inspection_id=inspection.id))
    elif form.is_submitted():
        flash(_("Please correct the fields marked below."), "error")
    return render_template("appraisal/inspection_form.html", form=form)


def _inspection(inspection_id) -> Inspection:
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound(_("This inspection was not found."))
    if not inspections.can_see(current_user, inspection):
        raise PermissionDenied(_("This inspection is outside your area of responsibility."))
    return inspection


@bp.get("/inspections/<int:inspection_id>")
@supervisor_required
def inspection(inspection_id):
    record = _inspection(inspection_id)
    return render_template("appraisal/inspection.html", inspection=record, form=RectifyForm(), today=clock.today())


@bp.post("/findings/<int:finding_id>/rectify")
@supervisor_required
def rectify(finding_id):
    finding = db.session.get(InspectionFinding, finding_id)
    if finding is None:
        raise NotFound(_("This finding was not found."))
    record = _inspection(finding.inspection_id)
    form = RectifyForm()
    if not form.validate_on_submit():
        flash(_("Say how the finding was rectified."), "error")
        return redirect(url_for("appraisal.inspection", inspection_id=record.id))
    try:
        inspections.rectify_finding(
            current_user, finding, rectification=form.rectification.data, now=clock.now(),
            link=url_for("appraisal.inspection", inspection_id=record.id),
        )  # fmt: skip
    except DomainError as error:
        db.session.rollback()
        if error.status == 403:
            raise
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Rectification recorded."), "success")
    return redirect(url_for("appraisal.inspection", inspection_id=record.id))
