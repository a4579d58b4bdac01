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
from question_bank.models import QuestionVersion
from quiz.models import AssignmentStatus, Attempt, Exam, ExamAssignment, PaperItem
from reports.models import ExamUnitSummary
from reports.summaries import EXAM_FIGURES, exam_unit_values

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
    """Results by unit (at publish) in the viewer's part: the summary rows of a round-0 exam (the
    same figures as the board, the JSON and the bulletin), computed the same way for a retake."""
    if exam.retake_round:
        values = exam_unit_values(exam)
    else:
        values = {
            row.unit_id: {name: getattr(row, name) for name in (*EXAM_FIGURES, "score_sum")}
            for row in db.session.scalars(sa.select(ExamUnitSummary).where(ExamUnitSummary.exam_id == exam.id))
        }
    if viewer is not None and viewer.role != Role.ADMIN:
        inside = set(db.session.scalars(sa.select(Unit.id).where(Unit.path.startswith(viewer.unit.path))))
        values = {unit_id: v for unit_id, v in values.items() if unit_id in inside}
    values = {unit_id: v for unit_id, v in values.items() if v["assigned"]}
    units = in_tree_order(db.session.scalars(sa.select(Unit).where(Unit.id.in_(values))).all()) if values else []
    total = exam.total_points or 1
    results = []
    for unit in units:
        v = values[unit.id]
        average = round(v["score_sum"] / v["scored"] * 100 / total, 1) if v["scored"] else None
        results.append(
            UnitResult(
                unit,
                *[v[name] for name in ("assigned", "took", "passed_first", "passed_after", "failed", "absent")],
                v["outstanding"],
                average,
            )
        )
    return results


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
    # One pass over the papers: counts per (question, band, correct, response); the few hundred
    # groups are folded into the statistics here.
    band = sa.case((counted.c.score >= high_cut, 2), (counted.c.score <= low_cut, 0), else_=1)
    response = sa.cast(p.response, sa.Text)
    # By the question version on the papers: an edit mid-exam makes a second row, each with the
    # text and key its papers were graded against.
    groups = db.session.execute(
        sa.select(p.question_version_id, band, p.correct, response, sa.func.count())
        .join(counted, counted.c.attempt_id == p.attempt_id)
        .group_by(p.question_version_id, band, p.correct, response)
    ).all()
    tallies: dict[int, dict] = {}
    for version_id, level, right, answer, count in groups:
        t_ = tallies.setdefault(
            version_id, {"n": 0, "right": 0, "top": 0, "top_right": 0, "bottom": 0, "bottom_right": 0, "wrong": {}}
        )
        t_["n"] += count
        t_["right"] += count if right else 0
        if level == 2:
            t_["top"] += count
            t_["top_right"] += count if right else 0
        if level == 0 or (level == 2 and high_cut <= low_cut):
            t_["bottom"] += count
            t_["bottom_right"] += count if right else 0
        if right is False and answer is not None and answer != "null":
            t_["wrong"][answer] = t_["wrong"].get(answer, 0) + count
    versions = {
        row.id: row
        for row in db.session.execute(
            sa.select(QuestionVersion.id, QuestionVersion.question_id, QuestionVersion.stem).where(
                QuestionVersion.id.in_(tallies)
            )
        )
    }
    stats = []
    for version_id, t_ in tallies.items():
        discrimination = None
        if t_["top"] and t_["bottom"]:
            discrimination = round(t_["top_right"] / t_["top"] - t_["bottom_right"] / t_["bottom"], 2)
        answer, count = max(t_["wrong"].items(), key=lambda item: (item[1], item[0]), default=(None, 0))
        stats.append(
            QuestionStat(
                versions[version_id].question_id,
                versions[version_id].stem,
                t_["n"],
                round(t_["right"] / t_["n"], 3) if t_["n"] else None,
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
