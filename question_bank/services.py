"""Rules for categories and questions. Services flush, never commit; the caller commits once.

`actor` is the acting user or None for the system (CLI, demo). Editing content adds a new
QuestionVersion and never touches an old one.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import SelectPagination

from accounts import audit
from core.errors import Conflict, ValidationFailed
from core.extensions import db
from core.inputs import parse_id
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
    audit.record("bank.category.create", actor=actor, target=category, detail={"name": name, "path": category.path})
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


def duplicates_of(qtype: QuestionType, stem: str, exclude_id: int | None = None) -> list[Question]:
    """Questions of the same type whose stem is the same after folding (answers.dedupe_key)."""
    query = sa.select(Question).where(Question.dedupe_key == answers.dedupe_key(qtype, stem or ""))
    if exclude_id is not None:
        query = query.where(Question.id != exclude_id)
    return list(db.session.scalars(query.order_by(Question.id)))


def ensure_not_duplicate(qtype: QuestionType, stem: str, exclude_id: int | None = None) -> None:
    """Raise Conflict (data: duplicate_id) when another question has the same type and stem.

    The editor calls this before saving unless the author confirms that the question differs
    (generic stems such as 下列说法正确的是 recur with different options)."""
    found = duplicates_of(qtype, stem, exclude_id)
    if found:
        raise Conflict(
            _l("Question #%(id)d already has the same type and text.", id=found[0].id),
            field="stem",
            code="duplicate",
            data={"duplicate_id": found[0].id},
        )


def search_questions(*, text=None, category: Category | None = None, qtype=None, difficulty=None, status="active"):
    """A filtered, ordered SELECT of questions (newest first) for paging; nothing is loaded here.

    text: part of the stem, or '#123' for one id; category: its whole subtree; status: 'active',
    'retired' or 'all'."""
    query = sa.select(Question)
    text = (text or "").strip()
    if text.startswith("#") and text[1:].isascii() and text[1:].isdigit():
        query = query.where(Question.id == (parse_id(text[1:]) or 0))
    elif text:
        needle = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        # Case matters only for letters with case: SQLite's LIKE ignores ASCII case by itself, and a
        # search without such letters (most Chinese ones) may use PostgreSQL's LIKE, ~3x faster than ILIKE.
        caseless = text.lower() == text.upper() or db.session.get_bind().dialect.name == "sqlite"
        query = query.where(
            Question.stem.like(needle, escape="\\") if caseless else Question.stem.ilike(needle, escape="\\")
        )
    if category is not None:
        subtree = sa.select(Category.id).where(Category.path.startswith(category.path))
        query = query.where(Question.category_id.in_(subtree))
    if qtype:
        query = query.where(Question.type == QuestionType(qtype))
    if difficulty:
        query = query.where(Question.difficulty == int(difficulty))
    if status == "active":
        query = query.where(Question.active.is_(True))
    elif status == "retired":
        query = query.where(Question.active.is_(False))
    return query.order_by(Question.id.desc())


def move_questions(actor, questions, category: Category, now) -> int:
    """Move questions to `category`; each moved question gets a new version (the category is part
    of its content), so earlier papers keep the category they were drawn from."""
    if not category.active:
        raise ValidationFailed(_l("This category is retired; choose another."), field="category")
    moved = 0
    for question in questions:
        if question.category_id != category.id:
            edit_question(actor, question, category_id=category.id, now=now)
            moved += 1
    return moved


def set_questions_active(actor, questions, active: bool, now) -> int:
    """Retire or restore several questions; returns how many changed."""
    changed = 0
    for question in questions:
        if question.active != active:
            set_question_active(actor, question, active, now)
            changed += 1
    return changed


def ensure_categories_exist(now) -> None:
    """An empty bank gets the default categories (first import or demo); an existing tree, whose
    admins may have renamed or retired the defaults, is left as it is."""
    if db.session.scalar(sa.select(Category.id).limit(1)) is None:
        ensure_default_categories(now)


class _MatchedIdsPagination(SelectPagination):
    """One scan instead of two: the ids of every match (count and page from one query), then the
    page's rows by id. For text searches, which no index can serve."""

    def _query_items(self):
        ids = self._query_args["ids"][self._query_offset : self._query_offset + self.per_page]
        rows = {q.id: q for q in db.session.scalars(sa.select(Question).where(Question.id.in_(ids)))} if ids else {}
        return [rows[i] for i in ids if i in rows]

    def _query_count(self):
        return len(self._query_args["ids"])


def paginate_questions(query, *, page: int, per_page: int, text_search: bool):
    """A page of a search_questions() query (a Flask-SQLAlchemy Pagination)."""
    if not text_search:
        return db.paginate(query, page=page, per_page=per_page, error_out=False)
    ids = list(db.session.scalars(query.with_only_columns(Question.id)))
    return _MatchedIdsPagination(
        page=page, per_page=per_page, error_out=False, ids=ids, select=query, session=db.session
    )
