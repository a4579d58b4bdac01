"""JSON API the test page uses (blueprint "quiz_api"): my exams, start or resume, save one answer,
submit, the attempt's state, and leaving the page.

Session-cookie auth, X-CSRFToken on writes, errors as {"error": code, "message": Chinese text}.
An expired sign-in answers 401 JSON (accounts.access), so the page keeps its queue and resends
after the officer signs in again.
"""

from flask import Blueprint, g, jsonify, request
from flask_login import current_user

from accounts.access import signed_in, signs_in_with
from core import clock
from core.closed_book import ensure_closed_book, shows_answer_keys
from core.db import reads_before_writes
from core.extensions import db
from core.inputs import json_body
from core.openapi import operation
from quiz import attempts, exam_list, first_reads
from quiz.api_schemas import ATTEMPT, EXAMS, LEAVE, LEFT, RESULT, SAVE, SAVED

bp = Blueprint("quiz_api", __name__, url_prefix="/api/v1")


@bp.get("/exams")
@operation(
    "My tests: open, upcoming and done, with my status, attempts and result in each",
    responses={200: ("My tests", EXAMS)},
)
@signed_in
def list_exams():
    now = clock.now()
    return jsonify(
        {"server_now": now.isoformat(), "exams": [row.json() for row in exam_list.my_exams(current_user, now)]}
    )


def _read_with_sign_in(read):
    """An accounts.access.signs_in_with loader: `read(user_id, login_session_id, **view_args)`
    gives (user, what the view reads first), kept for the view on flask.g."""

    def loader(user_id, login_session_id):
        user, facts = read(user_id, login_session_id, **request.view_args)
        g.read_at_sign_in = (user_id, facts)
        return user

    return loader


def _read_at_sign_in():
    """What the sign-in lookup read for this view; None if it read nothing for whoever is signed
    in now (a remembered phone signs its holder in after that lookup found no one)."""
    kept = g.pop("read_at_sign_in", None)
    return kept[1] if kept is not None and kept[0] == current_user.id else None


@bp.post("/exams/<int:exam_id>/attempts")
@operation(
    "Start a test, or resume my open attempt; returns the paper (never the answers)",
    responses={201: ("Started", ATTEMPT), 200: ("Resumed", ATTEMPT)},
    description="409: not open yet, closed, or no attempts left.",
)
@reads_before_writes
@signs_in_with(_read_with_sign_in(first_reads.signed_in_start_facts))
@signed_in
def start_attempt(exam_id):
    now = clock.now()
    started = attempts.start(current_user, exam_id, now, facts=_read_at_sign_in())
    state = attempts.started_state(started, now)  # a prepared paper: in hand, no query
    db.session.commit()
    if state is None:
        # Read after the commit, in a read-only transaction: on SQLite the write lock is not held
        # while the paper is loaded and turned into JSON.
        state = attempts.attempt_state(started.attempt, now)
    return jsonify(state), 201 if started.created else 200


@bp.put("/attempts/<int:attempt_id>/answers/<int:item_id>")
@operation(
    "Save one answer, in the letters as displayed; `version` (optional) is the answer's version the page "
    "last saw: an older one is refused as a stale tab",
    body=SAVE,
    responses={200: ("Saved", SAVED)},
    description="409: already submitted, or a stale version (the body holds the current item). "
    "410: the deadline and its grace have passed; nothing was saved.",
)
@reads_before_writes
@signs_in_with(_read_with_sign_in(first_reads.signed_in_save_facts))
@signed_in
def save_answer(attempt_id, item_id):
    saved = attempts.save_answer(current_user, attempt_id, item_id, json_body(), clock.now(), row=_read_at_sign_in())
    db.session.commit()
    return jsonify(saved)


@bp.post("/attempts/<int:attempt_id>/submit")
@operation(
    "Submit (idempotent: a second submit returns the same result)",
    responses={200: ("Score and pass or fail, nothing per question", RESULT)},
)
@reads_before_writes
@signed_in
def submit(attempt_id):
    result = attempts.submit(current_user, attempt_id, clock.now())
    db.session.commit()
    return jsonify(result)


@bp.get("/attempts/<int:attempt_id>")
@operation(
    "My attempt: paper, saved answers, deadline, result; the answers and explanations only after the exam "
    "closes for everyone, and never while another test of mine is in progress (closed book)",
    responses={200: ("The attempt", ATTEMPT)},
)
@signed_in
@shows_answer_keys(checked_by_view=True)
def attempt_detail(attempt_id):
    attempt = attempts.own_attempt(current_user, attempt_id)
    ensure_closed_book(current_user, allowed=lambda _in_progress: attempts.shows_no_key_yet(attempt))
    return jsonify(attempts.attempt_state(attempt, clock.now()))


@bp.post("/attempts/<int:attempt_id>/leave")
@operation(
    "Record that the test page was hidden for `seconds` (tab or app switch); never blocks",
    body=LEAVE,
    responses={200: ("Whether it was counted", LEFT)},
)
@signed_in
def record_leave(attempt_id):
    attempts.own_attempt(current_user, attempt_id)  # someone else's attempt is a 404 whatever the body
    result = attempts.record_leave(current_user, attempt_id, json_body()["seconds"], clock.now())
    db.session.commit()
    return jsonify(result)
