"""Make-up study (补课) assigned to an officer who failed or missed a test (study.makeup)."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import enum_column
from core.extensions import db
from quiz.models import Exam, ExamAssignment


class MakeupItemKind(enum.StrEnum):
    QUESTION = "question"  # a question got wrong: answered right once in practice
    READING = "reading"  # a reading of a weak category: studied again


class Makeup(db.Model):
    """The make-up study of one flagged assignment (one officer, one round of one test): the
    items to do and the study minutes to put in since (`minutes_required`). `done_at` is set
    once when all of it is done; quiz reads it as ExamAssignment.makeup_done_at."""

    __tablename__ = "makeups"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_assignments.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id", ondelete="CASCADE"))
    minutes_required: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None] = mapped_column(index=True)

    exam: Mapped[Exam] = relationship(lazy="joined", innerjoin=True)
    assignment: Mapped[ExamAssignment] = relationship()
    items: Mapped[list["MakeupItem"]] = relationship(
        back_populates="makeup", order_by="MakeupItem.id", cascade="all, delete-orphan"
    )


class MakeupItem(db.Model):
    """One thing to do: a question (`ref_id` a question id) or a reading (a reading id)."""

    __tablename__ = "makeup_items"
    __table_args__ = (sa.UniqueConstraint("makeup_id", "kind", "ref_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    makeup_id: Mapped[int] = mapped_column(sa.ForeignKey("makeups.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MakeupItemKind] = mapped_column(enum_column(MakeupItemKind))
    ref_id: Mapped[int]
    done_at: Mapped[datetime | None]

    makeup: Mapped[Makeup] = relationship(back_populates="items")
