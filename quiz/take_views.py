"""The officer's test pages (blueprint "quiz"): my tests, the phone-first test page, and the result
of one attempt. The test page carries no question and no answer in its HTML: its script starts or
resumes the attempt through the JSON API (quiz.api), so a GET never changes anything."""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.access import signed_in
from core import clock
from core.closed_book import ensure_closed_book, shows_answer_keys
from core.errors import NotFound
from core.extensions import db
from quiz import attempts, exam_list, overview, retakes
from quiz.models import Exam

bp = Blueprint("quiz", __name__)


@bp.get("/exams")
@signed_in
def my_exams():
    now = clock.now()
    return render_template("quiz/my_exams.html", rows=exam_list.my_exams(current_user, now), now=now)


@bp.get("/exams/<int:exam_id>/take")
@signed_in
def take(exam_id):
    now = clock.now()
    row = exam_list.my_exam(current_user, exam_id, now)
    if row is None:
        raise NotFound(_l("This test is not assigned to you."))
    return render_template(
        "quiz/take.html", row=row, exam=row.exam, question_count=sum(rule["count"] for rule in row.exam.blueprint)
    )


@bp.get("/attempts/<int:attempt_id>")
@signed_in
@shows_answer_keys(checked_by_view=True)
def attempt_result(attempt_id):
    now = clock.now()
    attempt = attempts.own_attempt(current_user, attempt_id)
    ensure_closed_book(current_user, allowed=lambda _in_progress: attempts.shows_no_key_yet(attempt))
    state = attempts.attempt_state(attempt, now)
    exam = db.session.get(Exam, attempt.exam_id)
    return render_template(
        "quiz/result.html", attempt=attempt, state=state, exam=exam, next_steps=retakes.next_steps(attempt, exam)
    )


@bp.get("/exams/<int:exam_id>/leaderboard")
@signed_in
def leaderboard(exam_id):
    """A knowledge contest's ranking among the people of the viewer's own unit, for an officer
    the contest was set for."""
    exam = db.session.get(Exam, exam_id)
    if exam is None or not overview.is_contest(exam):
        raise NotFound(_l("Only knowledge contests have a leaderboard."))
    attempts.assignment_of(current_user, exam.id)  # NotFound unless the contest is the viewer's
    entries = overview.leaderboard(current_user, exam)
    return render_template("quiz/leaderboard.html", exam=exam, entries=entries)


@bp.app_template_filter("quiz_response")
def format_response(value) -> str:
    """A response or answer as text: letters, 正确/错误, or the blanks (alternatives with " / ")."""
    if value is None or value == [] or value == "":
        return str(_l("Not answered"))
    if isinstance(value, bool):
        return str(_l("True") if value else _l("False"))
    if isinstance(value, list):
        return "；".join(" / ".join(v) if isinstance(v, list) else str(v) for v in value)
    return str(value)
