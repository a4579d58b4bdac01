"""Saving a question from the editor: the answer as people write it, the fill-in blank rule,
duplicate detection, then services.create_question / edit_question (a new version on change)."""

import re

from flask_babel import lazy_gettext as _l

from accounts import audit
from core.errors import ValidationFailed
from question_bank import answer_input, services
from question_bank.models import Category, Question, QuestionType

TAG_SEPARATORS = re.compile(r"[,，、;；\s]+")


def parse_tags(text) -> list[str]:
    return [t for t in TAG_SEPARATORS.split(str(text or "")) if t][:20]


def save_question(
    actor,
    question: Question | None,
    *,
    category: Category,
    qtype,
    stem: str,
    options: list,
    answer_text: str,
    explanation: str = "",
    difficulty: int = 3,
    source: str = "",
    tags_text: str = "",
    allow_duplicate: bool = False,
    now,
) -> Question:
    """Create (question=None) or change a question from what the author typed.

    Rules: the answer notation of answer_input; a fill-in stem marks as many blanks as the answer
    has; no other question may have the same type and stem unless allow_duplicate (Conflict with
    data duplicate_id otherwise); a retired category takes no new questions. Raises
    ValidationFailed with the offending field."""
    qtype = QuestionType(qtype)
    if not category.active and (question is None or question.category_id != category.id):
        raise ValidationFailed(_l("This category is retired; choose another."), field="category_id")
    if qtype in (QuestionType.TRUE_FALSE, QuestionType.FILL):
        options = []
    answer = answer_input.parse_answer(qtype, answer_text, options)
    if qtype == QuestionType.FILL:
        answer_input.check_fill_stem(stem, answer)
    if not allow_duplicate:
        services.ensure_not_duplicate(qtype, stem, exclude_id=question.id if question is not None else None)
    content = {
        "type": qtype,
        "stem": stem,
        "options": options,
        "answer": answer,
        "explanation": explanation,
        "difficulty": int(difficulty),
        "source": (source or "").strip() or None,
        "tags": parse_tags(tags_text),
    }
    if question is None:
        question = services.create_question(actor, category=category, now=now, **content)
        audit.record("bank.question.create", actor=actor, target=question)
    else:
        before = question.version
        services.edit_question(actor, question, category_id=category.id, now=now, **content)
        if question.version != before:
            audit.record("bank.question.edit", actor=actor, target=question, detail={"version": question.version})
    return question
