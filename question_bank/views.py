"""Question bank pages: the filtered list with bulk actions, the editor with live preview,
retire and restore. Managers only (question_bank.access)."""

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from accounts.forms import EmptyForm
from core import clock
from core.closed_book import shows_answer_keys
from core.errors import DomainError
from core.extensions import db
from core.inputs import id_list, page_arg, parse_id
from core.redirects import safe_target
from question_bank import editing, services
from question_bank.access import bank_manager_required
from question_bank.answers import answer_text
from question_bank.categories import CategoryTree
from question_bank.forms import BulkForm, ExportForm, QuestionForm, QuestionSearchForm, difficulty_choices, type_choices
from question_bank.models import Category, Question, QuestionType, QuestionVersion

bp = Blueprint("bank", __name__, url_prefix="/bank")
# Service error fields that are named differently in the editor form.
FIELD_OF_ERROR = {"options": "option_a", "category": "category_id"}


def _search_form(tree):
    form = QuestionSearchForm(request.args)
    form.category.choices = [SelectChoice(0, _("All categories"))] + tree.choices(active_only=False)
    form.type.choices = [SelectChoice("", _("All types"))] + type_choices()
    form.difficulty.choices = [SelectChoice("", _("Any difficulty"))] + difficulty_choices()
    return form


def search_from(values, tree) -> sa.Select:
    """The search_questions query for the list's filter values (also used by the export)."""
    category = tree.by_id.get(_int(values.get("category")))
    qtype = values.get("type") if values.get("type") in {t.value for t in QuestionType} else None
    difficulty = values.get("difficulty") if str(values.get("difficulty") or "") in "12345" else None
    status = values.get("status") if values.get("status") in ("active", "retired", "all") else "active"
    return services.search_questions(
        text=(values.get("q") or "")[:100], category=category, qtype=qtype, difficulty=difficulty or None, status=status
    )


def _int(value) -> int:
    return parse_id(value) or 0


@bp.get("/")
@bank_manager_required
@shows_answer_keys
def index():
    tree = CategoryTree()
    form = _search_form(tree)
    page = services.paginate_questions(
        search_from(request.args, tree),
        page=page_arg(),
        per_page=current_app.config["QUESTIONS_PER_PAGE"],
        text_search=bool(form.q.data and form.q.data.strip()),
    )
    bulk = BulkForm()
    bulk.category_id.choices = [SelectChoice(0, _("Move to…"))] + tree.choices()
    export = ExportForm(
        formdata=None, data={k: request.args.get(k, "") for k in ("q", "category", "type", "difficulty")}
    )
    export.status.data = request.args.get("status", "active")
    return render_template(
        "question_bank/list.html",
        page=page,
        form=form,
        bulk=bulk,
        export=export,
        tree=tree,
        answer_text=answer_text,
        type_labels={t: str(t.label) for t in QuestionType},
        has_categories=bool(tree.categories),
    )


def _editor(form, question=None, duplicate=None):
    versions = []
    if question is not None:
        versions = db.session.scalars(
            sa.select(QuestionVersion)
            .where(QuestionVersion.question_id == question.id)
            .order_by(QuestionVersion.number.desc())
        ).all()
    return render_template(
        "question_bank/editor.html",
        form=form,
        question=question,
        duplicate=duplicate,
        versions=versions,
        action_form=EmptyForm,
        answer_text=answer_text,
    )


def _question_form(tree, question=None):
    # A posted form is read alone: a field missing from the post must not take the question's
    # stored value (an answer of true, a list of tags), which is not the text the field holds.
    form = QuestionForm(obj=None if request.method == "POST" else question)
    form.category_id.choices = tree.choices(current_id=question.category_id if question else None)
    if question is not None and not form.is_submitted():
        form.type.data = question.type.value
        form.difficulty.data = str(question.difficulty)
        form.answer.data = answer_text(question.type, question.answer)
        form.tags.data = "、".join(question.tags or [])
        for field, text in zip(form.option_fields(), question.options):
            field.data = text
    elif question is None and not form.is_submitted():
        form.category_id.data = _int(request.args.get("category")) or None
    return form


def _save(form, question):
    """Save the submitted editor; returns (question, None) or (None, duplicate question id)."""
    try:
        saved = editing.save_question(
            current_user,
            question,
            category=db.get_or_404(Category, form.category_id.data),
            qtype=form.type.data,
            stem=form.stem.data,
            options=form.options(),
            answer_text=form.answer.data,
            explanation=form.explanation.data,
            difficulty=form.difficulty.data,
            source=form.source.data,
            tags_text=form.tags.data,
            allow_duplicate=form.save_anyway.data,
            now=clock.now(),
        )
    except DomainError as error:
        db.session.rollback()
        name = FIELD_OF_ERROR.get(error.field, error.field)
        target = form._fields.get(name or "") or form.stem
        target.errors = list(target.errors) + [str(error.message)]
        return None, error.data.get("duplicate_id")
    db.session.commit()
    return saved, None


@bp.route("/new", methods=["GET", "POST"])
@bank_manager_required
@shows_answer_keys
def create():
    tree = CategoryTree()
    if not tree.categories:
        flash(_("Create the categories first."), "info")
        return redirect(url_for("bank_categories.index"))
    form = _question_form(tree)
    duplicate = None
    if form.validate_on_submit():
        question, duplicate = _save(form, None)
        if question is not None:
            flash(_("Question #%(id)d saved.", id=question.id), "success")
            if request.form.get("next") == "another":
                return redirect(url_for("bank.create", category=question.category_id))
            return redirect(url_for("bank.edit", question_id=question.id))
    return _editor(form, duplicate=duplicate)


@bp.route("/<int:question_id>/edit", methods=["GET", "POST"])
@bank_manager_required
@shows_answer_keys
def edit(question_id):
    question = db.get_or_404(Question, question_id)
    form = _question_form(CategoryTree(), question)
    duplicate = None
    if form.validate_on_submit():
        saved, duplicate = _save(form, question)
        if saved is not None:
            flash(_("Question #%(id)d saved (version %(v)d).", id=saved.id, v=saved.version), "success")
            return redirect(url_for("bank.edit", question_id=saved.id))
        question = db.get_or_404(Question, question_id)
    return _editor(form, question, duplicate)


@bp.post("/<int:question_id>/active")
@bank_manager_required
def set_active(question_id):
    question = db.get_or_404(Question, question_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("bank.edit", question_id=question.id))
    active = request.form.get("active") == "1"
    services.set_question_active(current_user, question, active, clock.now())
    db.session.commit()
    flash(_("Question restored.") if active else _("Question retired; it goes into no new test."), "success")
    return redirect(url_for("bank.edit", question_id=question.id))


@bp.post("/bulk")
@bank_manager_required
def bulk():
    tree = CategoryTree()
    form = BulkForm()
    # A retired target too: the service says so.
    form.category_id.choices = [SelectChoice(0, "")] + tree.choices(active_only=False)
    ids = id_list(request.form.getlist("ids"))
    back = safe_target(request.form.get("back"), url_for("bank.index"), prefix="/bank/")
    if not form.validate_on_submit() or not ids:
        flash(_("Tick the questions first."), "error")
        return redirect(back)
    questions = db.session.scalars(sa.select(Question).where(Question.id.in_(ids))).all()
    now = clock.now()
    try:
        if form.action.data == "move":
            if not form.category_id.data:
                flash(_("Choose the category to move them to."), "error")
                return redirect(back)
            count = services.move_questions(
                current_user, questions, db.get_or_404(Category, form.category_id.data), now
            )
            message = _("%(n)d questions moved.", n=count)
        elif form.action.data in ("retire", "restore"):
            count = services.set_questions_active(current_user, questions, form.action.data == "restore", now)
            message = _("%(n)d questions changed.", n=count)
        else:
            return redirect(back)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(back)
    db.session.commit()
    flash(message, "success")
    return redirect(back)
