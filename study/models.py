"""Study tables: required readings and who read them, daily check-ins, sessions with attendance
and leave, notes spot-checks, and the warnings posted to officers who fall behind."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from accounts.models import Unit, User
from core.db import enum_column
from core.extensions import db
from core.i18n import N_  # noqa: F401  (re-exported: study modules import it from here)
from question_bank.models import Category


class LabelledEnum(enum.StrEnum):
    @property
    def label(self):
        # Keyed by class and value: members of two enums with one value ("pending" of attendance
        # and of leave) are equal strings, and one dict keyed by the members would mix them up.
        return LABELS[(type(self), self.value)]


class StudyMethod(LabelledEnum):
    CENTRALIZED = "centralized"  # 集中学习
    SELF = "self"  # 自学
    ONLINE = "online"  # 线上


class SessionKind(LabelledEnum):
    CENTRALIZED = "centralized"  # 集中学习
    PARTY_LECTURE = "party_lecture"  # 专题党课
    NIGHT_SCHOOL = "night_school"  # 夜校
    WARNING_EDUCATION = "warning"  # 警示教育
    HERO_REPORT = "hero_report"  # 英模报告会
    SYMPOSIUM = "symposium"  # 座谈会
    OTHER = "other"


class AttendanceStatus(LabelledEnum):
    PENDING = "pending"  # expected, not yet signed in (before the session closes)
    PRESENT = "present"  # 出席
    LATE = "late"  # 迟到
    LEAVE = "leave"  # 请假 (approved)
    ABSENT = "absent"  # 缺席


class LeaveStatus(LabelledEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class SpotCheckResult(LabelledEnum):
    QUALIFIED = "qualified"
    UNQUALIFIED = "unqualified"


class WarningKind(LabelledEnum):
    ABSENCES = "absences"  # absent from several sessions in a row
    LOW_STUDY = "low_study"  # a week far below the daily target


LABELS = {
    (StudyMethod, StudyMethod.CENTRALIZED.value): _l("Centralized study"),
    (StudyMethod, StudyMethod.SELF.value): _l("Self-study"),
    (StudyMethod, StudyMethod.ONLINE.value): _l("Online"),
    (SessionKind, SessionKind.CENTRALIZED.value): _l("Centralized study"),
    (SessionKind, SessionKind.PARTY_LECTURE.value): _l("Party lecture"),
    (SessionKind, SessionKind.NIGHT_SCHOOL.value): _l("Night school"),
    (SessionKind, SessionKind.WARNING_EDUCATION.value): _l("Warning education"),
    (SessionKind, SessionKind.HERO_REPORT.value): _l("Heroes and models report"),
    (SessionKind, SessionKind.SYMPOSIUM.value): _l("Symposium"),
    (SessionKind, SessionKind.OTHER.value): _l("Other"),
    (AttendanceStatus, AttendanceStatus.PENDING.value): _l("Not signed in"),
    (AttendanceStatus, AttendanceStatus.PRESENT.value): _l("Present"),
    (AttendanceStatus, AttendanceStatus.LATE.value): _l("Late"),
    (AttendanceStatus, AttendanceStatus.LEAVE.value): _l("On leave"),
    (AttendanceStatus, AttendanceStatus.ABSENT.value): _l("Absent"),
    (LeaveStatus, LeaveStatus.PENDING.value): _l("Awaiting approval"),
    (LeaveStatus, LeaveStatus.APPROVED.value): _l("Approved"),
    (LeaveStatus, LeaveStatus.REJECTED.value): _l("Rejected"),
    (SpotCheckResult, SpotCheckResult.QUALIFIED.value): _l("Qualified"),
    (SpotCheckResult, SpotCheckResult.UNQUALIFIED.value): _l("Not qualified"),
    (WarningKind, WarningKind.ABSENCES.value): _l("Absent from sessions in a row"),
    (WarningKind, WarningKind.LOW_STUDY.value): _l("Too little study in a week"),
}


class Reading(db.Model):
    """A required (or optional) reading for everyone in a unit subtree. The body is sanitised HTML
    (study.readings.clean_body); a PDF, if any, is kept in reading_files."""

    __tablename__ = "readings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("categories.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    required: Mapped[bool] = mapped_column(default=True)
    due_on: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    category: Mapped[Category | None] = relationship(lazy="joined")
    file: Mapped["ReadingFile | None"] = relationship(lazy="select", cascade="all, delete-orphan")


class ReadingFile(db.Model):
    """The PDF of a reading, in the database: app servers keep no files of their own."""

    __tablename__ = "reading_files"

    reading_id: Mapped[int] = mapped_column(sa.ForeignKey("readings.id", ondelete="CASCADE"), primary_key=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    size: Mapped[int]
    content: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary, nullable=False))
    uploaded_at: Mapped[datetime]


class ReadingProgress(db.Model):
    """One officer has read one reading."""

    __tablename__ = "reading_progress"
    __table_args__ = (sa.UniqueConstraint("reading_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reading_id: Mapped[int] = mapped_column(sa.ForeignKey("readings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    read_at: Mapped[datetime]


class CheckIn(db.Model):
    """An officer's study on one local calendar day. `late`: filled in on a later day."""

    __tablename__ = "checkins"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "day"),
        sa.CheckConstraint("minutes >= 0 AND minutes <= 1440", name="minutes_in_a_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    day: Mapped[date] = mapped_column(index=True)
    minutes: Mapped[int]
    method: Mapped[StudyMethod] = mapped_column(enum_column(StudyMethod))
    reading_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str] = mapped_column(sa.Text)
    late: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class StudySession(db.Model):
    """A centralized session for a unit subtree. `secret` keys the rotating sign-in codes and is
    never shown; `roster_taken_at` is when the expected list was fixed (at the start);
    `closed_at` is when the absentees were marked."""

    __tablename__ = "study_sessions"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SessionKind] = mapped_column(enum_column(SessionKind))
    title: Mapped[str] = mapped_column(sa.String(200))
    speaker: Mapped[str | None] = mapped_column(sa.String(100))
    place: Mapped[str | None] = mapped_column(sa.String(200))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime] = mapped_column(index=True)
    secret: Mapped[str] = mapped_column(sa.String(64))
    host_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime]
    roster_taken_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Attendance(db.Model):
    """One expected (or signed-in) officer at one session."""

    __tablename__ = "attendance"
    __table_args__ = (sa.UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("study_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_column(AttendanceStatus), index=True)
    signed_in_at: Mapped[datetime | None]
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))  # host marked present
    updated_at: Mapped[datetime]

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
    session: Mapped[StudySession] = relationship()


class LeaveRequest(db.Model):
    """An officer's request to miss a session, decided by a supervisor."""

    __tablename__ = "leave_requests"
    __table_args__ = (sa.UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("study_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[LeaveStatus] = mapped_column(enum_column(LeaveStatus), index=True)
    created_at: Mapped[datetime]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(sa.String(300))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
    session: Mapped[StudySession] = relationship()


class SpotCheck(db.Model):
    """A random sample of check-ins of a unit subtree over a date range, drawn by a supervisor."""

    __tablename__ = "spot_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    from_day: Mapped[date]
    to_day: Mapped[date]
    population: Mapped[int]  # check-ins the sample was drawn from
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime]

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    created_by: Mapped[User | None] = relationship(lazy="joined")
    items: Mapped[list["SpotCheckItem"]] = relationship(
        back_populates="spot_check", order_by="SpotCheckItem.id", cascade="all, delete-orphan"
    )


class SpotCheckItem(db.Model):
    """One sampled check-in and the supervisor's verdict on its notes (None: not yet marked)."""

    __tablename__ = "spot_check_items"
    __table_args__ = (sa.UniqueConstraint("spot_check_id", "checkin_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    spot_check_id: Mapped[int] = mapped_column(sa.ForeignKey("spot_checks.id", ondelete="CASCADE"))
    checkin_id: Mapped[int] = mapped_column(sa.ForeignKey("checkins.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    result: Mapped[SpotCheckResult | None] = mapped_column(enum_column(SpotCheckResult), index=True)
    comment: Mapped[str | None] = mapped_column(sa.String(500))
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]

    spot_check: Mapped[SpotCheck] = relationship(back_populates="items")
    checkin: Mapped[CheckIn] = relationship(lazy="joined", innerjoin=True)


class StudyWarning(db.Model):
    """A warning posted to an officer; (user, kind, period_key) makes it once only."""

    __tablename__ = "study_warnings"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[WarningKind] = mapped_column(enum_column(WarningKind))
    period_key: Mapped[str] = mapped_column(sa.String(40))  # ISO week, or the last missed session
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(index=True)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
