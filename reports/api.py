"""JSON of the board (blueprint "reports_api"): the same figures as the page and the export."""

from flask import Blueprint, jsonify, request

from accounts.access import supervisor_required
from core import clock
from core.inputs import id_arg
from core.openapi import DATE, ID, array, obj, operation
from reports import periods
from reports.board import build_board, figure_values
from reports.views import board_unit

bp = Blueprint("reports_api", __name__, url_prefix="/api/v1/reports")


def _unit_json(unit):
    return {"id": unit.id, "name": unit.name, "depth": unit.depth}


FIGURES = {
    "type": "object",
    "description": "tests, assigned, took, participation %, passed_first, pass_rate_first %, passed_after, "
    "pass_rate_after %, average_score (% of points), outstanding, absent, checkin_rate %, average_minutes, "
    "attendance_rate %, session_absent; null where there is nothing to count",
    "additionalProperties": {"type": ["number", "null"]},
}


def _figures_with(properties: dict) -> dict:
    return {**FIGURES, "properties": properties, "required": sorted(properties)}


UNIT = obj({"id": ID, "name": {"type": "string"}, "depth": {"type": "integer", "minimum": 0}})
SUMMARY = obj(
    {
        "unit": UNIT,
        "from": DATE,
        "to": DATE,
        "targets": {"type": "object", "additionalProperties": {"type": "number"}},
        "total": FIGURES,
        "rows": array(_figures_with({"unit": UNIT, "own_staff": {"type": "boolean"}})),
        "weeks": array(_figures_with({"week": DATE})),
    }
)


@bp.get("/summary")
@operation(
    "The progress board of a unit and its children over whole weeks (default: last week)",
    query={"unit": ID, "from": DATE, "to": DATE},
    responses={200: ("The board; from and to are Mondays", SUMMARY)},
)
@supervisor_required
def summary():
    unit = board_unit(id_arg("unit"))
    first, last = periods.period_from(request.args, clock.today())
    board = build_board(unit, first, last)
    return jsonify(
        {
            "unit": _unit_json(unit),
            "from": first.isoformat(),
            "to": last.isoformat(),
            "targets": {k: round(v * 100) for k, v in board.targets.items()},
            "total": figure_values(board.total),
            "rows": [
                {"unit": _unit_json(row.unit), "own_staff": row.own_staff, **figure_values(row.figures)}
                for row in board.rows
            ],
            "weeks": [{"week": monday.isoformat(), **figure_values(f)} for monday, f in board.trend],
        }
    )
