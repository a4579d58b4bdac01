"""Papers drawn from a frozen blueprint (E18 reproducibility, recent-question avoidance) and the
pure grading rules."""

import pytest

from question_bank.models import QuestionType
from quiz.grading import counted_score, grade_response
from quiz.models import ExamAssignment
from quiz.papers import draw_paper, to_displayed, to_original
from tests.quiz.factories import make_template, publish, small_bank

BLUEPRINT = [
    {"category_id": 1, "type": "single", "count": 3, "points": 5, "pool": [[i, 100 + i, 4] for i in range(1, 11)]},
    {"category_id": 1, "type": "true_false", "count": 2, "points": 5, "pool": [[i, 100 + i, 0] for i in range(11, 15)]},
]


def test_the_same_seed_draws_the_same_paper_and_another_seed_a_different_one():
    first = draw_paper(BLUEPRINT, seed=42)
    assert first == draw_paper(BLUEPRINT, seed=42)
    assert [i.position for i in first] == [1, 2, 3, 4, 5]
    assert len({i.question_id for i in first}) == 5
    others = [draw_paper(BLUEPRINT, seed=s) for s in range(1, 6)]
    assert any([i.question_id for i in o] != [i.question_id for i in first] for o in others)
    assert any(i.option_order != (0, 1, 2, 3) for o in others for i in o if i.option_order)


def test_recent_questions_are_avoided_while_the_pool_allows_and_reused_only_when_it_does_not():
    recent = {1, 2, 3, 4, 5, 6, 7}
    for seed in range(20):
        singles = [i.question_id for i in draw_paper(BLUEPRINT, seed, recent) if i.question_id <= 10]
        assert set(singles) == {8, 9, 10}
    recent = set(range(1, 10))  # only 10 is fresh: it is taken, and two recent ones fill the row
    singles = [i.question_id for i in draw_paper(BLUEPRINT, 3, recent) if i.question_id <= 10]
    assert 10 in singles and len(singles) == 3


def test_unshuffled_papers_keep_blueprint_and_option_order():
    paper = draw_paper(BLUEPRINT, 7, shuffle_questions=False, shuffle_options=False)
    assert [i.question_id <= 10 for i in paper] == [True, True, True, False, False]
    assert all(i.option_order in ((0, 1, 2, 3), ()) for i in paper)


def test_displayed_letters_map_to_original_letters_and_back():
    order = (2, 0, 3, 1)  # place A shows original C, B shows A, C shows D, D shows B
    assert to_original(order, "B") == "A"
    assert to_original(order, ["A", "D"]) == ["B", "C"]
    assert to_displayed(order, "A") == "B"
    assert to_displayed(order, ["B", "C"]) == ["A", "D"]


@pytest.mark.parametrize(
    ("qtype", "answer", "response", "partial", "expected"),
    [
        (QuestionType.SINGLE, "B", "B", False, (True, 10.0)),
        (QuestionType.SINGLE, "B", "C", False, (False, 0.0)),
        (QuestionType.SINGLE, "B", None, False, (False, 0.0)),
        (QuestionType.TRUE_FALSE, False, False, False, (True, 10.0)),
        (QuestionType.TRUE_FALSE, False, 0, False, (False, 0.0)),
        (QuestionType.MULTIPLE, ["A", "C"], ["C", "A"], False, (True, 10.0)),
        (QuestionType.MULTIPLE, ["A", "C"], ["A"], False, (False, 0.0)),
        (QuestionType.MULTIPLE, ["A", "C", "D"], ["A"], True, (False, 3.33)),
        (QuestionType.MULTIPLE, ["A", "C"], ["A", "B"], True, (False, 0.0)),
        (QuestionType.FILL, [["党", "中国共产党"], ["人民"]], [" 中国共产党 ", "人民"], False, (True, 10.0)),
        (QuestionType.FILL, [["ABC"], ["人民"]], ["ａｂｃ", "人民"], False, (True, 10.0)),
        (QuestionType.FILL, [["党"], ["人民"]], ["党", "群众"], False, (False, 0.0)),
        (QuestionType.FILL, [["党"], ["人民"]], ["党", "群众"], True, (False, 5.0)),
    ],
)
def test_grading_rules(qtype, answer, response, partial, expected):
    assert grade_response(qtype, answer, response, 10, partial) == expected


def test_the_counted_score_follows_the_policy():
    assert counted_score([40.0, 80.0, 60.0], "highest") == 80.0
    assert counted_score([40.0, 80.0, 60.0], "first") == 40.0
    assert counted_score([40.0, 80.0, None], "last") == 80.0
    assert counted_score([None], "highest") is None


def test_publishing_freezes_the_pools_and_assigns_the_active_officers_of_the_scope(world, frozen_clock):
    category, _ = small_bank()
    template = make_template(world["east"], category)
    exam = publish(template)
    assert exam.total_points == 100 and exam.pass_mark == 60
    assert [len(row["pool"]) for row in exam.blueprint] == [3, 3, 3, 3]
    assigned = {a.user_id: a.unit_id for a in ExamAssignment.query.filter_by(exam_id=exam.id)}
    assert assigned == {
        world["east_officer"].id: world["east_station"].id,
        world["east_officer2"].id: world["east_court"].id,
    }


def test_publishing_names_the_row_the_bank_cannot_fill(world, frozen_clock):
    from core.errors import ValidationFailed

    category, _ = small_bank(per_type=1)
    template = make_template(world["east"], category, rules=[(QuestionType.SINGLE, 1, 10), (QuestionType.FILL, 2, 10)])
    with pytest.raises(ValidationFailed) as failure:
        publish(template)
    assert "Row 2" in str(failure.value.message) or "第2行" in str(failure.value.message)
