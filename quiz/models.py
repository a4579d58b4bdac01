"""Tests from template to retake: ExamTemplate and its PaperRules (the blueprint), Exam (one
published instance), ExamAssignment (one officer's place in it), Attempt and PaperItem (the
officer's own paper, each answer saved on its item) and WrongAnswer (the 错题本 entries closing
adds and practice clears)."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Unit, User
from core.db import enum_column
from core.extensions import db
from question_bank.models import Question, QuestionType, QuestionVersion


class LabelledEnum(enum.StrEnum):
    """An enum whose members have a translated label; each class's LABELS is set after it."""

    @property
    def label(self):
        return type(self).LABELS[self]  # type: ignore[attr-defined]


class ExamKind(LabelledEnum):
    WEEKLY = "weekly"  # 周测
    MONTHLY = "monthly"  # 月考
    MOCK = "mock"  # 模拟测试
    ONE_OFF = "one_off"  # 临时测试
    CONTEST = "contest"  # 知识竞赛


ExamKind.LABELS = {
    ExamKind.WEEKLY: _l("Weekly test"),
    ExamKind.MONTHLY: _l("Monthly exam"),
    ExamKind.MOCK: _l("Mock test"),
    ExamKind.ONE_OFF: _l("One-off test"),
    ExamKind.CONTEST: _l("Knowledge contest"),
}


class Recurrence(LabelledEnum):
    NONE = "none"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


Recurrence.LABELS = {
    Recurrence.NONE: _l("Does not recur"),
    Recurrence.WEEKLY: _l("Every week"),
    Recurrence.MONTHLY: _l("Every month"),
}


class AttemptPolicy(LabelledEnum):
    """Which attempt counts when several are allowed."""

    HIGHEST = "highest"
    FIRST = "first"
    LAST = "last"


AttemptPolicy.LABELS = {
    AttemptPolicy.HIGHEST: _l("Highest score"),
    AttemptPolicy.FIRST: _l("First attempt"),
    AttemptPolicy.LAST: _l("Last attempt"),
}


class AssignmentStatus(LabelledEnum):
    ASSIGNED = "assigned"  # not started yet
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"  # finished, exam still open (result may change with another attempt)
    PASSED = "passed"
    FAILED = "failed"
    ABSENT = "absent"  # 缺考: never started before the exam closed


AssignmentStatus.LABELS = {
    AssignmentStatus.ASSIGNED: _l("Not started"),
    AssignmentStatus.IN_PROGRESS: _l("In progress"),
    AssignmentStatus.SUBMITTED: _l("Submitted"),
    AssignmentStatus.PASSED: _l("Passed the test"),
    AssignmentStatus.FAILED: _l("Failed the test"),
    AssignmentStatus.ABSENT: _l("Absent from the test"),
}


class FinishReason(LabelledEnum):
    SUBMITTED = "submitted"  # the officer pressed submit
    TIMED_OUT = "timed_out"  # submitted after the deadline: graded with what was saved in time
    CLOSED = "closed"  # never submitted; the close job graded what was saved


FinishReason.LABELS = {
    FinishReason.SUBMITTED: _l("Submitted"),
    FinishReason.TIMED_OUT: _l("Time ran out"),
    FinishReason.CLOSED: _l("Closed by the system"),
}


class ExamTemplate(db.Model):
    """What a test is: scope, blueprint, timing and rules. Recurring templates (weekly: weekday and
    time to open and close; monthly: day of month and times, local time) publish one Exam per
    period; the others are published by hand."""

    __tablename__ = "exam_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[ExamKind] = mapped_column(enum_column(ExamKind))
    scope_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    duration_minutes: Mapped[int] = mapped_column(default=30)
    pass_mark_percent: Mapped[int] = mapped_column(default=60)
    attempts_allowed: Mapped[int] = mapped_column(default=1)
    attempt_policy: Mapped[AttemptPolicy] = mapped_column(enum_column(AttemptPolicy), default=AttemptPolicy.HIGHEST)
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_options: Mapped[bool] = mapped_column(default=True)
    partial_credit: Mapped[bool] = mapped_column(default=False)  # 多选: share of points for a subset
    retake_days: Mapped[int] = mapped_column(default=3)
    # Recurrence, in the deployment's time zone. Weekdays 0 = Monday; times "HH:MM".
    recurrence: Mapped[Recurrence] = mapped_column(enum_column(Recurrence), default=Recurrence.NONE)
    open_weekday: Mapped[int | None]
    close_weekday: Mapped[int | None]
    open_day: Mapped[int | None]  # monthly: day of month (1..28)
    close_day: Mapped[int | None]
    open_time: Mapped[str | None] = mapped_column(sa.String(5))
    close_time: Mapped[str | None] = mapped_column(sa.String(5))
    recurs_from: Mapped[datetime | None]  # first period considered (catch-up never reaches earlier)
    active: Mapped[bool] = mapped_column(default=True, index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    scope_unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    rules: Mapped[list["PaperRule"]] = relationship(
        back_populates="template", order_by="PaperRule.position", cascade="all, delete-orphan"
    )


class PaperRule(db.Model):
    """One blueprint row: `count` questions of `type` from `category` (and its subcategories),
    `points` each."""

    __tablename__ = "paper_rules"
    __table_args__ = (sa.CheckConstraint("count > 0 AND points > 0", name="positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_templates.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"))
    type: Mapped[QuestionType] = mapped_column(enum_column(QuestionType))
    count: Mapped[int]
    points: Mapped[int]

    template: Mapped[ExamTemplate] = relationship(back_populates="rules")


class Exam(db.Model):
    """One published instance of a template with its own window. The rules and settings are
    copied at publishing (`blueprint`, `settings`), so editing the template later changes no
    published exam. Recurring exams are unique per (template, period_key); a retake points to the
    exam it retakes (`retake_of_id`, unique: one retake per exam, whoever closes it)."""

    __tablename__ = "exams"
    __table_args__ = (
        sa.UniqueConstraint("template_id", "period_key", "retake_round", name="uq_exams_template_period"),
        sa.UniqueConstraint("retake_of_id", name="uq_exams_retake_of_id"),
        sa.CheckConstraint("closes_at > opens_at", name="closes_after_open"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_templates.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[ExamKind] = mapped_column(enum_column(ExamKind))
    scope_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    period_key: Mapped[str | None] = mapped_column(sa.String(20))  # '2026-W48', '2026-11'; None: one-off
    retake_round: Mapped[int] = mapped_column(default=0)  # 0: the exam itself; 1: first retake…
    retake_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exams.id"))
    root_exam_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exams.id"), index=True)  # round 0 of the chain
    opens_at: Mapped[datetime] = mapped_column(index=True)
    closes_at: Mapped[datetime] = mapped_column(index=True)
    duration_minutes: Mapped[int]
    total_points: Mapped[int]
    pass_mark_percent: Mapped[int]
    # [{category_id, type, count, points, pool}]: deferred, since the pools make it large and
    # only drawing a paper, publishing a retake and closing read it (not the pages or autosave).
    blueprint: Mapped[list] = mapped_column(sa.JSON, deferred=True)
    settings: Mapped[dict] = mapped_column(sa.JSON)  # attempts_allowed, attempt_policy, shuffle_*, …
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    published_at: Mapped[datetime]
    # Closed for everyone: every assignment closed (and the exam this one retakes, too). Only then
    # do keys and reviews leave the server.
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    # Withdrawn by a supervisor before anyone started: its assignments are gone, so no list or
    # report counts it; the row stays (closed at the same moment) to keep its period published.
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    template: Mapped[ExamTemplate] = relationship()
    scope_unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    retake_of: Mapped["Exam | None"] = relationship(remote_side=[id], foreign_keys=[retake_of_id])

    @property
    def pass_mark(self) -> float:
        """Points needed to pass."""
        return self.total_points * self.pass_mark_percent / 100


class ExamAssignment(db.Model):
    """An officer assigned to an exam when it was published (`unit_id`: their unit then, so
    reports stay true when people move). The result fields are the counted attempt's; the
    exception fields are a supervisor's per-officer changes (window, extra time or attempts).
    Each assignment is closed on its own (`closed_at`): one extension never holds the others."""

    __tablename__ = "exam_assignments"
    __table_args__ = (
        sa.UniqueConstraint("exam_id", "user_id"),
        sa.Index("ix_exam_assignments_exam_unit", "exam_id", "unit_id"),
        # The standing list of everyone not yet 过关 (reports.outstanding), oldest first: only the
        # outstanding rows, in the order the board lists them, so it reads the first few, not all.
        sa.Index(
            "ix_exam_assignments_outstanding",
            "closed_at",
            postgresql_where=sa.text("flagged AND cleared_at IS NULL"),
            sqlite_where=sa.text("flagged = 1 AND cleared_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    status: Mapped[AssignmentStatus] = mapped_column(enum_column(AssignmentStatus), default=AssignmentStatus.ASSIGNED)
    score: Mapped[float | None]  # the counted attempt's
    passed: Mapped[bool | None]
    counted_attempt_id: Mapped[int | None]  # no FK: attempts point here already (no cycle)
    finished_at: Mapped[datetime | None]
    # 补考 loop: flagged when failed or absent at close; cleared when a retake is passed.
    flagged: Mapped[bool] = mapped_column(default=False, index=True)
    escalated: Mapped[bool] = mapped_column(default=False)  # failed a retake too
    cleared_at: Mapped[datetime | None]
    weak_category_ids: Mapped[list] = mapped_column(sa.JSON, default=list)  # 补课 categories
    # Make-up study (补课) of a flagged assignment done: the retake of this round may be started.
    makeup_done_at: Mapped[datetime | None]
    # This officer's window was closed and the result settled (at the exam's close, or at the end
    # of their own extended window); the exam is closed for everyone once every one is.
    closed_at: Mapped[datetime | None]
    # Exceptions granted by a supervisor, with the reason.
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    extra_minutes: Mapped[int] = mapped_column(default=0)
    extra_attempts: Mapped[int] = mapped_column(default=0)
    exception_reason: Mapped[str | None] = mapped_column(sa.String(200))
    exception_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    exam: Mapped[Exam] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
    unit: Mapped[Unit] = relationship()


class Attempt(db.Model):
    """One sitting of one paper. `deadline_at` is fixed at start: min(start + duration + extra,
    the officer's close). `seed` rebuilds the same paper. (assignment, number) is unique, so
    replayed starts cannot exceed the attempts allowed."""

    __tablename__ = "attempts"
    __table_args__ = (
        sa.UniqueConstraint("assignment_id", "number"),
        sa.Index("ix_attempts_exam_finished", "exam_id", "finished_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_assignments.id", ondelete="CASCADE"))
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    started_at: Mapped[datetime]
    deadline_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    finish_reason: Mapped[FinishReason | None] = mapped_column(enum_column(FinishReason))
    score: Mapped[float | None]
    max_score: Mapped[int]
    passed: Mapped[bool | None]
    leave_count: Mapped[int] = mapped_column(default=0)  # times the page was left (tab/app switch)
    leave_seconds: Mapped[int] = mapped_column(default=0)

    assignment: Mapped[ExamAssignment] = relationship(foreign_keys=[assignment_id])
    items: Mapped[list["PaperItem"]] = relationship(back_populates="attempt", order_by="PaperItem.position")


class PaperItem(db.Model):
    """One question of one paper, frozen at its version, with the officer's saved answer.
    `option_order[i]` is the original index of the option shown in place i; `response` is
    stored in the original letters. `version` counts saves, so a stale tab is detected."""

    __tablename__ = "paper_items"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id"), index=True)
    question_version_id: Mapped[int] = mapped_column(sa.ForeignKey("question_versions.id"))
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"))
    points: Mapped[int]
    option_order: Mapped[list] = mapped_column(sa.JSON, default=list)
    response: Mapped[dict | list | str | bool | None] = mapped_column(sa.JSON)
    version: Mapped[int] = mapped_column(default=0)
    marked: Mapped[bool] = mapped_column(default=False)  # marked for review by the officer
    answered_at: Mapped[datetime | None]
    correct: Mapped[bool | None]
    score: Mapped[float | None]

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    question_version: Mapped[QuestionVersion] = relationship(lazy="joined", innerjoin=True)


class WrongAnswer(db.Model):
    """A question in an officer's wrong-answer book. It leaves the book (`cleared_at`) after two
    correct practice answers in a row; a new wrong answer puts it back."""

    __tablename__ = "wrong_answers"
    __table_args__ = (sa.UniqueConstraint("user_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id"), index=True)
    exam_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exams.id"))  # where it was last got wrong
    wrong_count: Mapped[int] = mapped_column(default=1)
    correct_streak: Mapped[int] = mapped_column(default=0)
    first_wrong_at: Mapped[datetime]
    last_wrong_at: Mapped[datetime]
    cleared_at: Mapped[datetime | None]

    question: Mapped[Question] = relationship()
