"""The supervisor's study tables as .xlsx (blueprint "study_exports"): a session's attendance, the
sessions, the check-in overview (with the page's unit and day or week), warnings, readings with
their progress, and spot-checks. Each export reads what its page reads, in the same scope."""

from flask import Blueprint, request
from flask_login import current_user

from accounts.access import supervisor_required
from accounts.models import Unit, User
from core.exporting import xlsx_download
from core.extensions import db
from study import checkins, readings, sessions, spotchecks, warnings
from study import exports as sheets
from study.manage_scope import checkin_filters, managed_reading, managed_session, managed_spotcheck
from study.models import StudySession

bp = Blueprint("study_exports", __name__, url_prefix="/manage/study")


@bp.get("/sessions/<int:session_id>/attendance.xlsx")
@supervisor_required
def attendance(session_id):
    item = managed_session(session_id)
    table = sessions.attendance_table(item)
    not_listed = sessions.people_in_scope_without_row(item) if item.closed_at is None else []
    return xlsx_download(f"attendance-{item.id}", sheets.attendance_sheets(item, table, not_listed))


@bp.get("/sessions.xlsx")
@supervisor_required
def sessions_list():
    query = sessions.sessions_managed_by(current_user).order_by(StudySession.starts_at.desc())
    return xlsx_download("sessions", [sheets.sessions_sheet(db.session.scalars(query).all())])


@bp.get("/checkins.xlsx")
@supervisor_required
def checkins_overview():
    f = checkin_filters(request.args)
    people = db.session.scalars(checkins.audience(current_user, f.unit).order_by(Unit.path, User.username)).all()
    done, total = checkins.checkin_rate(current_user, f.unit, f.first, f.last)
    rows = checkins.overview_rows(people, f.first, f.last)
    return xlsx_download(
        f"checkins-{f.first.isoformat()}", sheets.checkin_sheets(f.unit, f.first, f.last, rows, done, total)
    )


@bp.get("/warnings.xlsx")
@supervisor_required
def warnings_list():
    return xlsx_download("warnings", [sheets.warnings_sheet(db.session.scalars(warnings.warnings_for(current_user)))])


@bp.get("/readings.xlsx")
@supervisor_required
def readings_list():
    items = db.session.scalars(readings.readings_managed_by(current_user)).all()
    return xlsx_download("readings", [sheets.readings_sheet(items, readings.progress_summary(current_user, items))])


@bp.get("/readings/<int:reading_id>.xlsx")
@supervisor_required
def reading(reading_id):
    item = managed_reading(reading_id)
    return xlsx_download(f"reading-{item.id}", sheets.reading_sheets(readings.progress(current_user, item)))


@bp.get("/spotchecks.xlsx")
@supervisor_required
def spotchecks_list():
    items = db.session.scalars(spotchecks.spot_checks_for(current_user)).all()
    return xlsx_download("spotchecks", [sheets.spotchecks_sheet(items)])


@bp.get("/spotchecks/<int:spotcheck_id>.xlsx")
@supervisor_required
def spotcheck(spotcheck_id):
    return xlsx_download(f"spotcheck-{spotcheck_id}", [sheets.spotcheck_sheet(managed_spotcheck(spotcheck_id))])
