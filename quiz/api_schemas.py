"""JSON Schemas of the test API (quiz.api): what each request body must be, checked before any
service sees it (core.inputs.json_body), and what each response is. The API document shows
these same schemas."""

from core.openapi import DATETIME, ID, NULLABLE_DATETIME, array, nullable, obj
from quiz.attempts import MAX_BLANK_LENGTH
from quiz.models import AssignmentStatus, ExamKind, FinishReason

MAX_VERSION = 2**31 - 1
NUMBER_OR_NULL = {"type": ["number", "null"]}
TEXT = {"type": "string"}
COUNT = {"type": "integer", "minimum": 0}

# --- requests -----------------------------------------------------------------------------------

SAVE = obj(
    {
        "response": {
            "description": 'single "B"; multiple ["A", "C"]; true/false true; fill ["text", …] one per blank; '
            "null clears",
            "type": ["string", "boolean", "array", "null"],
            "maxLength": MAX_BLANK_LENGTH,
            "items": {"type": "string", "maxLength": MAX_BLANK_LENGTH},
            "maxItems": 26,
        },
        "version": {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_VERSION},
        "marked": {"type": "boolean", "description": "marked for review"},
    },
    required=[],
    extra=True,
)

# A page hidden for days sends that many seconds; the service counts at most MAX_LEAVE_SECONDS.
LEAVE = obj({"seconds": {"type": "number", "minimum": 0, "maximum": 366 * 24 * 3600}}, extra=True)

# --- responses ----------------------------------------------------------------------------------

RESULT = obj(
    {
        "attempt_id": ID,
        "finished": {"type": "boolean"},
        "finished_at": NULLABLE_DATETIME,
        "finish_reason": {"enum": [*(r.value for r in FinishReason), None]},
        "finish_reason_label": nullable(TEXT),
        "score": NUMBER_OR_NULL,
        "max_score": {"type": "number"},
        "pass_mark": {"type": "number"},
        "passed": {"type": ["boolean", "null"]},
    }
)

RESPONSE = {"type": ["string", "boolean", "array", "null"], "items": {}}

ITEM = obj(
    {
        "id": ID,
        "position": COUNT,
        "type": {"enum": ["single", "multiple", "true_false", "fill"]},
        "type_label": TEXT,
        "stem": TEXT,
        "options": array(TEXT),
        "blanks": COUNT,
        "points": {"type": "number"},
        "response": RESPONSE,
        "version": COUNT,
        "marked": {"type": "boolean"},
        # Only once the exam has closed for everyone:
        "answer": RESPONSE,
        "is_correct": {"type": ["boolean", "null"]},
        "score": NUMBER_OR_NULL,
        "explanation": nullable(TEXT),
    },
    required=["id", "position", "type", "stem", "options", "blanks", "points", "response", "version", "marked"],
)

ATTEMPT = obj(
    {
        "id": ID,
        "exam": obj({"id": ID, "title": TEXT, "kind": {"enum": [k.value for k in ExamKind]}, "kind_label": TEXT}),
        "number": {"type": "integer", "minimum": 1},
        "started_at": DATETIME,
        "deadline_at": DATETIME,
        "server_now": DATETIME,
        "seconds_left": COUNT,
        "finished": {"type": "boolean"},
        "review": {"type": "boolean", "description": "true once answers and explanations are shown"},
        "items": array(ITEM),
        "result": RESULT,
    },
    required=[
        "id",
        "exam",
        "number",
        "started_at",
        "deadline_at",
        "server_now",
        "seconds_left",
        "finished",
        "review",
        "items",
    ],
)

EXAM = obj(
    {
        "id": ID,
        "title": TEXT,
        "kind": {"enum": [k.value for k in ExamKind]},
        "kind_label": TEXT,
        "retake_round": COUNT,
        "opens_at": DATETIME,
        "closes_at": DATETIME,
        "duration_minutes": COUNT,
        "total_points": {"type": "number"},
        "pass_mark": {"type": "number"},
        "state": {"enum": ["in_progress", "open", "upcoming", "done"]},
        "state_label": TEXT,
        "status": {"enum": [s.value for s in AssignmentStatus]},
        "status_label": TEXT,
        "attempts_used": COUNT,
        "attempts_allowed": COUNT,
        "open_attempt_id": nullable(ID),
        "last_attempt_id": nullable(ID),
        "score": NUMBER_OR_NULL,
        "passed": {"type": ["boolean", "null"]},
    }
)

EXAMS = obj({"server_now": DATETIME, "exams": array(EXAM)})
SAVED = obj({"item_id": ID, "version": COUNT, "marked": {"type": "boolean"}, "saved_at": DATETIME})
LEFT = obj({"counted": {"type": "boolean"}})
