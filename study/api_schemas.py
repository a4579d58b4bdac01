"""JSON Schemas of the study API (study.api): request bodies, checked before any service sees
them (core.inputs.json_body), and responses. The API document shows these same schemas. The
rules (a day not yet come, notes too short, a reading not yours) stay in the services."""

from flask_babel import lazy_gettext as _l

from core.openapi import DATE, DATETIME, ID, array, nullable, obj
from study.checkins import MAX_READINGS
from study.models import AttendanceStatus, LeaveStatus, SessionKind, StudyMethod

TEXT = {"type": "string"}
COUNT = {"type": "integer", "minimum": 0}
METHODS = [m.value for m in StudyMethod]

# --- requests -----------------------------------------------------------------------------------

CHECKIN = obj(
    {
        # null: the page's field was left empty; the service answers which field to fill in.
        "minutes": {"title": _l("Study minutes"), "type": ["integer", "null"], "minimum": 1, "maximum": 1440},
        "method": {"title": _l("Study method"), "enum": [*METHODS, None]},
        "readings": {"title": _l("Required readings"), **array(ID, max_items=MAX_READINGS)},
        "notes": {"title": _l("Study notes"), "type": "string", "maxLength": 5000},
    },
    required=["minutes", "method", "notes"],
    extra=True,
)
SIGNIN = obj(
    {
        "code": {"title": _l("Sign-in code"), "type": "string", "maxLength": 20},
        "token": {"title": _l("QR code"), "type": "string", "maxLength": 200},
    },
    required=[],
    extra=True,
)
LEAVE = obj({"reason": {"title": _l("Reason for leave"), "type": "string", "maxLength": 500}}, extra=True)

# --- responses ----------------------------------------------------------------------------------

CHECKIN_JSON = obj(
    {
        "day": DATE,
        "minutes": COUNT,
        "method": {"enum": METHODS},
        "readings": array(ID),
        "notes": TEXT,
        "late": {"type": "boolean"},
        "editable": {"type": "boolean"},
        "study_minutes": COUNT,
    }
)
CHECKINS = obj(
    {
        "from": DATE,
        "to": DATE,
        "target": COUNT,
        "checkins": array(CHECKIN_JSON),
        "study_minutes": {"type": "object", "additionalProperties": COUNT},
    }
)
CHECKIN_SAVED = obj({"checkin": CHECKIN_JSON})

STATUSES = [s.value for s in AttendanceStatus]
SESSION_JSON = obj(
    {
        "id": ID,
        "kind": {"enum": [k.value for k in SessionKind]},
        "kind_label": TEXT,
        "title": TEXT,
        "speaker": nullable(TEXT),
        "place": nullable(TEXT),
        "unit": TEXT,
        "starts_at": DATETIME,
        "ends_at": DATETIME,
        "signin_open": {"type": "boolean"},
        "my_status": {"enum": [*STATUSES, None]},
        "my_status_label": nullable(TEXT),
        "my_leave": {"enum": [*(s.value for s in LeaveStatus), None]},
        "my_leave_label": nullable(TEXT),
    }
)
SESSIONS = obj({"sessions": array(SESSION_JSON)})
SIGNED_IN = obj({"status": {"enum": ["present", "late"]}, "status_label": TEXT, "signed_in_at": DATETIME})
LEAVE_ASKED = obj({"leave": obj({"status": {"enum": [s.value for s in LeaveStatus]}, "reason": TEXT})})
HOST_CODE = obj(
    {
        "open": {"type": "boolean"},
        "code": nullable(TEXT),
        "expires_in": COUNT,
        "step": COUNT,
        "qr": TEXT,
        "counts": obj({"present": COUNT, "late": COUNT, "expected": COUNT}),
    },
    required=["open", "code", "counts"],
)
