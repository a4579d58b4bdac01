"""JSON of the board (blueprint "reports_api"): the same figures as the page and the export."""

from flask import Blueprint, jsonify, request

from accounts.access import supervisor_required
from core import clock
from reports import periods
from reports.board import build_board, figure_values
from reports.views import board_unit

bp = Blueprint("reports_api", __name__, url_prefix="/api/v1/reports")


def _unit_json(unit):
    return {"id": unit.id, "name": unit.name, "depth": unit.depth}


@bp.get("/summary")
@supervisor_required
def summary():
    unit = board_unit(request.args.get("unit"))
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


_FIGURES = (
    "tests, assigned, took, participation %, passed_first, pass_rate_first %, passed_after, "
    "pass_rate_after %, average_score (% of points), outstanding, absent, checkin_rate %, average_minutes, "
    "attendance_rate %, session_absent"
)

OPENAPI_PATHS = {
    "/api/v1/reports/summary": {
        "get": {
            "summary": "The progress board of a unit and its children over whole weeks (default: last week)",
            "parameters": [
                {"name": "unit", "in": "query", "schema": {"type": "integer"}},
                {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
            ],
            "responses": {
                "200": {
                    "description": '{"unit", "from", "to" (Mondays), "targets", "total", "rows", "weeks"}; '
                    "each figure set has " + _FIGURES
                },
                "400": {"description": "Bad dates"},
                "403": {"description": "The unit is outside the caller's scope"},
                "404": {"description": "No such unit"},
            },
        }
    }
}
