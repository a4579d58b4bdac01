"""The demo bank that `flask seed-demo` writes: enough questions of every type in every default
category for the demo weekly test, each with an explanation and a source, all valid."""

import sqlalchemy as sa

from core.extensions import db
from question_bank import answer_input, services
from question_bank.models import Category, Question, QuestionType


def test_seed_demo_builds_the_bank(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "question bank:" in result.output
    db.session.rollback()
    questions = db.session.scalars(sa.select(Question)).all()
    assert len(questions) >= 80
    by_type = {t: [q for q in questions if q.type == t] for t in QuestionType}
    assert len(by_type[QuestionType.SINGLE]) >= 16 and len(by_type[QuestionType.MULTIPLE]) >= 8
    assert len(by_type[QuestionType.TRUE_FALSE]) >= 8 and len(by_type[QuestionType.FILL]) >= 6
    categories = {c.id: c for c in db.session.scalars(sa.select(Category))}
    roots = {c.id: c for c in categories.values() if c.parent_id is None}
    for name in services.DEFAULT_CATEGORIES:
        root = next(c for c in roots.values() if c.name == name)
        inside = [q for q in questions if categories[q.category_id].path.startswith(root.path)]
        assert len(inside) >= 5, name
    assert {q.type for q in questions} == set(QuestionType)
    for question in questions:
        assert question.explanation and question.source and question.author_id is not None, question.stem
        if question.type == QuestionType.FILL:
            answer_input.check_fill_stem(question.stem, question.answer)
    assert len({(q.type, q.dedupe_key) for q in questions}) == len(questions)  # no duplicates
