"""Unit tree pages: view, add, rename, move, deactivate. Supervisors work inside their subtree."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from accounts import units
from accounts.access import supervisor_required
from accounts.forms import EmptyForm, MoveUnitForm, UnitForm, unit_choices
from accounts.models import Unit, UnitKind, User
from accounts.scope import ensure_unit_in_scope, units_visible_to
from core import clock
from core.errors import DomainError
from core.extensions import db

bp = Blueprint("units", __name__, url_prefix="/admin/units")


def _unit_in_scope(unit_id) -> Unit:
    unit = db.get_or_404(Unit, unit_id)
    ensure_unit_in_scope(current_user, unit)
    return unit


def _active_units():
    return [u for u in db.session.scalars(units_visible_to(current_user)) if u.active]


@bp.get("/")
@supervisor_required
def index():
    tree = units.in_tree_order(list(db.session.scalars(units_visible_to(current_user))))
    counts = dict(
        db.session.execute(sa.select(User.unit_id, sa.func.count()).where(User.active).group_by(User.unit_id)).all()
    )
    return render_template("accounts/units.html", units=tree, counts=counts, form=EmptyForm())


@bp.route("/new", methods=["GET", "POST"])
@supervisor_required
def create():
    form = UnitForm()
    top = [SelectChoice(0, _("(top level)"))] if current_user.is_admin else []
    form.parent_id.choices = top + unit_choices(_active_units())
    if form.validate_on_submit():
        parent = db.session.get(Unit, form.parent_id.data) if form.parent_id.data else None
        try:
            unit = units.create_unit(
                current_user,
                name=form.name.data,
                kind=UnitKind(form.kind.data),
                parent=parent,
                now=clock.now(),
                sort_order=form.sort_order.data or 0,
            )
        except DomainError as error:
            db.session.rollback()
            (getattr(form, error.field, None) or form.name).errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Unit %(name)s added.", name=unit.name), "success")
            return redirect(url_for("units.index"))
    return render_template("accounts/unit_form.html", form=form, unit=None)


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
@supervisor_required
def edit(unit_id):
    unit = _unit_in_scope(unit_id)
    form = UnitForm(obj=unit)
    del form.parent_id
    if not form.is_submitted():
        form.kind.data = unit.kind.value
    move_form = MoveUnitForm(prefix="move")
    candidates = [u for u in _active_units() if not unit.contains(u)]
    move_form.parent_id.choices = unit_choices(candidates)
    move_form.parent_id.data = unit.parent_id
    if form.validate_on_submit():
        try:
            units.update_unit(
                current_user,
                unit,
                name=form.name.data,
                kind=UnitKind(form.kind.data),
                sort_order=form.sort_order.data or 0,
            )
        except DomainError as error:
            db.session.rollback()
            form.name.errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Unit saved."), "success")
            return redirect(url_for("units.index"))
    return render_template(
        "accounts/unit_form.html", form=form, unit=unit, move_form=move_form, action_form=EmptyForm()
    )


@bp.post("/<int:unit_id>/move")
@supervisor_required
def move(unit_id):
    unit = _unit_in_scope(unit_id)
    form = MoveUnitForm(prefix="move")
    form.parent_id.choices = [SelectChoice(u.id, u.name) for u in _active_units()]
    if form.validate_on_submit():
        new_parent = db.get_or_404(Unit, form.parent_id.data)
        try:
            units.move_unit(current_user, unit, new_parent)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            return redirect(url_for("units.edit", unit_id=unit_id))
        db.session.commit()
        flash(_("Unit moved."), "success")
    return redirect(url_for("units.index"))


@bp.post("/<int:unit_id>/active")
@supervisor_required
def set_active(unit_id):
    unit = _unit_in_scope(unit_id)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            units.set_unit_active(current_user, unit, not unit.active)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Unit restored.") if unit.active else _("Unit deactivated."), "success")
    return redirect(url_for("units.index"))
