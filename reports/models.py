"""Summary tables behind the board, kept up to date by reports.summaries.

The board adds these rows up over a unit's subtree (one prefix join on units.path), so a city
board over a year reads ~10,000 small rows instead of half a million assignments and check-ins.
Rows hold counts for ONE unit (not its subtree), so they add up exactly at every level.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Unit
from core.extensions import db
from quiz.models import ExamAssignment
from study.models import Attendance, CheckIn


class ExamUnitSummary(db.Model):
    """One round-0 exam's figures for the officers assigned from one unit (their unit at publish).
    Retake outcomes are folded in: `passed_after` counts round-0 passes and cleared retakes."""

    __tablename__ = "report_exam_units"
    # The revision too: a board's version (reports.board.data_version) is read from the index alone.
    __table_args__ = (sa.Index("ix_report_exam_units_week_unit_revision", "week_start", "unit_id", "revision"),)

    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), primary_key=True, index=True)
    week_start: Mapped[date]  # Monday of the local ISO week the exam opened in
    assigned: Mapped[int] = mapped_column(default=0)
    took: Mapped[int] = mapped_column(default=0)  # not absent
    passed_first: Mapped[int] = mapped_column(default=0)
    passed_after: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)  # failed round 0
    absent: Mapped[int] = mapped_column(default=0)
    outstanding: Mapped[int] = mapped_column(default=0)  # flagged, not cleared by a retake
    scored: Mapped[int] = mapped_column(default=0)  # assignments with a score
    score_sum: Mapped[float] = mapped_column(default=0)
    percent_sum: Mapped[float] = mapped_column(default=0)  # score as % of total points, summed
    revision: Mapped[int] = mapped_column(default=0)  # counts recomputes: keys what a server keeps


class StudyUnitWeek(db.Model):
    """One unit's study in one local ISO week, by the people who belonged to it on each day:
    check-ins, study minutes, attendance at sessions that started that week, and the sessions the
    unit itself held (reports.summaries defines each figure)."""

    __tablename__ = "report_study_weeks"
    # The revision too: a board's version (reports.board.data_version) is read from the index alone.
    __table_args__ = (sa.Index("ix_report_study_weeks_week_unit_revision", "week_start", "unit_id", "revision"),)

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), primary_key=True)
    week_start: Mapped[date] = mapped_column(primary_key=True)
    checkin_days: Mapped[int] = mapped_column(default=0)
    minutes: Mapped[int] = mapped_column(default=0)
    attendance_expected: Mapped[int] = mapped_column(default=0)
    attended: Mapped[int] = mapped_column(default=0)  # present or late
    on_leave: Mapped[int] = mapped_column(default=0)
    absent: Mapped[int] = mapped_column(default=0)  # absent without leave
    sessions_held: Mapped[int] = mapped_column(default=0)
    revision: Mapped[int] = mapped_column(default=0)


class ReportState(db.Model):
    """Bookkeeping of the refresh job: how far changes have been folded into the summaries."""

    __tablename__ = "report_state"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[datetime]


# The refresh job looks for rows changed since its last run; these make that a range scan.
sa.Index("ix_exam_assignments_updated_at", ExamAssignment.updated_at)
sa.Index("ix_checkins_updated_at", CheckIn.updated_at)
sa.Index("ix_attendance_updated_at", Attendance.updated_at)


class BulletinStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Bulletin(db.Model):
    """A weekly bulletin (通报) of one unit's scope: drafted from the week's figures, edited and
    published by a supervisor, then kept. The text is plain text (shown escaped, line by line)."""

    __tablename__ = "report_bulletins"
    __table_args__ = (sa.UniqueConstraint("unit_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    week_start: Mapped[date]
    status: Mapped[BulletinStatus] = mapped_column(
        sa.Enum(BulletinStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=BulletinStatus.DRAFT,
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    names_people: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    edited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
