"""Categories (a tree), questions, and the frozen versions that test papers point to."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import enum_column
from core.extensions import db


class QuestionType(enum.StrEnum):
    SINGLE = "single"  # 单选
    MULTIPLE = "multiple"  # 多选
    TRUE_FALSE = "true_false"  # 判断
    FILL = "fill"  # 填空

    @property
    def label(self):
        return QUESTION_TYPE_LABELS[self]


QUESTION_TYPE_LABELS = {
    QuestionType.SINGLE: _l("Single choice"),
    QuestionType.MULTIPLE: _l("Multiple choice"),
    QuestionType.TRUE_FALSE: _l("True or false"),
    QuestionType.FILL: _l("Fill in the blank"),
}


class Category(db.Model):
    """A node of the category tree; `path` is the materialised path of ids ('/3/7/')."""

    __tablename__ = "categories"
    __table_args__ = (sa.Index("ix_categories_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("categories.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(400), default="")
    depth: Mapped[int] = mapped_column(default=0)
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]

    parent: Mapped["Category | None"] = relationship(remote_side=[id])

    def contains(self, other: "Category") -> bool:
        return other.path.startswith(self.path)

    def __repr__(self):
        return f"<Category {self.id} {self.name}>"


class Question(db.Model):
    """A question as it reads now. Every content change adds a QuestionVersion; papers and
    answers point to versions, so an edit never changes what an earlier paper showed or how it
    was graded. `version` is the number of the current version."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"), index=True)
    type: Mapped[QuestionType] = mapped_column(enum_column(QuestionType), index=True)
    stem: Mapped[str] = mapped_column(sa.Text)
    options: Mapped[list] = mapped_column(sa.JSON, default=list)  # option texts, A first; [] for 判断/填空
    answer: Mapped[dict | list | str | bool] = mapped_column(sa.JSON)  # canonical form: question_bank.answers
    explanation: Mapped[str | None] = mapped_column(sa.Text)
    difficulty: Mapped[int] = mapped_column(default=3)  # 1 (easy) .. 5 (hard)
    source: Mapped[str | None] = mapped_column(sa.String(200))
    tags: Mapped[list] = mapped_column(sa.JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True, index=True)  # False: retired
    # sha256 of type and normalised stem: duplicate detection on save and import.
    dedupe_key: Mapped[str] = mapped_column(sa.String(64), index=True)
    version: Mapped[int] = mapped_column(default=1)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    category: Mapped[Category] = relationship()

    def __repr__(self):
        return f"<Question {self.id} v{self.version}>"


class QuestionVersion(db.Model):
    """A frozen copy of a question's content. Never updated after it is written."""

    __tablename__ = "question_versions"
    __table_args__ = (sa.UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id"), index=True)
    number: Mapped[int]
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"))
    type: Mapped[QuestionType] = mapped_column(enum_column(QuestionType))
    stem: Mapped[str] = mapped_column(sa.Text)
    options: Mapped[list] = mapped_column(sa.JSON, default=list)
    answer: Mapped[dict | list | str | bool] = mapped_column(sa.JSON)
    explanation: Mapped[str | None] = mapped_column(sa.Text)
    difficulty: Mapped[int] = mapped_column(default=3)
    source: Mapped[str | None] = mapped_column(sa.String(200))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime]

    question: Mapped[Question] = relationship()


class ImportProfile(db.Model):
    """A named way of reading another system's question files: which column is which field and
    what its codes mean (question_bank.import_mapping.Mapping, stored as JSON). Chosen on the
    import page or with `flask import-questions --profile NAME`."""

    __tablename__ = "import_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    mapping: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    def __repr__(self):
        return f"<ImportProfile {self.name}>"
