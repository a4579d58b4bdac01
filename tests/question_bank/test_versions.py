"""Editing a question adds a version; earlier versions keep what they said."""

import pytest

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
