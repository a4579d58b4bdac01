"""Editing a question adds a version; earlier versions keep what they said."""

import pytest
import sqlalchemy as sa

from core import clock
from core.errors import ValidationFailed
from core.extensions import db
from question_bank import services
from question_bank.models import QuestionType, QuestionVersion
from tests.question_bank.factories import CategoryFactory, QuestionFactory


def test_edit_adds_a_version_and_leaves_the_old_one(app):
    question = QuestionFactory()
    first = services.current_version(question)
    services.edit_question(None, question, stem="改过的题干？", now=clock.now())
    db.session.commit()
    assert question.version == 2
    assert db.session.get(QuestionVersion, first.id).stem.startswith("第")
    assert services.current_version(question).stem == "改过的题干？"


def test_tag_only_change_adds_no_version(app):
    question = QuestionFactory()
    services.edit_question(None, question, tags=["重点"], now=clock.now())
    db.session.commit()
    assert question.version == 1 and question.tags == ["重点"]


@pytest.mark.parametrize(
    "qtype, options, answer",
    [
        (QuestionType.SINGLE, ["a", "b"], "C"),
        (QuestionType.SINGLE, ["a", "b"], "AB"),
        (QuestionType.MULTIPLE, ["a", "b", "c"], ["A"]),
        (QuestionType.TRUE_FALSE, ["a", "b"], True),
        (QuestionType.TRUE_FALSE, [], "对"),
        (QuestionType.FILL, [], []),
        (QuestionType.SINGLE, ["a"], "A"),
    ],
)
def test_answers_must_fit_the_type(app, qtype, options, answer):
    with pytest.raises(ValidationFailed):
        services.create_question(
            None, category=CategoryFactory(), type=qtype, stem="题干", options=options, answer=answer, now=clock.now()
        )


def test_default_categories_are_created_once(app):
    first = services.ensure_default_categories(clock.now())
    second = services.ensure_default_categories(clock.now())
    assert [c.name for c in first] == list(services.DEFAULT_CATEGORIES)
    assert [c.id for c in first] == [c.id for c in second]


def test_edit_after_use_leaves_the_version_a_paper_points_to_intact(app, world, login_as):
    """A paper stores the QuestionVersion it drew. Editing the question in the editor, moving it and
    retiring it change the question, never that version: the paper shows and grades as before."""
    category, other = CategoryFactory(), CategoryFactory()
    question = QuestionFactory(
        category=category,
        stem="政法队伍教育整顿分为几个环节？",
        options=["两个", "三个", "四个"],
        answer="B",
        explanation="学习教育、查纠整改、总结提升。",
    )
    drawn = services.current_version(question)  # what a test paper recorded
    frozen = (drawn.stem, list(drawn.options), drawn.answer, drawn.explanation, drawn.category_id, drawn.number)
    admin = login_as(world["admin"])
    response = admin.post(
        f"/bank/{question.id}/edit",
        data={
            "category_id": str(category.id),
            "type": "multiple",
            "stem": "教育整顿的环节包括（ ）。",
            "option_a": "学习教育",
            "option_b": "查纠整改",
            "option_c": "总结提升",
            "option_d": "招商引资",
            "answer": "ABC",
            "difficulty": "2",
            "explanation": "三个环节。",
            "source": "",
            "tags": "",
        },
    )
    assert response.status_code == 302
    admin.post("/bank/bulk", data={"ids": [str(question.id)], "action": "move", "category_id": str(other.id)})
    admin.post(f"/bank/{question.id}/active", data={"active": "0"})
    db.session.rollback()
    old = db.session.get(QuestionVersion, drawn.id)
    assert (old.stem, list(old.options), old.answer, old.explanation, old.category_id, old.number) == frozen
    assert old.type == QuestionType.SINGLE
    current = db.session.get(type(question), question.id)
    assert current.version == 3 and current.answer == ["A", "B", "C"] and current.active is False
    numbers = db.session.scalars(
        sa.select(QuestionVersion.number)
        .where(QuestionVersion.question_id == question.id)
        .order_by(QuestionVersion.number)
    ).all()
    assert numbers == [1, 2, 3]
    # An officer who answered B on the old paper is still right by the version the paper holds.
    assert old.answer == "B" and current.answer != old.answer
