"""The API document (/api/v1/openapi.json), built from the views themselves.

Each JSON view declares itself with `operation(...)`: its summary, the JSON Schema of its
request body (the very schema core.inputs.json_body checks the body against), its query
arguments and the schema of each response. The document walks app.url_map, so a route under
/api/ without a declaration fails the document (and its test) instead of going undocumented.
OpenAPI 3.1, whose schemas are JSON Schema 2020-12, the dialect the edge validates with.
"""

import re

from werkzeug.routing import IntegerConverter

from core.inputs import MAX_ID

ERROR = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
    "required": ["error", "message"],
}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
_ARGUMENT = re.compile(r"<(?:[^<>:]+:)?([^<>:]+)>")


def nullable(schema: dict) -> dict:
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return {**schema, "type": [*kinds, "null"]}


def obj(properties: dict, *, required=None, extra: bool = False) -> dict:
    """An object schema; every property required unless `required` names the few that are."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": sorted(properties) if required is None else list(required),
    }
    if not extra:
        schema["additionalProperties"] = False
    return schema


def array(items: dict, max_items: int | None = None) -> dict:
    schema = {"type": "array", "items": items}
    if max_items is not None:
        schema["maxItems"] = max_items
    return schema


def operation(
    summary: str,
    *,
    responses: dict,
    body: dict | None = None,
    query: dict | None = None,
    path: dict | None = None,
    description: str | None = None,
    public: bool = False,
):
    """Declare a JSON view for the API document and the input edge.

    `responses`: status → (description, schema or None). `body`: the request body's schema, which
    json_body() checks. `query`: argument → schema. `path`: argument → schema, for arguments that
    are not ids (ids get ID). Errors answer {"error", "message"}, documented once as the default.
    `public`: answered without signing in.
    """

    def decorator(view):
        view.openapi = {
            "summary": summary,
            "description": description,
            "responses": responses,
            "body": body,
            "query": query or {},
            "path": path or {},
            "public": public,
        }
        return view

    return decorator


def _path_template(rule) -> str:
    """/api/v1/attempts/<int:attempt_id> → /api/v1/attempts/{attempt_id}"""
    return _ARGUMENT.sub(lambda match: "{" + match.group(1) + "}", rule.rule)


def _operation_object(rule, method: str, spec: dict) -> dict:
    parameters = []
    for argument, converter in rule._converters.items():
        schema = ID if isinstance(converter, IntegerConverter) else spec["path"].get(argument, {"type": "string"})
        parameters.append({"name": argument, "in": "path", "required": True, "schema": schema})
    for name, schema in spec["query"].items():
        parameters.append({"name": name, "in": "query", "required": False, "schema": schema})
    responses = {}
    for status, (description, schema) in spec["responses"].items():
        response = {"description": description}
        if schema is not None:
            response["content"] = {"application/json": {"schema": schema}}
        responses[str(status)] = response
    responses["default"] = {
        "description": "An error: 400 bad input, 401 not signed in, 403 not allowed, 404 not found or not yours, "
        "409 conflicts with the current state, 410 too late; the message is in the user's language",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    operation_object = {"operationId": f"{rule.endpoint}.{method.lower()}", "summary": spec["summary"]}
    if spec["description"]:
        operation_object["description"] = spec["description"]
    if parameters:
        operation_object["parameters"] = parameters
    if spec["body"] is not None:
        operation_object["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": spec["body"]}},
        }
    operation_object["responses"] = responses
    if spec["public"]:
        operation_object["security"] = []
    elif method == "GET":
        operation_object["security"] = [{"session": []}]  # reads need no CSRF header
    return operation_object


def api_rules(app):
    """Every route under /api/, with its methods (HEAD and OPTIONS aside)."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith("/api/"):
            yield rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def document(app) -> dict:
    """The OpenAPI 3.1 document of every /api/ route. LookupError names a route without an
    operation() declaration."""
    paths = {}
    for rule, methods in api_rules(app):
        view = app.view_functions[rule.endpoint]
        spec = getattr(view, "openapi", None)
        if spec is None:
            raise LookupError(f"{rule.endpoint} ({rule.rule}) declares no core.openapi.operation")
        item = paths.setdefault(_path_template(rule), {})
        for method in methods:
            item[method.lower()] = _operation_object(rule, method, spec)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Yingzhi API", "version": "1"},
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": app.config["SESSION_COOKIE_NAME"]},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
            },
            "schemas": {"Error": ERROR},
        },
        "security": [{"session": [], "csrf": []}],
        "paths": paths,
    }
