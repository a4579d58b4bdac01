"""The notice centre: list, open (marks read), mark all read."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user

from accounts.access import signed_in
from accounts.forms import EmptyForm
from core import clock
from core.extensions import db
from core.redirects import safe_target
from notices import services

bp = Blueprint("notices", __name__, url_prefix="/notices")


@bp.app_context_processor
def unread_notices():
    """The unread count for the navigation badge, on every page of a signed-in user."""
    if not current_user.is_authenticated:
        return {}
    return {"unread_notices": services.unread_count(current_user.id)}


@bp.get("/")
@signed_in
def index():
    page = db.paginate(services.notices_for(current_user.id), per_page=30, error_out=False)
    return render_template("notices/index.html", page=page, render_title=services.render_title, form=EmptyForm())


@bp.post("/<int:notice_id>/read")
@signed_in
def read(notice_id):
    if not EmptyForm().validate_on_submit():
        abort(400)
    notice = services.mark_read(current_user.id, notice_id, clock.now())
    if notice is None:
        abort(404)
    db.session.commit()
    # The link is one our code stored (a url_for), checked anyway like every redirect to a stored value.
    return redirect(safe_target(notice.link, url_for("notices.index")))


@bp.post("/read-all")
@signed_in
def read_all():
    if EmptyForm().validate_on_submit():
        services.mark_all_read(current_user.id, clock.now())
        db.session.commit()
    return redirect(url_for("notices.index"))
