"""People import: parse the file, check every row, report; write all rows in one go, or only the
valid ones when the admin chooses so. Nothing is written while any row is wrong otherwise.

The file is read by core.tabular with the same guards as the question import: limits checked while
it streams, a broken encoding named, formula cells without a value reported on their row."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts import audit, services
from accounts.models import Role, Unit, User
from accounts.scope import can_manage_unit, units_visible_to
from core import events, tabular
from core.errors import ValidationFailed
from core.extensions import db
from core.settings import get_setting

HEADER_ALIASES = {
    **dict.fromkeys(
        ["警号", "工号", "警号/工号", "警号工号", "账号", "编号", "username", "login", "number", "badge"], "username"
    ),
    **dict.fromkeys(["姓名", "名字", "name", "fullname", "full_name"], "full_name"),
    **dict.fromkeys(["单位", "所属单位", "部门", "unit", "department"], "unit"),
    **dict.fromkeys(["角色", "身份", "role"], "role"),
    **dict.fromkeys(["手机", "手机号", "手机号码", "电话", "phone", "mobile"], "phone"),
}
REQUIRED_COLUMNS = ("username", "full_name", "unit")
COLUMN_LABELS = {"username": "警号", "full_name": "姓名", "unit": "单位", "role": "角色", "phone": "手机"}
ROLE_WORDS = {
    **dict.fromkeys(["", "干警", "民警", "警员", "干部", "officer", "user"], Role.OFFICER),
    **dict.fromkeys(["单位管理员", "督导", "管理员", "supervisor", "manager"], Role.SUPERVISOR),
    **dict.fromkeys(["系统管理员", "超级管理员", "admin", "administrator"], Role.ADMIN),
}


@dataclass
class PersonRow:
    number: int
    username: str
    full_name: str
    unit_text: str
    role_text: str
    phone: str
    unit: Unit | None = None
    role: Role | None = None
    errors: list = field(default_factory=list)


@dataclass
class PeopleReport:
    rows: list
    unknown_headers: list

    @property
    def valid(self):
        return [r for r in self.rows if not r.errors]

    @property
    def invalid(self):
        return [r for r in self.rows if r.errors]


class UnitResolver:
    """Find a unit by unique name, or by its path written 'A/B/C' (full or the last few levels)."""

    def __init__(self, actor):
        query = units_visible_to(actor) if actor is not None else sa.select(Unit).order_by(Unit.path)
        self.units = [u for u in db.session.scalars(query) if u.active]
        by_id = {u.id: u for u in self.units}
        self.paths = {}
        for unit in self.units:
            names, cursor = [], unit
            while cursor is not None:
                names.append(cursor.name)
                cursor = by_id.get(cursor.parent_id)
            self.paths[unit.id] = list(reversed(names))

    def find(self, text: str):
        parts = [p.strip() for p in text.replace("\\", "/").replace("／", "/").split("/") if p.strip()]
        matches = [u for u in self.units if parts and self.paths[u.id][-len(parts) :] == parts]
        if not matches:
            return None, _l("Unknown unit '%(unit)s' (or outside your area).", unit=text)
        if len(matches) > 1:
            return None, _l("The unit name '%(unit)s' is not unique; write its path, e.g. district/unit.", unit=text)
        return matches[0], None


def parse_people(data: bytes, actor) -> PeopleReport:
    """Check every row of a people file without writing anything."""
    table = tabular.read_table(
        data,
        HEADER_ALIASES,
        max_rows=get_setting("PEOPLE_IMPORT_MAX_ROWS"),
        required=REQUIRED_COLUMNS,
        column_labels=COLUMN_LABELS,
    )
    resolver = UnitResolver(actor)
    existing = {name.lower() for name in db.session.scalars(sa.select(User.username))}
    seen = {}
    rows = []
    for raw in table.rows:
        values = raw.values
        row = PersonRow(
            number=raw.number,
            username=tabular.cell_text(values.get("username")),
            full_name=tabular.cell_text(values.get("full_name")),
            unit_text=tabular.cell_text(values.get("unit")),
            role_text=tabular.cell_text(values.get("role")),
            phone=tabular.cell_text(values.get("phone")),
        )
        if raw.uncalculated:
            labels = "、".join(COLUMN_LABELS.get(column, column) for column in raw.uncalculated)
            row.errors.append(tabular.uncalculated_message(labels))
        if isinstance(values.get("username"), (int, float)) and len(row.username) > 15:
            row.errors.append(
                _l("The number has more than 15 digits and Excel has rounded it; format the column as text.")
            )
        for _field, message in services.validate_person_fields(
            username=row.username, full_name=row.full_name, phone=row.phone or None
        ):
            row.errors.append(message)
        if row.username:
            key = row.username.lower()
            if key in existing:
                row.errors.append(_l("The number %(username)s is already in use.", username=row.username))
            elif key in seen:
                row.errors.append(
                    _l("The number %(username)s also appears in row %(row)d.", username=row.username, row=seen[key])
                )
            else:
                seen[key] = row.number
        if not row.unit_text:
            row.errors.append(_l("The unit is missing."))
        else:
            row.unit, problem = resolver.find(row.unit_text)
            if problem:
                row.errors.append(problem)
        row.role = ROLE_WORDS.get(row.role_text.strip().lower())
        if row.role is None:
            row.errors.append(_l("Unknown role '%(role)s'; use 干警, 单位管理员 or 系统管理员.", role=row.role_text))
        elif row.role == Role.ADMIN and actor is not None and actor.role != Role.ADMIN:
            row.errors.append(_l("Only administrators can grant the administrator role."))
        if row.unit is not None and actor is not None and not can_manage_unit(actor, row.unit):
            row.errors.append(_l("This unit is outside your area of responsibility."))
        rows.append(row)
    return PeopleReport(rows=rows, unknown_headers=table.unknown_headers)


def import_people(data: bytes, actor, *, valid_only: bool, now) -> tuple[PeopleReport, list]:
    """Create the people of a file; returns the report and [(user, one-time password)].

    Without valid_only, any bad row means nothing is written (ValidationFailed). Every created
    account gets a random one-time password and must change it at first sign-in.
    """
    report = parse_people(data, actor)
    if report.invalid and not valid_only:
        raise ValidationFailed(_l("%(n)d rows have errors; nothing was imported.", n=len(report.invalid)))
    created = []
    # Each new person changes their unit's figures from today: recompute each unit once at the end.
    with events.batched("people_changed"):
        for row in report.valid:
            user, password = services.create_user(
                actor,
                username=row.username,
                full_name=row.full_name,
                unit=row.unit,
                role=row.role,
                phone=row.phone or None,
                now=now,
            )
            created.append((user, password))
    audit.record("people.import", actor=actor, detail={"created": len(created), "skipped": len(report.invalid)})
    return report, created
