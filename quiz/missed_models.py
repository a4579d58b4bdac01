"""Periods of recurring templates that the scheduler did not publish on time (quiz.missed)."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import enum_column
from core.extensions import db
from quiz.models import ExamTemplate, LabelledEnum


class MissedReason(LabelledEnum):
    WINDOW_PASSED = "window_passed"  # the whole window passed while nothing ran
    TOO_LITTLE_TIME = "too_little_time"  # found so late that too little of the window was left


MissedReason.LABELS = {
    MissedReason.WINDOW_PASSED: _l("Its window passed while the scheduler was not running"),
    MissedReason.TOO_LITTLE_TIME: _l("Too little of its window was left when the scheduler found it"),
}


class MissedPeriod(db.Model):
    """A period of a recurring template that the scheduler did not publish on time. Nobody is
    assigned or marked absent for it; an admin publishes it with a new window (`exam_id`) or
    lets it go (`dismissed`). One per (template, period), like the exam it stands for."""

    __tablename__ = "missed_periods"
    __table_args__ = (sa.UniqueConstraint("template_id", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_templates.id"), index=True)
    period_key: Mapped[str] = mapped_column(sa.String(20))
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    reason: Mapped[MissedReason] = mapped_column(enum_column(MissedReason))
    found_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    exam_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exams.id"))
    dismissed: Mapped[bool] = mapped_column(default=False)

    template: Mapped[ExamTemplate] = relationship(lazy="joined", innerjoin=True)
