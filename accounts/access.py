"""Who is signed in, and the access decorators every view wears.

The signed session cookie holds the user id, the login-session id, the sign-in time and the time
last seen; the user loader checks all four with one query, so a signed-out, revoked, idle or
too-old session is refused even if its cookie is replayed.
"""

from datetime import timedelta
from functools import wraps

from flask import current_app, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from werkzeug.exceptions import Forbidden

from accounts import audit, services
from accounts.models import Role
from core import clock
from core.errors import PermissionDenied, render_error, wants_json
from core.extensions import db, login_manager

SEEN_REFRESH = timedelta(minutes=1)
# Endpoints a user who must change their password can still reach.
PASSWORD_CHANGE_ALLOWED = {"auth.change_password", "auth.logout", "auth.set_language", "static", "core.csrf_token"}


def init_login(app):
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in first.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"  # phones change address often; "strong" would sign them out
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(_unauthorized)
    app.before_request(_require_password_change)


def begin_session(user, login_session):
    """Put a fresh signed session in place (no fixation: everything before is discarded)."""
    session.clear()
    login_user(user)
    stamp = clock.now().timestamp()
    session["sid"] = login_session.id
    session["auth_at"] = stamp
    session["seen"] = stamp
    session.permanent = True


def load_user(user_id):
    login_id = session.get("sid")
    auth_at, seen = session.get("auth_at"), session.get("seen")
    if not login_id or auth_at is None or seen is None:
        return None
    now = clock.now().timestamp()
    config = current_app.config
    if now - auth_at > config["PERMANENT_SESSION_LIFETIME"].total_seconds():
        return None
    if now - seen > config["YINGZHI_SESSION_IDLE_MINUTES"] * 60:
        return None
    try:
        user = services.load_session_user(int(user_id), login_id)
    except ValueError:
        return None
    if user is not None and now - seen > SEEN_REFRESH.total_seconds():
        session["seen"] = now
    return user


def _unauthorized():
    if wants_json():
        return render_error(401, _l("Your sign-in has expired. Please sign in again; your answers are kept."))
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))


def _require_password_change():
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in PASSWORD_CHANGE_ALLOWED
    ):
        if wants_json():
            return render_error(403, _l("Please change your password first."), "password_change_required")
        return redirect(url_for("auth.change_password"))
    return None


def role_required(*roles):
    """Signed in with one of `roles`; anonymous users go to sign-in, others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                raise PermissionDenied(_l("Your role does not allow this page."))
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)  # read by the access tests: every view declares its rule
        return wrapped

    return decorator


signed_in = role_required(Role.OFFICER, Role.SUPERVISOR, Role.ADMIN)
supervisor_required = role_required(Role.SUPERVISOR, Role.ADMIN)
admin_required = role_required(Role.ADMIN)


def handle_forbidden(error):
    """403s are audited. The request's own changes are rolled back first; the audit row is kept."""
    db.session.rollback()
    try:
        audit.record(
            "access.denied",
            actor=current_user if current_user.is_authenticated else None,
            detail={"method": request.method, "path": request.path},
            ip=request.remote_addr,
        )
        db.session.commit()
    except Exception:  # never let auditing turn a 403 into a 500
        db.session.rollback()
        current_app.logger.exception("could not audit a denied request")
    message = error.message if isinstance(error, PermissionDenied) else None
    return render_error(403, message)


def register_access_handlers(app):
    app.register_error_handler(PermissionDenied, handle_forbidden)
    app.register_error_handler(Forbidden, handle_forbidden)
