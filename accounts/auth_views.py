"""Sign-in, sign-out, password change and language choice."""

from urllib.parse import urlsplit

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

from accounts import audit, services
from accounts.access import begin_session, signed_in
from accounts.forms import ChangePasswordForm, EmptyForm, LoginForm
from core import clock
from core.errors import DomainError
from core.extensions import db, limiter
from core.i18n import LANGUAGE_COOKIE

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


def _safe_next(target):
    """Only same-site relative paths: never redirect a sign-in to another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


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
            return render_template("accounts/login.html", form=form), 200
        login_session = services.start_session(
            user, now=clock.now(), ip=request.remote_addr, user_agent=request.user_agent.string
        )
        audit.record("login.success", actor=user, target=user, ip=request.remote_addr)
        db.session.commit()
        begin_session(user, login_session)
        if user.must_change_password:
            flash(_("Please choose your own password before you go on."), "info")
            return redirect(url_for("auth.change_password"))
        return redirect(_safe_next(form.next.data) or url_for("home.index"))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.end_session(session.get("sid", ""), clock.now())
        audit.record("logout", actor=current_user, target=current_user, ip=request.remote_addr)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@signed_in
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user,
                current=form.current.data,
                new=form.password.data,
                now=clock.now(),
                keep_session=session.get("sid"),
            )
        except DomainError as error:
            db.session.rollback()
            target = form.current if error.field == "current" else form.password
            target.errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("home.index"))
    return render_template("accounts/password.html", form=form)


@bp.route("/language", methods=["POST"])
def set_language():
    form = EmptyForm()
    choice = request.form.get("lang", "")
    target = _safe_next(request.form.get("next")) or url_for("home.index")
    response = redirect(target)
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
