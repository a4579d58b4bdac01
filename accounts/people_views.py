"""People pages: search and list, add, edit, reset password, deactivate, revoke remembered devices.
Scoped to the actor."""

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from accounts import devices, services
from accounts import units as units_module
from accounts.access import supervisor_required
from accounts.exports import people_sheet
from accounts.forms import (
    EmptyForm,
    PeopleSearchForm,
    PersonForm,
    role_choices,
    unit_choices,
)
from accounts.models import ROLE_LABELS, RememberedDevice, Role, Unit, User
from accounts.scope import (
    ensure_person_in_scope,
    ensure_unit_in_scope,
    people_visible_to,
    units_visible_to,
)
from core import clock
from core.errors import DomainError
from core.exporting import xlsx_download
from core.extensions import db
from core.inputs import parse_id

bp = Blueprint("people", __name__, url_prefix="/admin/people")


def _person_in_scope(user_id) -> User:
    person = db.get_or_404(User, user_id)
    ensure_person_in_scope(current_user, person)
    return person


def _visible_units():
    return list(db.session.scalars(units_visible_to(current_user)))


def _search(args):
    """The list's filters (name or number, unit, role, deactivated too) and what they select, in
    the actor's scope, for the page and its export alike."""
    units = _visible_units()
    form = PeopleSearchForm(args)
    form.unit.choices = [SelectChoice(0, _("All units"))] + unit_choices(units)
    form.role.choices = [SelectChoice("", _("All roles"))] + [SelectChoice(r.value, ROLE_LABELS[r]) for r in Role]
    query = people_visible_to(current_user)
    if form.q.data:
        needle = f"%{form.q.data.strip()}%"
        query = query.where(sa.or_(User.full_name.like(needle), User.username.like(needle)))
    if parse_id(form.unit.data):
        chosen = db.session.get(Unit, form.unit.data)
        if chosen is not None:
            ensure_unit_in_scope(current_user, chosen)
            query = query.where(Unit.path.startswith(chosen.path))
    if form.role.data in {r.value for r in Role}:  # anything else: all roles, like the empty choice
        query = query.where(User.role == Role(form.role.data))
    if not form.include_inactive.data:
        query = query.where(User.active)
    return form, query.order_by(Unit.path, User.username), units_module.short_labels(units)


@bp.get("/")
@supervisor_required
def index():
    form, query, unit_labels = _search(request.args)
    page = db.paginate(query, per_page=current_app.config["USERS_PER_PAGE"], error_out=False)
    return render_template("accounts/people.html", page=page, form=form, unit_labels=unit_labels)


@bp.get("/export.xlsx")
@supervisor_required
def export():
    _form, query, unit_labels = _search(request.args)
    return xlsx_download("people", [people_sheet(db.session.scalars(query).all(), unit_labels)])


def _person_form(person=None):
    form = PersonForm(obj=person)
    form.unit_id.choices = unit_choices(
        [u for u in _visible_units() if u.active or (person and u.id == person.unit_id)]
    )
    form.role.choices = role_choices(current_user)
    if person is not None:
        del form.username
        if not form.is_submitted():
            form.role.data = person.role.value
    return form


def _apply_error(form, error):
    field = {"unit": "unit_id"}.get(error.field, error.field)
    target = getattr(form, field or "", None) or form.full_name
    target.errors.append(str(error.message))


@bp.route("/new", methods=["GET", "POST"])
@supervisor_required
def create():
    form = _person_form()
    if form.validate_on_submit():
        try:
            person, one_time = services.create_user(
                current_user,
                username=form.username.data,
                full_name=form.full_name.data,
                unit=db.get_or_404(Unit, form.unit_id.data),
                role=Role(form.role.data),
                phone=form.phone.data,
                now=clock.now(),
            )
        except DomainError as error:
            db.session.rollback()
            _apply_error(form, error)
        else:
            db.session.commit()
            return render_template("accounts/password_issued.html", person=person, password=one_time)
    return render_template("accounts/person_form.html", form=form, person=None)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@supervisor_required
def edit(user_id):
    person = _person_in_scope(user_id)
    form = _person_form(person)
    if form.validate_on_submit():
        try:
            services.update_user(
                current_user,
                person,
                full_name=form.full_name.data,
                unit=db.get_or_404(Unit, form.unit_id.data),
                role=Role(form.role.data),
                phone=form.phone.data,
                now=clock.now(),
            )
        except DomainError as error:
            db.session.rollback()
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("people.index"))
    return render_template(
        "accounts/person_form.html",
        form=form,
        person=person,
        action_form=EmptyForm(),
        devices=devices.live_devices(person, clock.now()),
    )


@bp.post("/<int:user_id>/reset-password")
@supervisor_required
def reset_password(user_id):
    person = _person_in_scope(user_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("people.edit", user_id=user_id))
    try:
        one_time = services.reset_password(current_user, person, clock.now())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("people.edit", user_id=user_id))
    db.session.commit()
    return render_template("accounts/password_issued.html", person=person, password=one_time)


@bp.post("/<int:user_id>/active")
@supervisor_required
def set_active(user_id):
    person = _person_in_scope(user_id)
    if EmptyForm().validate_on_submit():
        try:
            services.set_user_active(current_user, person, not person.active, clock.now())
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(
                _("Account restored.") if person.active else _("Account deactivated; all its sessions ended."),
                "success",
            )
    return redirect(url_for("people.edit", user_id=user_id))


@bp.post("/<int:user_id>/devices/<int:device_id>/revoke")
@supervisor_required
def revoke_device(user_id, device_id):
    person = _person_in_scope(user_id)
    device = db.get_or_404(RememberedDevice, device_id)
    if device.user_id != person.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            devices.revoke_device(current_user, device, clock.now(), keep_session=session.get("sid"))
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The device was revoked; it must sign in with the password again."), "success")
    return redirect(url_for("people.edit", user_id=user_id))


@bp.post("/<int:user_id>/devices/revoke-all")
@supervisor_required
def revoke_devices(user_id):
    person = _person_in_scope(user_id)
    if EmptyForm().validate_on_submit():
        try:
            count = devices.revoke_devices(
                current_user, person, clock.now(), reason="revoke_all", keep_session=session.get("sid")
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(ngettext("%(num)d device revoked.", "%(num)d devices revoked.", count), "success")
    return redirect(url_for("people.edit", user_id=user_id))
