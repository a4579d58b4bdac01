"""JSON API the test page uses (blueprint "quiz_api"): my exams, start or resume, save one answer,
submit, the attempt's state, and leaving the page.

Session-cookie auth, X-CSRFToken on writes, errors as {"error": code, "message": Chinese text}.
An expired sign-in answers 401 JSON (accounts.access), so the page keeps its queue and resends
after the officer signs in again.
"""

from flask import Blueprint, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.access import signed_in
from core import clock
from core.db import reads_before_writes
from core.errors import ValidationFailed
from core.extensions import db
from quiz import attempts, exam_list

bp = Blueprint("quiz_api", __name__, url_prefix="/api/v1")


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed(_l("The request body must be a JSON object."))
    return data


@bp.get("/exams")
@signed_in
def list_exams():
    now = clock.now()
    return jsonify(
        {"server_now": now.isoformat(), "exams": [row.json() for row in exam_list.my_exams(current_user, now)]}
    )


@bp.post("/exams/<int:exam_id>/attempts")
@reads_before_writes
@signed_in
def start_attempt(exam_id):
    now = clock.now()
    attempt, created = attempts.start_or_resume(current_user, exam_id, now)
    db.session.commit()
    # Read after the commit, in a read-only transaction: on SQLite the write lock is not held
    # while the paper is loaded and turned into JSON.
    return jsonify(attempts.attempt_state(attempt, now)), 201 if created else 200


@bp.put("/attempts/<int:attempt_id>/answers/<int:item_id>")
@reads_before_writes
@signed_in
def save_answer(attempt_id, item_id):
    saved = attempts.save_answer(current_user, attempt_id, item_id, _body(), clock.now())
    db.session.commit()
    return jsonify(saved)


@bp.post("/attempts/<int:attempt_id>/submit")
@reads_before_writes
@signed_in
def submit(attempt_id):
    result = attempts.submit(current_user, attempt_id, clock.now())
    db.session.commit()
    return jsonify(result)


@bp.get("/attempts/<int:attempt_id>")
@signed_in
def attempt_detail(attempt_id):
    now = clock.now()
    return jsonify(attempts.attempt_state(attempts.own_attempt(current_user, attempt_id), now))


@bp.post("/attempts/<int:attempt_id>/leave")
@signed_in
def record_leave(attempt_id):
    result = attempts.record_leave(current_user, attempt_id, _body().get("seconds"), clock.now())
    db.session.commit()
    return jsonify(result)


_ERRORS = {
    "400": {
        "description": "Invalid input (a response that does not fit the question type)",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    },
    "401": {"description": "Not signed in, or the sign-in expired: sign in again and resend"},
    "403": {"description": "Not allowed"},
    "404": {"description": "Not found, or not yours (another officer's attempt, a question not in your paper)"},
}
_ID = {"in": "path", "required": True, "schema": {"type": "integer"}}
_RESULT = '{"attempt_id", "finished", "finished_at", "finish_reason", "score", "max_score", "pass_mark", "passed"}'
_STATE = (
    '{"id", "exam", "number", "started_at", "deadline_at", "server_now", "seconds_left", "finished", "review", '
    '"items": [{"id", "position", "type", "stem", "options", "blanks", "points", "response", "version", "marked"}], '
    '"result"?}; after the exam closes for everyone each item also has "answer", "is_correct", "score", "explanation"'
)

OPENAPI_PATHS = {
    "/api/v1/exams": {
        "get": {
            "summary": "My tests: open, upcoming and done, with my status, attempts and result in each",
            "responses": {"200": {"description": '{"server_now", "exams": [...]}'}, **_ERRORS},
        }
    },
    "/api/v1/exams/{exam_id}/attempts": {
        "post": {
            "summary": "Start a test, or resume my open attempt; returns the paper (never the answers)",
            "parameters": [{"name": "exam_id", **_ID}],
            "responses": {
                "201": {"description": "Started: " + _STATE},
                "200": {"description": "Resumed: " + _STATE},
                "409": {"description": "Not open yet, closed, or no attempts left"},
                **_ERRORS,
            },
        }
    },
    "/api/v1/attempts/{attempt_id}/answers/{item_id}": {
        "put": {
            "summary": "Save one answer, in the letters as displayed; `version` (optional) is the answer's "
            "version the page last saw: an older one is refused as a stale tab",
            "parameters": [{"name": "attempt_id", **_ID}, {"name": "item_id", **_ID}],
            "requestBody": {
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "response": {
                                    "description": 'single "B"; multiple ["A", "C"]; true/false true; '
                                    'fill ["text", …] one per blank; null clears'
                                },
                                "version": {"type": "integer"},
                                "marked": {"type": "boolean", "description": "marked for review"},
                            },
                        }
                    }
                }
            },
            "responses": {
                "200": {"description": '{"item_id", "version", "marked", "saved_at"}'},
                "409": {"description": "Already submitted, or a stale version (the body holds the current item)"},
                "410": {"description": "The deadline and its grace have passed; nothing was saved"},
                **_ERRORS,
            },
        }
    },
    "/api/v1/attempts/{attempt_id}/submit": {
        "post": {
            "summary": "Submit (idempotent: a second submit returns the same result)",
            "parameters": [{"name": "attempt_id", **_ID}],
            "responses": {"200": {"description": _RESULT}, **_ERRORS},
        }
    },
    "/api/v1/attempts/{attempt_id}": {
        "get": {
            "summary": "My attempt: paper, saved answers, deadline, result; the answers and explanations "
            "only after the exam closes for everyone",
            "parameters": [{"name": "attempt_id", **_ID}],
            "responses": {"200": {"description": _STATE}, **_ERRORS},
        }
    },
    "/api/v1/attempts/{attempt_id}/leave": {
        "post": {
            "summary": "Record that the test page was hidden for `seconds` (tab or app switch); never blocks",
            "parameters": [{"name": "attempt_id", **_ID}],
            "requestBody": {
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": {"seconds": {"type": "number", "minimum": 0}}}
                    }
                }
            },
            "responses": {"200": {"description": '{"counted": bool}'}, **_ERRORS},
        }
    },
}
