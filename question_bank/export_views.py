"""Exports of the question bank: the spreadsheet export (in the import template's layout) and
the printable pocket cards (随身卡) per category."""

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from accounts import audit
from core import clock
from core.closed_book import shows_answer_keys
from core.exporting import download
from core.extensions import db
from question_bank import categories, exporter
from question_bank.access import bank_manager_required
from question_bank.categories import CategoryTree
from question_bank.forms import ExportForm
from question_bank.models import Category
from question_bank.views import search_from

bp = Blueprint("bank_export", __name__, url_prefix="/bank")


@bp.post("/export")
@bank_manager_required
@shows_answer_keys
def export():
    """A POST (it is audited): the questions the list's filters select, as .xlsx or .csv."""
    form = ExportForm()
    if not form.validate_on_submit():
        return render_template("errors/generic.html", status=400, message=_("The export request was incomplete.")), 400
    fmt = "csv" if request.form.get("format") == "csv" else "xlsx"
    query = search_from(request.form, CategoryTree())
    body = exporter.export_file(query, fmt)
    filters = {k: request.form.get(k) for k in ("q", "category", "type", "difficulty", "status") if request.form.get(k)}
    audit.record("bank.export", actor=current_user, detail={"format": fmt, "filters": filters})
    db.session.commit()
    return download(body, "questions", fmt)


@bp.get("/cards/")
@bank_manager_required
@shows_answer_keys
def cards():
    tree = CategoryTree(include_inactive=False)
    counts = categories.question_counts()
    totals = {
        c.id: sum(counts.get(o.id, 0) for o in tree.categories if o.path.startswith(c.path)) for c in tree.categories
    }
    return render_template("question_bank/cards.html", tree=tree, totals=totals)


@bp.get("/cards/<int:category_id>")
@bank_manager_required
@shows_answer_keys
def card(category_id):
    category = db.get_or_404(Category, category_id)
    size = "a4" if request.args.get("size") == "a4" else "a5"
    entries = exporter.pocket_card(category)
    return render_template(
        "question_bank/pocket_card.html",
        category=category,
        title=CategoryTree().path_name(category),
        entries=entries,
        size=size,
        printed_on=clock.now(),
    )
