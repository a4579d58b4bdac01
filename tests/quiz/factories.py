"""Quiz test data: a small bank of every question type, templates and published exams, built
through the services the app uses."""

from datetime import timedelta

from core import clock
from core.extensions import db
from question_bank.models import QuestionType
from quiz.models import ExamKind, ExamTemplate, PaperRule
from quiz.publishing import publish_exam
from tests.question_bank.factories import CategoryFactory, QuestionFactory


def small_bank(per_type: int = 3, category=None):
    """`per_type` questions of each type in one category: single (answer A of four), multiple
    (A and C), true/false (true) and fill-in (two blanks). Returns (category, questions by type)."""
    category = category or CategoryFactory(name="应知应会测试")
    questions = {QuestionType.SINGLE: [], QuestionType.MULTIPLE: [], QuestionType.TRUE_FALSE: [], QuestionType.FILL: []}
    for n in range(per_type):
        questions[QuestionType.SINGLE].append(
            QuestionFactory(
                category=category,
                stem=f"单选题{n}：政法队伍的根本政治属性是什么？",
                options=[f"对党忠诚{n}", f"选项乙{n}", f"选项丙{n}", f"选项丁{n}"],
                answer="A",
            )
        )
        questions[QuestionType.MULTIPLE].append(
            QuestionFactory(
                category=category,
                type=QuestionType.MULTIPLE,
                stem=f"多选题{n}：下列哪些属于四项任务？",
                options=[f"筑牢政治忠诚{n}", f"招商引资{n}", f"清除害群之马{n}", f"经营创收{n}"],
                answer=["A", "C"],
            )
        )
        questions[QuestionType.TRUE_FALSE].append(
            QuestionFactory(
                category=category,
                type=QuestionType.TRUE_FALSE,
                stem=f"判断题{n}：政法干警必须对党忠诚。",
                options=[],
                answer=True,
            )
        )
        questions[QuestionType.FILL].append(
            QuestionFactory(
                category=category,
                type=QuestionType.FILL,
                stem=f"填空题{n}：坚持____的绝对领导，坚持以____为中心。",
                options=[],
                answer=[["党", "中国共产党"], ["人民"]],
            )
        )
    return category, questions


def make_template(scope_unit, category, *, rules=None, kind=ExamKind.WEEKLY, **fields) -> ExamTemplate:
    """A template over `category`: by default 2 single, 1 multiple, 1 true/false, 1 fill-in,
    20 points each (100 in all), pass mark 60, 30 minutes, one attempt."""
    rules = rules or [
        (QuestionType.SINGLE, 2, 20),
        (QuestionType.MULTIPLE, 1, 20),
        (QuestionType.TRUE_FALSE, 1, 20),
        (QuestionType.FILL, 1, 20),
    ]
    now = clock.now()
    template = ExamTemplate(
        title=fields.pop("title", "第一周应知应会周测"),
        kind=kind,
        scope_unit_id=scope_unit.id,
        created_at=now,
        updated_at=now,
        **fields,
    )
    template.rules = [
        PaperRule(position=i, category_id=category.id, type=qtype, count=count, points=points)
        for i, (qtype, count, points) in enumerate(rules)
    ]
    db.session.add(template)
    db.session.commit()
    return template


def publish(template, *, opens_in=timedelta(0), open_for=timedelta(days=2), actor=None, **kwargs):
    """Publish `template` now (the frozen clock's now), open at once for two days by default."""
    now = clock.now()
    exam = publish_exam(
        actor, template, opens_at=now + opens_in, closes_at=now + opens_in + open_for, now=now, **kwargs
    )
    db.session.commit()
    return exam


def sit_paper(exam, user, *, number=1, started_at=None):
    """An attempt with its paper items for `user`, made directly from the frozen blueprint (for
    tests of what happens after a start; the start itself is tested through the API)."""
    from quiz.models import Attempt, ExamAssignment, PaperItem
    from quiz.papers import draw_paper

    assignment = ExamAssignment.query.filter_by(exam_id=exam.id, user_id=user.id).one()
    started_at = started_at or clock.now()
    attempt = Attempt(
        assignment_id=assignment.id,
        exam_id=exam.id,
        user_id=user.id,
        number=number,
        seed=1000 * exam.id + user.id + number,
        started_at=started_at,
        deadline_at=min(started_at + timedelta(minutes=exam.duration_minutes), exam.closes_at),
        max_score=exam.total_points,
    )
    db.session.add(attempt)
    db.session.flush()
    for drawn in draw_paper(exam.blueprint, attempt.seed):
        db.session.add(
            PaperItem(
                attempt_id=attempt.id,
                position=drawn.position,
                question_id=drawn.question_id,
                question_version_id=drawn.version_id,
                category_id=drawn.category_id,
                points=drawn.points,
                option_order=list(drawn.option_order),
            )
        )
    db.session.commit()
    return attempt
