"""Practice that never counts as a test: the wrong-answer book (错题本) and practice answers
(每日一练, practice by category, practising the book)."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from question_bank.models import Question


class PracticeMode(enum.StrEnum):
    DAILY = "daily"  # 每日一练
    CATEGORY = "category"
    WRONG_BOOK = "wrong_book"


def _enum(enum_class):
    return sa.Enum(enum_class, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


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


class PracticeAnswer(db.Model):
    """One practice answer. `day` is the local day (daily practice: five questions a day)."""

    __tablename__ = "practice_answers"
    __table_args__ = (sa.Index("ix_practice_answers_user_day", "user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id"))
    question_version_id: Mapped[int] = mapped_column(sa.ForeignKey("question_versions.id"))
    mode: Mapped[PracticeMode] = mapped_column(_enum(PracticeMode))
    day: Mapped[date]
    response: Mapped[dict | list | str | bool | None] = mapped_column(sa.JSON)
    correct: Mapped[bool]
    answered_at: Mapped[datetime]
