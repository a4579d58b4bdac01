"""Practice pages (blueprint "practice"; officers mostly, anyone signed in may practise):
每日一练, practice by category, the wrong-answer book and the pocket cards (随身卡). Practice never
counts as a test; every page here shows answers, so every view is marked shows_answer_keys and
refuses while the officer has a test in progress (closed book, E20).

Category and position travel in the query string: the bank is city-wide, so only the
wrong-answer book's entries (the officer's own) are addressed by id in the path.
"""

import secrets

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.access import signed_in
from accounts.forms import EmptyForm
from core import clock
from core.closed_book import shows_answer_keys
from core.errors import DomainError, NotFound
from core.extensions import db
from core.inputs import id_arg
from question_bank import exporter
from question_bank.categories import CategoryTree, question_counts
from question_bank.models import Category
from study import practice
from study.practice_models import PracticeMode

bp = Blueprint("practice", __name__, url_prefix="/practice")


def _int_arg(name, default=None):
    """A small whole number from the query string (a position, a count, a seed), else `default`."""
    value = request.args.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else default


@bp.get("/", endpoint="index")
@signed_in
@shows_answer_keys
def index():
    today = clock.today()
    daily = practice.daily_question_ids(current_user.id, today)
    done = practice.answers_today(current_user.id, today, PracticeMode.DAILY)
    book = practice.wrong_book(current_user.id).subquery()
    book_size = db.session.scalar(sa.select(sa.func.count()).select_from(book))
    return render_template(
        "study/practice/index.html",
        daily_total=len(daily),
        daily_done=sum(1 for qid in daily if qid in done),
        book_size=book_size,
        tree=CategoryTree(include_inactive=False),
    )


# ---- 每日一练 ------------------------------------------------------------------------------------


@bp.get("/daily", endpoint="daily")
@signed_in
@shows_answer_keys
def daily():
    today = clock.today()
    ids = practice.daily_question_ids(current_user.id, today)
    done = practice.answers_today(current_user.id, today, PracticeMode.DAILY)
    questions = [practice.get_question(qid) for qid in ids]
    return render_template("study/practice/daily.html", questions=questions, done=done, today=today)


@bp.route("/daily/question", methods=["GET", "POST"], endpoint="daily_question")
@signed_in
@shows_answer_keys
def daily_question():
    today = clock.today()
    ids = practice.daily_question_ids(current_user.id, today)
    number = _int_arg("n", 1)
    if not ids or not 1 <= number <= len(ids):
        raise NotFound(_l("This page was not found."))
    question = practice.get_question(ids[number - 1])
    next_url = url_for("practice.daily_question", n=number + 1) if number < len(ids) else url_for("practice.daily")
    return _question_page(
        question,
        mode=PracticeMode.DAILY,
        heading=f"{number} / {len(ids)}",
        next_url=next_url,
        back_url=url_for("practice.daily"),
    )


# ---- practice by category ---------------------------------------------------------------------


@bp.get("/category", endpoint="category")
@signed_in
@shows_answer_keys
def category():
    """Without a category: the list to choose from. With one: its N questions, one at a time."""
    tree = CategoryTree(include_inactive=False)
    category_id = id_arg("category")
    if category_id is None:
        counts = question_counts()
        totals = {
            c.id: sum(counts.get(o.id, 0) for o in tree.categories if o.path.startswith(c.path))
            for c in tree.categories
        }
        return render_template(
            "study/practice/categories.html", tree=tree, totals=totals, sizes=practice.CATEGORY_COUNTS
        )
    chosen = db.session.get(Category, category_id)
    if chosen is None or not chosen.active:
        raise NotFound(_l("This page was not found."))
    count = _int_arg("count", practice.CATEGORY_COUNTS[1])
    count = count if count in practice.CATEGORY_COUNTS else practice.CATEGORY_COUNTS[1]
    seed = _int_arg("seed")
    if seed is None:  # a new round: a fresh random set, kept by its seed in the URL
        seed = secrets.randbelow(10**9)
    return redirect(url_for("practice.category_question", category=chosen.id, count=count, seed=seed, i=1))


@bp.route("/category/question", methods=["GET", "POST"], endpoint="category_question")
@signed_in
@shows_answer_keys
def category_question():
    chosen = db.session.get(Category, id_arg("category") or 0)
    seed, count, number = _int_arg("seed"), _int_arg("count", 10), _int_arg("i", 1)
    if chosen is None or seed is None or count not in practice.CATEGORY_COUNTS:
        raise NotFound(_l("This page was not found."))
    ids = practice.category_question_ids(chosen, seed, count)
    if not ids:
        return render_template("study/practice/empty.html", category=chosen)
    if not 1 <= number <= len(ids):
        raise NotFound(_l("This page was not found."))
    question = practice.get_question(ids[number - 1])
    next_url = (
        url_for("practice.category_question", category=chosen.id, count=count, seed=seed, i=number + 1)
        if number < len(ids)
        else url_for("practice.category")
    )
    return _question_page(
        question,
        mode=PracticeMode.CATEGORY,
        heading=f"{CategoryTree().path_name(chosen)} · {number} / {len(ids)}",
        next_url=next_url,
        back_url=url_for("practice.category"),
    )


# ---- 错题本 -------------------------------------------------------------------------------------


@bp.get("/wrong", endpoint="wrong_book")
@signed_in
@shows_answer_keys
def wrong_book():
    entries = db.paginate(practice.wrong_book(current_user.id), per_page=30, error_out=False)
    return render_template("study/practice/wrong_book.html", page=entries, streak=practice.CLEARING_STREAK)


@bp.get("/wrong/next", endpoint="wrong_next")
@signed_in
@shows_answer_keys
def wrong_next():
    entry = practice.next_wrong_entry(current_user.id, id_arg("after"))
    if entry is None:
        return redirect(url_for("practice.wrong_book"))
    return redirect(url_for("practice.wrong_question", wrong_id=entry.id))


@bp.route("/wrong/<int:wrong_id>", methods=["GET", "POST"], endpoint="wrong_question")
@signed_in
@shows_answer_keys
def wrong_question(wrong_id):
    entry = practice.wrong_entry(current_user.id, wrong_id)
    return _question_page(
        practice.get_question(entry.question_id),
        mode=PracticeMode.WRONG_BOOK,
        heading=None,
        next_url=url_for("practice.wrong_next", after=entry.id),
        back_url=url_for("practice.wrong_book"),
        entry=entry,
    )


# ---- 随身卡 -------------------------------------------------------------------------------------


@bp.get("/cards", endpoint="cards")
@signed_in
@shows_answer_keys
def cards():
    tree = CategoryTree(include_inactive=False)
    category_id = id_arg("category")
    if category_id is None:
        counts = question_counts()
        totals = {
            c.id: sum(counts.get(o.id, 0) for o in tree.categories if o.path.startswith(c.path))
            for c in tree.categories
        }
        return render_template("study/practice/cards.html", tree=tree, totals=totals)
    chosen = db.session.get(Category, category_id)
    if chosen is None or not chosen.active:
        raise NotFound(_l("This page was not found."))
    return render_template(
        "study/practice/card.html", category=chosen, title=tree.path_name(chosen), entries=exporter.pocket_card(chosen)
    )


# ---- one question, answered ---------------------------------------------------------------------


def _question_page(question, *, mode, heading, next_url, back_url, entry=None):
    """GET shows the question; POST grades the answer, records it and shows the feedback with
    the answer and explanation at once."""
    form, result, response, error = EmptyForm(), None, None, None
    if request.method == "POST" and form.validate_on_submit():
        response = practice.parse_response(question, request.form)
        try:
            result = practice.record_answer(
                current_user, question, response, mode=mode, day=clock.today(), now=clock.now()
            )
        except DomainError as failure:
            db.session.rollback()
            error = str(failure.message)
        else:
            db.session.commit()
            if entry is not None:
                db.session.refresh(entry)
    return render_template(
        "study/practice/question.html",
        question=question,
        heading=heading,
        form=form,
        result=result,
        response=response,
        error=error,
        next_url=next_url,
        back_url=back_url,
        entry=entry,
        streak=practice.CLEARING_STREAK,
        answer_text=exporter._answer_display(question),
    )
