"""Who is signed in, and the access decorators every view wears.

The signed session cookie holds the user id, the login-session id, the sign-in time and the time
last seen; the user loader checks all four with one query, so a signed-out, revoked, idle or
too-old session is refused even if its cookie is replayed.

A remembered device (记住这台手机, accounts.devices) has a cookie of its own holding the device's
id and token. A request without a valid session but with a valid device cookie is signed in again
before any view runs: a new login session, no password check.
"""

from datetime import timedelta
from functools import wraps

from flask import after_this_request, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from werkzeug.exceptions import Forbidden

from accounts import audit, devices, services
from accounts.models import Role
from core import clock
from core.db import take_write_lock
from core.errors import PermissionDenied, render_error, wants_json
from core.extensions import db, login_manager
from core.inputs import parse_id

SEEN_REFRESH = timedelta(minutes=1)
# Endpoints a user who must change their password can still reach.
PASSWORD_CHANGE_ALLOWED = {"auth.change_password", "auth.logout", "auth.set_language", "static", "core.csrf_token"}
DEVICE_COOKIE = "yingzhi_device"
# Endpoints that never sign a remembered device in: files, the health check, and sign-out (which
# revokes the device instead).
NO_DEVICE_SIGN_IN = {"static", "core.health", "auth.logout"}


def init_login(app):
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in first.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"  # phones change address often; "strong" would sign them out
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(_unauthorized)
    # Flask-Login's request_loader would run wherever current_user is first read, possibly in the
    # middle of a view's transaction; a sign-in writes, so it happens here, before any view.
    app.before_request(_sign_in_remembered_device)
    app.before_request(_require_password_change)


def begin_session(user, login_session, fresh=True):
    """Put a fresh signed session in place (no fixation: everything before is discarded).
    `fresh`: False when signed in by a remembered device rather than by a password."""
    session.clear()
    login_user(user, fresh=fresh)
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
    loader = _view_sign_in_loader() or services.load_session_user
    try:
        user = loader(int(user_id), login_id)
    except ValueError:
        return None
    if user is not None and now - seen > SEEN_REFRESH.total_seconds():
        session["seen"] = now
    return user


def signs_in_with(loader):
    """Mark a view whose first query rides along with the sign-in lookup: one round trip where
    there were two, on the requests thousands send in the same second (a start). `loader(user_id,
    login_session_id)` runs services.session_user_query() with the view's own columns added (outer
    joined, so they never decide who is signed in), keeps what the view will read (on flask.g)
    and returns the User, or None: it signs in exactly whom load_session_user would."""

    def decorator(view):
        view.sign_in_loader = loader
        return view

    return decorator


def _view_sign_in_loader():
    if not has_request_context():
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "sign_in_loader", None)


# ---- remembered devices ----------------------------------------------------------------------


def set_device_cookie(response, device, token):
    """Hand the phone its device cookie: HttpOnly, SameSite=Lax, Secure where sessions are."""
    response.set_cookie(
        DEVICE_COOKIE,
        f"{device.id}.{token}",
        expires=device.expires_at,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def forget_device_cookie(response):
    response.delete_cookie(
        DEVICE_COOKIE, httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"]
    )
    return response


def device_cookie() -> tuple[int, str] | None:
    """(device id, token) from the request's device cookie, if it has that shape."""
    device_id, _dot, token = request.cookies.get(DEVICE_COOKIE, "").partition(".")
    device_id = parse_id(device_id)
    if device_id is None or not 20 <= len(token) <= 100:
        return None
    return device_id, token


def current_device(now, *, lock=False):
    """The live remembered device this request's cookie names and proves, or None."""
    cookie = device_cookie()
    return devices.find_device(*cookie, now, lock=lock) if cookie else None


def _sign_in_remembered_device():
    """No valid session but a valid device cookie: sign its holder in again (a new login session
    on that device, fresh=False), without a password check. A cookie that proves nothing is removed."""
    if DEVICE_COOKIE not in request.cookies or request.endpoint in NO_DEVICE_SIGN_IN:
        return None
    if current_user.is_authenticated:
        return None
    now = clock.now()
    if current_device(now) is None:  # read as a reader: a bad cookie never takes SQLite's write lock
        after_this_request(forget_device_cookie)
        return None
    take_write_lock(db.session)
    device = current_device(now, lock=True)  # again, under the lock: it may have been revoked since
    if device is None:
        db.session.rollback()
        after_this_request(forget_device_cookie)
        return None
    user = device.user
    login_session = services.start_session(
        user, now=now, ip=request.remote_addr, user_agent=request.user_agent.string, device_id=device.id
    )
    devices.touch_device(device, now)
    audit.record("login.device", actor=user, target=user, detail={"device": device.id}, ip=request.remote_addr)
    db.session.commit()
    begin_session(user, login_session, fresh=False)
    return None


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
    if isinstance(error, PermissionDenied):
        return render_error(403, error.message, error.code, error.data)
    return render_error(403)


def register_access_handlers(app):
    app.register_error_handler(PermissionDenied, handle_forbidden)
    app.register_error_handler(Forbidden, handle_forbidden)
