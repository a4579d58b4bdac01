"""One exam's report: score distribution, results by unit, the people who failed or were absent
with their retake status, and per-question statistics (facility, discrimination, the most chosen
wrong answer). Limited to the assignments in the viewer's unit subtree."""

import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from accounts.models import Role, Unit, User
from accounts.units import in_tree_order
from core.extensions import db
from question_bank.models import Question
from quiz.models import AssignmentStatus, Attempt, Exam, ExamAssignment, PaperItem
from reports.summaries import TOOK, _count_if

BUCKETS = 10  # score distribution in tenths of the paper's points
GROUP_SHARE = 0.27  # top and bottom 27 % for the discrimination index (Kelley)


@dataclass
class UnitResult:
    unit: Unit
    assigned: int
    took: int
    passed_first: int
    passed_after: int
    failed: int
    absent: int
    outstanding: int
    average_score: float | None

    @property
    def participation(self):
        return self.took / self.assigned if self.assigned else None

    @property
    def pass_rate_first(self):
        return self.passed_first / self.assigned if self.assigned else None

    @property
    def pass_rate_after(self):
        return self.passed_after / self.assigned if self.assigned else None


@dataclass
class QuestionStat:
    question_id: int
    stem: str
    answered: int
    facility: float | None  # share answered correctly
    discrimination: float | None  # facility in the top group minus facility in the bottom group
    wrong_answer: str | None  # the most chosen wrong response, as the officer gave it
    wrong_count: int


def _scope(query, viewer: User | None):
    """Only assignments from units in the viewer's subtree (admins and the system: all)."""
    if viewer is None or viewer.role == Role.ADMIN:
        return query
    subtree = sa.select(Unit.id).where(Unit.path.startswith(viewer.unit.path))
    return query.where(ExamAssignment.unit_id.in_(subtree))


def visible_to(exam: Exam, viewer: User) -> bool:
    """A supervisor sees an exam set in their subtree or one their own unit sat."""
    if viewer.role == Role.ADMIN:
        return True
    if viewer.role != Role.SUPERVISOR:
        return False
    if exam.scope_unit.path.startswith(viewer.unit.path):
        return True
    return viewer.unit.path.startswith(exam.scope_unit.path)


def unit_results(exam: Exam, viewer) -> list[UnitResult]:
    a = ExamAssignment
    total = exam.total_points or 1
    query = _scope(
        sa.select(
            a.unit_id,
            sa.func.count(),
            _count_if(a.status.in_(TOOK)),
            _count_if(a.passed.is_(True)),
            _count_if(sa.or_(a.passed.is_(True), a.cleared_at.is_not(None))),
            _count_if(a.status == AssignmentStatus.FAILED),
            _count_if(a.status == AssignmentStatus.ABSENT),
            _count_if(sa.and_(a.flagged.is_(True), a.cleared_at.is_(None))),
            sa.func.avg(a.score),
        )
        .where(a.exam_id == exam.id)
        .group_by(a.unit_id),
        viewer,
    )
    rows = {r[0]: r for r in db.session.execute(query)}
    units = in_tree_order(db.session.scalars(sa.select(Unit).where(Unit.id.in_(rows))).all()) if rows else []
    return [
        UnitResult(
            u,
            *[int(v) for v in rows[u.id][1:8]],
            None if rows[u.id][8] is None else round(float(rows[u.id][8]) * 100 / total, 1),
        )
        for u in units
    ]


def distribution(exam: Exam, viewer) -> list[tuple[str, int]]:
    """[('0–9%', n), …, ('90–100%', n)] of the scores given."""
    a = ExamAssignment
    total = exam.total_points or 1
    bucket = sa.func.floor(a.score * BUCKETS / total)
    query = _scope(sa.select(bucket, sa.func.count()).where(a.exam_id == exam.id, a.score.is_not(None)), viewer)
    counts = [0] * BUCKETS
    for value, count in db.session.execute(query.group_by(bucket)):
        counts[min(BUCKETS - 1, max(0, int(value)))] += count
    step = 100 // BUCKETS
    labels = [f"{i * step}–{i * step + step - 1}%" for i in range(BUCKETS - 1)] + [f"{100 - step}–100%"]
    return list(zip(labels, counts, strict=True))


def exceptions(exam: Exam, viewer, limit=500) -> list[ExamAssignment]:
    """Who failed or was absent (round 0), with retake status, in tree then name order."""
    a = ExamAssignment
    query = _scope(
        sa.select(a)
        .options(joinedload(a.unit))
        .join(Unit, Unit.id == a.unit_id)
        .where(a.exam_id == exam.id, a.status.in_((AssignmentStatus.FAILED, AssignmentStatus.ABSENT)))
        .order_by(Unit.path, a.status, a.user_id)
        .limit(limit),
        viewer,
    )
    return db.session.scalars(query).unique().all()


def retake_status(assignment: ExamAssignment):
    from flask_babel import gettext as _

    if assignment.cleared_at:
        return _("Passed the retake")
    if assignment.escalated:
        return _("Failed the retake")
    if assignment.flagged:
        return _("Retake outstanding")
    return ""


def question_stats(exam: Exam, viewer) -> list[QuestionStat]:
    """Per question, over the counted attempts: facility, discrimination, most chosen wrong answer."""
    a, t, p = ExamAssignment, Attempt, PaperItem
    counted = _scope(
        sa.select(t.id.label("attempt_id"), t.score.label("score"))
        .join(a, a.counted_attempt_id == t.id)
        .where(a.exam_id == exam.id, t.score.is_not(None)),
        viewer,
    ).subquery()
    scores = sorted(db.session.scalars(sa.select(counted.c.score)))
    if not scores:
        return []
    group = max(1, int(len(scores) * GROUP_SHARE))
    low_cut, high_cut = scores[group - 1], scores[-group]
    correct = p.correct.is_(True)
    top = counted.c.score >= high_cut
    bottom = counted.c.score <= low_cut
    rows = db.session.execute(
        sa.select(
            p.question_id,
            sa.func.count(),
            _count_if(correct),
            _count_if(top),
            _count_if(sa.and_(top, correct)),
            _count_if(bottom),
            _count_if(sa.and_(bottom, correct)),
        )
        .join(counted, counted.c.attempt_id == p.attempt_id)
        .group_by(p.question_id)
    ).all()
    response = sa.cast(p.response, sa.Text)
    wrong = {}
    for question_id, answer, count in db.session.execute(
        sa.select(p.question_id, response, sa.func.count())
        .join(counted, counted.c.attempt_id == p.attempt_id)
        .where(p.correct.is_(False), p.response.is_not(None))
        .group_by(p.question_id, response)
    ):
        if count > wrong.get(question_id, (None, 0))[1]:
            wrong[question_id] = (answer, count)
    stems = dict(
        db.session.execute(sa.select(Question.id, Question.stem).where(Question.id.in_([r[0] for r in rows]))).all()
    )
    stats = []
    for qid, answered, right, n_top, right_top, n_bottom, right_bottom in rows:
        discrimination = None
        if n_top and n_bottom:
            discrimination = round(right_top / n_top - right_bottom / n_bottom, 2)
        answer, count = wrong.get(qid, (None, 0))
        stats.append(
            QuestionStat(
                qid,
                stems.get(qid, ""),
                answered,
                round(right / answered, 3) if answered else None,
                discrimination,
                _readable(answer),
                count,
            )
        )
    stats.sort(key=lambda s: (s.facility if s.facility is not None else 2, s.question_id))
    return stats


def _readable(raw):
    """A stored response ('"B"', '["A", "C"]', 'true') as the letters or text an officer gave."""
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return str(raw)
    if isinstance(value, list):
        return "".join(str(v) for v in value) if all(len(str(v)) == 1 for v in value) else "、".join(map(str, value))
    if isinstance(value, bool):
        return "√" if value else "×"
    return str(value)
