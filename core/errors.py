"""Domain errors raised by services, and the handlers that answer errors as a Chinese page or JSON."""

from flask import flash, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A rule was broken. Carries a message for the user (lazy-translated) and an HTTP status."""

    status = 400
    code = "invalid"

    def __init__(self, message, *, code=None, field=None, status=None, data=None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.data = data or {}
        if code:
            self.code = code
        if status:
            self.status = status


class ValidationFailed(DomainError):
    status, code = 400, "invalid"


class PermissionDenied(DomainError):
    status, code = 403, "forbidden"


class NotFound(DomainError):
    status, code = 404, "not_found"


class Conflict(DomainError):
    status, code = 409, "conflict"


class Gone(DomainError):
    status, code = 410, "gone"


DEFAULT_MESSAGES = {
    400: (_l("The request could not be understood."), "bad_request"),
    401: (_l("Please sign in again."), "login_required"),
    403: (_l("You do not have permission to do this."), "forbidden"),
    404: (_l("The page or item was not found."), "not_found"),
    405: (_l("This action is not allowed here."), "method_not_allowed"),
    409: (_l("This conflicts with the current state."), "conflict"),
    410: (_l("This is no longer available."), "gone"),
    413: (_l("The file is too large."), "too_large"),
    429: (_l("Too many attempts. Please wait a while and try again."), "too_many_requests"),
    500: (_l("Something went wrong on our side. Please try again later."), "server_error"),
}


def wants_json() -> bool:
    """JSON for the API and for clients that ask only for JSON; a page otherwise."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best
    return best == "application/json"


def render_error(status: int, message=None, code=None, data=None):
    """Answer an error as JSON or as the Chinese error page, with the given status."""
    default_message, default_code = DEFAULT_MESSAGES.get(status, DEFAULT_MESSAGES[500])
    message = message or default_message
    code = code or default_code
    if wants_json():
        body = {"error": code, "message": str(message)}
        body.update(data or {})
        return jsonify(body), status
    template = f"errors/{status}.html" if status in (403, 404, 413, 429, 500) else "errors/generic.html"
    return render_template(template, status=status, message=message), status


def _handle_domain_error(error: DomainError):
    return render_error(error.status, error.message, error.code, error.data)


def _handle_csrf_error(error: CSRFError):
    # Never a bare 400: the exam page reacts to this code by fetching a fresh token and retrying.
    return render_error(
        400, _l("This page has expired. Please reload it and try again; nothing you saved is lost."), "csrf_failed"
    )


def _handle_http_exception(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    limit = getattr(error, "limit", None)  # Flask-Limiter's RateLimitExceeded carries its own message
    if limit is not None and getattr(limit, "error_message", None):
        return render_error(error.code, error.description)
    return render_error(error.code)


def register_error_handlers(app):
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(CSRFError, _handle_csrf_error)
    # Unexpected exceptions reach this as InternalServerError (Flask logs the traceback first),
    # unless PROPAGATE_EXCEPTIONS is on, as in debug and most tests.
    app.register_error_handler(HTTPException, _handle_http_exception)


def show_on_form(form, error: DomainError) -> None:
    """Show a service's error on the form field it names, or as a flash message above the form."""
    field = getattr(form, error.field or "", None)
    if field is not None and isinstance(getattr(field, "errors", None), list):
        field.errors.append(str(error.message))
    else:
        flash(str(error.message), "error")
