"""Unit membership over time: which officer belonged to which unit on which day.

sync_membership(user, now) is called by every service that creates a person or changes their
unit, role or active state. An active officer has one open membership, in their current unit;
anyone else (a supervisor, an admin, a deactivated account) has none. A change closes the open
membership at `now` and opens the new one; days are local (core.clock), and the day of a move
belongs to the new unit. Callers commit.
"""

from datetime import date, datetime

import sqlalchemy as sa

from accounts.models import Role, RosterVersion, UnitMembership, User
from core import clock
from core.events import emit
from core.extensions import db


def is_member(user: User) -> bool:
    """Counted in a unit's figures: an active officer."""
    return bool(user.active) and user.role == Role.OFFICER


def sync_membership(user: User, now: datetime) -> bool:
    """Bring `user`'s memberships in line with their current unit, role and state. Returns
    whether anything changed (and then tells the features that count people)."""
    db.session.flush()
    current = db.session.scalars(
        sa.select(UnitMembership).where(UnitMembership.user_id == user.id, UnitMembership.ended_at.is_(None))
    ).all()
    wanted = user.unit_id if is_member(user) else None
    if wanted is not None and [m.unit_id for m in current] == [wanted]:
        return False
    if wanted is None and not current:
        return False
    today = clock.local(now).date()
    for membership in current:
        membership.ended_at, membership.end_day = now, today
    if wanted is not None:
        reopened = _reopen_same_day(user.id, wanted, today)
        if reopened is None:
            db.session.add(
                UnitMembership(user_id=user.id, unit_id=wanted, started_at=now, first_day=today, end_day=None)
            )
    bump_roster_version()
    db.session.flush()
    emit("people_changed", users=[user], now=now)
    return True


def _reopen_same_day(user_id: int, unit_id: int, today: date) -> UnitMembership | None:
    """Deactivated and restored (or moved away and back) on the same day: continue the
    membership that ended today rather than leave a gap of no days."""
    ended_today = db.session.scalar(
        sa.select(UnitMembership)
        .where(UnitMembership.user_id == user_id, UnitMembership.unit_id == unit_id, UnitMembership.end_day == today)
        .order_by(UnitMembership.id.desc())
        .limit(1)
    )
    if ended_today is not None:
        ended_today.ended_at, ended_today.end_day = None, None
    return ended_today


def bump_roster_version() -> None:
    """Note a change to who belongs where (a membership, or a unit moved in the tree): figures
    kept under roster_version are computed again."""
    updated = db.session.execute(
        sa.update(RosterVersion).where(RosterVersion.id == 1).values(value=RosterVersion.value + 1)
    ).rowcount
    if not updated:
        db.session.add(RosterVersion(id=1, value=1))


def roster_version() -> int:
    """Changes to memberships so far (a key for figures computed from them)."""
    return db.session.scalar(sa.select(RosterVersion.value).where(RosterVersion.id == 1)) or 0


def unit_on(user_id: int, day: date) -> int | None:
    """The unit `user_id` belonged to on local `day`, or None (not an active officer that day)."""
    return db.session.scalar(
        sa.select(UnitMembership.unit_id)
        .where(
            UnitMembership.user_id == user_id,
            UnitMembership.first_day <= day,
            sa.or_(UnitMembership.end_day.is_(None), UnitMembership.end_day > day),
        )
        .order_by(UnitMembership.first_day.desc(), UnitMembership.id.desc())
        .limit(1)
    )


def members_on_day(day: date) -> sa.Select:
    """Ids of everyone who counted as an officer (in any unit) on local `day`."""
    return sa.select(UnitMembership.user_id).where(
        UnitMembership.first_day <= day, sa.or_(UnitMembership.end_day.is_(None), UnitMembership.end_day > day)
    )


def member_on(user_id: int, day: date) -> bool:
    return unit_on(user_id, day) is not None


def first_member_day(user_id: int) -> date | None:
    """The first day `user_id` counted as an officer anywhere (None: never)."""
    return db.session.scalar(sa.select(sa.func.min(UnitMembership.first_day)).where(UnitMembership.user_id == user_id))


def memberships_overlapping(user_ids, first: date, last: date) -> list[UnitMembership]:
    """The memberships of `user_ids` with at least one day in [first, last]."""
    return db.session.scalars(
        sa.select(UnitMembership).where(
            UnitMembership.user_id.in_(list(user_ids)),
            UnitMembership.first_day <= last,
            sa.or_(UnitMembership.end_day.is_(None), UnitMembership.end_day > first),
            sa.or_(UnitMembership.end_day.is_(None), UnitMembership.end_day > UnitMembership.first_day),
        )
    ).all()
