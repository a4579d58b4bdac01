"""Category pages of the question bank: the tree with question counts, add, rename, retire,
restore, and creating the seven default categories."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from accounts.forms import EmptyForm
from core import clock
from core.errors import DomainError
from core.extensions import db
from question_bank import categories, services
from question_bank.access import bank_manager_required
from question_bank.categories import CategoryTree
from question_bank.forms import CategoryForm, RenameCategoryForm
from question_bank.models import Category

bp = Blueprint("bank_categories", __name__, url_prefix="/bank/categories")


def _add_form(tree):
    form = CategoryForm()
    form.parent_id.choices = [SelectChoice(0, _("(top-level category)"))] + tree.choices()
    return form


@bp.get("/")
@bank_manager_required
def index():
    tree = CategoryTree()
    counts = categories.question_counts()
    totals = {
        c.id: sum(counts.get(o.id, 0) for o in tree.categories if o.path.startswith(c.path)) for c in tree.categories
    }
    return render_template(
        "question_bank/categories.html",
        tree=tree,
        totals=totals,
        form=_add_form(tree),
        rename=RenameCategoryForm(),
        action=EmptyForm(),
        missing_defaults=[n for n in services.DEFAULT_CATEGORIES if n not in {c.name for c in tree.categories}],
    )


@bp.post("/")
@bank_manager_required
def create():
    tree = CategoryTree()
    form = _add_form(tree)
    if form.validate_on_submit():
        parent = tree.by_id.get(form.parent_id.data) if form.parent_id.data else None
        try:
            category = services.create_category(
                current_user, name=form.name.data, parent=parent, now=clock.now(), sort_order=99
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Category %(name)s added.", name=category.name), "success")
    else:
        flash(_("Give the category a name."), "error")
    return redirect(url_for("bank_categories.index"))


@bp.post("/defaults")
@bank_manager_required
def create_defaults():
    if EmptyForm().validate_on_submit():
        services.ensure_default_categories(clock.now())
        db.session.commit()
        flash(_("The default categories are in place."), "success")
    return redirect(url_for("bank_categories.index"))


@bp.post("/<int:category_id>/rename")
@bank_manager_required
def rename(category_id):
    category = db.get_or_404(Category, category_id)
    form = RenameCategoryForm()
    if form.validate_on_submit():
        try:
            categories.rename_category(current_user, category, form.name.data)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Category renamed."), "success")
    return redirect(url_for("bank_categories.index"))


@bp.post("/<int:category_id>/active")
@bank_manager_required
def set_active(category_id):
    category = db.get_or_404(Category, category_id)
    if EmptyForm().validate_on_submit():
        active = request.form.get("active") == "1"
        categories.set_category_active(current_user, category, active)
        db.session.commit()
        flash(_("Category restored.") if active else _("Category retired."), "success")
    return redirect(url_for("bank_categories.index"))
