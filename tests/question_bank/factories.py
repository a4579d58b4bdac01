"""Factories for categories and questions, built through question_bank.services."""

import factory

from core import clock
from question_bank import services
from question_bank.models import Category, Question, QuestionType
from tests.factories import ServiceFactory


class CategoryFactory(ServiceFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"测试分类{n}")
    parent = None

    @classmethod
    def _build_object(cls, **kwargs):
        return services.create_category(None, now=clock.now(), **kwargs)


class QuestionFactory(ServiceFactory):
    """A single-choice question by default; pass type/options/answer for others."""

    class Meta:
        model = Question

    category = factory.SubFactory(CategoryFactory)
    type = QuestionType.SINGLE
    stem = factory.Sequence(lambda n: f"第{n}题：政法队伍教育整顿的四项任务不包括哪一项？")
    options = factory.LazyFunction(lambda: ["筑牢政治忠诚", "清除害群之马", "整治顽瘴痼疾", "招商引资"])
    answer = "D"
    explanation = "四项任务：筑牢政治忠诚、清除害群之马、整治顽瘴痼疾、弘扬英模精神。"
    difficulty = 3
    source = "应知应会手册 第一章"

    @classmethod
    def _build_object(cls, **kwargs):
        return services.create_question(None, now=clock.now(), **kwargs)
