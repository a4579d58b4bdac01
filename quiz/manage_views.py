"""Supervisor pages (blueprint "quiz_manage"): test templates with their blueprint rows, publishing
an exam, the exam list, an exam's results per officer with each retake chain, exceptions, closing
now, an officer's attempt, and contest leaderboards. A supervisor acts on their own subtree;
an admin on everything."""

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.access import supervisor_required
from accounts.forms import EmptyForm, unit_choices
from accounts.models import Unit
from accounts.scope import ensure_person_in_scope, ensure_unit_in_scope, units_visible_to
from core import clock
from core.closed_book import shows_answer_keys
from core.errors import DomainError, NotFound, PermissionDenied, show_on_form
from core.exporting import xlsx_download
from core.extensions import db
from core.inputs import id_list
from question_bank.answers import answer_text
from question_bank.categories import CategoryTree
from question_bank.models import QuestionType
from quiz import authoring, exports, overview, withdrawal
from quiz.closing import close_exam
from quiz.forms import ExceptionForm, PublishForm, TemplateForm
from quiz.models import Attempt, ExamAssignment, ExamTemplate
from quiz.schedule import publish_by_hand

bp = Blueprint("quiz_manage", __name__, url_prefix="/manage/quiz")


def _units():
    return list(db.session.scalars(units_visible_to(current_user).where(Unit.active)))


def _managed_template(template_id) -> ExamTemplate:
    template = authoring.get_template(template_id)
    ensure_unit_in_scope(current_user, template.scope_unit)
    return template


# ---- templates --------------------------------------------------------------------------------


@bp.get("/templates", endpoint="templates")
@supervisor_required
def templates_index():
    templates = db.session.scalars(authoring.templates_managed_by(current_user)).all()
    return render_template("quiz/manage/templates.html", templates=templates, tree=CategoryTree())


def _template_form(template=None):
    form = TemplateForm(obj=template)
    form.scope_unit_id.choices = unit_choices(_units())
    category_choices = CategoryTree(include_inactive=False).choices()
    if template is not None and not form.is_submitted():
        for field in ("kind", "attempt_policy", "recurrence"):
            getattr(form, field).data = getattr(template, field).value
        while len(form.rules.entries):
            form.rules.pop_entry()
        for rule in template.rules:
            form.rules.append_entry(
                {"category_id": rule.category_id, "type": rule.type.value, "count": rule.count, "points": rule.points}
            )
    for entry in form.rules:
        entry.form.category_id.choices = category_choices
    return form


def _rule_rows(form) -> list[dict]:
    return [
        {
            "category_id": e.form.category_id.data,
            "type": e.form.type.data,
            "count": e.form.count.data,
            "points": e.form.points.data,
        }
        for e in form.rules
        if not e.form.remove.data
    ]


def _template_values(form) -> dict:
    return {field: getattr(form, field).data for field in authoring.TEMPLATE_FIELDS}


def _edit_template(template):
    form = _template_form(template)
    if form.is_submitted() and "add_row" in request.form:
        form.rules.append_entry()
        form.rules[-1].form.category_id.choices = CategoryTree(include_inactive=False).choices()
        form.rules[-1].form.count.data, form.rules[-1].form.points.data = 5, 2
        return render_template("quiz/manage/template_form.html", form=form, template=template)
    if form.validate_on_submit():
        try:
            unit = db.session.get(Unit, form.scope_unit_id.data)
            if unit is None:
                raise NotFound(_l("This unit was not found."))
            saved = authoring.save_template(
                current_user,
                template,
                scope_unit=unit,
                values=_template_values(form),
                rules=_rule_rows(form),
                now=clock.now(),
            )
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Test template saved."), "success")
            return redirect(url_for("quiz_manage.template", template_id=saved.id))
    return render_template("quiz/manage/template_form.html", form=form, template=template)


@bp.route("/templates/new", methods=["GET", "POST"])
@supervisor_required
def new_template():
    return _edit_template(None)


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@supervisor_required
def edit_template(template_id):
    return _edit_template(_managed_template(template_id))


@bp.route("/templates/<int:template_id>", methods=["GET", "POST"])
@supervisor_required
def template(template_id):
    """The template with its rows and the form that publishes a one-off exam from it."""
    item = _managed_template(template_id)
    form = PublishForm()
    if form.validate_on_submit():
        try:
            exam = publish_by_hand(
                current_user,
                item,
                opens_at=clock.parse_local(form.opens_at.data.isoformat()),
                closes_at=clock.parse_local(form.closes_at.data.isoformat()),
                now=clock.now(),
                title=form.title.data or None,
            )
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Test published."), "success")
            return redirect(url_for("quiz_manage.exam", exam_id=exam.id))
    elif not form.is_submitted():
        start = clock.local(clock.now()).replace(second=0, microsecond=0, tzinfo=None)
        form.opens_at.data = start
        form.closes_at.data = (start + timedelta(days=2)).replace(hour=20, minute=0)
    return render_template(
        "quiz/manage/template.html", template=item, form=form, tree=CategoryTree(), action_form=EmptyForm()
    )


@bp.post("/templates/<int:template_id>/active")
@supervisor_required
def set_template_active(template_id):
    """Pause or resume (the form says which, so a repeated click changes nothing)."""
    item = _managed_template(template_id)
    if EmptyForm().validate_on_submit() and request.form.get("active") in ("0", "1"):
        withdrawal.set_template_active(current_user, item, request.form["active"] == "1", clock.now())
        db.session.commit()
        flash(
            _("Template resumed: it publishes again from now on.")
            if item.active
            else _("Template paused: it publishes nothing until resumed."),
            "success",
        )
    return redirect(url_for("quiz_manage.template", template_id=item.id))


# ---- exams ------------------------------------------------------------------------------------


@bp.get("/exams", endpoint="exams")
@supervisor_required
def exams_index():
    page = db.paginate(overview.exams_visible_to(current_user), per_page=30, error_out=False)
    return render_template("quiz/manage/exams.html", page=page, now=clock.now(), phase=overview.exam_phase)


@bp.get("/exams/<int:exam_id>")
@supervisor_required
def exam(exam_id):
    item, now = overview.get_exam_for(current_user, exam_id), clock.now()
    rows = overview.officer_rows(current_user, item)
    return render_template(
        "quiz/manage/exam.html",
        exam=item,
        rows=rows,
        tally=overview.tally(rows),
        phase=overview.exam_phase(item, now),
        may_manage=overview.can_manage_exam(current_user, item),
        may_withdraw=withdrawal.may_withdraw(item),
        exception_form=ExceptionForm(),
        form=EmptyForm(),
        tree=CategoryTree(),
        now=now,
    )


@bp.post("/exams/<int:exam_id>/exceptions")
@supervisor_required
def exceptions(exam_id):
    item = overview.get_exam_for(current_user, exam_id)
    form = ExceptionForm()
    ids = id_list(request.form.getlist("assignment_id"))
    if form.validate_on_submit():
        assignments = db.session.scalars(
            sa.select(ExamAssignment).where(ExamAssignment.exam_id == item.id, ExamAssignment.id.in_(ids))
        ).all()
        local = clock.parse_local
        try:
            count = authoring.grant_exception(
                current_user,
                item,
                assignments,
                opens_at=local(form.opens_at.data.isoformat()) if form.opens_at.data else None,
                closes_at=local(form.closes_at.data.isoformat()) if form.closes_at.data else None,
                extra_minutes=form.extra_minutes.data or 0,
                extra_attempts=form.extra_attempts.data or 0,
                reason=form.reason.data,
                now=clock.now(),
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Exception recorded for %(count)d officers.", count=count), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for("quiz_manage.exam", exam_id=item.id))


def _exam_to_manage(exam_id, refusal):
    """The exam, if the supervisor manages its whole scope (PermissionDenied with `refusal` if not)."""
    item = overview.get_exam_for(current_user, exam_id)
    if not overview.can_manage_exam(current_user, item):
        raise PermissionDenied(refusal)
    return item


@bp.post("/exams/<int:exam_id>/close")
@supervisor_required
def close(exam_id):
    item = _exam_to_manage(exam_id, _l("Only the supervisors of the test's whole scope may close it."))
    if EmptyForm().validate_on_submit():
        counts = close_exam(item, clock.now(), actor=current_user)
        if counts:
            db.session.commit()
            flash(_("Test closed: %(absent)d absent, %(flagged)d sent to a retake.", **counts), "success")
        else:
            flash(_("This test was already closed."), "info")
    return redirect(url_for("quiz_manage.exam", exam_id=item.id))


def _contest_ranking(exam_id):
    """The contest and its ranking in the supervisor's part of it."""
    item = overview.get_exam_for(current_user, exam_id)
    if not overview.is_contest(item):
        raise NotFound(_l("Only knowledge contests have a leaderboard."))
    return item, overview.leaderboard(current_user, item)


@bp.post("/exams/<int:exam_id>/withdraw")
@supervisor_required
def withdraw(exam_id):
    item = _exam_to_manage(exam_id, _l("Only the supervisors of the test's whole scope may withdraw it."))
    if EmptyForm().validate_on_submit():
        try:
            count = withdrawal.withdraw_exam(current_user, item, clock.now())
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(
                _("Test withdrawn: it no longer appears for the %(count)d officers it was set for.", count=count),
                "success",
            )
    return redirect(url_for("quiz_manage.exam", exam_id=item.id))


@bp.get("/exams/<int:exam_id>/leaderboard")
@supervisor_required
def leaderboard(exam_id):
    item, entries = _contest_ranking(exam_id)
    return render_template("quiz/manage/leaderboard.html", exam=item, entries=entries)


@bp.get("/exams/<int:exam_id>/leaderboard.xlsx")
@supervisor_required
def leaderboard_export(exam_id):
    item, entries = _contest_ranking(exam_id)
    return xlsx_download(f"leaderboard-{item.id}", [exports.leaderboard_sheet(entries)])


@bp.get("/attempts/<int:attempt_id>")
@supervisor_required
@shows_answer_keys
def attempt(attempt_id):
    """An officer's attempt as the supervisor sees it: each answer, right or wrong, and how often
    the page was left."""
    item = db.session.get(Attempt, attempt_id)
    if item is None:
        raise NotFound(_l("This attempt was not found."))
    exam = overview.get_exam_for(current_user, item.exam_id)
    ensure_person_in_scope(current_user, item.assignment.user)
    ensure_unit_in_scope(current_user, item.assignment.unit)
    return render_template(
        "quiz/manage/attempt.html",
        attempt=item,
        exam=exam,
        officer=item.assignment.user,
        QuestionType=QuestionType,
        answer_text=answer_text,
    )
