"""Scoring one answer against its frozen question version. Pure: no database, no clock.

Responses are in the question's original letters (quiz.papers maps the displayed ones back):
single "B"; multiple ["A", "C"] (sorted); true/false true/false; fill ["text", …] one per blank.
"""

from question_bank.answers import fold_text
from question_bank.models import QuestionType


def grade_response(qtype: QuestionType, answer, response, points: int, partial_credit: bool = False):
    """(correct, score) for one response. Multiple choice is all-or-nothing unless
    `partial_credit`: then a response with no wrong letter earns its share of the points.
    Fill-in compares each blank after trimming, width and case folding against the accepted
    alternatives; with `partial_credit` each right blank earns its share."""
    if response is None:
        return False, 0.0
    if qtype == QuestionType.SINGLE:
        correct = isinstance(response, str) and response == answer
        return correct, float(points) if correct else 0.0
    if qtype == QuestionType.TRUE_FALSE:
        correct = isinstance(response, bool) and response is answer
        return correct, float(points) if correct else 0.0
    if qtype == QuestionType.MULTIPLE:
        chosen = set(response) if isinstance(response, list) else set()
        expected = set(answer)
        if chosen == expected:
            return True, float(points)
        if partial_credit and chosen and chosen < expected:
            return False, round(points * len(chosen) / len(expected), 2)
        return False, 0.0
    if qtype == QuestionType.FILL:
        given = response if isinstance(response, list) else []
        right = sum(
            1
            for index, alternatives in enumerate(answer)
            if index < len(given) and fold_text(given[index]) in {fold_text(alt) for alt in alternatives}
        )
        if right == len(answer):
            return True, float(points)
        if partial_credit and right:
            return False, round(points * right / len(answer), 2)
        return False, 0.0
    raise ValueError(f"unknown question type {qtype!r}")


def counted_score(scores: list[float | None], policy: str) -> float | None:
    """The score that counts among finished attempts in order taken: highest, first or last."""
    finished = [s for s in scores if s is not None]
    if not finished:
        return None
    if policy == "first":
        return finished[0]
    if policy == "last":
        return finished[-1]
    return max(finished)
