"""Writing test templates and granting exceptions: the supervisor's actions, scoped and audited.
Callers commit."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.models import Role, Unit, User
from accounts.scope import ensure_unit_in_scope, unit_ids_in_subtree
from core.errors import Conflict, NotFound, ValidationFailed
from core.extensions import db
from question_bank.models import Category, QuestionType
from quiz.models import AttemptPolicy, Exam, ExamAssignment, ExamKind, ExamTemplate, PaperRule, Recurrence
from quiz.retakes import stretch_retake

TEMPLATE_FIELDS = (
    "title",
    "kind",
    "duration_minutes",
    "pass_mark_percent",
    "attempts_allowed",
    "attempt_policy",
    "shuffle_questions",
    "shuffle_options",
    "partial_credit",
    "retake_days",
    "recurrence",
    "open_weekday",
    "close_weekday",
    "open_day",
    "close_day",
    "open_time",
    "close_time",
)


def templates_managed_by(user: User) -> sa.Select:
    """Templates whose scope lies in the user's subtree (admins: all), newest first."""
    query = sa.select(ExamTemplate).order_by(ExamTemplate.active.desc(), ExamTemplate.id.desc())
    if user.role != Role.ADMIN:
        query = query.where(ExamTemplate.scope_unit_id.in_(unit_ids_in_subtree(user.unit)))
    return query


def get_template(template_id: int) -> ExamTemplate:
    template = db.session.get(ExamTemplate, template_id)
    if template is None:
        raise NotFound(_l("This test template was not found."))
    return template


def _check(values: dict, rules: list[dict]) -> None:
    if values["recurrence"] != Recurrence.NONE and not (values.get("open_time") and values.get("close_time")):
        raise ValidationFailed(_l("A repeating test needs its opening and closing times."), field="open_time")
    if values["recurrence"] == Recurrence.MONTHLY and not (values.get("open_day") and values.get("close_day")):
        raise ValidationFailed(_l("A monthly test needs the days of the month it opens and closes."), field="open_day")
    if not rules:
        raise ValidationFailed(_l("The blueprint has no rows: add at least one."), field="rules")
    known = set(db.session.scalars(sa.select(Category.id).where(Category.active)))
    for rule in rules:
        if rule["category_id"] not in known:
            raise ValidationFailed(_l("Choose a category for every row."), field="rules")


def _normalise(values: dict) -> dict:
    values = dict(values)
    values["kind"] = ExamKind(values["kind"])
    values["attempt_policy"] = AttemptPolicy(values["attempt_policy"])
    values["recurrence"] = Recurrence(values["recurrence"])
    if values["recurrence"] != Recurrence.WEEKLY:
        values["open_weekday"] = values["close_weekday"] = None
    if values["recurrence"] != Recurrence.MONTHLY:
        values["open_day"] = values["close_day"] = None
    if values["recurrence"] == Recurrence.NONE:
        values["open_time"] = values["close_time"] = None
    return values


def _rules(rows: list[dict]) -> list[PaperRule]:
    return [
        PaperRule(
            position=position,
            category_id=row["category_id"],
            type=QuestionType(row["type"]),
            count=row["count"],
            points=row["points"],
        )
        for position, row in enumerate(rows)
    ]


def save_template(
    actor: User | None, template: ExamTemplate | None, *, scope_unit: Unit, values: dict, rules: list[dict], now
) -> ExamTemplate:
    """Create (template None) or update a template and its blueprint rows. Published exams keep
    their frozen copy, so editing changes only what is published next."""
    ensure_unit_in_scope(actor, scope_unit)
    if template is not None:
        ensure_unit_in_scope(actor, template.scope_unit)
    values = _normalise(values)
    _check(values, rules)
    if template is None:
        template = ExamTemplate(created_by_id=actor.id if actor else None, created_at=now, recurs_from=now)
        db.session.add(template)
    for field in TEMPLATE_FIELDS:
        setattr(template, field, values.get(field))
    template.title = template.title.strip()
    template.scope_unit_id = scope_unit.id
    template.scope_unit = scope_unit
    template.updated_at = now
    template.rules = _rules(rules)
    db.session.flush()
    audit.record("quiz.template_saved", actor=actor, target=template, detail={"rules": len(rules)})
    return template


def grant_exception(
    actor: User | None,
    exam: Exam,
    assignments: list[ExamAssignment],
    *,
    opens_at: datetime | None,
    closes_at: datetime | None,
    extra_minutes: int,
    extra_attempts: int,
    reason: str,
    now: datetime,
) -> int:
    """Give each officer a different window, extra time or an extra attempt (duty shifts, sick
    leave), with the reason, on their assignment and in the audit log. The exam must still be
    open to changes (not closed)."""
    if exam.closed_at is not None:
        raise Conflict(_l("This test is closed; exceptions can no longer be granted."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_l("Give the reason for the exception."), field="reason")
    if not assignments:
        raise ValidationFailed(_l("Choose at least one officer."), field="assignment_id")
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationFailed(_l("The closing time must be after the opening time."), field="closes_at")
    if closes_at and closes_at <= now:
        raise ValidationFailed(_l("The closing time has already passed."), field="closes_at")
    if not (opens_at or closes_at or extra_minutes or extra_attempts):
        raise ValidationFailed(_l("Change the window, the time or the attempts."), field="extra_minutes")
    for assignment in assignments:
        if assignment.exam_id != exam.id:
            raise NotFound(_l("This officer is not assigned to this test."))
        ensure_unit_in_scope(actor, assignment.unit)
        if assignment.closed_at is not None:
            raise Conflict(
                _l(
                    "The test of %(name)s is already closed and graded; give a retake instead.",
                    name=assignment.user.full_name,
                )
            )
        assignment.opens_at = opens_at or assignment.opens_at
        assignment.closes_at = closes_at or assignment.closes_at
        assignment.extra_minutes = extra_minutes or 0
        assignment.extra_attempts = extra_attempts or 0
        assignment.exception_reason = reason[:200]
        assignment.exception_by_id = actor.id if actor else None
        assignment.updated_at = now
        audit.record(
            "quiz.exception_granted",
            actor=actor,
            target=assignment,
            detail={
                "exam_id": exam.id,
                "user_id": assignment.user_id,
                "opens_at": opens_at.isoformat() if opens_at else None,
                "closes_at": closes_at.isoformat() if closes_at else None,
                "extra_minutes": extra_minutes,
                "extra_attempts": extra_attempts,
                "reason": reason,
            },
        )
    db.session.flush()
    stretch_retake(exam, now)
    return len(assignments)
