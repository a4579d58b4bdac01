"""Who may see and act on which units and people.

Admins: everything. Supervisors: their own unit and everything below it. Officers: themselves
(and the name of their own unit). Every view and service goes through these functions.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts.models import Role, Unit, User
from core.errors import PermissionDenied


def unit_ids_in_subtree(unit: Unit) -> sa.Select:
    """SELECT of the ids of `unit` and every unit below it."""
    return sa.select(Unit.id).where(Unit.path.startswith(unit.path))


def units_visible_to(user: User) -> sa.Select:
    """SELECT of the units `user` may see, in tree order."""
    query = sa.select(Unit).order_by(Unit.path)
    if user.role == Role.ADMIN:
        return query
    if user.role == Role.SUPERVISOR:
        return query.where(Unit.path.startswith(user.unit.path))
    return query.where(Unit.id == user.unit_id)


def people_visible_to(user: User) -> sa.Select:
    """SELECT of the people `user` may see and act on, joined with their unit (to filter by it)."""
    query = sa.select(User).join(Unit, User.unit_id == Unit.id)
    if user.role == Role.ADMIN:
        return query
    if user.role == Role.SUPERVISOR:
        return query.where(Unit.path.startswith(user.unit.path))
    return query.where(User.id == user.id)


def can_manage_unit(user: User, unit: Unit) -> bool:
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.SUPERVISOR and user.unit.contains(unit)


def can_see_person(user: User, person: User) -> bool:
    if person.id == user.id or user.role == Role.ADMIN:
        return True
    return user.role == Role.SUPERVISOR and user.unit.contains(person.unit)


def ensure_unit_in_scope(user: User | None, unit: Unit) -> None:
    """Raise PermissionDenied unless `user` manages `unit`. None is the system (CLI, jobs)."""
    if user is not None and not can_manage_unit(user, unit):
        raise PermissionDenied(_l("This unit is outside your area of responsibility."))


def ensure_person_in_scope(user: User | None, person: User) -> None:
    """Raise PermissionDenied unless `user` may see `person`. None is the system (CLI, jobs)."""
    if user is not None and not can_see_person(user, person):
        raise PermissionDenied(_l("This person is outside your area of responsibility."))
