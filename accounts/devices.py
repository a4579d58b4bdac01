"""Remembered devices (记住这台手机): remember one at sign-in, find one from its cookie's id and
token, list a person's, revoke one or all. Services flush, never commit; the caller commits.

A remembered device signs its holder in again without a password check, so it must be as easy to
end as a session: revoking a device also ends every session opened on it. `actor` is the acting
user, or None for the system (the account rules of accounts.services, which audit themselves).
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.models import LoginSession, RememberedDevice, Role, User
from accounts.scope import ensure_person_in_scope
from core.errors import PermissionDenied
from core.extensions import db

# last_used_at is written at most this often: a phone that keeps dropping its session cookie
# does not turn every request into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    """The SHA-256 kept for a device's token. The token is 256 random bits, so a fast hash is
    enough: there is nothing to guess, unlike a password."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def remember_device(user: User, *, now: datetime, days: int, user_agent: str | None = None):
    """Remember the device `user` signs in on for `days` days. Returns (device, token): the token
    goes into the device's cookie and is never stored."""
    token = secrets.token_urlsafe(32)
    device = RememberedDevice(
        user_id=user.id,
        token_hash=hash_token(token),
        user_agent=(user_agent or "")[:200] or None,
        created_at=now,
        last_used_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(device)
    db.session.flush()
    return device, token


def link_session(session_id: str | None, device: RememberedDevice) -> None:
    """The login session `session_id` is on `device` now: revoking the device ends it."""
    if session_id:
        db.session.execute(sa.update(LoginSession).where(LoginSession.id == session_id).values(device_id=device.id))


def find_device(device_id: int, token: str, now: datetime, *, lock: bool = False) -> RememberedDevice | None:
    """The live device `device_id` if `token` is its token and its holder is active, else None.

    The token is compared in constant time. With `lock`, the row is locked (PostgreSQL) until the
    transaction ends, so a revocation running at the same time either comes first and is seen, or
    waits and then ends the session this sign-in opens.
    """
    query = sa.select(RememberedDevice).where(RememberedDevice.id == device_id)
    if lock:  # and read it anew: what an earlier read of this request loaded may be stale
        query = query.with_for_update().execution_options(populate_existing=True)
    device = db.session.scalar(query)
    if device is None or not hmac.compare_digest(device.token_hash, hash_token(token)):
        return None
    if not device.is_live(now) or not device.user.active:
        return None
    return device


def touch_device(device: RememberedDevice, now: datetime) -> None:
    """Note that `device` signed its holder in at `now` (at most once a minute)."""
    if now - device.last_used_at >= LAST_USED_RESOLUTION:
        device.last_used_at = now


def live_devices(user: User, now: datetime) -> list[RememberedDevice]:
    """`user`'s devices that can still sign them in, most recently used first."""
    return list(
        db.session.scalars(
            sa.select(RememberedDevice)
            .where(
                RememberedDevice.user_id == user.id,
                RememberedDevice.revoked_at.is_(None),
                RememberedDevice.expires_at > now,
            )
            .order_by(RememberedDevice.last_used_at.desc(), RememberedDevice.id.desc())
        )
    )


def _check_may_revoke(actor: User | None, holder: User) -> None:
    """The holder, or a supervisor or admin whose scope holds them (an admin's devices: admins only)."""
    ensure_person_in_scope(actor, holder)
    if actor is not None and actor.id != holder.id and actor.role != Role.ADMIN and holder.role == Role.ADMIN:
        raise PermissionDenied(_l("Only administrators can change an administrator."))


def _end_sessions(device_ids, now: datetime, keep_session: str | None) -> None:
    query = sa.update(LoginSession).where(LoginSession.device_id.in_(device_ids), LoginSession.revoked_at.is_(None))
    if keep_session:
        query = query.where(LoginSession.id != keep_session)
    db.session.execute(query.values(revoked_at=now).execution_options(synchronize_session=False))


def revoke_device(actor: User | None, device: RememberedDevice, now: datetime, keep_session: str | None = None):
    """Revoke `device` and end the sessions opened on it (but `keep_session`, the caller's own, so
    forgetting the phone one holds does not sign one out). Revoking a revoked device does nothing.

    Raises PermissionDenied unless `actor` may act on the device's holder.
    """
    _check_may_revoke(actor, device.user)
    if device.revoked_at is not None:
        return
    device.revoked_at = now
    device.revoked_by_id = actor.id if actor is not None else None
    _end_sessions([device.id], now, keep_session)
    audit.record("device.revoke", actor=actor, target=device.user, detail={"device": device.id})


def revoke_devices(actor: User | None, user: User, now: datetime, *, reason: str, keep_session: str | None = None):
    """Revoke every live device of `user` and end the sessions opened on them (but `keep_session`).
    `reason` goes into the audit event ("revoke_all", "password_changed", "password_reset",
    "deactivated"). Returns how many were revoked; none, no audit event.

    Raises PermissionDenied unless `actor` may act on `user`.
    """
    _check_may_revoke(actor, user)
    ids = list(
        db.session.scalars(
            sa.select(RememberedDevice.id).where(
                RememberedDevice.user_id == user.id,
                RememberedDevice.revoked_at.is_(None),
                RememberedDevice.expires_at > now,
            )
        )
    )
    if not ids:
        return 0
    db.session.execute(
        sa.update(RememberedDevice)
        .where(RememberedDevice.id.in_(ids))
        .values(revoked_at=now, revoked_by_id=actor.id if actor is not None else None)
        .execution_options(synchronize_session="fetch")
    )
    _end_sessions(ids, now, keep_session)
    audit.record("device.revoke_all", actor=actor, target=user, detail={"reason": reason, "devices": ids})
    return len(ids)


def prune_remembered_devices(now: datetime, older_than=timedelta(days=30)) -> int:
    """Delete devices revoked or expired more than `older_than` ago; returns how many. They can
    sign no one in; their revocation stays in the audit log."""
    cutoff = now - older_than
    result = db.session.execute(
        sa.delete(RememberedDevice).where(
            sa.or_(RememberedDevice.revoked_at < cutoff, RememberedDevice.expires_at < cutoff)
        )
    )
    return result.rowcount or 0
