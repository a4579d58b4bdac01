"""Rules for the unit tree. Services flush, never commit; the caller commits once.

`actor` is the acting user, or None for the system (CLI commands, demo seeding).
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.membership import bump_roster_version
from accounts.models import Role, Unit, UnitKind, User
from accounts.scope import ensure_unit_in_scope
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.extensions import db


def create_unit(actor, *, name: str, kind: UnitKind, parent: Unit | None, now, sort_order: int = 0) -> Unit:
    """Add a unit under `parent` (None: a root, admins only)."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_l("The unit needs a name."), field="name")
    if parent is None:
        if actor is not None and actor.role != Role.ADMIN:
            raise PermissionDenied(_l("Only administrators can add a top-level unit."))
    else:
        ensure_unit_in_scope(actor, parent)
        if not parent.active:
            raise ValidationFailed(_l("The parent unit has been deactivated."), field="parent")
    _ensure_unique_sibling_name(name, parent, None)
    unit = Unit(name=name, kind=kind, parent=parent, created_at=now, sort_order=sort_order, active=True)
    db.session.add(unit)
    db.session.flush()  # the id is part of the path
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    unit.depth = parent.depth + 1 if parent else 0
    audit.record("unit.create", actor=actor, target=unit, detail={"name": name})
    return unit


def update_unit(actor, unit: Unit, *, name: str, kind: UnitKind, sort_order: int = 0) -> Unit:
    ensure_unit_in_scope(actor, unit)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_l("The unit needs a name."), field="name")
    _ensure_unique_sibling_name(name, unit.parent, unit.id)
    if unit.name != name:
        audit.record("unit.rename", actor=actor, target=unit, detail={"from": unit.name, "to": name})
    unit.name, unit.kind, unit.sort_order = name, kind, sort_order
    return unit


def move_unit(actor, unit: Unit, new_parent: Unit) -> Unit:
    """Move `unit` and its subtree under `new_parent`, rewriting the subtree's paths in one UPDATE."""
    ensure_unit_in_scope(actor, unit)
    ensure_unit_in_scope(actor, new_parent)
    if actor is not None and actor.role != Role.ADMIN and unit.id == actor.unit_id:
        raise PermissionDenied(_l("You cannot move your own unit."))
    if unit.contains(new_parent):
        raise ValidationFailed(_l("A unit cannot be moved under itself or its own sub-units."), field="parent")
    if unit.parent_id == new_parent.id:
        return unit
    _ensure_unique_sibling_name(unit.name, new_parent, unit.id)
    old_prefix, new_prefix = unit.path, f"{new_parent.path}{unit.id}/"
    depth_shift = new_parent.depth + 1 - unit.depth
    db.session.execute(
        sa.update(Unit)
        .where(Unit.path.startswith(old_prefix))
        .values(
            path=sa.literal(new_prefix) + sa.func.substr(Unit.path, len(old_prefix) + 1),
            depth=Unit.depth + depth_shift,
        )
        .execution_options(synchronize_session=False)
    )
    unit.parent_id = new_parent.id
    bump_roster_version()  # the boards sum subtrees by path: none may keep sums of the old tree
    audit.record("unit.move", actor=actor, target=unit, detail={"from": old_prefix, "to": new_prefix})
    db.session.flush()
    db.session.expire_all()
    return unit


def set_unit_active(actor, unit: Unit, active: bool) -> Unit:
    """Deactivate (or restore) a unit. A unit with active people or active sub-units stays."""
    ensure_unit_in_scope(actor, unit)
    if actor is not None and not active and unit.id == actor.unit_id:
        raise PermissionDenied(_l("You cannot deactivate your own unit."))
    if not active:
        people = db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.unit_id == unit.id, User.active)
        )
        children = db.session.scalar(
            sa.select(sa.func.count()).select_from(Unit).where(Unit.parent_id == unit.id, Unit.active)
        )
        if people or children:
            raise Conflict(
                _l(
                    "This unit still has %(people)d active people and %(children)d active sub-units; "
                    "move or deactivate them first.",
                    people=people,
                    children=children,
                )
            )
    elif unit.parent is not None and not unit.parent.active:
        raise Conflict(_l("Restore the parent unit first."))
    unit.active = active
    audit.record("unit.activate" if active else "unit.deactivate", actor=actor, target=unit)
    return unit


def _ensure_unique_sibling_name(name: str, parent: Unit | None, own_id: int | None) -> None:
    query = sa.select(Unit.id).where(Unit.name == name)
    query = query.where(Unit.parent_id == parent.id) if parent else query.where(Unit.parent_id.is_(None))
    if own_id is not None:
        query = query.where(Unit.id != own_id)
    if db.session.scalar(query.limit(1)) is not None:
        raise Conflict(_l("A unit with this name already exists here."), field="name")


def in_tree_order(units_list) -> list:
    """Units sorted as the tree reads: each parent followed by its children in (order, id).

    Works on any subset (a supervisor's subtree): units whose parent is absent become roots.
    """
    present = {u.id for u in units_list}
    children = {}
    for unit in units_list:
        parent = unit.parent_id if unit.parent_id in present else None
        children.setdefault(parent, []).append(unit)
    ordered, stack = [], sorted(children.get(None, []), key=lambda u: (u.sort_order, u.id), reverse=True)
    while stack:
        unit = stack.pop()
        ordered.append(unit)
        stack.extend(sorted(children.get(unit.id, []), key=lambda u: (u.sort_order, u.id), reverse=True))
    return ordered


def short_labels(units_list) -> dict:
    """{unit id: 'parent / name'} for showing a unit among many ('第一检察部' alone is ambiguous)."""
    names = {u.id: u.name for u in units_list}
    return {u.id: f"{names[u.parent_id]} / {u.name}" if u.parent_id in names else u.name for u in units_list}
