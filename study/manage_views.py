"""Supervisor pages (blueprint "study_manage"): sessions with attendance, the projector, leave
decisions, the check-in overview, readings and their progress, spot-checks and warnings. Every
page is limited to the supervisor's unit subtree."""

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from accounts.access import supervisor_required
from accounts.forms import EmptyForm, unit_choices
from accounts.models import Unit, User
from accounts.scope import ensure_unit_in_scope
from core import clock
from core.errors import DomainError, show_on_form
from core.extensions import db
from core.inputs import id_list
from core.redirects import safe_target
from question_bank.models import Category
from study import checkins, leave, readings, sessions, spotchecks, warnings
from study.forms import DecideLeaveForm, ReadingForm, SessionForm, SpotCheckForm
from study.manage_scope import (
    checkin_filters,
    managed_reading,
    managed_session,
    managed_spotcheck,
    unit_in_scope,
    visible_units,
)
from study.models import LeaveRequest, LeaveStatus, SpotCheckItem, StudySession

bp = Blueprint("study_manage", __name__, url_prefix="/manage/study")
PER_PAGE = 50


# ---- sessions -------------------------------------------------------------------------------


@bp.get("/sessions", endpoint="sessions")
@supervisor_required
def sessions_index():
    now = clock.now()
    query = sessions.sessions_managed_by(current_user)
    upcoming = db.session.scalars(query.where(StudySession.ends_at > now).order_by(StudySession.starts_at)).all()
    past = db.paginate(
        query.where(StudySession.ends_at <= now).order_by(StudySession.starts_at.desc()), per_page=20, error_out=False
    )
    pending = db.session.scalars(leave.leave_requests_for(current_user)).all()
    return render_template("study/manage/sessions.html", upcoming=upcoming, page=past, pending=pending, now=now)


def _session_form(session=None):
    form = SessionForm(obj=session)
    form.unit_id.choices = unit_choices(visible_units())
    if session is not None and not form.is_submitted():
        form.kind.data = session.kind.value
        form.starts_at.data = clock.local(session.starts_at).replace(tzinfo=None)
        form.ends_at.data = clock.local(session.ends_at).replace(tzinfo=None)
    return form


def _session_values(form):
    return {
        "kind": form.kind.data,
        "title": form.title.data,
        "speaker": form.speaker.data,
        "place": form.place.data,
        "unit": unit_in_scope(form.unit_id.data),
        "starts_at": clock.parse_local(form.starts_at.data.isoformat()),
        "ends_at": clock.parse_local(form.ends_at.data.isoformat()),
        "now": clock.now(),
    }


@bp.route("/sessions/new", methods=["GET", "POST"])
@supervisor_required
def new_session():
    form = _session_form()
    if form.validate_on_submit():
        try:
            session = sessions.schedule_session(current_user, **_session_values(form))
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Session scheduled."), "success")
            return redirect(url_for("study_manage.session", session_id=session.id))
    return render_template("study/manage/session_form.html", form=form, session=None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@supervisor_required
def edit_session(session_id):
    session = managed_session(session_id)
    form = _session_form(session)
    if form.validate_on_submit():
        try:
            sessions.update_session(current_user, session, **_session_values(form))
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("study_manage.session", session_id=session.id))
    return render_template("study/manage/session_form.html", form=form, session=session)


@bp.get("/sessions/<int:session_id>")
@supervisor_required
def session(session_id):
    item, now = managed_session(session_id), clock.now()
    table = sessions.attendance_table(item)
    return render_template(
        "study/manage/session.html",
        session=item,
        table=table,
        not_listed=sessions.people_in_scope_without_row(item) if item.closed_at is None else [],
        requests=db.session.scalars(
            leave.leave_requests_for(current_user, None).where(LeaveRequest.session_id == item.id)
        ).all(),
        window=sessions.signin_window(item),
        signin_open=sessions.signin_open(item, now),
        now=now,
        form=EmptyForm(),
        decide_form=DecideLeaveForm(),
    )


@bp.get("/sessions/<int:session_id>/projector")
@supervisor_required
def projector(session_id):
    item = managed_session(session_id)
    return render_template("study/manage/projector.html", session=item, window=sessions.signin_window(item))


@bp.post("/sessions/<int:session_id>/present")
@supervisor_required
def mark_present(session_id):
    item = managed_session(session_id)
    if EmptyForm().validate_on_submit():
        try:
            ids = id_list(request.form.getlist("user_id"))
            count = sessions.mark_present(current_user, item, ids, clock.now())
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("%(count)d marked present.", count=count), "success")
    return redirect(url_for("study_manage.session", session_id=session_id))


@bp.post("/leave/<int:leave_id>")
@supervisor_required
def decide_leave(leave_id):
    request_ = leave.get_leave(leave_id)
    ensure_unit_in_scope(current_user, request_.session.unit)
    form = DecideLeaveForm()
    if form.validate_on_submit():
        try:
            leave.decide_leave(
                current_user, request_, approve=form.decision.data == "approve", note=form.note.data, now=clock.now()
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Leave approved.") if request_.status == LeaveStatus.APPROVED else _("Leave rejected."), "success")
    return redirect(safe_target(request.form.get("next"), url_for("study_manage.sessions")))


# ---- check-ins --------------------------------------------------------------------------------


@bp.get("/checkins", endpoint="checkins")
@supervisor_required
def checkins_overview():
    filters = checkin_filters(request.args)
    page = db.paginate(
        checkins.audience(current_user, filters.unit).order_by(Unit.path, User.username),
        per_page=PER_PAGE,
        error_out=False,
    )
    done, total = checkins.checkin_rate(current_user, filters.unit, filters.first, filters.last)
    return render_template(
        "study/manage/checkins.html",
        form=filters.form,
        unit=filters.unit,
        first=filters.first,
        last=filters.last,
        page=page,
        rows=checkins.overview_rows(page.items, filters.first, filters.last),
        done=done,
        total=total,
    )


# ---- readings ---------------------------------------------------------------------------------


@bp.get("/readings", endpoint="readings")
@supervisor_required
def readings_index():
    page = db.paginate(readings.readings_managed_by(current_user), per_page=30, error_out=False)
    return render_template(
        "study/manage/readings.html", page=page, progress=readings.progress_summary(current_user, page.items)
    )


def _reading_form(reading=None):
    form = ReadingForm(obj=reading)
    form.unit_id.choices = unit_choices(visible_units())
    categories = db.session.scalars(sa.select(Category).where(Category.active).order_by(Category.path)).all()
    form.category_id.choices = [SelectChoice(0, _("No category"))] + [
        SelectChoice(c.id, "\u3000" * c.depth + c.name) for c in categories
    ]
    if reading is not None and not form.is_submitted():
        form.category_id.data = reading.category_id or 0
        form.body.data = reading.body_html or ""
    return form


def _reading_values(form):
    upload = form.pdf.data
    return {
        "title": form.title.data,
        "unit": unit_in_scope(form.unit_id.data),
        "category": db.session.get(Category, form.category_id.data) if form.category_id.data else None,
        "body": form.body.data,
        "required": form.required.data,
        "due_on": form.due_on.data,
        "pdf": (upload.filename, upload.read()) if upload and getattr(upload, "filename", "") else None,
        "now": clock.now(),
    }


@bp.route("/readings/new", methods=["GET", "POST"])
@supervisor_required
def new_reading():
    form = _reading_form()
    if form.validate_on_submit():
        try:
            reading = readings.create_reading(current_user, **_reading_values(form))
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Reading published."), "success")
            return redirect(url_for("study_manage.reading", reading_id=reading.id))
    return render_template("study/manage/reading_form.html", form=form, reading=None)


@bp.route("/readings/<int:reading_id>/edit", methods=["GET", "POST"])
@supervisor_required
def edit_reading(reading_id):
    reading = managed_reading(reading_id, edit=True)
    form = _reading_form(reading)
    if form.validate_on_submit():
        try:
            readings.update_reading(current_user, reading, **_reading_values(form))
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("study_manage.reading", reading_id=reading.id))
    return render_template("study/manage/reading_form.html", form=form, reading=reading, action_form=EmptyForm())


@bp.get("/readings/<int:reading_id>")
@supervisor_required
def reading(reading_id):
    item = managed_reading(reading_id)
    return render_template(
        "study/manage/reading.html",
        reading=item,
        progress=readings.progress(current_user, item),
        can_edit=_can_edit(item),
        form=EmptyForm(),
    )


def _can_edit(item):
    try:
        ensure_unit_in_scope(current_user, item.unit)
    except DomainError:
        return False
    return True


@bp.post("/readings/<int:reading_id>/active")
@supervisor_required
def set_reading_active(reading_id):
    item = managed_reading(reading_id, edit=True)
    if EmptyForm().validate_on_submit():
        readings.set_reading_active(current_user, item, not item.active, clock.now())
        db.session.commit()
        flash(_("Reading restored.") if item.active else _("Reading withdrawn."), "success")
    return redirect(url_for("study_manage.reading", reading_id=reading_id))


# ---- spot-checks and warnings -----------------------------------------------------------------


def _spotcheck_form():
    form = SpotCheckForm()
    form.unit_id.choices = unit_choices(visible_units())
    if not form.is_submitted():
        form.to_day.data = clock.today()
        form.from_day.data = clock.today() - timedelta(days=6)
        form.size.data = 10
    return form


@bp.get("/spotchecks", endpoint="spotchecks")
@supervisor_required
def spotchecks_index():
    page = db.paginate(spotchecks.spot_checks_for(current_user), per_page=20, error_out=False)
    return render_template("study/manage/spotchecks.html", page=page, form=_spotcheck_form(), counts=spotchecks.counts)


@bp.post("/spotchecks")
@supervisor_required
def draw_spotcheck():
    form = _spotcheck_form()
    if form.validate_on_submit():
        try:
            spot_check = spotchecks.draw_spot_check(
                current_user,
                unit=unit_in_scope(form.unit_id.data),
                from_day=form.from_day.data,
                to_day=form.to_day.data,
                size=form.size.data if not form.percent.data else None,
                percent=form.percent.data or None,
                now=clock.now(),
            )
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            return redirect(url_for("study_manage.spotcheck", spotcheck_id=spot_check.id))
    page = db.paginate(spotchecks.spot_checks_for(current_user), per_page=20, error_out=False)
    return render_template("study/manage/spotchecks.html", page=page, form=form, counts=spotchecks.counts)


@bp.get("/spotchecks/<int:spotcheck_id>")
@supervisor_required
def spotcheck(spotcheck_id):
    item = managed_spotcheck(spotcheck_id)
    return render_template(
        "study/manage/spotcheck.html", spot_check=item, counts=spotchecks.counts(item), form=EmptyForm()
    )


@bp.post("/spotchecks/samples/<int:sample_id>")
@supervisor_required
def mark_sample(sample_id):
    item: SpotCheckItem = spotchecks.get_item(sample_id)
    ensure_unit_in_scope(current_user, item.spot_check.unit)
    if EmptyForm().validate_on_submit():
        try:
            spotchecks.mark_item(
                current_user,
                item,
                result=request.form.get("result", ""),
                comment=request.form.get("comment"),
                now=clock.now(),
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Marked."), "success")
    return redirect(url_for("study_manage.spotcheck", spotcheck_id=item.spot_check_id, _anchor=f"sample-{item.id}"))


@bp.get("/warnings", endpoint="warnings")
@supervisor_required
def warnings_index():
    page = db.paginate(warnings.warnings_for(current_user), per_page=PER_PAGE, error_out=False)
    return render_template("study/manage/warnings.html", page=page)
