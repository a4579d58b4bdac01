"""Inspections (督查) of a unit and their findings, each with a rectification deadline and its
status until rectified."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Unit, User
from core.db import enum_column
from core.extensions import db


class InspectionKind(enum.StrEnum):
    SPECIAL = "special"  # 专项督察
    RANDOM = "random"  # 随机抽查
    ROUTINE = "routine"  # 日常督导
    FOLLOW_UP = "follow_up"  # 回头看

    @property
    def label(self):
        return KIND_LABELS[self]


KIND_LABELS = {
    InspectionKind.SPECIAL: _l("Special inspection"),
    InspectionKind.RANDOM: _l("Random check"),
    InspectionKind.ROUTINE: _l("Routine supervision"),
    InspectionKind.FOLLOW_UP: _l("Follow-up inspection"),
}


class FindingStatus(enum.StrEnum):
    OPEN = "open"  # 待整改
    RECTIFIED = "rectified"  # 已整改

    @property
    def label(self):
        return _l("Being rectified") if self is FindingStatus.OPEN else _l("Rectified")


class Inspection(db.Model):
    """One inspection of `unit` on `day` by `inspectors`, recorded by a supervisor above it."""

    __tablename__ = "inspections"
    __table_args__ = (sa.Index("ix_inspections_unit_day", "unit_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    day: Mapped[date] = mapped_column(index=True)
    kind: Mapped[InspectionKind] = mapped_column(enum_column(InspectionKind))
    inspectors: Mapped[str] = mapped_column(sa.String(200))
    checked: Mapped[str] = mapped_column(sa.Text)  # what was checked
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime]

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    recorded_by: Mapped[User | None] = relationship(lazy="joined")
    findings: Mapped[list["InspectionFinding"]] = relationship(
        back_populates="inspection", order_by="InspectionFinding.id", cascade="all, delete-orphan"
    )

    @property
    def open_findings(self) -> int:
        return sum(1 for f in self.findings if f.status is FindingStatus.OPEN)


class InspectionFinding(db.Model):
    """A problem found, to be rectified by `deadline`; the unit's supervisors record how."""

    __tablename__ = "inspection_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    deadline: Mapped[date]
    status: Mapped[FindingStatus] = mapped_column(enum_column(FindingStatus), default=FindingStatus.OPEN, index=True)
    rectification: Mapped[str | None] = mapped_column(sa.Text)
    rectified_at: Mapped[datetime | None]
    rectified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    inspection: Mapped[Inspection] = relationship(back_populates="findings")
    rectified_by: Mapped[User | None] = relationship(lazy="joined")

    def overdue(self, today: date) -> bool:
        return self.status is FindingStatus.OPEN and self.deadline < today
