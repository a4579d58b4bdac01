"""Practice answers that never count as a test (每日一练, practice by category, practising the
wrong-answer book, whose entries are quiz.models.WrongAnswer)."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.db import enum_column
from core.extensions import db


class PracticeMode(enum.StrEnum):
    DAILY = "daily"  # 每日一练
    CATEGORY = "category"
    WRONG_BOOK = "wrong_book"


class PracticeAnswer(db.Model):
    """One practice answer. `day` is the local day (daily practice: five questions a day)."""

    __tablename__ = "practice_answers"
    __table_args__ = (sa.Index("ix_practice_answers_user_day", "user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id"))
    question_version_id: Mapped[int] = mapped_column(sa.ForeignKey("question_versions.id"))
    mode: Mapped[PracticeMode] = mapped_column(enum_column(PracticeMode))
    day: Mapped[date]
    response: Mapped[dict | list | str | bool | None] = mapped_column(sa.JSON)
    correct: Mapped[bool]
    answered_at: Mapped[datetime]
