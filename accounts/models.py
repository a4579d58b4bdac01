"""Units (a tree), people with roles, the revocable login sessions behind signed cookies and the
remembered devices (记住这台手机) that sign their holder in again."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.user_agents import describe_user_agent
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
    # The remembered device this sign-in was made on (with the box ticked, or by its cookie):
    # revoking the device ends this session too.
    device_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("remembered_devices.id", ondelete="SET NULL"), index=True
    )


class RememberedDevice(db.Model):
    """A phone (a browser) on which its holder ticked 记住这台手机. Its cookie carries this row's id
    and a random token; only the token's SHA-256 is kept here, so a copy of the database signs no
    one in. Signing out on it, revoking it, a password change or reset and deactivation end it."""

    __tablename__ = "remembered_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64))
    user_agent: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def label(self) -> str:
        """What the phone is, read from its User-Agent: "Android 手机 · Chrome"."""
        return describe_user_agent(self.user_agent)

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class UnitMembership(db.Model):
    """An officer's time in a unit: the local days from `first_day` up to, not including,
    `end_day` (None: still there). Figures for a past period count each person in the unit they
    belonged to on each day (reports, warnings); nobody counts before their account existed or
    after it was deactivated. Kept by accounts.membership from every change of unit, role or
    active state; a day belongs to the unit the person moved into that day."""

    __tablename__ = "unit_memberships"
    __table_args__ = (sa.Index("ix_unit_memberships_unit_days", "unit_id", "first_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    first_day: Mapped[date]
    end_day: Mapped[date | None]


class RosterVersion(db.Model):
    """One row counting changes of memberships: what a figure computed from the roster is keyed
    by when it is kept for a while (reports.roster)."""

    __tablename__ = "roster_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)
