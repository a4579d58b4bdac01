"""Rules for people and sign-in. Services flush, never commit; the caller commits once.

`actor` is the acting user, or None for the system (CLI commands, jobs, demo seeding), which is
not scope-limited. Every function raises a DomainError subclass with a Chinese message.
"""

import functools
import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts import audit, devices, passwords
from accounts.membership import sync_membership
from accounts.models import LoginSession, Role, Unit, User
from accounts.scope import ensure_person_in_scope, ensure_unit_in_scope
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.extensions import db

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]{2,40}$")
PHONE_PATTERN = re.compile(r"^1\d{10}$")


# ---- people --------------------------------------------------------------------------------


def validate_person_fields(*, username: str, full_name: str, phone: str | None) -> list:
    """Shape rules shared by the forms, the importer and the CLI: [(field, message)]."""
    problems = []
    if not username:
        problems.append(("username", _l("The badge or staff number is missing.")))
    elif not USERNAME_PATTERN.match(username):
        problems.append(
            ("username", _l("The badge or staff number may contain only letters, digits, '.', '-' and '_' (2-40)."))
        )
    if not full_name:
        problems.append(("full_name", _l("The name is missing.")))
    elif len(full_name) > 60:
        problems.append(("full_name", _l("The name is too long.")))
    if phone and not PHONE_PATTERN.match(phone):
        problems.append(("phone", _l("The mobile number must have 11 digits and start with 1.")))
    return problems


def _check_role_grant(actor, role: Role, unit: Unit) -> None:
    ensure_unit_in_scope(actor, unit)
    if actor is not None and actor.role != Role.ADMIN and role == Role.ADMIN:
        raise PermissionDenied(_l("Only administrators can grant the administrator role."))


def username_taken(username: str, except_id: int | None = None) -> bool:
    query = sa.select(User.id).where(sa.func.lower(User.username) == username.lower())
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def create_user(
    actor, *, username, full_name, unit: Unit, role: Role, now, phone=None, password=None, password_hash=None
) -> tuple[User, str | None]:
    """Create a person. Without a password a one-time password is generated and returned, and the
    person must change it at first sign-in. `password_hash` (demo seeding) skips hashing."""
    username, full_name = (username or "").strip(), (full_name or "").strip()
    phone = (phone or "").strip() or None
    problems = validate_person_fields(username=username, full_name=full_name, phone=phone)
    if problems:
        field, message = problems[0]
        raise ValidationFailed(message, field=field)
    _check_role_grant(actor, role, unit)
    if not unit.active:
        raise ValidationFailed(_l("This unit has been deactivated."), field="unit")
    if username_taken(username):
        raise Conflict(_l("The number %(username)s is already in use.", username=username), field="username")
    one_time = None
    if password_hash is None:
        if password is None:
            one_time = passwords.one_time_password()
            password_hash = passwords.hash_one_time(one_time)
        else:
            passwords.check_policy(password, username)
            password_hash = passwords.hash_password(password)
    user = User(
        username=username,
        full_name=full_name,
        unit=unit,
        role=role,
        phone=phone,
        active=True,
        password_hash=password_hash,
        must_change_password=one_time is not None,
        created_at=now,
        updated_at=now,
    )
    db.session.add(user)
    db.session.flush()
    sync_membership(user, now)
    audit.record("user.create", actor=actor, target=user, detail={"unit": unit.id, "role": role.value})
    return user, one_time


def update_user(actor, user: User, *, full_name, unit: Unit, role: Role, phone, now) -> User:
    """Change a person's name, unit, role or phone. Role and unit changes are audited."""
    ensure_person_in_scope(actor, user)
    full_name, phone = (full_name or "").strip(), (phone or "").strip() or None
    problems = validate_person_fields(username=user.username, full_name=full_name, phone=phone)
    if problems:
        field, message = problems[0]
        raise ValidationFailed(message, field=field)
    if actor is not None and actor.role != Role.ADMIN and user.role == Role.ADMIN:
        raise PermissionDenied(_l("Only administrators can change an administrator."))
    if actor is not None and actor.id == user.id and role != user.role:
        raise PermissionDenied(_l("You cannot change your own role."))
    _check_role_grant(actor, role, unit)
    if role != user.role:
        audit.record("user.role", actor=actor, target=user, detail={"from": user.role.value, "to": role.value})
    if unit.id != user.unit_id:
        audit.record("user.unit", actor=actor, target=user, detail={"from": user.unit_id, "to": unit.id})
    user.full_name, user.unit, user.role, user.phone, user.updated_at = full_name, unit, role, phone, now
    sync_membership(user, now)
    return user


def reset_password(actor, user: User, now) -> str:
    """Give `user` a new one-time password (returned once), sign them out everywhere."""
    ensure_person_in_scope(actor, user)
    if actor is not None and actor.role != Role.ADMIN and user.role == Role.ADMIN:
        raise PermissionDenied(_l("Only administrators can change an administrator."))
    one_time = passwords.one_time_password()
    user.password_hash = passwords.hash_one_time(one_time)
    user.must_change_password = True
    user.updated_at = now
    revoke_sessions(user, now)
    devices.revoke_devices(actor, user, now, reason="password_reset")
    audit.record("user.reset_password", actor=actor, target=user)
    return one_time


def set_user_active(actor, user: User, active: bool, now) -> User:
    """Deactivate (ending every live session at once) or restore a person."""
    ensure_person_in_scope(actor, user)
    if actor is not None and actor.id == user.id:
        raise PermissionDenied(_l("You cannot deactivate yourself."))
    if actor is not None and actor.role != Role.ADMIN and user.role == Role.ADMIN:
        raise PermissionDenied(_l("Only administrators can change an administrator."))
    user.active = active
    user.updated_at = now
    if not active:
        revoke_sessions(user, now)
        devices.revoke_devices(actor, user, now, reason="deactivated")
    sync_membership(user, now)
    audit.record("user.activate" if active else "user.deactivate", actor=actor, target=user)
    return user


def change_password(user: User, *, current: str, new: str, now, keep_session: str | None = None) -> None:
    """The holder changes their own password; other sessions are signed out and every remembered
    device is revoked (the caller may remember the phone in hand again: it just gave the password)."""
    if not passwords.verify_password(user.password_hash, current):
        raise ValidationFailed(_l("The current password is wrong."), field="current")
    if current == new:
        raise ValidationFailed(_l("The new password must differ from the current one."), field="password")
    passwords.check_policy(new, user.username)
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = False
    user.password_changed_at = user.updated_at = now
    revoke_sessions(user, now, keep=keep_session)
    devices.revoke_devices(user, user, now, reason="password_changed", keep_session=keep_session)
    audit.record("user.change_password", actor=user, target=user)


def set_locale(user: User, locale: str) -> None:
    user.locale = locale


# ---- sign-in -------------------------------------------------------------------------------


def authenticate(username: str, password: str) -> User | None:
    """The active user with this number and password, or None (same work either way)."""
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == (username or "").strip().lower()))
    if user is None:
        passwords.verify_dummy(password or "")  # same work as a real check: timing tells nothing
        return None
    matches = passwords.verify_password(user.password_hash, password or "")
    if user.must_change_password:
        # A one-time password's hash is quick to check (passwords.ONE_TIME_HASH_METHOD): spend a
        # slow check's time as well, so timing does not tell which accounts are still unused.
        passwords.verify_dummy(password or "")
    if not matches or not user.active:
        return None
    return user


def start_session(user: User, *, now, ip=None, user_agent=None, device_id: int | None = None) -> LoginSession:
    """A new login session of `user`; `device_id`: the remembered device it was made on."""
    login = LoginSession(
        id=secrets.token_urlsafe(32),
        user_id=user.id,
        created_at=now,
        ip=ip,
        user_agent=(user_agent or "")[:200],
        device_id=device_id,
    )
    db.session.add(login)
    user.last_login_at = now
    return login


def end_session(session_id: str, now) -> None:
    login = db.session.get(LoginSession, session_id)
    if login is not None and login.revoked_at is None:
        login.revoked_at = now


def revoke_sessions(user: User, now, keep: str | None = None) -> None:
    query = sa.update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
    if keep:
        query = query.where(LoginSession.id != keep)
    db.session.execute(query.values(revoked_at=now).execution_options(synchronize_session=False))


def load_session_user(user_id: int, session_id: str) -> User | None:
    """The user behind a live login session: one query, joined with their unit."""
    return db.session.scalar(session_user_query(), {"user_id": user_id, "session_id": session_id})


@functools.cache
def session_user_query():
    """SELECT the User behind `:user_id` and the live login session `:session_id` (with its unit).
    A view may add its own first query's columns to it (accounts.access.signs_in_with); the
    conditions stay these. Built once: every signed-in request runs it, and making the statement
    costs about a third of running it."""
    return (
        sa.select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            User.id == sa.bindparam("user_id", type_=sa.Integer),
            User.active,
            LoginSession.id == sa.bindparam("session_id", type_=LoginSession.id.type),
            LoginSession.revoked_at.is_(None),
        )
    )


def prune_login_sessions(now, older_than=timedelta(days=30)) -> int:
    """Delete sign-in records that ended (or began) more than `older_than` ago; returns how many.

    A session older than the absolute lifetime can no longer be used, so nothing live is lost.
    """
    cutoff = now - older_than
    result = db.session.execute(
        sa.delete(LoginSession).where(sa.or_(LoginSession.revoked_at < cutoff, LoginSession.created_at < cutoff))
    )
    return result.rowcount or 0
