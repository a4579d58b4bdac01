"""Officer pages (blueprint "study"): my check-in and calendar, readings, my sessions with
sign-in and leave. Reading pages are also open to supervisors who manage or are covered by the
thing shown; everything else shows the signed-in person's own data only."""

import io
from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from accounts.access import role_required, signed_in
from accounts.forms import EmptyForm
from accounts.models import Role
from accounts.scope import can_manage_unit
from core import clock
from core.errors import DomainError, NotFound
from core.extensions import db, talisman
from core.inputs import parse_day
from study import checkins, codes, leave, makeup, readings, sessions, spotchecks
from study.forms import CheckInForm, LeaveForm, SignInForm
from study.models import LeaveRequest, Reading, StudySession
from study.settings import setting

bp = Blueprint("study", __name__, url_prefix="/study")
officer_only = role_required(Role.OFFICER)
bp.add_app_template_filter(readings.safe_html, "reading_html")
# Chrome shows a PDF through a built-in <embed> (governed by object-src) in a page with inline
# styles; the site-wide object-src 'none' would block it. The body is a PDF, never HTML.
PDF_POLICY = {
    "default-src": "'none'",
    "object-src": "'self'",
    "style-src": "'unsafe-inline'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
}


def _month(value, today):
    """The first day of the month `value` (YYYY-MM) names, or of this month."""
    return parse_day(f"{value}-01") or today.replace(day=1)


@bp.get("/checkin")
@signed_in
def checkin():
    now, today = clock.now(), clock.today()
    day = parse_day(request.args.get("day")) or today
    oldest = today - timedelta(days=setting("STUDY_BACKFILL_DAYS"))
    if not oldest <= day <= today:
        day = today
    existing = db.session.scalar(sa.select(checkins.CheckIn).filter_by(user_id=current_user.id, day=day))
    form = CheckInForm(obj=existing, day=day.isoformat())
    if existing is not None and not form.is_submitted():
        form.method.data, form.readings.data = existing.method.value, existing.reading_ids
    my_readings = db.session.scalars(readings.readings_for(current_user)).all()
    form.readings.choices = [SelectChoice(r.id, r.title) for r in my_readings]
    month = _month(request.args.get("month"), today)
    return render_template(
        "study/checkin.html",
        form=form,
        day=day,
        today=today,
        existing=existing,
        editable=checkins.is_editable(existing, now),
        backfill_days=[oldest + timedelta(days=i) for i in range((today - oldest).days)],
        calendar=checkins.month_calendar(current_user, month.year, month.month, today),
        prev_month=(month - timedelta(days=1)).strftime("%Y-%m"),
        next_month=(month + timedelta(days=32)).strftime("%Y-%m") if month < today.replace(day=1) else None,
        streak=checkins.streak(current_user, today),
        notes_min=setting("STUDY_NOTES_MIN_LENGTH"),
        spot_results=spotchecks.results_for(current_user)[:5],
    )


@bp.post("/checkin")
@officer_only
def save_checkin():
    form = CheckInForm()
    day = parse_day(form.day.data) or clock.today()
    if form.validate_on_submit():
        try:
            checkins.save_checkin(
                current_user,
                day=day,
                minutes=form.minutes.data,
                method=form.method.data,
                reading_ids=form.readings.data,
                notes=form.notes.data,
                now=clock.now(),
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Check-in saved."), "success")
    else:
        for errors in form.errors.values():
            flash(str(errors[0]), "error")
    return redirect(url_for("study.checkin", day=day.isoformat()))


@bp.get("/readings", endpoint="readings")
@signed_in
def readings_list():
    items = db.session.scalars(readings.readings_for(current_user)).all()
    return render_template("study/readings.html", readings=items, done=readings.read_ids(current_user))


def _visible_reading(reading_id) -> Reading:
    reading = db.session.get(Reading, reading_id)
    if reading is None:
        raise NotFound(_("This reading was not found."))
    readings.ensure_reading_visible(current_user, reading)
    return reading


@bp.get("/readings/<int:reading_id>")
@signed_in
def reading(reading_id):
    item = _visible_reading(reading_id)
    return render_template(
        "study/reading.html",
        reading=item,
        done=item.id in readings.read_ids(current_user),
        can_mark=readings.applies_to(item, current_user),
        makeup_pending=makeup.reading_pending(current_user.id, item.id),
        form=EmptyForm(),
    )


@bp.get("/makeup")
@signed_in
def makeup_page():
    """补课: the make-up study the officer still has to do before each retake."""
    return render_template("study/makeup.html", makeups=makeup.overview(current_user, clock.now()), form=EmptyForm())


@bp.get("/readings/<int:reading_id>/pdf")
@talisman(content_security_policy=PDF_POLICY)
@signed_in
def reading_pdf(reading_id):
    item = _visible_reading(reading_id)
    if item.file is None:
        abort(404)
    response = send_file(
        io.BytesIO(item.file.content),
        mimetype="application/pdf",
        download_name=item.file.filename,
        as_attachment=request.args.get("download") == "1",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/readings/<int:reading_id>/read")
@officer_only
def mark_read(reading_id):
    item = _visible_reading(reading_id)
    if EmptyForm().validate_on_submit():
        makeup.mark_studied(current_user, item, clock.now())
        db.session.commit()
        flash(_("Marked as read."), "success")
    if request.form.get("next") == "makeup":
        return redirect(url_for("study.makeup_page"))
    return redirect(url_for("study.reading", reading_id=reading_id))


@bp.get("/sessions", endpoint="sessions")
@signed_in
def sessions_list():
    now = clock.now()
    mine = db.session.scalars(sessions.sessions_for(current_user).order_by(StudySession.starts_at.desc())).all()
    ids = [s.id for s in mine]
    rows = {r.session_id: r for r in _my_rows(ids)}
    leaves = {lr.session_id: lr for lr in _my_leave(ids)}
    upcoming = sorted((s for s in mine if s.ends_at > now), key=lambda s: s.starts_at)
    past = [s for s in mine if s.ends_at <= now][:30]
    return render_template(
        "study/sessions.html",
        upcoming=upcoming,
        past=past,
        rows=rows,
        leaves=leaves,
        now=now,
        signin_open=lambda s: sessions.signin_open(s, now),
    )


def _my_rows(ids):
    return db.session.scalars(
        sa.select(sessions.Attendance).where(
            sessions.Attendance.user_id == current_user.id, sessions.Attendance.session_id.in_(ids)
        )
    ).all()


def _my_leave(ids):
    return db.session.scalars(
        sa.select(LeaveRequest).where(LeaveRequest.user_id == current_user.id, LeaveRequest.session_id.in_(ids))
    ).all()


def _visible_session(session_id) -> StudySession:
    """A session that is for the signed-in officer, or one a supervisor manages; else 404."""
    session = sessions.get_session(session_id)
    if sessions.attendance_of(session, current_user) is None and not (
        current_user.unit.path.startswith(session.unit.path) or can_manage_unit(current_user, session.unit)
    ):
        raise NotFound(_("This session was not found."))
    return session


@bp.get("/sessions/<int:session_id>")
@signed_in
def session_detail(session_id):
    session, now = _visible_session(session_id), clock.now()
    token = request.args.get("t", "")
    token_ok = bool(token) and codes.token_session_id(token) == session.id
    opens, closes = sessions.signin_window(session)
    return render_template(
        "study/session.html",
        session=session,
        row=sessions.attendance_of(session, current_user),
        leave=db.session.scalar(sa.select(LeaveRequest).filter_by(session_id=session.id, user_id=current_user.id)),
        signin_form=SignInForm(token=token if token_ok else ""),
        token_ok=token_ok,
        token_given=bool(token),
        leave_form=LeaveForm(),
        now=now,
        opens=opens,
        closes=closes,
        can_attend=sessions.in_scope(session, current_user),
    )


@bp.post("/sessions/<int:session_id>/signin")
@officer_only
def signin(session_id):
    session, form = _visible_session(session_id), SignInForm()
    if form.validate_on_submit():
        try:
            row = sessions.sign_in(
                current_user, session, code=form.code.data, token=form.token.data or None, now=clock.now()
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Signed in: %(status)s.", status=row.status.label), "success")
    return redirect(url_for("study.session_detail", session_id=session_id))


@bp.post("/sessions/<int:session_id>/leave")
@officer_only
def ask_leave(session_id):
    session, form = _visible_session(session_id), LeaveForm()
    if form.validate_on_submit():
        try:
            leave.request_leave(current_user, session, form.reason.data, clock.now())
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Your leave request was sent to your supervisor."), "success")
    else:
        flash(_("Give a reason for your leave."), "error")
    return redirect(url_for("study.session_detail", session_id=session_id))
