"""Sign-in, sign-out, password change and language choice."""

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from accounts import audit, devices, services
from accounts.access import (
    begin_session,
    current_device,
    forget_device_cookie,
    set_device_cookie,
    signed_in,
)
from accounts.forms import ChangePasswordForm, EmptyForm, LoginForm
from core import clock
from core.errors import DomainError
from core.extensions import db, limiter
from core.i18n import LANGUAGE_COOKIE
from core.redirects import safe_target
from core.settings import get_setting

bp = Blueprint("auth", __name__)


def _account_key():
    return "account:" + (request.form.get("username") or "").strip().lower()


def _login_failed(_response):
    return g.get("login_failed", False)


def _locked_message():
    return _("Too many failed sign-ins. This account is locked for a while; try again in 15 minutes.")


def _account_limits():
    return current_app.config["LOGIN_ACCOUNT_LIMITS"]


def _address_limits():
    return current_app.config["LOGIN_ADDRESS_LIMITS"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    _account_limits,
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_login_failed,
    error_message=_locked_message,
    scope="login-account",
)
@limiter.limit(
    _address_limits, methods=["POST"], deduct_when=_login_failed, error_message=_locked_message, scope="login-address"
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is None:
            g.login_failed = True
            audit.record("login.failure", detail={"username": form.username.data[:40]}, ip=request.remote_addr)
            db.session.commit()
            form.password.errors.append(_("Wrong number or password, or the account is deactivated."))
            return _login_page(form), 200
        return _signed_in(user, form)
    return _login_page(form)


def _login_page(form):
    return render_template("accounts/login.html", form=form, remember_days=get_setting("REMEMBER_DEVICE_DAYS"))


def _signed_in(user, form):
    """Start `user`'s session (on a newly remembered device if the box was ticked) and send them on."""
    now, user_agent = clock.now(), request.user_agent.string
    device = token = None
    if form.remember.data:
        days = get_setting("REMEMBER_DEVICE_DAYS")
        device, token = devices.remember_device(user, now=now, days=days, user_agent=user_agent)
    login_session = services.start_session(
        user, now=now, ip=request.remote_addr, user_agent=user_agent, device_id=device.id if device else None
    )
    detail = {"device": device.id} if device else None
    audit.record("login.success", actor=user, target=user, detail=detail, ip=request.remote_addr)
    db.session.commit()
    begin_session(user, login_session)
    if user.must_change_password:
        flash(_("Please choose your own password before you go on."), "info")
        response = redirect(url_for("auth.change_password"))
    else:
        response = redirect(safe_target(form.next.data, url_for("home.index")))
    return set_device_cookie(response, device, token) if device else response


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out, and forget this phone: the device its cookie proves is revoked."""
    now = clock.now()
    device = current_device(now)
    if device is not None:
        devices.revoke_device(device.user, device, now)
    if current_user.is_authenticated:
        services.end_session(session.get("sid", ""), now)
        audit.record("logout", actor=current_user, target=current_user, ip=request.remote_addr)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return forget_device_cookie(redirect(url_for("auth.login")))


@bp.route("/password", methods=["GET", "POST"])
@signed_in
def change_password():
    """Every remembered device is revoked; the phone in hand, if it was remembered, is remembered
    anew (with a new token), so a first sign-in with a one-time password can keep the box ticked."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        now = clock.now()
        remembered = current_device(now)
        was_remembered = remembered is not None and remembered.user_id == current_user.id
        try:
            services.change_password(
                current_user,
                current=form.current.data,
                new=form.password.data,
                now=now,
                keep_session=session.get("sid"),
            )
        except DomainError as error:
            db.session.rollback()
            target = form.current if error.field == "current" else form.password
            target.errors.append(str(error.message))
        else:
            renewed = _remember_again(now) if was_remembered else None
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            response = redirect(url_for("home.index"))
            return set_device_cookie(response, *renewed) if renewed else response
    return render_template("accounts/password.html", form=form)


def _remember_again(now):
    """(device, token): the phone in hand remembered anew, with this session moved onto it."""
    days = get_setting("REMEMBER_DEVICE_DAYS")
    device, token = devices.remember_device(current_user, now=now, days=days, user_agent=request.user_agent.string)
    devices.link_session(session.get("sid"), device)
    return device, token


@bp.route("/language", methods=["POST"])
def set_language():
    form = EmptyForm()
    choice = request.form.get("lang", "")
    response = redirect(safe_target(request.form.get("next"), url_for("home.index")))
    if form.validate_on_submit() and choice in current_app.config["YINGZHI_LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            choice,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        if current_user.is_authenticated:
            services.set_locale(current_user, choice)
            db.session.commit()
    return response
