"""Rules for categories and questions. Services flush, never commit; the caller commits once.

`actor` is the acting user or None for the system (CLI, demo). Editing content adds a new
QuestionVersion and never touches an old one.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import Conflict, ValidationFailed
from core.extensions import db
from question_bank import answers
from question_bank.models import Category, Question, QuestionType, QuestionVersion

DEFAULT_CATEGORIES = ("政治教育", "党史教育", "警示教育", "英模教育", "习近平法治思想", "党纪党规", "业务知识")
CONTENT_FIELDS = ("category_id", "type", "stem", "options", "answer", "explanation", "difficulty", "source")


def create_category(actor, *, name: str, parent: Category | None = None, now, sort_order: int = 0) -> Category:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_l("The category needs a name."), field="name")
    query = sa.select(Category.id).where(Category.name == name)
    query = query.where(Category.parent_id == parent.id) if parent else query.where(Category.parent_id.is_(None))
    if db.session.scalar(query.limit(1)) is not None:
        raise Conflict(_l("A category with this name already exists here."), field="name")
    category = Category(name=name, parent=parent, created_at=now, sort_order=sort_order, active=True)
    db.session.add(category)
    db.session.flush()
    category.path = f"{parent.path if parent else '/'}{category.id}/"
    category.depth = parent.depth + 1 if parent else 0
    return category


def ensure_default_categories(now) -> list[Category]:
    """The seven default top-level categories, created if missing (idempotent)."""
    existing = {c.name: c for c in db.session.scalars(sa.select(Category).where(Category.parent_id.is_(None)))}
    result = []
    for order, name in enumerate(DEFAULT_CATEGORIES):
        category = existing.get(name) or create_category(None, name=name, now=now, sort_order=order)
        result.append(category)
    return result


def _snapshot(question: Question, actor, now) -> QuestionVersion:
    version = QuestionVersion(
        question_id=question.id,
        number=question.version,
        category_id=question.category_id,
        type=question.type,
        stem=question.stem,
        options=list(question.options),
        answer=question.answer,
        explanation=question.explanation,
        difficulty=question.difficulty,
        source=question.source,
        author_id=actor.id if actor is not None else None,
        created_at=now,
    )
    db.session.add(version)
    return version


def _clean(qtype, stem, options, answer, difficulty):
    stem = (stem or "").strip()
    options = [str(o).strip() for o in (options or [])]
    answers.validate(qtype, stem, options, answer)
    if not 1 <= int(difficulty) <= 5:
        raise ValidationFailed(_l("Difficulty is from 1 to 5."), field="difficulty")
    return stem, options


def create_question(
    actor,
    *,
    category: Category,
    type: QuestionType,
    stem: str,
    options=(),
    answer,
    explanation=None,
    difficulty: int = 3,
    source=None,
    tags=(),
    now,
) -> Question:
    """Add a question (and its version 1). `answer` is in canonical form (question_bank.answers)."""
    stem, options = _clean(type, stem, options, answer, difficulty)
    question = Question(
        category_id=category.id,
        type=type,
        stem=stem,
        options=options,
        answer=answer,
        explanation=(explanation or "").strip() or None,
        difficulty=int(difficulty),
        source=source or None,
        tags=list(tags),
        active=True,
        dedupe_key=answers.dedupe_key(type, stem),
        version=1,
        author_id=actor.id if actor is not None else None,
        created_at=now,
        updated_at=now,
    )
    db.session.add(question)
    db.session.flush()
    _snapshot(question, actor, now)
    return question


def edit_question(actor, question: Question, *, now, **changes) -> Question:
    """Change a question. A content change adds version n+1; earlier versions stay as they were."""
    merged = {field: changes.get(field, getattr(question, field)) for field in CONTENT_FIELDS}
    merged["stem"], merged["options"] = _clean(
        merged["type"], merged["stem"], merged["options"], merged["answer"], merged["difficulty"]
    )
    if "explanation" in changes:
        merged["explanation"] = (changes["explanation"] or "").strip() or None
    content_changed = any(merged[field] != getattr(question, field) for field in CONTENT_FIELDS)
    for field, value in merged.items():
        setattr(question, field, value)
    if "tags" in changes:
        question.tags = list(changes["tags"])
    question.dedupe_key = answers.dedupe_key(question.type, question.stem)
    question.updated_at = now
    if content_changed:
        question.version += 1
        db.session.flush()
        _snapshot(question, actor, now)
    return question


def set_question_active(actor, question: Question, active: bool, now) -> Question:
    """Retire (active=False) or restore a question. Retired questions are drawn into no new paper."""
    question.active = active
    question.updated_at = now
    return question


def current_version(question: Question) -> QuestionVersion:
    return db.session.scalar(
        sa.select(QuestionVersion).where(
            QuestionVersion.question_id == question.id, QuestionVersion.number == question.version
        )
    )
