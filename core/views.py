"""Plumbing endpoints: CSRF token refresh, the OpenAPI description, a health check."""

from flask import Blueprint, current_app, jsonify
from flask_wtf.csrf import generate_csrf

from core.extensions import db

bp = Blueprint("core", __name__)

OPENAPI_PATHS = {
    "/api/v1/csrf": {
        "get": {
            "summary": "A fresh CSRF token for the X-CSRFToken header of JSON writes",
            "responses": {"200": {"description": '{"csrf_token": "..."}'}},
        }
    }
}


@bp.get("/api/v1/csrf")
def csrf_token():
    # Pages open longer than a token lives fetch a new one here and retry; answers are never lost.
    return jsonify(csrf_token=generate_csrf())


@bp.get("/api/v1/openapi.json")
def openapi():
    paths = {}
    for fragment in current_app.config["YINGZHI_OPENAPI_PATHS"]:
        paths.update(fragment)
    return jsonify(
        openapi="3.0.3",
        info={"title": "Yingzhi API", "version": "1"},
        components={
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": current_app.config["SESSION_COOKIE_NAME"]},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
                    "required": ["error", "message"],
                }
            },
        },
        security=[{"session": [], "csrf": []}],
        paths=dict(sorted(paths.items())),
    )


@bp.get("/healthz")
def health():
    db.session.execute(db.text("SELECT 1"))
    return jsonify(status="ok")
