"""Report pages (blueprint "reports"): the progress board, exam reports, personal records, and
their .xlsx exports. Supervisors see their unit subtree; officers only their own record."""

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.access import signed_in, supervisor_required
from accounts.models import Role, Unit, User
from accounts.scope import ensure_person_in_scope, ensure_unit_in_scope
from appraisal import inspections
from appraisal.sheet import person_rows, row_values, sheet_columns, year_so_far
from core import clock
from core.errors import NotFound, PermissionDenied
from core.exporting import xlsx_download
from core.extensions import db
from core.inputs import id_arg
from quiz.models import Exam
from reports import charts, exam_report, exports, outstanding, periods
from reports.board import DEFAULT_COLUMNS, board_columns, build_board, figure_values
from reports.labels import outstanding_state, result_label
from reports.record import build_record

bp = Blueprint("reports", __name__, url_prefix="/reports")
BOARD_OUTSTANDING_ROWS = 20
BOARD_FINDING_ROWS = 20


def board_unit(unit_id) -> Unit:
    """The unit asked for by id (default: the viewer's own; an admin's default is the top of the
    tree); 404 for an id that is not one or names no unit."""
    if unit_id is not None:
        unit = db.session.get(Unit, unit_id)
        if unit is None:
            raise NotFound(_("This unit was not found."))
    elif current_user.role == Role.ADMIN:
        unit = db.session.scalars(sa.select(Unit).order_by(Unit.depth, Unit.sort_order, Unit.id)).first()
    else:
        unit = current_user.unit
    ensure_unit_in_scope(current_user, unit)
    return unit


def _breadcrumbs(unit: Unit) -> list[Unit]:
    """The units from the viewer's own down to `unit`, for links back up."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    units = {u.id: u for u in db.session.scalars(sa.select(Unit).where(Unit.id.in_(ids)))}
    trail = [units[i] for i in ids if i in units]
    if current_user.role != Role.ADMIN:
        trail = [u for u in trail if current_user.unit.contains(u)]
    return trail


@bp.get("/board")
@supervisor_required
def board():
    unit = board_unit(id_arg("unit"))
    today = clock.today()
    first, last = periods.period_from(request.args, today)
    result = build_board(unit, first, last)
    rows = [(row, figure_values(row.figures)) for row in result.rows]
    first_outstanding, outstanding_count = outstanding.board_outstanding(unit, clock.now(), BOARD_OUTSTANDING_ROWS)
    return render_template(
        "reports/board.html",
        outstanding=first_outstanding,
        outstanding_count=outstanding_count,
        outstanding_state=outstanding_state,
        result_label=result_label,
        board=result,
        rows=rows,
        total=figure_values(result.total),
        columns=board_columns(),
        default_columns=DEFAULT_COLUMNS,
        presets=periods.presets(today),
        trail=_breadcrumbs(unit),
        charts=charts.trend_charts(result),
        recent_exams=_recent_exams(unit),
        last_day=last + timedelta(days=6),
        inspections_held=inspections.count_inspections(unit, first, last + timedelta(days=6)),
        open_findings=inspections.open_findings(unit, limit=BOARD_FINDING_ROWS),
        open_findings_count=inspections.count_open_findings(unit),
        today=today,
    )


@bp.get("/board.xlsx")
@supervisor_required
def board_export():
    unit = board_unit(id_arg("unit"))
    first, last = periods.period_from(request.args, clock.today())
    return xlsx_download("board", exports.board_sheets(build_board(unit, first, last)))


@bp.get("/outstanding")
@supervisor_required
def outstanding_page():
    unit = board_unit(id_arg("unit"))
    return render_template(
        "reports/outstanding.html",
        unit=unit,
        outstanding=outstanding.outstanding(unit, clock.now()),
        outstanding_state=outstanding_state,
        result_label=result_label,
    )


@bp.get("/outstanding.xlsx")
@supervisor_required
def outstanding_export():
    unit = board_unit(id_arg("unit"))
    return xlsx_download("outstanding", exports.outstanding_sheets(outstanding.outstanding(unit, clock.now())))


def _recent_exams(unit: Unit, limit=8):
    """Round-0 exams set in or above `unit` lately (what the board's unit sat)."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    in_subtree = sa.select(Unit.id).where(Unit.path.startswith(unit.path))
    return db.session.scalars(
        sa.select(Exam)
        .where(Exam.retake_round == 0, sa.or_(Exam.scope_unit_id.in_(ids), Exam.scope_unit_id.in_(in_subtree)))
        .where(Exam.withdrawn_at.is_(None))
        .where(Exam.opens_at <= clock.now())
        .order_by(Exam.opens_at.desc())
        .limit(limit)
    ).all()


def _exam(exam_id) -> Exam:
    exam = db.session.get(Exam, exam_id)
    if exam is None:
        raise NotFound(_("This test was not found."))
    if not exam_report.visible_to(exam, current_user):
        raise PermissionDenied(_("This test is outside your area of responsibility."))
    return exam


def _exam_parts(exam):
    viewer = current_user._get_current_object()
    return (
        exam_report.unit_results(exam, viewer),
        exam_report.exceptions(exam, viewer),
        exam_report.question_stats(exam, viewer),
        exam_report.distribution(exam, viewer),
    )


@bp.get("/exams/<int:exam_id>")
@supervisor_required
def exam(exam_id):
    exam = _exam(exam_id)
    units, people, questions, distribution = _exam_parts(exam)
    return render_template(
        "reports/exam.html",
        exam=exam,
        units=units,
        people=people,
        questions=questions,
        distribution=distribution,
        chart=charts.distribution_chart(distribution),
        retake_status=exam_report.retake_status,
        result_label=result_label,
    )


@bp.get("/exams/<int:exam_id>.xlsx")
@supervisor_required
def exam_export(exam_id):
    exam = _exam(exam_id)
    return xlsx_download(f"exam-{exam.id}", exports.exam_sheets(*_exam_parts(exam)))


@bp.get("/me")
@signed_in
def my_record():
    record = build_record(current_user, clock.today())
    return render_template("reports/record.html", record=record, own=True, result_label=result_label,
                           **_appraisal(current_user))  # fmt: skip


@bp.get("/me.xlsx")
@signed_in
def my_record_export():
    return xlsx_download("record", exports.record_sheets(build_record(current_user, clock.today())))


def _appraisal(person: User) -> dict:
    """The person's rows of the appraisal sheet over the year so far (one per unit belonged to)."""
    first, last = year_so_far(clock.today())
    rows = person_rows(person, first, last)
    return {
        "appraisal": {
            "rows": rows,
            "first": first,
            "last_day": last + timedelta(days=6),
            "columns": sheet_columns(),
            "values": row_values,
        }
    }


def _person(user_id) -> User:
    person = db.session.get(User, user_id)
    if person is None:
        raise NotFound(_("This person was not found."))
    ensure_person_in_scope(current_user, person)
    return person


@bp.get("/people/<int:user_id>")
@supervisor_required
def person_record(user_id):
    record = build_record(_person(user_id), clock.today())
    return render_template("reports/record.html", record=record, own=False, result_label=result_label,
                           **_appraisal(record.person))  # fmt: skip


@bp.get("/people/<int:user_id>.xlsx")
@supervisor_required
def person_record_export(user_id):
    person = _person(user_id)
    return xlsx_download(f"record-{person.id}", exports.record_sheets(build_record(person, clock.today())))


def board_url(unit: Unit, first, last) -> str:
    return url_for("reports.board", unit=unit.id, **{"from": first.isoformat(), "to": last.isoformat()})


# The bulletin pages live in their own module, on this blueprint (the navigation names reports.bulletins).
from reports import bulletin_views  # noqa: E402, F401
