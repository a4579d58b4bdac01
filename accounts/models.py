"""Units (a tree), people with roles, and the revocable login sessions behind signed cookies."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import enum_column
from core.extensions import db


class UnitKind(enum.StrEnum):
    COMMITTEE = "committee"  # 政法委
    POLICE = "police"  # 公安
    PROCURATORATE = "procuratorate"  # 检察院
    COURT = "court"  # 法院
    JUSTICE = "justice"  # 司法局
    DEPARTMENT = "department"  # 部门 (派出所, 庭, 科室…)

    @property
    def label(self):
        return UNIT_KIND_LABELS[self]


UNIT_KIND_LABELS = {
    UnitKind.COMMITTEE: _l("Political-legal committee"),
    UnitKind.POLICE: _l("Public security"),
    UnitKind.PROCURATORATE: _l("Procuratorate"),
    UnitKind.COURT: _l("Court"),
    UnitKind.JUSTICE: _l("Justice bureau"),
    UnitKind.DEPARTMENT: _l("Department"),
}


class Role(enum.StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.OFFICER: _l("Officer"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.ADMIN: _l("Administrator"),
}


class Unit(db.Model):
    """A node of the unit tree. `path` is the materialised path of ids ('/1/4/9/'), so a subtree
    is one indexed prefix match and every number can roll up the tree."""

    __tablename__ = "units"
    # varchar_pattern_ops lets PostgreSQL use the index for the prefix match `path LIKE '/1/4/%'`.
    __table_args__ = (sa.Index("ix_units_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(400), default="")
    depth: Mapped[int] = mapped_column(default=0)
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.sort_order, Unit.id")

    def contains(self, other: "Unit") -> bool:
        """True if `other` is this unit or lies below it."""
        return other.path.startswith(self.path)

    def __repr__(self):
        return f"<Unit {self.id} {self.name}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # Numbers are unique whatever their case; sign-in compares them case-insensitively.
    __table_args__ = (sa.Index("uq_users_username_lower", sa.func.lower(sa.text("username")), unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(40))  # 警号 / 工号
    full_name: Mapped[str] = mapped_column(sa.String(60))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.OFFICER)
    active: Mapped[bool] = mapped_column(default=True)
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(sa.String(10))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)

    @property
    def is_active(self):  # Flask-Login: inactive users cannot sign in
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_supervisor(self) -> bool:
        """Supervisors and admins both manage; admins see everything."""
        return self.role in (Role.SUPERVISOR, Role.ADMIN)

    def __repr__(self):
        return f"<User {self.username}>"


class LoginSession(db.Model):
    """One sign-in. The signed cookie names it; signing out or deactivation revokes it, so a copied
    cookie stops working at once even though the cookie itself is still validly signed."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    user_agent: Mapped[str | None] = mapped_column(sa.String(200))
