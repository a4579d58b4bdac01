"""My devices (我的设备, blueprint "devices"): the phones that sign me in without a password, each
revocable. A supervisor or admin revokes another person's on their page (accounts.people_views)."""

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from accounts import devices
from accounts.access import device_cookie, forget_device_cookie, signed_in
from accounts.forms import EmptyForm
from accounts.models import RememberedDevice
from core import clock
from core.extensions import db

bp = Blueprint("devices", __name__)


def _my_device(device_id) -> RememberedDevice:
    """One of my own devices; anyone else's is as unknown as a missing one (404)."""
    device = db.get_or_404(RememberedDevice, device_id)
    if device.user_id != current_user.id:
        abort(404)
    return device


def _back(forget_this_phone: bool):
    response = redirect(url_for("devices.index"))
    return forget_device_cookie(response) if forget_this_phone else response


@bp.get("/devices")
@signed_in
def index():
    cookie = device_cookie()
    return render_template(
        "accounts/devices.html",
        devices=devices.live_devices(current_user, clock.now()),
        current_id=cookie[0] if cookie else None,
        action_form=EmptyForm(),
    )


@bp.post("/devices/<int:device_id>/revoke")
@signed_in
def revoke(device_id):
    device = _my_device(device_id)
    if not EmptyForm().validate_on_submit():
        return _back(False)
    devices.revoke_device(current_user, device, clock.now(), keep_session=session.get("sid"))
    db.session.commit()
    flash(_("The device was revoked; it must sign in with the password again."), "success")
    cookie = device_cookie()
    return _back(cookie is not None and cookie[0] == device.id)


@bp.post("/devices/revoke-all")
@signed_in
def revoke_all():
    if not EmptyForm().validate_on_submit():
        return _back(False)
    count = devices.revoke_devices(
        current_user, current_user, clock.now(), reason="revoke_all", keep_session=session.get("sid")
    )
    db.session.commit()
    flash(ngettext("%(num)d device revoked.", "%(num)d devices revoked.", count), "success")
    return _back(True)
