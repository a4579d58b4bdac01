"""Plumbing endpoints: CSRF token refresh, the OpenAPI description, a health check."""

from flask import Blueprint, current_app, jsonify
from flask_wtf.csrf import generate_csrf

from core import openapi
from core.extensions import db
from core.openapi import obj, operation

bp = Blueprint("core", __name__)


@bp.get("/api/v1/csrf")
@operation(
    "A fresh CSRF token for the X-CSRFToken header of JSON writes",
    responses={200: ("The token", obj({"csrf_token": {"type": "string"}}))},
    public=True,
)
def csrf_token():
    # Pages open longer than a token lives fetch a new one here and retry; answers are never lost.
    return jsonify(csrf_token=generate_csrf())


@bp.get("/api/v1/openapi.json", endpoint="openapi")
@operation(
    "This document: every /api/ route with its request and response schemas",
    responses={200: ("OpenAPI 3.1", {"type": "object", "required": ["openapi", "paths"]})},
    public=True,
)
def openapi_document():
    return jsonify(openapi.document(current_app))


@bp.get("/healthz")
def health():
    db.session.execute(db.text("SELECT 1"))
    return jsonify(status="ok")
