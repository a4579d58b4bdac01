"""Papers drawn ahead of the start (quiz.prepared): one per officer assigned to an exam, drawn
when the exam is published so that pressing start only copies it into an attempt."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db


class PreparedPaper(db.Model):
    """An officer's first paper of an exam, drawn in advance with the seed and the recent
    questions a start would use. `after_attempt_id` is the officer's latest attempt when it was
    drawn (0: none): a start that finds a later one draws afresh, since the questions to avoid
    have changed. `paper` is the items as the page shows them, ready to send: stems, options in
    the paper's order, blanks and points, never an answer or an explanation."""

    __tablename__ = "prepared_papers"
    __table_args__ = (sa.UniqueConstraint("exam_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    after_attempt_id: Mapped[int] = mapped_column(default=0)
    paper: Mapped[str] = mapped_column(sa.Text)  # JSON list, one object per position
    created_at: Mapped[datetime]


class PreparedItem(db.Model):
    """One question of a prepared paper: the row a start copies into paper_items."""

    __tablename__ = "prepared_items"
    __table_args__ = (sa.UniqueConstraint("paper_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(sa.ForeignKey("prepared_papers.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id"))
    question_version_id: Mapped[int] = mapped_column(sa.ForeignKey("question_versions.id"))
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"))
    points: Mapped[int]
    option_order: Mapped[list] = mapped_column(sa.JSON, default=list)
